"""A folder of ``<sheet>.csv`` files is a table bundle: read exactly as a ZIP of the same
files (the same rules, the same messages naming ``<folder>/<file>``), by the Python API
and by ``carealloc solve`` / ``check``."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO

import pandas as pd
import pytest
from typer.testing import CliRunner

from dashboards.samples import small_ward
from optimizer.check import check
from optimizer.cli import app
from optimizer.demo.surgery import generate_surgical_week
from optimizer.errors import InputError
from optimizer.io.load import detect_format, load_problem
from optimizer.io.solution import read_solution
from optimizer.io.tables import csv_bundle, folder_bundle, read_budget
from optimizer.io.tables.bundle import read_bundle_tables, read_folder_tables
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_zip
from optimizer.model import Problem

runner = CliRunner()
DATA = Path(__file__).resolve().parents[1] / "data"


def bundle_files(problem: Problem) -> dict[str, bytes]:
    """A problem's CSV files as the bundle writer (the dashboard's export) writes them."""
    with zipfile.ZipFile(io.BytesIO(tables_to_zip(problem_tables(problem)))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):  # the order a folder is read in
            archive.writestr(name, files[name])
    return out.getvalue()


def folder_of(path: Path, files: dict[str, bytes]) -> Path:
    path.mkdir()
    for name, data in files.items():
        (path / name).write_bytes(data)
    return path


def demo_ward() -> Problem:
    return load_problem(DATA / "demo_ward.json")


def refusal(path: Path, fmt: str = "auto") -> str:
    with pytest.raises(InputError) as caught:
        load_problem(path, fmt)
    return str(caught.value)


# -- the same problem as the ZIP -----------------------------------------------------------


@pytest.mark.parametrize("make", [demo_ward, generate_surgical_week], ids=["roster", "cases"])
def test_a_folder_reads_as_the_zip_of_the_same_files(tmp_path: Path, make: object) -> None:
    assert callable(make)
    problem = make()
    files = bundle_files(problem)
    assert len(files) >= 7
    archive = tmp_path / "ward.zip"
    archive.write_bytes(zip_of(files))
    folder = folder_of(tmp_path / "ward", files)
    assert detect_format(folder) == "bundle"
    from_zip = load_problem(archive)
    assert from_zip == problem
    assert load_problem(folder) == from_zip
    assert load_problem(f"{folder}/", "bundle") == from_zip  # as typed, trailing slash
    zip_tables = read_bundle_tables(str(archive), archive.read_bytes())
    folder_tables = read_folder_tables(folder)
    assert list(folder_tables) == list(zip_tables)
    for sheet, frame in zip_tables.items():
        pd.testing.assert_frame_equal(folder_tables[sheet], frame)
        located = {k: str(v).replace(str(archive), str(folder)) for k, v in frame.attrs.items()}
        assert {k: str(v) for k, v in folder_tables[sheet].attrs.items()} == located


def test_hidden_files_subfolders_owner_files_and_others_are_skipped(tmp_path: Path) -> None:
    files = bundle_files(small_ward())
    folder = folder_of(tmp_path / "ward", files)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / "~$staff.csv").write_bytes(b"\x0bJo Planner" + b"\x00" * 40)  # Excel has it open
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    (folder / "notes.csv").write_bytes(b"\xef\xbb\xbf,,\n\n")  # empty: ignored
    (folder / "old").mkdir()
    (folder / "old" / "staff.csv").write_bytes(b"not,a\nbundle,at all\n")
    assert load_problem(folder) == small_ward()


def test_the_formula_guard_of_the_writer_is_undone(tmp_path: Path) -> None:
    ward = small_ward()
    staff = (ward.staff[0].model_copy(update={"name": "=SUM(A1)"}), *ward.staff[1:])
    problem = ward.model_copy(update={"staff": staff})
    files = bundle_files(problem)
    assert b"'=SUM(A1)" in files["staff.csv"]
    assert load_problem(folder_of(tmp_path / "ward", files)) == problem


def test_a_symbolic_link_is_read_as_its_file_and_a_dangling_one_is_named(tmp_path: Path) -> None:
    files = bundle_files(small_ward())
    shared = tmp_path / "shared_staff.csv"
    shared.write_bytes(files.pop("staff.csv"))
    folder = folder_of(tmp_path / "ward", files)
    (folder / "staff.csv").symlink_to(shared)
    assert load_problem(folder) == small_ward()
    shared.unlink()
    assert refusal(folder) == (
        f"{folder}/staff.csv: cannot read the file (a symbolic link to nothing)"
    )


# -- each rule, with the file named as in the ZIP ----------------------------------------


def _unknown(files: dict[str, bytes]) -> None:
    files["notes.csv"] = b"what,who\nbuy cake,Ana\n"


def _latin1(files: dict[str, bytes]) -> None:
    lines = files["staff.csv"].split(b"\n")
    lines[2] = lines[2].replace(b",", "é,".encode("latin-1"), 1)
    files["staff.csv"] = b"\n".join(lines)


def _bad_cell(files: dict[str, bytes]) -> None:
    files["shifts.csv"] = files["shifts.csv"].replace(b",480,", b",lots,", 1)


def _twice(files: dict[str, bytes]) -> None:
    files["staff.txt"] = files["staff.csv"]


def _no_settings(files: dict[str, bytes]) -> None:
    del files["settings.csv"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_unknown, "{f}/notes.csv: unknown sheet 'notes'; a roster bundle has the sheets "),
        (_latin1, "{f}/staff.csv:3: the file must be UTF-8 text (byte 0xe9 is not UTF-8)"),
        (_bad_cell, "{f}/shifts.csv:"),
        (_twice, "{f}: two sheets are named 'staff' ({f}/staff.csv and {f}/staff.txt)"),
        (_no_settings, "{f}: the bundle has no 'settings' sheet"),
    ],
    ids=["unknown-file", "not-utf8", "bad-cell", "two-files-one-sheet", "no-settings"],
)
def test_a_bad_folder_is_refused_as_the_zip_naming_the_file_in_the_folder(
    tmp_path: Path, change: object, expected: str
) -> None:
    assert callable(change)
    files = bundle_files(small_ward())
    change(files)
    archive = tmp_path / "ward.zip"
    archive.write_bytes(zip_of(files))
    folder = folder_of(tmp_path / "ward", files)
    message = refusal(folder)
    assert message.startswith(expected.format(f=folder)), message
    assert message == refusal(archive).replace(str(archive), str(folder))


def test_an_unknown_file_is_refused_before_any_sheet_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = csv_bundle.csv_rows

    def spy(data: bytes, where: str, budget: object = None) -> object:
        parsed.append(where)
        return real(data, where, budget)  # type: ignore[arg-type]

    monkeypatch.setattr(csv_bundle, "csv_rows", spy)
    files = bundle_files(small_ward())
    _unknown(files)
    folder = folder_of(tmp_path / "ward", files)
    message = refusal(folder)
    assert message.startswith(f"{folder}/notes.csv: unknown sheet 'notes'")
    assert "settings, shifts, staff, cover, leave, requests, pins" in message
    assert parsed == [f"{folder}/settings.csv"]  # read for the bundle's kind only


@pytest.mark.parametrize("name", ["leave.xlsx", "staff.numbers"])
def test_a_spreadsheet_named_like_a_sheet_is_refused_with_advice(tmp_path: Path, name: str) -> None:
    files = bundle_files(small_ward())
    files[name] = b"PK\x03\x04 a workbook"
    folder = folder_of(tmp_path / "ward", files)
    stem = name.rsplit(".", 1)[0]
    assert refusal(folder) == (
        f"{folder}/{name}: a folder bundle holds one CSV file per sheet and this file cannot "
        f"be read as one; save {stem} as CSV ({stem}.csv), or use the workbook itself as .xlsx"
    )


def test_a_solves_outputs_beside_the_sheets_are_skipped(tmp_path: Path) -> None:
    files = bundle_files(small_ward())
    alone = load_problem(folder_of(tmp_path / "alone", files))
    outputs = {
        "roster.csv": b"\xef\xbb\xbfstaff,day,shift\nN1,0,E\n",
        "schedule.csv": b"task,start,end,staff,resources\n",
        "plan.xlsx": b"PK\x03\x04 a workbook",  # no sheet's name: kept beside, not read
    }
    assert load_problem(folder_of(tmp_path / "ward", {**files, **outputs})) == alone
    with pytest.raises(InputError, match=r"rota\.xlsx: a ZIP bundle holds one CSV file per"):
        read_bundle_tables("ward.zip", zip_of({**files, "rota.xlsx": b"PK\x03\x04"}))


@pytest.mark.parametrize(
    "files",
    [{}, {"ward.json": b"{}", "rota.xlsx.bak": b"x", ".hidden.csv": b"a\n1\n"}],
    ids=["empty", "no-sheet"],
)
def test_a_folder_without_a_bundle_sheet_gets_one_clear_message(
    tmp_path: Path, files: dict[str, bytes]
) -> None:
    folder = folder_of(tmp_path / "ward", files)
    assert refusal(folder) == (
        f"{folder}: holds no table bundle: no settings.csv, shifts.csv, staff.csv, cover.csv, "
        "… (a roster) or tasks.csv, rooms.csv, … (cases); a folder is read as a bundle of "
        "CSV files, one per sheet"
    )


def test_the_size_budget_holds_for_a_folder_before_anything_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = bundle_files(small_ward())
    folder = folder_of(tmp_path / "ward", files)
    monkeypatch.setattr(read_budget, "MAX_BUNDLE_BYTES", sum(map(len, files.values())) - 1)
    with pytest.raises(InputError, match=r"the sheets unpack to at least [\d,]+ bytes") as caught:
        load_problem(folder)
    assert caught.value.file is not None and caught.value.file.startswith(f"{folder}/")
    monkeypatch.setattr(csv_bundle, "check_declared_sizes", lambda *args: None)
    with pytest.raises(InputError, match="the sheets unpack to more than"):
        load_problem(folder)  # the bytes read count too


@pytest.mark.parametrize("fmt", ["json", "curtois", "psplib"])
def test_another_format_than_bundle_is_refused_for_a_folder(tmp_path: Path, fmt: str) -> None:
    folder = folder_of(tmp_path / "ward", bundle_files(small_ward()))
    with pytest.raises(InputError) as caught:
        load_problem(folder, fmt)
    assert caught.value.field == "fmt" and caught.value.file == str(folder)
    assert caught.value.message == (
        f"is a folder: a folder is read only as a table bundle (one CSV file per sheet), not "
        f"as {fmt}; give the {fmt} file itself, or choose the format bundle (or auto)"
    )


def test_a_lone_csv_file_points_to_its_folder(tmp_path: Path) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_bytes(bundle_files(small_ward())["staff.csv"])
    assert "(a bundle's CSV files are read together: give their folder)" in refusal(staff)


# -- the command line ----------------------------------------------------------------------


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


@pytest.mark.parametrize(
    ("change", "args", "expected"),
    [
        (_unknown, [], "error: {f}/notes.csv: unknown sheet 'notes'"),
        (_latin1, [], "error: {f}/staff.csv:3: the file must be UTF-8 text"),
        (None, ["--format", "json"], "error: {f}, field '--format': is a folder: a folder is "),
    ],
    ids=["unknown-file", "not-utf8", "format-json"],
)
@pytest.mark.parametrize("command", ["solve", "check"])
def test_the_cli_exits_2_with_one_message_naming_the_file(
    tmp_path: Path, command: str, change: object, args: list[str], expected: str
) -> None:
    files = bundle_files(small_ward())
    if callable(change):
        change(files)
    folder = folder_of(tmp_path / "ward", files)
    roster = tmp_path / "roster.csv"
    roster.write_text("staff,day,shift\n")
    operands = [str(folder)] if command == "solve" else [str(folder), str(roster)]
    outcome = runner.invoke(app, [command, *operands, *args])
    assert outcome.exit_code == 2, outcome.output
    assert "Traceback" not in outcome.output
    lines = _error_lines(outcome.output)
    assert len(lines) == 1 and lines[0].startswith(expected.format(f=folder)), outcome.output


def test_the_cli_names_an_empty_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ward"
    folder.mkdir()
    outcome = runner.invoke(app, ["solve", str(folder), "--time-limit", "5"])
    assert outcome.exit_code == 2
    assert _error_lines(outcome.output) == [
        f"error: {folder}: holds no table bundle: no settings.csv, shifts.csv, staff.csv, "
        "cover.csv, … (a roster) or tasks.csv, rooms.csv, … (cases); a folder is read as a "
        "bundle of CSV files, one per sheet"
    ]


def test_solve_a_folder_and_the_checker_agrees(tmp_path: Path) -> None:
    problem = demo_ward()
    folder = folder_of(tmp_path / "ward", bundle_files(problem))
    out = folder / "roster.csv"  # kept beside the sheets, as are the workbook and JSON
    args = ["solve", str(folder), "--time-limit", "5", "--workers", "2", "--quiet"]
    extra = ["--out", str(folder / "plan.xlsx"), "--out", str(folder / "result.json")]
    solved = runner.invoke(app, [*args, "--out", str(out), *extra])
    assert solved.exit_code == 0, solved.output
    status = solved.output.strip().splitlines()[-1]
    found = re.fullmatch(r"status=(OPTIMAL|FEASIBLE) objective=(\d+) bound=\S+ seconds=\S+", status)
    assert found, status
    report = check(problem, read_solution(out, problem))  # independent of the solver
    assert report.feasible, report.violations[:5]
    assert report.objective == int(found.group(2))
    checked = runner.invoke(app, ["check", str(folder), str(out)])
    assert checked.exit_code == 0, checked.output
    last = checked.output.strip().splitlines()[-1]
    assert last == f"feasible=yes violations=0 objective={report.objective}"


def test_a_file_that_cannot_be_read_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_of(tmp_path / "ward", bundle_files(small_ward()))

    def denied(path: Path) -> IO[bytes]:
        if path.name == "staff.csv":
            raise PermissionError(13, "Permission denied", str(path))
        return path.open("rb")

    monkeypatch.setattr(folder_bundle, "_open", denied)
    assert refusal(folder) == f"{folder}/staff.csv: cannot be read (Permission denied)"


def test_the_solve_help_says_a_folder_is_a_bundle() -> None:
    shown = runner.invoke(app, ["solve", "--help"], env={"COLUMNS": "200"})
    assert "table bundle (.xlsx/.xlsm, or a .zip or folder of CSVs" in shown.output
    text = " ".join(shown.output.replace("│", " ").split())  # the help's lines rejoined
    assert "a bundle may also be an .xlsm workbook or a folder of CSV files (auto reads" in text


@pytest.mark.parametrize("name", ["staff.csv", "Leave.xlsx"])
def test_an_output_named_like_a_sheet_of_the_input_folder_is_refused(
    tmp_path: Path, name: str
) -> None:
    files = bundle_files(small_ward())
    folder = folder_of(tmp_path / "ward", files)
    target = folder / name
    commands = [["solve", str(folder), "--time-limit", "2"]]
    if target.suffix == ".xlsx":  # convert writes no .csv file
        commands.append(["convert", str(folder)])
    for args in commands:
        done = runner.invoke(app, [*args, "--out", str(target)])
        assert done.exit_code == 2, done.output
        assert f"{target}, field '--out': is named like a sheet of the table bundle" in done.output
    assert (folder / "staff.csv").read_bytes() == files["staff.csv"]  # untouched
    assert not (folder / "Leave.xlsx").exists()


def test_a_bench_table_named_like_a_sheet_of_a_bundle_folder_is_refused(tmp_path: Path) -> None:
    files = bundle_files(small_ward())
    (tmp_path / "wards").mkdir()
    folder = folder_of(tmp_path / "wards" / "ward7b", files)
    target = folder / "staff.csv"
    args = ["bench", str(tmp_path / "wards"), "--time-limit", "2", "--out-csv", str(target)]
    done = runner.invoke(app, args)
    assert done.exit_code == 2, done.output
    assert "is named like a sheet of the table bundle in the folder" in done.output
    assert target.read_bytes() == files["staff.csv"]
    alone = tmp_path / "solutions" / "staff.csv"  # a folder without a bundle: any name
    alone.parent.mkdir()
    kept = runner.invoke(app, ["solve", str(folder), "--time-limit", "2", "--out", str(alone)])
    assert kept.exit_code == 0, kept.output
    again = runner.invoke(app, ["solve", str(folder), "--time-limit", "2", "--out", str(alone)])
    assert again.exit_code == 0, again.output  # its own earlier file is no bundle
