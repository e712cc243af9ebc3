"""Bad or unusual input files: one clear ``InputError`` (CLI exit 2), never a traceback."""

from __future__ import annotations

import codecs
import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer.bench import read_best_known
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.io import solution as solution_module
from optimizer.io.curtois import read_curtois
from optimizer.io.ics import calendars_zip, file_name
from optimizer.io.load import load_problem
from optimizer.io.project import load_project, load_result, parse_json, problem_from_data
from optimizer.io.psplib import read_psplib
from optimizer.io.roster_csv import read_roster_csv
from optimizer.io.schedule_csv import read_schedule_csv
from optimizer.io.solution import check_output_path
from optimizer.model.result import Result
from tests.test_cli import _small_ward
from tests.test_curtois import TINY as CURTOIS_TINY
from tests.test_psplib import TINY as PSPLIB_TINY
from tests.verify import solve_verified

runner = CliRunner()


def _problem_text(tmp_path: Path) -> str:
    return _small_ward(tmp_path).read_text(encoding="utf-8")


# -- 1. the output must not be an input -----------------------------------------------


def test_solve_refuses_to_overwrite_its_input(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    before = problem_path.read_bytes()
    spelled_differently = tmp_path / "." / problem_path.name
    outcome = runner.invoke(app, ["solve", str(problem_path), "--out", str(spelled_differently)])
    assert outcome.exit_code == 2
    assert "is also the input file" in outcome.output
    assert "status=" not in outcome.output  # refused before solving
    assert problem_path.read_bytes() == before


def test_intake_apply_refuses_to_overwrite_the_problem_file(tmp_path: Path) -> None:
    problem_path = _small_ward(tmp_path)
    before = problem_path.read_bytes()
    outcome = runner.invoke(
        app,
        [
            "intake", "A is off sick on 2024-01-02", "--problem", str(problem_path),
            "--today", "2024-01-01", "--apply", "--out", str(problem_path),
        ],
    )  # fmt: skip
    assert outcome.exit_code == 2
    assert "is also the input file" in outcome.output
    assert problem_path.read_bytes() == before


def test_bench_refuses_to_overwrite_the_best_known_table(tmp_path: Path) -> None:
    (tmp_path / "instances").mkdir()
    best = tmp_path / "best_known.csv"
    best.write_text("instance,best\nTiny,0\n", encoding="utf-8")
    outcome = runner.invoke(app, ["bench", str(tmp_path), "--out-csv", str(best)])
    assert outcome.exit_code == 2
    assert "is also the input file" in outcome.output
    assert best.read_text(encoding="utf-8") == "instance,best\nTiny,0\n"


# -- 2. unwritable outputs are refused before the solve ---------------------------------


def test_read_only_output_file_and_folder_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root may write anywhere, so the permission answer is simulated.
    existing = tmp_path / "roster.csv"
    existing.write_text("staff,day,shift\n", encoding="utf-8")
    real_access = os.access
    denied = {existing, tmp_path}
    monkeypatch.setattr(
        solution_module.os,
        "access",
        lambda path, mode, **kw: (
            not (Path(path) in denied and mode & os.W_OK) and real_access(path, mode, **kw)
        ),
    )
    with pytest.raises(InputError, match="the file is read-only") as info:
        check_output_path(existing, "--out", (".csv",))
    assert info.value.field == "--out"
    with pytest.raises(InputError, match="cannot create files in the folder"):
        check_output_path(tmp_path / "new.csv", "--out", (".csv",))
    outcome = runner.invoke(app, ["solve", str(_small_ward(tmp_path)), "--out", str(existing)])
    assert outcome.exit_code == 2
    assert "read-only" in outcome.output and "status=" not in outcome.output


def test_writable_output_passes_the_check(tmp_path: Path) -> None:
    assert os.access(tmp_path, os.W_OK)
    check_output_path(tmp_path / "new.csv", "--out", (".csv",))  # no error


# -- 3. CSV files that are not UTF-8 ----------------------------------------------------

LATIN1_ROSTER = "staff,day,shift\nA,0,E\nMüller,1,E\n".encode("latin-1")


def test_latin1_roster_csv_names_file_line_and_utf8(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(LATIN1_ROSTER)
    with pytest.raises(InputError, match=r'must be UTF-8 text.*"CSV UTF-8"') as info:
        read_roster_csv(path)
    assert info.value.file == str(path) and info.value.line == 3
    outcome = runner.invoke(app, ["check", str(_small_ward(tmp_path)), str(path)])
    assert outcome.exit_code == 2
    assert f"{path}:3: the file must be UTF-8 text" in outcome.output


def test_latin1_schedule_csv_and_best_known_csv(tmp_path: Path) -> None:
    schedule = tmp_path / "schedule.csv"
    schedule.write_bytes("task,start,end,staff,resources\n1,0,5,Dr Müller,\n".encode("latin-1"))
    with pytest.raises(InputError, match="must be UTF-8 text") as info:
        read_schedule_csv(schedule)
    assert info.value.line == 2
    best = tmp_path / "best_known.csv"
    best.write_bytes("instance,best\nInstance1,607\nÄrzte,3\n".encode("cp1252"))
    with pytest.raises(InputError, match='"CSV UTF-8"') as info:
        read_best_known(best)
    assert info.value.file == str(best) and info.value.line == 3


def test_best_known_csv_with_a_bom_finds_its_instance_column(tmp_path: Path) -> None:
    best = tmp_path / "best_known.csv"
    best.write_bytes(codecs.BOM_UTF8 + b"best,instance\n5,Tiny1\n")
    assert read_best_known(best) == {"Tiny1": 5}


# -- 4. PSPLIB request fields -----------------------------------------------------------


@pytest.mark.parametrize("token", ["--3", "²", "3.5"])
def test_psplib_bad_request_token_names_line_and_field(tmp_path: Path, token: str) -> None:
    path = tmp_path / "bad.sm"
    path.write_text(
        PSPLIB_TINY.replace("  2      1     3       2", f"  2      1     {token}       2")
    )
    with pytest.raises(InputError, match=f"request row, field 3: '{token}' is not a whole"):
        read_psplib(path)
    outcome = runner.invoke(app, ["solve", str(path)])
    assert outcome.exit_code == 2
    assert f"{path}:29: request row, field 3" in outcome.output


# -- 5. schedule CSV numbers ------------------------------------------------------------


def test_schedule_csv_superscript_digit_is_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "schedule.csv"
    path.write_text("task,start,end,staff,resources\n1,0,²,,\n", encoding="utf-8")
    with pytest.raises(InputError, match="end '²' must be a whole number") as info:
        read_schedule_csv(path)
    assert (info.value.line, info.value.field) == (2, "end")


def test_roster_csv_superscript_day_is_not_a_number(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("staff,day,shift\nA,²,E\n", encoding="utf-8")
    with pytest.raises(InputError, match="day '²' must be a whole number") as info:
        read_roster_csv(path)
    assert info.value.field == "day"


# -- 6. roster CSV cells the model refuses ----------------------------------------------


@pytest.mark.parametrize(
    ("row", "field", "rule"),
    [("Mü!ler,1,E", "staff", "may only contain"), ("A,1,", "shift", "must not be empty")],
)
def test_roster_csv_bad_cell_names_field_and_rule(
    tmp_path: Path, row: str, field: str, rule: str
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(f"staff,day,shift\nA,0,E\n{row}\n", encoding="utf-8")
    outcome = runner.invoke(app, ["check", str(_small_ward(tmp_path)), str(path)])
    assert outcome.exit_code == 2
    assert f"{path}:3, field '{field}': " in outcome.output
    assert rule in outcome.output
    assert "validation error" not in outcome.output


# -- 7. byte-order marks ----------------------------------------------------------------


def test_project_json_with_a_bom_solves(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(codecs.BOM_UTF8 + _problem_text(tmp_path).encode("utf-8"))
    problem = load_problem(path)
    result, report = solve_verified(problem)
    assert report.objective == result.objective == 0  # tests/test_cli.py: optimum 0
    outcome = runner.invoke(app, ["solve", str(path), "--quiet", "--workers", "1"])
    assert outcome.exit_code == 0, outcome.output


def test_curtois_file_with_a_bom_reads(tmp_path: Path) -> None:
    path = tmp_path / "Tiny.txt"
    path.write_bytes(codecs.BOM_UTF8 + CURTOIS_TINY.encode("utf-8"))
    plain = tmp_path / "Plain.txt"
    plain.write_text(CURTOIS_TINY, encoding="utf-8")
    assert read_curtois(path).model_dump(exclude={"name"}) == read_curtois(plain).model_dump(
        exclude={"name"}
    )


# -- 8. strict project JSON -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"num_days": 7, "num_days": 70}', "the key 'num_days' appears twice"),
        ('{"num_days": NaN}', "'NaN' is not a number JSON allows"),
        ('{"num_days": Infinity}', "'Infinity' is not a number JSON allows"),
        ('{"num_days": -Infinity}', "'-Infinity' is not a number JSON allows"),
        ('{"num_days": 1e999}', "too large"),
        ('{"num_days": ' + "9" * 5000 + "}", "has 5000 digits"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_suspicious_json_is_refused_naming_the_file(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_project(path)
    assert info.value.file == str(path)
    outcome = runner.invoke(app, ["solve", str(path)])
    assert outcome.exit_code == 2
    assert f"{path}: " in outcome.output and message.split("'")[0] in outcome.output


def test_shared_json_parser_accepts_bytes_with_a_bom_and_names_the_source() -> None:
    assert parse_json(codecs.BOM_UTF8 + b'{"a": [1, 2.5]}', "up.json") == {"a": [1, 2.5]}
    with pytest.raises(InputError, match="must be UTF-8") as info:
        parse_json('{"name": "Müller"}'.encode("latin-1"), "up.json")
    assert info.value.file == "up.json"


def test_a_result_given_as_a_problem_says_so(tmp_path: Path) -> None:
    result_path = tmp_path / "result.json"
    result_path.write_text(Result(status="OPTIMAL", objective=0).model_dump_json(), "utf-8")
    with pytest.raises(InputError, match=r"this is a result .*not a problem"):
        load_project(result_path)
    with pytest.raises(InputError, match="this is a result"):
        problem_from_data(json.loads(result_path.read_text()), "upload.json")
    assert load_result(result_path).objective == 0  # still a valid result
    outcome = runner.invoke(app, ["solve", str(result_path)])
    assert outcome.exit_code == 2 and "not a problem" in outcome.output


# -- 9. calendar file names -------------------------------------------------------------


def test_calendar_zip_names_are_unique_safe_and_visible() -> None:
    files = {"N 01": b"a", "N_01": b"b", "n_01": b"c", "...": b"d", "CON": b"e"}
    archive = zipfile.ZipFile(io.BytesIO(calendars_zip(files)))
    names = archive.namelist()
    assert len({name.lower() for name in names}) == len(files) == len(names)
    assert not any(name.startswith((".", "-")) or name == ".ics" for name in names)
    assert names[:2] == ["N_01.ics", "N_01-2.ics"]
    assert archive.read("N_01-2.ics") == b"b"  # no calendar lost
    assert file_name("...") == "staff.ics"
    assert file_name("CON") == "staff_CON.ics"


# -- 10. help texts ---------------------------------------------------------------------


def test_help_names_the_input_formats_and_choices() -> None:
    checked = runner.invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    assert checked.exit_code == 0
    assert "the problem that was solved" in checked.output
    assert "auto (from the extension) | json | bundle (.xlsx/.zip tables) | curtois | psplib" in (
        checked.output
    )
    solved = runner.invoke(app, ["solve", "--help"], env={"COLUMNS": "200"})
    assert "Curtois–Qu .txt or PSPLIB .sm" in solved.output
