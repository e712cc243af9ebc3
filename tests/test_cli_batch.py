"""`carealloc bench` over an analyst's own instances (no best_known.csv, every input
format, bad files, `--out-dir`) and `carealloc schema`."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from optimizer.bench import BAD_INPUT, INTERRUPTED, NOT_RUN, run_bench
from optimizer.check import check
from optimizer.cli import app
from optimizer.io.load import load_problem
from optimizer.io.project import load_result, save_project
from optimizer.io.solution import read_solution
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.cases import CaseProblem, Room, Task
from optimizer.model.result import ProgressPoint
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solvers import interrupts
from tests.test_curtois import TINY as CURTOIS
from tests.test_psplib import TINY as PSPLIB
from tests.verify import verify_result

runner = CliRunner()
FAST = ["--time-limit", "3", "--workers", "1", "--seed", "0"]
DATA = Path(__file__).resolve().parents[1] / "data"


def _ward() -> RosterProblem:
    """Three nurses, two days, one day shift needing two of them: optimum 0."""
    return RosterProblem(
        name="tiny ward",
        start_date=dt.date(2024, 1, 1),
        num_days=2,
        shifts=(ShiftType(id="D", start="08:00", length_minutes=600),),
        staff=tuple(Staff(id=f"S{i}") for i in range(3)),
        cover=tuple(CoverDemand(day=day, shift="D", required=2) for day in range(2)),
    )


def _theatre() -> CaseProblem:
    """Two 60-minute cases in one room open for 600 minutes: both fit, optimum 0."""
    return CaseProblem(
        horizon=600,
        tasks=(Task(id="a", duration=60), Task(id="b", duration=60)),
        rooms=(Room(id="R1"),),
    )


def _folder(tmp_path: Path) -> Path:
    """One tiny instance in each format ``solve`` reads, and no best_known.csv."""
    folder = tmp_path / "mine"
    folder.mkdir()
    save_project(_ward(), folder / "ward.json")
    save_project(_theatre(), folder / "theatre.json")
    (folder / "week.xlsx").write_bytes(tables_to_xlsx(problem_tables(_ward())))
    (folder / "nrp.txt").write_text(CURTOIS, encoding="utf-8")
    (folder / "project.sm").write_text(PSPLIB, encoding="utf-8")
    return folder


def _rows(table: Path) -> dict[str, dict[str, str]]:
    with table.open(encoding="utf-8") as handle:
        return {row["instance"]: row for row in csv.DictReader(handle)}


def _verify_written(instance: Path, out_dir: Path, name: str, objective: str) -> None:
    """The Result JSON passes the checker with the solver's objective, and the CSV holds
    the same solution (the checker recomputes that objective from it)."""
    problem = load_problem(instance)
    report = verify_result(problem, load_result(out_dir / f"{name}.json"))
    assert str(report.objective) == objective
    from_csv = check(problem, read_solution(out_dir / f"{name}.csv", problem))
    assert from_csv.feasible and from_csv.objective == report.objective


def _text(output: str) -> str:
    return " ".join(output.split())  # the console may wrap long lines


def test_a_folder_of_every_format_without_best_known_values(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "solutions"
    table = out / "bench.csv"  # the table may go into the new solutions folder
    args = ["bench", str(folder), *FAST, "--out-dir", str(out), "--out-csv", str(table)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output  # was 2: "best_known.csv: cannot read"
    text = _text(result.output)
    assert "no best-known values were given" in text
    assert "instances=5 with_solution=5" in text
    rows = _rows(table)
    # natural order of the file names; each named by its stem
    assert list(rows) == ["nrp", "project", "theatre", "ward", "week"]
    assert {row["status"] for row in rows.values()} == {"OPTIMAL"}
    assert all(row["best_known"] == row["gap_pct"] == "" for row in rows.values())
    # Curtois TINY and both projects have optimum 0; the PSPLIB one a makespan of 7
    assert {name: row["objective"] for name, row in rows.items()} == {
        "nrp": "0",
        "project": "7",
        "theatre": "0",
        "ward": "0",
        "week": "0",
    }
    files = {"nrp": "nrp.txt", "project": "project.sm", "theatre": "theatre.json"}
    files |= {"ward": "ward.json", "week": "week.xlsx"}
    for name, file in files.items():
        _verify_written(folder / file, out, name, rows[name]["objective"])
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["bench.csv", *(f"{name}{suffix}" for name in files for suffix in (".csv", ".json"))]
    )
    clash = runner.invoke(app, [*args[:-1], str(out / "ward.csv")])
    assert clash.exit_code == 2 and "is also an instance's solution" in _text(clash.output)


def test_a_bad_file_gets_its_row_the_rest_run_and_the_exit_code_is_2(tmp_path: Path) -> None:
    folder, out = tmp_path / "mine", tmp_path / "solutions"
    folder.mkdir()
    out.mkdir()
    save_project(_ward(), folder / "a_ward.json")
    (folder / "b_broken.sm").write_text("not a PSPLIB file", encoding="utf-8")
    (folder / "c_nrp.txt").write_text(CURTOIS.replace("E,480,", "E,x,"), encoding="utf-8")
    (folder / "d_notes.docx").write_text("minutes of the meeting", encoding="utf-8")
    (out / "b_broken.csv").write_text("staff,day,shift\n", encoding="utf-8")  # an old run's
    result = runner.invoke(app, ["bench", str(folder), *FAST, "--out-dir", str(out)])
    assert result.exit_code == 2, result.output  # was: the bad rows said ERROR, exit 1
    text = _text(result.output)
    assert text.count(BAD_INPUT) == 3
    assert "b_broken: " in text and "PSPLIB .sm layout" in text
    assert "c_nrp: " in text and "c_nrp.txt:7" in text and "must be an integer" in text
    assert "d_notes: " in text and "cannot tell the format from the extension '.docx'" in text
    assert "instances=4 with_solution=1 bad_input=3" in text
    assert sorted(p.name for p in out.iterdir()) == ["a_ward.csv", "a_ward.json"]
    result_json = load_result(out / "a_ward.json")
    assert verify_result(_ward(), result_json).objective == 0


def test_python_run_bench_on_files_gives_bad_input_rows(tmp_path: Path) -> None:
    good, bad = tmp_path / "ward.json", tmp_path / "bad.json"
    save_project(_ward(), good)
    bad.write_text('{"kind": "roster", "num_days": 2}', encoding="utf-8")
    rows = run_bench([bad, good], time_limit=3, workers=1, seed=0, out_dir=tmp_path / "out")
    assert [(row.instance, row.status, row.best_known) for row in rows] == [
        ("bad", BAD_INPUT, None),
        ("ward", "OPTIMAL", None),
    ]
    assert "bad.json" in rows[0].message and "start_date" in rows[0].message
    assert verify_result(_ward(), load_result(tmp_path / "out" / "ward.json")).objective == 0


def test_a_case_problem_on_milp_is_its_own_bad_row(tmp_path: Path) -> None:
    # it ended the whole batch at that instance (exit 2), however many were left
    folder, out = _folder(tmp_path), tmp_path / "solutions"
    args = ["bench", str(folder / "project.sm"), str(folder / "ward.json"), *FAST]
    result = runner.invoke(app, [*args, "--backend", "milp", "--out-dir", str(out)])
    assert result.exit_code == 2, result.output
    text = _text(result.output)
    assert "project: field 'backend': backend 'milp' does not do case scheduling" in text
    assert "instances=2 with_solution=1 bad_input=1" in text
    _verify_written(folder / "ward.json", out, "ward", "0")


def test_seeded_single_worker_runs_write_identical_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        args = ["bench", str(folder), "--seed", "3", "--workers", "1", "--time-limit", "3"]
        result = runner.invoke(app, [*args, "--out-dir", str(out)])
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) and len(names) == 10
    for name in names:
        if name.endswith(".csv"):
            assert (first / name).read_bytes() == (second / name).read_bytes(), name
        else:  # the Result JSON: byte for byte but for its measured seconds
            assert _without_seconds(first / name) == _without_seconds(second / name), name
    for stem, file in (("ward", "ward.json"), ("project", "project.sm")):
        objective = str(load_result(first / f"{stem}.json").objective)
        _verify_written(folder / file, first, stem, objective)


def _without_seconds(path: Path) -> str:
    """A Result JSON with its wall-clock times (``seconds``, progress times) zeroed."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data["seconds"] = 0
    data["progress"] = [{**point, "seconds": 0} for point in data["progress"]]
    return json.dumps(data, sort_keys=True)


