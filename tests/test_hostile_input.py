"""Hostile and oversized input: each is refused with one message before the costly part.

Probe p7 of session 16: ZIP and XLSX bombs, huge counts, numbers past Python's 4,300
digits, files of the wrong kind, overlong text and a flood of violations. The bombs are
small here: a limit is lowered, or a spy shows nothing was parsed before the refusal.
"""

from __future__ import annotations

import codecs
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Border, Side
from typer.testing import CliRunner

from dashboards.samples import small_theatre, small_ward
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.io.load import load_problem
from optimizer.io.project import problem_from_data, problem_to_json
from optimizer.io.roster_csv import read_roster_csv
from optimizer.io.schedule_csv import read_schedule_csv, schedule_to_csv
from optimizer.io.tables import csv_bundle, read_budget, xlsx_bundle
from optimizer.io.tables.bundle import read_bundle_tables
from optimizer.io.tables.cells import BadCell, parse_int
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip
from optimizer.model.result import CaseSchedule, ScheduledTask

runner = CliRunner()
HUGE = "9" * 5000  # over Python's 4,300-digit limit of int(str)


def ward_files() -> dict[str, bytes]:
    """The small ward's bundle as ``<sheet>.csv`` bytes."""
    with zipfile.ZipFile(io.BytesIO(tables_to_zip(problem_tables(small_ward())))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def ward_xlsx(change: Callable[[Any], None] | None = None) -> bytes:
    book = openpyxl.load_workbook(io.BytesIO(tables_to_xlsx(problem_tables(small_ward()))))
    if change:
        change(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_part(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """A copy of a ZIP (an XLSX) with one member's bytes changed."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = source.read(info)
            target.writestr(info.filename, change(member) if info.filename == part else member)
    return out.getvalue()


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The CSV members ``csv_rows`` parses (a spy)."""
    seen: list[str] = []
    real = csv_bundle.csv_rows

    def spy(data: bytes, where: str, budget: Any = None) -> Any:
        seen.append(where.rsplit("/", 1)[-1])
        return real(data, where, budget)

    monkeypatch.setattr(csv_bundle, "csv_rows", spy)
    return seen


# -- 2. ZIP bombs ---------------------------------------------------------------------


def test_an_unknown_zip_member_is_refused_before_any_sheet_is_parsed(parsed: list[str]) -> None:
    files = ward_files() | {f"x{i}.csv": b"a,b\n" + b"1,1\n" * 50_000 for i in range(3)}
    with pytest.raises(InputError) as info:
        read_bundle_tables("b.zip", zip_of(files))
    assert str(info.value).startswith("b.zip/x0.csv: unknown sheet 'x0'; a roster bundle has")
    assert parsed == ["settings.csv"]  # read for the bundle's kind, nothing else


def test_an_empty_unknown_zip_member_is_still_ignored() -> None:
    files = ward_files() | {"notes.csv": codecs.BOM_UTF8 + b",,\n\n,\n"}
    assert set(read_bundle_tables("b.zip", zip_of(files))) >= {"staff", "cover"}


def test_a_highly_packed_sheet_is_refused_by_its_declared_size(parsed: list[str]) -> None:
    files = ward_files()
    files["requests.csv"] += b",,,,\n" * 400_000  # 2 MB of empty cells, packed ~500 times
    with pytest.raises(InputError) as info:
        read_bundle_tables("b.zip", zip_of(files))
    assert str(info.value).startswith("b.zip/requests.csv: unpacks to 2,000,")
    assert "packs at most 100 times smaller" in str(info.value)
    assert parsed == []


def test_sheets_declaring_more_than_the_limit_in_all_are_refused_unread(
    monkeypatch: pytest.MonkeyPatch, parsed: list[str]
) -> None:
    files = ward_files()
    monkeypatch.setattr(read_budget, "MAX_BUNDLE_BYTES", sum(map(len, files.values())) - 1)
    with pytest.raises(InputError, match=r"the sheets unpack to at least [\d,]+ bytes; a bund"):
        read_bundle_tables("b.zip", zip_of(files))
    assert parsed == []


def test_the_bytes_unpacked_are_counted_whatever_the_sizes_declared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    files = ward_files()
    monkeypatch.setattr(read_budget, "MAX_BUNDLE_BYTES", 1_000)  # the sheets hold 1,385
    monkeypatch.setattr(csv_bundle, "check_declared_sizes", lambda *args: None)
    with pytest.raises(InputError, match="the sheets unpack to more than 1,000 bytes"):
        read_bundle_tables("b.zip", zip_of(files))


@pytest.mark.parametrize("kind", ["zip", "xlsx"])
def test_cells_past_the_limit_are_refused_while_read(
    monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setattr(read_budget, "MAX_BUNDLE_CELLS", 150)
    data = zip_of(ward_files()) if kind == "zip" else ward_xlsx()
    with pytest.raises(InputError) as info:
        read_bundle_tables(f"b.{kind}", data)
    assert "hold more than 150 cells by this line" in info.value.message
    assert info.value.line is not None and info.value.file is not None
    assert info.value.file.startswith(f"b.{kind}")


# -- 3. XLSX amplification --------------------------------------------------------------


def test_empty_formatted_cells_far_right_cost_nothing() -> None:
    def far_right(book: Any) -> None:
        sheet = book["staff"]
        for row in range(1, 2_000):
            sheet.cell(row=row, column=16_384).border = Border(left=Side("thin"))  # XFD

    sheets = xlsx_bundle.xlsx_sheets("w.xlsx", ward_xlsx(far_right))
    assert max(len(cells) for _, _, rows, _ in sheets for _, cells in rows) <= 12
    staff = read_bundle_tables("w.xlsx", ward_xlsx(far_right))["staff"]
    assert list(staff["id"]) == [p.id for p in small_ward().staff]


def test_a_workbook_part_that_unpacks_too_far_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def whitespace(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b" " * 3_000_000 + b"</sheetData>")

    data = rewrite_part(ward_xlsx(), "xl/worksheets/sheet1.xml", whitespace)

    def no_parsing(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    with pytest.raises(InputError) as info:
        read_bundle_tables("w.xlsx", data)
    assert str(info.value).startswith("w.xlsx/xl/worksheets/sheet1.xml: unpacks to 3,0")


def test_a_reader_error_without_text_still_says_what_happened(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def out_of_memory(*args: Any, **kwargs: Any) -> None:
        raise MemoryError

    data = ward_xlsx()
    monkeypatch.setattr(openpyxl, "load_workbook", out_of_memory)
    with pytest.raises(InputError) as info:
        read_bundle_tables("w.xlsx", data)
    assert str(info.value) == "w.xlsx: not a readable XLSX workbook (it is too large to read)"


# -- 5. counts ------------------------------------------------------------------------


def test_more_than_ten_thousand_staff_are_refused_before_each_is_read() -> None:
    data = json.loads(problem_to_json(small_ward()))
    data["staff"] = [{"id": f"s{i}"} for i in range(10_001)]
    data["staff"][5] = {"shoe_size": 44}  # never looked at: the count comes first
    with pytest.raises(InputError) as info:
        problem_from_data(data, "big.json")
    assert str(info.value) == (
        "big.json, field 'staff': 10,001 staff members given; a problem may hold at most 10,000"
    )


@pytest.mark.parametrize(("field", "record"), [("tasks", "t"), ("rooms", "r"), ("staff", "s")])
def test_case_problems_hold_at_most_ten_thousand_tasks_rooms_and_staff(
    field: str, record: str
) -> None:
    data = json.loads(problem_to_json(small_theatre()))
    data[field] = [{"id": f"{record}{i}", "duration": 30} for i in range(10_001)]
    data[field][3] = {"bad": True}
    with pytest.raises(InputError) as info:
        problem_from_data(data, "big.json")
    assert info.value.field == field
    assert info.value.message.startswith("10,001 ") and "at most 10,000" in info.value.message


def test_text_longer_than_a_bundle_cell_is_refused_in_json_too(tmp_path: Path) -> None:
    data = json.loads(problem_to_json(small_ward()))
    data["staff"][0]["name"] = "X" * 131_073
    path = tmp_path / "w.json"
    path.write_text(json.dumps(data))
    with pytest.raises(InputError) as info:
        load_problem(path)
    assert str(info.value) == (
        f"{path}, field 'name': a text of 131,073 characters; at most 131,072 are allowed"
    )
    data["staff"][0]["name"] = "X" * 131_072
    path.write_text(json.dumps(data))
    assert load_problem(path).staff[0].name == "X" * 131_072


def test_an_id_longer_than_a_bundle_cell_is_refused_by_the_model() -> None:
    data = json.loads(problem_to_json(small_ward()))
    data["staff"][0]["skills"].append("S" * 131_073)
    with pytest.raises(InputError) as info:
        problem_from_data(data, "w.json")
    assert info.value.field == "staff.0.skills.1"
    assert info.value.message == "an id has 131,073 characters; at most 131,072 are allowed"


# -- 6. numbers past 4,300 digits -------------------------------------------------------


def test_a_huge_day_in_a_roster_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f"staff,day,shift\nN1,{HUGE},E\n")
    with pytest.raises(InputError) as info:
        read_roster_csv(path)
    assert (info.value.line, info.value.field) == (2, "day")
    assert (
        info.value.message
        == "the number 99999999999999999999… has 5000 digits; it is far too large"
    )


def test_a_huge_start_in_a_schedule_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text(f"task,start,end,staff,resources\nC1,{HUGE},60,,\n")
    with pytest.raises(InputError, match="has 5000 digits") as info:
        read_schedule_csv(path)
    assert (info.value.line, info.value.field) == (2, "start")


def test_grouped_numbers_of_any_length_get_a_message() -> None:
    with pytest.raises(BadCell, match=r"is far too large \(more than 100 digits\)"):
        parse_int("1" + ".000" * 1_700)
    with pytest.raises(BadCell, match="points as thousands separators; write 1000000"):
        parse_int("1.000.000")


def test_schedule_csv_sorts_ids_of_any_length_by_their_value() -> None:
    long_id = "1" * 5000
    schedule = CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=task, start=0, end=10) for task in ("b", long_id, "10", "9", "09")
        )
    )
    order = [line.split(",")[0] for line in schedule_to_csv(schedule).splitlines()[1:]]
    assert order == ["9", "09", "10", long_id, "b"]


# -- 7. files of the wrong kind ---------------------------------------------------------


OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "w.xlsx",
            OLE,
            "not a readable XLSX workbook: it is password-protected or an old .xls workbook; "
            "save it as .xlsx without a password",
        ),
        ("w.zip", OLE, "not a valid ZIP file: it is password-protected or an old .xls"),
        ("staff.xlsx", b"id,name\nN1,Ana\n", "this is a text/CSV file, not a workbook"),
        ("w.zip", ward_xlsx(), "this is an Excel workbook, not a ZIP of CSV files: rename it"),
        ("w.xlsx", zip_of(ward_files()), "this is a ZIP of CSV files; rename it to .zip"),
    ],
    ids=["ole-xlsx", "ole-zip", "csv-xlsx", "xlsx-zip", "zip-xlsx"],
)
def test_a_file_of_another_kind_is_named(name: str, data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_bundle_tables(name, data)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32-le", "utf-32"])
def test_utf16_and_utf32_json_is_named_with_or_without_a_bom(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(problem_to_json(small_ward()).encode(encoding))
    wide = "UTF-32" if "32" in encoding else "UTF-16"
    with pytest.raises(InputError) as info:
        load_problem(path)
    assert info.value.message == f"the file is {wide} text, not UTF-8; save it as UTF-8"


def test_a_symbolic_link_in_a_zip_is_refused_by_name() -> None:
    files = ward_files()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            if name == "staff.csv":
                link = zipfile.ZipInfo("staff.csv")
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                archive.writestr(link, "/etc/passwd")
            else:
                archive.writestr(name, data)
    with pytest.raises(InputError) as info:
        read_bundle_tables("w.zip", out.getvalue())
    assert str(info.value) == (
        "w.zip/staff.csv: is a symbolic link, not a file; put the file itself in the ZIP"
    )


# -- 8. a flood of violations -----------------------------------------------------------


def test_check_lists_fifty_violations_then_counts_the_rest(tmp_path: Path) -> None:
    problem = small_ward()
    path = tmp_path / "ward.json"
    path.write_text(problem_to_json(problem))
    solution = tmp_path / "roster.csv"
    solution.write_text("staff,day,shift\n" + "N1,0,E\n" * 300)
    outcome = runner.invoke(app, ["check", str(path), str(solution)])
    assert outcome.exit_code == 1
    *listed, more, last = outcome.output.splitlines()
    total = int(last.split("violations=")[1].split()[0])
    assert total >= 299  # the 299 shifts after the first on day 0, at least
    assert len(listed) == 50 and all(line.startswith("VIOLATION ") for line in listed)
    head, kinds = more.removesuffix(")").split(" (")
    assert head == f"… and {total - 50:,} more"
    number, counts = kinds.split(" kind", 1)
    by_rule = dict(part.rsplit(" ", 1) for part in counts.split(": ", 1)[1].split(", "))
    assert len(by_rule) == int(number) and "one_shift_per_day" in by_rule
    assert sum(int(count.replace(",", "")) for count in by_rule.values()) == total - 50
