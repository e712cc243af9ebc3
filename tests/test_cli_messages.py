"""CLI messages: why a case problem has no schedule, and run options named as options."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer import solve
from optimizer.cli import app
from optimizer.cli.errors import cli_message
from optimizer.errors import InputError
from optimizer.explain.diagnosis import case_conflict_hints
from optimizer.io.project import save_project
from optimizer.model.cases import (
    CasePin,
    CaseProblem,
    Opening,
    Precedence,
    Room,
    StaffMember,
    Task,
    Window,
)
from optimizer.model.result import SolveStatus
from optimizer.model.roster import Contract, Pin, RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

runner = CliRunner()
HEADER = "The hard rules cannot all hold:"


def _two_cases(**changes: Any) -> CaseProblem:
    """Two 60-minute cases 'a' and 'b' and one room R1, by default open the whole horizon."""
    fields: dict[str, Any] = {
        "horizon": 600,
        "tasks": (Task(id="a", duration=60), Task(id="b", duration=60)),
        "rooms": (Room(id="R1"),),
    }
    return CaseProblem(**(fields | changes))


# Each problem is infeasible for the one reason in its comment; the expected line names it.
INFEASIBLE_CASES: dict[str, tuple[CaseProblem, str]] = {
    # a at 0–60 and b at 30–90 in R1: the room holds one case at a time.
    "pins_overlap": (
        _two_cases(
            pins=(
                CasePin(task="a", start=0, room="R1"),
                CasePin(task="b", start=30, room="R1"),
            )
        ),
        "likely cause: a and b are pinned to overlapping times (t=0 and t=30) for room R1",
    ),
    # Both cases name S (120 min in total), whose max_minutes is 100.
    "max_minutes": (
        _two_cases(
            tasks=(
                Task(id="a", duration=60, staff=("S",)),
                Task(id="b", duration=60, staff=("S",)),
            ),
            staff=(StaffMember(id="S", name="Mr Okafor", max_minutes=100),),
        ),
        "likely cause: Mr Okafor is named on 120 minutes of mandatory cases but may work at "
        "most 100 (max_minutes)",
    ),
    # Mr Okafor is on duty 0–200; the only room opens 300–500: never both for 120 min.
    "surgeon_off_duty": (
        _two_cases(
            tasks=(Task(id="a", name="Hip", duration=120, staff=("S",)),),
            rooms=(Room(id="R1", openings=(Opening(start=300, end=500),)),),
            staff=(StaffMember(id="S", name="Mr Okafor", available=(Window(start=0, end=200),)),),
        ),
        "likely cause: Hip: Mr Okafor is on duty only day 0, and no room opening then holds "
        "the 120-minute case within its window",
    ),
    # a then b need 120 minutes; the horizon is 100.
    "precedence_chain": (
        _two_cases(horizon=100, rooms=(), precedences=(Precedence(before="a", after="b"),)),
        "solver (cpsat): task 'a' cannot fit: earliest start 0, latest end 40, duration 60",
    ),
    # Two 60-minute cases in one room within 100 minutes: no single case is to blame.
    "room_too_busy": (
        _two_cases(horizon=100),
        "no single case is impossible on its own",
    ),
}


@pytest.mark.parametrize("name", sorted(INFEASIBLE_CASES))
def test_infeasible_case_problem_says_why(tmp_path: Path, name: str) -> None:
    problem, expected = INFEASIBLE_CASES[name]
    path = tmp_path / f"{name}.json"
    save_project(problem, path)
    outcome = runner.invoke(app, ["solve", str(path), "--workers", "1", "--time-limit", "10"])
    assert outcome.exit_code == 1, outcome.output
    lines = outcome.output.splitlines()
    assert lines[-1].startswith("status=INFEASIBLE objective=none bound=none")
    explained = lines[lines.index(HEADER) + 1 : -1]
    assert explained and all(line.startswith("  • ") for line in explained)
    assert any(expected in line for line in explained), explained
    assert "covers rosters only" in explained[-1]
    assert explained[0].startswith("  • solver (cpsat): ")


def test_no_single_cause_when_the_cases_only_compete() -> None:
    # Each case fits alone, nothing is pinned or overbooked: no hint to give.
    assert case_conflict_hints(_two_cases(horizon=100)) == []


def test_hints_are_capped_with_a_count() -> None:
    # Six cases each pinned at 0 in R1: 15 overlapping pairs.
    tasks = tuple(Task(id=f"t{i}", duration=30) for i in range(6))
    pins = tuple(CasePin(task=t.id, start=0, room="R1") for t in tasks)
    hints = case_conflict_hints(_two_cases(tasks=tasks, pins=pins), limit=5)
    assert len(hints) == 5
    assert hints[-1] == "… and 11 more"


def test_making_a_case_optional_gives_a_schedule_that_checks() -> None:
    # The advice for competing cases: with b optional, a runs and b is left out
    # (optimum: one unscheduled case at weights.unscheduled × priority = 1000).
    problem = _two_cases(
        horizon=100, tasks=(Task(id="a", duration=60), Task(id="b", duration=60, optional=True))
    )
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    assert report.objective == 1000
    assert result.schedule is not None
    assert [item.task for item in result.schedule.tasks] == ["a"]


def test_infeasible_roster_still_gets_the_rule_diagnosis(tmp_path: Path) -> None:
    # A must work 2 shifts (960 min) in 2 days but is pinned off on day 1.
    problem = RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=2,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=(Staff(id="A", contract=Contract(min_minutes=960)),),
        pins=(Pin(staff="A", day=1, shift=None),),
    )
    path = tmp_path / "ward.json"
    save_project(problem, path)
    outcome = runner.invoke(app, ["solve", str(path), "--workers", "1", "--time-limit", "10"])
    assert outcome.exit_code == 1, outcome.output
    lines = outcome.output.splitlines()
    explained = lines[lines.index(HEADER) + 1 : -1]
    assert any(
        line.startswith("  • conflicting rule: A must work at least 16 h") for line in explained
    )
    assert not any("covers rosters only" in line for line in explained)


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--time-limit", "0"], "--time-limit"),
        (["--workers", "0"], "--workers"),
        (["--seed", "-1"], "--seed"),
        (["--backend", "milp"], "--backend"),
    ],
)
def test_bad_run_option_names_the_cli_option(tmp_path: Path, args: list[str], option: str) -> None:
    path = tmp_path / "cases.json"
    save_project(_two_cases(), path)
    outcome = runner.invoke(app, ["solve", str(path), *args])
    assert outcome.exit_code == 2
    assert f"error: field '{option}': " in outcome.output
    assert "_" not in outcome.output.split(":")[1]  # not 'time_limit'
    assert "status=" not in outcome.output and "Traceback" not in outcome.output


def test_lexicographic_time_limit_is_named_as_the_option(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    problem = RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=1,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=(Staff(id="A"),),
    )
    save_project(problem, path)
    outcome = runner.invoke(app, ["solve", str(path), "--lexicographic", "--time-limit", "-1"])
    assert outcome.exit_code == 2
    assert "field '--time-limit': the time limit must be a positive" in outcome.output


def test_python_api_keeps_its_field_names() -> None:
    with pytest.raises(InputError) as caught:
        solve(_two_cases(), time_limit=0)
    assert caught.value.field == "time_limit"
    assert "field 'time_limit'" in str(caught.value)


def test_only_run_options_without_a_file_are_renamed() -> None:
    assert cli_message(InputError("bad", field="seed")) == "field '--seed': bad"
    from_file = InputError("bad", file="ward.json", field="seed")
    assert cli_message(from_file) == "ward.json, field 'seed': bad"
    assert cli_message(InputError("bad", field="--param")) == "field '--param': bad"


def test_intake_without_its_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m.startswith("llm_intake")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "rapidfuzz", None)  # as if not installed
    ward = Path(__file__).resolve().parents[1] / "data" / "demo_ward.json"
    args = ["intake", "Priya Patel can't do nights", "--problem", str(ward)]
    result = runner.invoke(app, [*args, "--today", "2026-12-01"])
    assert result.exit_code == 2
    assert "pip install 'carealloc[intake]' (rapidfuzz is missing)" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