def test_files_and_glob_patterns_and_a_suite_files_best_known(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    (suite / "instances").mkdir(parents=True)
    (suite / "instances" / "Tiny1.txt").write_text(CURTOIS, encoding="utf-8")
    (suite / "best_known.csv").write_text("instance,best_ub\nTiny1,0\n", encoding="utf-8")
    save_project(_ward(), tmp_path / "ward.json")
    save_project(_theatre(), tmp_path / "theatre.json")
    out, table = tmp_path / "solutions", tmp_path / "bench.csv"
    pattern = str(tmp_path / "*.json")  # quoted: carealloc expands it
    args = ["bench", pattern, str(suite / "instances" / "Tiny1.txt"), *FAST]
    result = runner.invoke(app, [*args, "--out-dir", str(out), "--out-csv", str(table)])
    assert result.exit_code == 0, result.output
    rows = _rows(table)
    assert list(rows) == ["theatre", "ward", "Tiny1"]
    # the file in a suite's instances/ folder finds the suite's best-known value
    assert (rows["Tiny1"]["best_known"], rows["Tiny1"]["gap_pct"]) == ("0", "0.00")
    assert "no best-known values" not in _text(result.output)
    _verify_written(tmp_path / "ward.json", out, "ward", rows["ward"]["objective"])
    _verify_written(tmp_path / "theatre.json", out, "theatre", rows["theatre"]["objective"])
    _verify_written(suite / "instances" / "Tiny1.txt", out, "Tiny1", "0")


def test_files_sharing_a_name_keep_their_extension(tmp_path: Path) -> None:
    folder, out = tmp_path / "mine", tmp_path / "solutions"
    folder.mkdir()
    save_project(_ward(), folder / "ward.json")
    (folder / "ward.xlsx").write_bytes(tables_to_xlsx(problem_tables(_ward())))
    result = runner.invoke(app, ["bench", str(folder), *FAST, "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert "ward.json" in result.output and "ward.xlsx" in result.output
    for name, file in (("ward.json", "ward.json"), ("ward.xlsx", "ward.xlsx")):
        _verify_written(folder / file, out, name, "0")
    other = tmp_path / "other"
    other.mkdir()
    save_project(_ward(), other / "ward.json")
    clash = runner.invoke(app, ["bench", str(folder / "ward.json"), str(other / "ward.json")])
    assert clash.exit_code == 2
    assert "two instances would both be named 'ward'" in _text(clash.output)
    assert "objective" not in clash.output  # refused before the table


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("inside", "is the solutions folder or inside it"),
        ("beside", "would overwrite the input file"),
    ],
)
def test_out_dir_never_overwrites_or_mixes_with_the_inputs(
    tmp_path: Path, where: str, words: str
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    save_project(_ward(), folder / "ward.json")
    before = (folder / "ward.json").read_bytes()
    source = str(folder) if where == "inside" else str(folder / "ward.json")
    result = runner.invoke(app, ["bench", source, *FAST, "--out-dir", str(folder)])
    assert result.exit_code == 2
    assert "'--out-dir'" in result.output and words in _text(result.output)
    assert (folder / "ward.json").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["ward.json"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--seed", "-1"], "field '--seed': the seed must be a whole number"),
        (["--seed", "1", "--param", "seed=2"], "the seed is given twice"),
        (["--out-dir", "missing/solutions"], "does not exist; create it first"),
    ],
)
def test_bad_batch_options_exit_2_before_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    save_project(_ward(), tmp_path / "ward.json")
    result = runner.invoke(app, ["bench", "ward.json", "--time-limit", "3", *args])
    assert result.exit_code == 2, result.output
    assert words in _text(result.output)
    assert "objective" not in result.output


def test_missing_inputs_exit_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for source, words in (
        (tmp_path / "nothing.json", "no such file or folder"),
        (tmp_path / "*.sm", "no file or folder matches this pattern"),
        (tmp_path / "empty", "no instance files found"),
    ):
        result = runner.invoke(app, ["bench", str(source)])
        assert result.exit_code == 2 and words in _text(result.output), result.output


def _stop_at_first(point: ProgressPoint) -> None:
    interrupts.request_stop("Ctrl-C")


def test_an_interrupted_batch_keeps_the_cut_solution_and_no_stale_files(tmp_path: Path) -> None:
    folder, out = _folder(tmp_path), tmp_path / "solutions"
    out.mkdir()
    (out / "week.json").write_text("{}", encoding="utf-8")  # an earlier run's
    rows = run_bench(
        folder, time_limit=3, workers=1, seed=0, out_dir=out, on_solution=_stop_at_first
    )
    assert [row.status for row in rows] == [INTERRUPTED, *[NOT_RUN] * 4]
    assert sorted(p.name for p in out.iterdir()) == ["nrp.csv", "nrp.json"]
    result = load_result(out / "nrp.json")
    assert result.message.startswith("interrupted:")
    verify_result(load_problem(folder / "nrp.txt"), result)


# -- carealloc schema --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "demo", "required"),
    [
        ("roster", "demo_ward.json", ["start_date", "num_days", "shifts", "staff"]),
        ("cases", "demo_surgery.json", ["horizon", "tasks"]),
    ],
)
def test_schema_validates_the_demo_files(kind: str, demo: str, required: list[str]) -> None:
    result = runner.invoke(app, ["schema", kind])
    assert result.exit_code == 0, result.output
    schema: dict[str, Any] = json.loads(result.output)
    assert schema["required"] == required
    assert schema["properties"]["kind"]["const"] == kind
    assert schema["additionalProperties"] is False
    data = json.loads((DATA / demo).read_text(encoding="utf-8"))
    model = RosterProblem if kind == "roster" else CaseProblem
    assert model.model_validate(data) == load_problem(DATA / demo)
    jsonschema.validate(data, schema)
    jsonschema.validate({"$schema": "roster.schema.json", **data}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "extra_field": 1}, schema)
    other = "cases" if kind == "roster" else "roster"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**data, "kind": other}, schema)


