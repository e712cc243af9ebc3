"""Bundles as hospitals really save them: European numbers, Excel errors and formulas,
odd ZIP members, stale XLSX sizes, hidden sheets, time zones and many bad rows.

Every file is built here (CSV-ZIP with ``zipfile``, XLSX with ``openpyxl``) and read
through ``load_problem``, as the CLI and the dashboard do.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from optimizer.errors import InputError
from optimizer.io.load import load_cases, load_problem, load_roster
from optimizer.io.tables.cells import EXCEL_ERRORS, TableErrors

Sheets = dict[str, list[list[Any]]]

ROSTER: Sheets = {
    "settings": [
        ["key", "value"],
        ["kind", "roster"],
        ["name", "My ward"],
        ["start_date", "2026-12-07"],
        ["num_days", "7"],
    ],
    "shifts": [
        ["id", "name", "start", "length_minutes", "forbidden_next", "min_rest_hours", "night"],
        ["E", "Early", "07:00", "480", "", "11", ""],
        ["N", "Night", "21:30", "600", "E", "", ""],
    ],
    "staff": [
        ["id", "name", "grade", "skills", "max_minutes", "max_shifts_per_type"],
        ["N01", "Ana Silva", "Senior RN", "RN;charge", "2400", "N=2"],
        ["N02", "Jo Park", "RN", "RN", "", ""],
    ],
    "cover": [
        ["date", "shift", "skill", "required", "under_weight"],
        ["2026-12-07", "E", "RN", "1", "100"],
        ["2026-12-07", "N", "charge", "1", "80"],
    ],
    "leave": [
        ["staff", "first_date", "last_date", "reason"],
        ["N02", "2026-12-09", "2026-12-10", "annual leave"],
    ],
    "requests": [
        ["staff", "date", "shift", "want", "weight"],
        ["N01", "2026-12-12", "", "no", "2"],
    ],
}

CASES: Sheets = {
    "settings": [
        ["key", "value"],
        ["kind", "cases"],
        ["start", "2026-12-07 00:00"],
        ["horizon", "1440"],
    ],
    "tasks": [
        ["id", "duration", "release", "due", "rooms"],
        ["C1", "120", "2026-12-07 08:00", "2026-12-07 17:00", "OR1"],
    ],
    "rooms": [["id", "name"], ["OR1", "Theatre 1"]],
    "openings": [["room", "start", "end"], ["OR1", "2026-12-07 08:00", "2026-12-07 17:00"]],
}


def roster(**changes: Callable[[Sheets], None]) -> Sheets:
    sheets = copy.deepcopy(ROSTER)
    for change in changes.values():
        change(sheets)
    return sheets


def csv_text(rows: list[list[Any]], sep: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write_zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def csv_zip(path: Path, sheets: Sheets, sep: str = ",") -> Path:
    return write_zip(path, {f"{s}.csv": csv_text(rows, sep) for s, rows in sheets.items()})


def xlsx(path: Path, sheets: Sheets, setup: Callable[[Any], None] | None = None) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    if setup:
        setup(book)
    book.save(path)
    return path


def messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    errors = getattr(exc.value, "errors", None)
    return [str(e) for e in errors] if errors else [str(exc.value)]


# -- 1. "2.000": thousands separator or decimals? ----------------------------------------


@pytest.mark.parametrize(("cell", "hint"), [("2.000", "write 2000 (or 2)"), ("2.400", "2400")])
def test_grouped_number_is_refused_as_ambiguous(tmp_path: Path, cell: str, hint: str) -> None:
    def eu(s: Sheets) -> None:
        s["staff"][1][4] = cell
        s["cover"][2][4] = "1.000"

    path = csv_zip(tmp_path / "eu.zip", roster(eu=eu), sep=";")
    with pytest.raises(TableErrors) as exc:
        load_problem(path)
    found = messages(exc)
    assert f"staff.csv, line 2, column 'max_minutes': '{cell}' is ambiguous" in found[0]
    assert "thousands separator or decimals" in found[0] and hint in found[0]
    assert "cover.csv, line 3, column 'under_weight': '1.000' is ambiguous" in found[1]


@pytest.mark.parametrize("cell", ["2400.0", "2.4E3", "2400"])
def test_plain_whole_numbers_still_read(tmp_path: Path, cell: str) -> None:
    def plain(s: Sheets) -> None:
        s["staff"][1][4] = cell

    problem = load_roster(csv_zip(tmp_path / "w.zip", roster(plain=plain)))
    assert problem.staff[0].contract.max_minutes == 2400


# -- 2. ZIP members that are not .csv ------------------------------------------------------


def test_zip_reads_txt_and_tsv_members(tmp_path: Path) -> None:
    sheets = roster()
    members: dict[str, bytes | str] = {
        f"{s}.csv": csv_text(rows) for s, rows in sheets.items() if s not in ("cover", "leave")
    }
    members["cover.tsv"] = csv_text(sheets["cover"], sep="\t")
    members["leave.txt"] = csv_text(sheets["leave"], sep="\t")
    problem = load_roster(write_zip(tmp_path / "ward.zip", members))
    assert [(c.shift, c.skill) for c in problem.cover] == [("E", "RN"), ("N", "charge")]
    assert [(u.staff, u.first_day, u.last_day) for u in problem.unavailability] == [("N02", 2, 3)]


@pytest.mark.parametrize("member", ["leave.xlsx", "data/Leave.xls", "leave", "rota 2026.xlsx"])
def test_zip_member_we_cannot_read_is_refused(tmp_path: Path, member: str) -> None:
    sheets = roster()
    members: dict[str, bytes | str] = {
        f"{s}.csv": csv_text(rows) for s, rows in sheets.items() if s != "leave"
    }
    members[member] = b"PK\x03\x04 not text"
    with pytest.raises(InputError) as exc:
        load_problem(write_zip(tmp_path / "ward.zip", members))
    assert f"ward.zip/{member}" in str(exc.value)
    assert "one CSV file per sheet" in str(exc.value) and "as CSV" in str(exc.value)


def test_zip_ignores_other_files(tmp_path: Path) -> None:
    members: dict[str, bytes | str] = {f"{s}.csv": csv_text(r) for s, r in roster().items()}
    members["logo.png"] = b"\x89PNG"
    members["__MACOSX/._staff.csv"] = b"\x00\x05"
    assert len(load_problem(write_zip(tmp_path / "ward.zip", members)).staff) == 2


# -- 3. many bad rows are located quickly --------------------------------------------------


def test_thousand_bad_rows_are_located_quickly(tmp_path: Path) -> None:
    def many(s: Sheets) -> None:
        s["requests"] = [s["requests"][0]] + [
            [str(i + 3), f"2026-12-{7 + i % 7:02d}", "", "no", "1"] for i in range(1000)
        ]

    path = csv_zip(tmp_path / "bad.zip", roster(many=many))
    began = time.perf_counter()
    with pytest.raises(TableErrors) as exc:
        load_problem(path)
    elapsed = time.perf_counter() - began
    errors = exc.value.errors
    assert len(errors) == 1000
    assert [e.line for e in errors] == list(range(2, 1002))
    assert all("unknown staff" in e.message for e in errors)
    assert elapsed < 10, f"locating 1000 errors took {elapsed:.1f} s"


# -- 4. a stale <dimension> in an XLSX -----------------------------------------------------


def test_stale_xlsx_dimension_loses_nothing(tmp_path: Path) -> None:
    source = xlsx(tmp_path / "src.xlsx", roster())
    out = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb"<dimension ref=\"[^\"]*\"\s*/>", b'<dimension ref="A1:B2"/>', data)
            dst.writestr(item, data)
    problem = load_roster(out)
    assert [p.id for p in problem.staff] == ["N01", "N02"]
    assert problem.staff[0].skills == ("RN", "charge")
    assert problem.staff[0].contract.max_minutes == 2400
    assert len(problem.cover) == 2


# -- 5. formulas without a saved value -----------------------------------------------------


@pytest.mark.parametrize(
    ("sheet", "cell", "column", "formula"),
    [("staff", "E2", "max_minutes", "=40*60"), ("cover", "D2", "required", "=1+1")],
)
def test_formula_without_saved_value_is_refused(
    tmp_path: Path, sheet: str, cell: str, column: str, formula: str
) -> None:
    def put(book: Any) -> None:
        book[sheet][cell] = formula

    with pytest.raises(InputError) as exc:
        load_problem(xlsx(tmp_path / "f.xlsx", roster(), put))
    text = str(exc.value)
    assert f"f.xlsx [{sheet}]:2, field '{column}'" in text
    assert f"the formula {formula} has no saved value" in text and "save it" in text


def test_formula_free_workbook_with_empty_cells_reads(tmp_path: Path) -> None:
    problem = load_roster(xlsx(tmp_path / "ok.xlsx", roster()))
    assert problem.staff[1].contract.max_minutes is None


# -- 6. Excel error values -----------------------------------------------------------------


@pytest.mark.parametrize("error", sorted(EXCEL_ERRORS & {"#N/A", "#DIV/0!", "#REF!", "#NAME?"}))
def test_excel_error_text_in_csv_is_refused(tmp_path: Path, error: str) -> None:
    def broken(s: Sheets) -> None:
        s["staff"][2][3] = error

    with pytest.raises(InputError) as exc:
        load_problem(csv_zip(tmp_path / "e.zip", roster(broken=broken)))
    assert str(exc.value) == (
        f"{tmp_path / 'e.zip'}/staff.csv:3, field 'skills': holds the Excel error {error} "
        "(a formula failed); fix it in Excel or type the value"
    )


@pytest.mark.parametrize(
    ("sheet", "cell", "column", "error"),
    [
        ("staff", "D3", "skills", "#N/A"),
        ("staff", "E2", "max_minutes", "#DIV/0!"),
        ("cover", "C3", "skill", "#VALUE!"),
        ("settings", "B5", "value", "#NUM!"),
        ("leave", "D2", "reason", "#NULL!"),
    ],
)
def test_excel_error_cell_is_refused(
    tmp_path: Path, sheet: str, cell: str, column: str, error: str
) -> None:
    def put(book: Any) -> None:
        book[sheet][cell] = error
        assert book[sheet][cell].data_type == "e"

    with pytest.raises(InputError) as exc:
        load_problem(xlsx(tmp_path / "e.xlsx", roster(), put))
    text = str(exc.value)
    assert f"e.xlsx [{sheet}]:{cell[1:]}, field '{column}'" in text
    assert f"holds the Excel error {error}" in text


def test_excel_error_inside_a_list_is_refused(tmp_path: Path) -> None:
    def broken(s: Sheets) -> None:
        s["staff"][1][3] = "RN;#N/A"

    with pytest.raises(
        InputError, match=r"staff.csv:2, field 'skills': holds the Excel error #N/A"
    ):
        load_problem(csv_zip(tmp_path / "e.zip", roster(broken=broken)))


# -- 12. hidden sheets ---------------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_skipped(tmp_path: Path, state: str) -> None:
    def lists(book: Any) -> None:
        sheet = book.create_sheet("Lists")
        for row in (["skills"], ["RN"], ["charge"]):
            sheet.append(row)
        sheet.sheet_state = state

    problem = load_problem(xlsx(tmp_path / "h.xlsx", roster(), lists))
    assert [p.id for p in problem.staff] == ["N01", "N02"]


def test_hidden_bundle_sheet_is_still_read(tmp_path: Path) -> None:
    def hide(book: Any) -> None:
        book["leave"].sheet_state = "hidden"

    problem = load_roster(xlsx(tmp_path / "h.xlsx", roster(), hide))
    assert [(u.staff, u.first_day) for u in problem.unavailability] == [("N02", 2)]


def test_visible_unknown_sheet_is_still_refused(tmp_path: Path) -> None:
    def lists(book: Any) -> None:
        book.create_sheet("Lists").append(["RN"])

    with pytest.raises(InputError, match="unknown sheet 'lists'"):
        load_problem(xlsx(tmp_path / "u.xlsx", roster(), lists))


# -- 8 and 15. case times: offsets and seconds --------------------------------------------


def cases(start: str, release: str) -> Sheets:
    sheets = copy.deepcopy(CASES)
    sheets["settings"][2][1] = start
    sheets["tasks"][1][2] = release
    return sheets


@pytest.mark.parametrize(
    ("start", "release", "minute"),
    [
        ("2026-12-07T00:00Z", "2026-12-07 08:00", 480),
        ("2026-12-07T00:00Z", "2026-12-07 08:00+01:00", 420),
        ("2026-12-07 00:00+01:00", "2026-12-07T07:00Z", 480),
        ("2026-12-07 00:00+01:00", "2026-12-07 08:00+01:00", 480),
        ("2026-12-07 00:00", "2026-12-07 08:00:00", 480),
    ],
)
def test_case_times_with_offsets_are_converted(
    tmp_path: Path, start: str, release: str, minute: int
) -> None:
    problem = load_cases(csv_zip(tmp_path / "c.zip", cases(start, release)))
    assert problem.tasks[0].release == minute
    assert problem.rooms[0].openings[0].start == 480
    assert problem.start is not None and problem.start.hour == 0
    # the start keeps its offset (none stays none), as in project JSON
    written = dt.datetime.fromisoformat(start.replace("Z", "+00:00"))
    assert problem.start.utcoffset() == written.utcoffset()


def test_offset_in_a_cell_without_one_in_start_is_refused(tmp_path: Path) -> None:
    path = csv_zip(tmp_path / "c.zip", cases("2026-12-07 00:00", "2026-12-07 08:00+01:00"))
    with pytest.raises(InputError) as exc:
        load_problem(path)
    text = str(exc.value)
    assert "tasks.csv:2, field 'release'" in text
    assert "has a time-zone offset but the setting 'start' has none" in text


@pytest.mark.parametrize("release", ["2026-12-07 16:59:59", "2026-12-07 08:00:30"])
def test_case_time_with_seconds_is_refused_not_cut(tmp_path: Path, release: str) -> None:
    with pytest.raises(InputError) as exc:
        load_problem(csv_zip(tmp_path / "c.zip", cases("2026-12-07 00:00", release)))
    text = str(exc.value)
    assert f"tasks.csv:2, field 'release': '{release}' must be a whole minute" in text
    assert "not rounded" in text


def test_case_datetime_cell_in_xlsx_reads(tmp_path: Path) -> None:
    import datetime as dt

    sheets = cases("2026-12-07 00:00", "")
    sheets["tasks"][1][2] = dt.datetime(2026, 12, 7, 9, 15)
    assert load_cases(xlsx(tmp_path / "c.xlsx", sheets)).tasks[0].release == 555


def test_start_with_seconds_is_refused(tmp_path: Path) -> None:
    path = csv_zip(tmp_path / "c.zip", cases("2026-12-07 00:00:30", "2026-12-07 08:00"))
    with pytest.raises(InputError, match="field 'start': '2026-12-07 00:00:30' must be a whole"):
        load_problem(path)


def test_bundle_without_problems_still_loads_from_bytes() -> None:
    """The in-memory path (dashboard upload) reads the same files."""
    from optimizer.io.tables.bundle import read_bundle

    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for sheet, rows in roster().items():
            archive.writestr(f"{sheet}.txt", csv_text(rows, sep="\t"))
    problem = read_bundle("ward.zip", data.getvalue())
    assert [p.id for p in problem.staff] == ["N01", "N02"]
