"""Probe fixes: a full name on both demo lists is asked about, `check` reports unknown ids
in a case CSV as violations, intake refuses bundles clearly, a partial `--apply` exits 1,
and the `min_rest_hours` type message."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from llm_intake.intake import propose
from llm_intake.requests import Unavailable
from llm_intake.resolver import Resolver, Unresolved, resolve_request
from llm_intake.vocabulary import build_vocabulary
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.io.load import load_roster
from optimizer.io.project import load_project, problem_from_data, save_project
from optimizer.model.cases import CaseProblem, Room, StaffMember, Task
from optimizer.model.roster import RosterProblem
from tests.test_intake_fixtures import small_ward

DATA = Path(__file__).resolve().parents[1] / "data"
MONDAY = dt.date(2026, 12, 7)  # day 0 of both demo plans
WEDNESDAY = dt.date(2026, 12, 9)


def demo() -> list[Any]:
    """Jo Park is N07 on the ward and SN02 (on duty Wednesday) in theatre; Ana Silva is
    N01 and SN01, who is off duty on Tuesday 8 Dec."""
    return [load_project(DATA / "demo_ward.json"), load_project(DATA / "demo_surgery.json")]


def cli(*args: str) -> Any:
    return CliRunner(env={"CAREALLOC_LLM_BASE_URL": ""}).invoke(app, list(args))


# -- 3. a full name on both lists --------------------------------------------------------------


def test_a_full_name_on_both_lists_is_asked_about_naming_both_problems() -> None:
    proposal = propose("Jo Park is off sick on Wednesday", demo(), MONDAY)
    assert proposal.requests == []
    reason = proposal.unparsed[0].reason
    assert "could be Jo Park (N07) or Jo Park (SN02); which one?" in reason
    assert "N07 on the ward, SN02 in the case schedule" in reason


@pytest.mark.parametrize(
    ("text", "staff", "shifts"),
    [
        ("Jo Park can't do nights on Wednesday", "N07", ["N"]),
        ("Jo Park is off the ward on Wednesday", "N07", None),
        ("Jo Park is off sick from theatre on Wednesday", "SN02", None),
        ("Jo Park cannot scrub on Wednesday, she is off sick", "SN02", None),
    ],
)
def test_the_sentence_settles_which_problem(
    text: str, staff: str, shifts: list[str] | None
) -> None:
    proposal = propose(text, demo(), MONDAY)
    assert proposal.unparsed == []
    assert proposal.requests == [
        Unavailable(staff=staff, from_=WEDNESDAY, to=WEDNESDAY, shifts=shifts)
    ]


def test_a_shift_and_a_theatre_word_together_are_still_asked_about() -> None:
    proposal = propose("Jo Park is off the late in theatre 2 on Wednesday", demo(), MONDAY)
    assert proposal.requests == []
    assert "which one?" in proposal.unparsed[0].reason


def test_case_namesake_off_duty_that_day_leaves_the_ward_member_named_in_the_summary() -> None:
    tuesday = dt.date(2026, 12, 8)
    proposal = propose("Ana Silva is off sick tomorrow", demo(), MONDAY)
    assert proposal.requests == [Unavailable(staff="N01", from_=tuesday, to=tuesday)]
    assert "Ana Silva (N01, on the ward) unavailable Tue 8 Dec" in proposal.summary
    # on Wednesday SN01 is on duty: asked about
    assert propose("Ana Silva is off sick on Wednesday", demo(), MONDAY).requests == []


def test_with_the_ward_alone_the_full_name_is_the_nurse() -> None:
    proposal = propose("Jo Park is off sick on Wednesday", demo()[:1], MONDAY)
    assert proposal.requests == [Unavailable(staff="N07", from_=WEDNESDAY, to=WEDNESDAY)]
    assert "Jo Park unavailable Wed 9 Dec" in proposal.summary  # no id when the name is unique


def test_llm_path_asks_too_unless_shifts_are_named() -> None:
    resolver = Resolver(build_vocabulary(demo()))
    with pytest.raises(Unresolved, match=r"Jo Park \(SN02\); which one\?"):
        resolve_request(Unavailable(staff="Jo Park", from_=WEDNESDAY, to=WEDNESDAY), resolver)
    nights = Unavailable(staff="Jo Park", from_=WEDNESDAY, to=WEDNESDAY, shifts=["nights"])
    assert resolve_request(nights, resolver) == Unavailable(
        staff="N07", from_=WEDNESDAY, to=WEDNESDAY, shifts=["N"]
    )


# -- 4. `check` on a case CSV with unknown ids -------------------------------------------------


def _theatre(tmp_path: Path) -> Path:
    problem = CaseProblem(
        horizon=600,
        tasks=[Task(id="a", duration=60, staff=["x"])],
        rooms=[Room(id="OR1")],
        staff=[StaffMember(id="x")],
    )
    path = tmp_path / "theatre.json"
    save_project(problem, path)
    return path


@pytest.mark.parametrize(
    ("row", "violation"),
    [
        ("a,0,60,x,room:OR1", None),
        ("zz,0,60,x,room:OR1", "VIOLATION unknown_task: unknown task 'zz'"),
        ("a,0,60,x;ghost,room:OR1", "VIOLATION team: task 'a': unknown staff 'ghost'"),
        ("a,0,60,x,room:OR9", "VIOLATION room: task 'a' is in ineligible room 'OR9'"),
        ("a,0,60,x,room:OR1;drill", "VIOLATION resources: task 'a': unknown resource 'drill'"),
    ],
)
def test_check_reports_unknown_ids_in_a_case_csv_as_violations(
    tmp_path: Path, row: str, violation: str | None
) -> None:
    solution = tmp_path / "s.csv"
    solution.write_text(f"task,start,end,staff,resources\n{row}\n", encoding="utf-8")
    done = cli("check", str(_theatre(tmp_path)), str(solution))
    if violation is None:
        assert done.exit_code == 0, done.output
        assert "feasible=yes violations=0" in done.stdout
    else:
        assert done.exit_code == 1, done.output
        assert violation in done.stdout
        assert "feasible=no" in done.stdout


def test_check_gives_the_csv_and_the_result_json_the_same_verdict(tmp_path: Path) -> None:
    problem = _theatre(tmp_path)
    csv = tmp_path / "s.csv"
    rows = "a,0,60,x;ghost,room:OR1\nzz,100,160,x,room:OR1\n"
    csv.write_text(f"task,start,end,staff,resources\n{rows}", encoding="utf-8")
    tasks = [
        {"task": "a", "start": 0, "end": 60, "room": "OR1", "staff": ["x", "ghost"]},
        {"task": "zz", "start": 100, "end": 160, "room": "OR1", "staff": ["x"]},
    ]
    result = {"status": "FEASIBLE", "backend": "cpsat", "schedule": {"tasks": tasks}}
    json_path = tmp_path / "s.json"
    json_path.write_text(json.dumps(result), encoding="utf-8")
    from_csv = cli("check", str(problem), str(csv))
    from_json = cli("check", str(problem), str(json_path))
    assert from_csv.exit_code == from_json.exit_code == 1
    assert from_csv.stdout == from_json.stdout
    assert "VIOLATION team: task 'a': unknown staff 'ghost'" in from_csv.stdout
    assert "VIOLATION unknown_task: unknown task 'zz'" in from_csv.stdout


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("job,start\n", "the first line must be the header task,start,end,staff,resources"),
        ("task,start,end,staff,resources\na,soon,60,x,\n", "start 'soon' must be a whole number"),
        ("task,start,end,staff,resources\na,0,60\n", "expected 5 fields"),
    ],
)
def test_check_still_refuses_a_malformed_case_csv(tmp_path: Path, body: str, message: str) -> None:
    solution = tmp_path / "s.csv"
    solution.write_text(body, encoding="utf-8")
    done = cli("check", str(_theatre(tmp_path)), str(solution))
    assert done.exit_code == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# -- 7. intake given a table bundle or a benchmark file ----------------------------------------


@pytest.mark.parametrize("layout", ["ward.xlsx", "ward.zip", "ward"])
def test_intake_reads_a_bundle_as_solve_does(tmp_path: Path, layout: str) -> None:
    import zipfile

    from optimizer.io.tables.from_problem import problem_tables
    from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip

    tables = problem_tables(small_ward())
    bundle = tmp_path / layout
    if layout.endswith(".xlsx"):
        bundle.write_bytes(tables_to_xlsx(tables))
    else:
        (tmp_path / "ward.zip").write_bytes(tables_to_zip(tables))
        if layout == "ward":
            zipfile.ZipFile(tmp_path / "ward.zip").extractall(bundle)
    out = tmp_path / "changed.json"
    done = cli(
        "intake", "Ana Silva is off on 10 Dec", "--problem", str(bundle), "--today", "2026-12-09",
        "--apply", "--out", str(out),
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    changed = load_roster(out)
    before = small_ward()
    assert changed.staff == before.staff
    added = [u for u in changed.unavailability if u not in before.unavailability]
    day = (dt.date(2026, 12, 10) - before.start_date).days
    assert [(u.staff, u.first_day, u.last_day) for u in added] == [("s5", day, day)]


def test_intake_refuses_a_benchmark_file(tmp_path: Path) -> None:
    instance = tmp_path / "Instance1.txt"
    instance.write_text("SECTION_HORIZON\n14\n", encoding="utf-8")
    done = cli("intake", "A is off tomorrow", "--problem", str(instance), "--today", "2026-12-09")
    assert done.exit_code == 2
    assert "intake reads project JSON or a table bundle, not a benchmark file" in done.stderr
    assert "Traceback" not in done.stderr


# -- 8. a partial --apply ----------------------------------------------------------------------


def test_partial_apply_writes_the_understood_part_and_exits_1(tmp_path: Path) -> None:
    ward = tmp_path / "ward.json"
    save_project(small_ward(), ward)
    out = tmp_path / "new.json"
    text = "Ana Silva is off sick tomorrow. Patel is off on Friday."
    done = cli(
        "intake",
        text,
        "--problem",
        str(ward),
        "--today",
        "2026-12-09",
        "--apply",
        "--out",
        str(out),
    )
    assert done.exit_code == 1
    assert "NOT applied" in done.stderr
    assert "“Patel is off on Friday”" in done.stderr
    assert [u.staff for u in load_roster(out).unavailability] == ["s5"]


def test_full_apply_still_exits_0_without_a_warning(tmp_path: Path) -> None:
    ward = tmp_path / "ward.json"
    save_project(small_ward(), ward)
    out = tmp_path / "new.json"
    args = ("--problem", str(ward), "--today", "2026-12-09", "--apply", "--out", str(out))
    done = cli("intake", "Ana Silva is off sick tomorrow", *args)
    assert done.exit_code == 0, done.stderr
    assert "NOT applied" not in done.stderr
    assert [u.staff for u in load_roster(out).unavailability] == ["s5"]


# -- 9. min_rest_hours ------------------------------------------------------------------------


def test_min_rest_hours_true_is_refused_as_a_number_of_hours() -> None:
    data = json.loads((DATA / "demo_ward.json").read_text(encoding="utf-8"))
    data["shifts"][0]["min_rest_hours"] = True
    with pytest.raises(InputError) as info:
        problem_from_data(data, "ward.json")
    message = str(info.value)
    assert "shifts.0.min_rest_hours" in message
    assert "number of hours (decimals allowed" in message
    assert "whole number" not in message
    data["shifts"][0]["min_rest_hours"] = 10.5
    problem = problem_from_data(data, "ward.json")
    assert isinstance(problem, RosterProblem)
    assert problem.shifts[0].min_rest_hours == 10.5