def test_schema_out_writes_the_file_and_refuses_bad_arguments(tmp_path: Path) -> None:
    target = tmp_path / "roster.schema.json"
    result = runner.invoke(app, ["schema", "roster", "--out", str(target)])
    assert result.exit_code == 0, result.output
    printed = runner.invoke(app, ["schema", "roster"]).output
    assert target.read_text(encoding="utf-8") == printed
    bad_kind = runner.invoke(app, ["schema", "ward"])
    assert bad_kind.exit_code == 2 and "unknown kind 'ward'" in bad_kind.output
    bad_out = runner.invoke(app, ["schema", "cases", "--out", str(tmp_path / "s.txt")])
    assert bad_out.exit_code == 2 and "must end in .json" in bad_out.output


def test_a_schema_reference_in_the_project_is_read_and_ignored(tmp_path: Path) -> None:
    data = json.loads((DATA / "demo_ward.json").read_text(encoding="utf-8"))
    referenced = tmp_path / "ward.json"
    referenced.write_text(json.dumps({"$schema": "roster.schema.json", **data}), encoding="utf-8")
    assert load_problem(referenced) == load_problem(DATA / "demo_ward.json")
    not_text = tmp_path / "bad.json"
    not_text.write_text(json.dumps({"$schema": 7, **data}), encoding="utf-8")
    refused = runner.invoke(app, ["solve", str(not_text), "--time-limit", "1"])
    assert refused.exit_code == 2
    assert "field '$schema'" in refused.output and "must be a string" in refused.output
