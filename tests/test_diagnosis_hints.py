"""Case hints: a person named on more mandatory case time than they are on duty.

``case_conflict_hints`` (shared by ``carealloc solve`` and the re-plan notes) names a
person whose mandatory cases need more minutes than they are on duty while the rooms
of those cases are open; each pair of tests has the hint and its absence (a schedule
that checks).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.explain.diagnosis import case_conflict_hints
from optimizer.io.project import save_project
from optimizer.model.cases import CaseProblem, Opening, Room, StaffMember, Task, Window
from optimizer.model.result import SolveStatus
from optimizer.solve import solve
from tests.verify import solve_verified

runner = CliRunner()
HEADER = "The hard rules cannot all hold:"
SHORT = (
    "Mr Okafor is named on 120 minutes of mandatory cases but is on duty only 100 minutes "
    "while their rooms are open"
)


def _okafor(duty: tuple[int, int], **changes: Any) -> CaseProblem:
    """Two mandatory 60-minute cases 'a' and 'b' naming Mr Okafor, on duty ``duty``;
    one room R1, by default open the whole 600-minute horizon."""
    fields: dict[str, Any] = {
        "horizon": 600,
        "tasks": (
            Task(id="a", duration=60, staff=("S",)),
            Task(id="b", duration=60, staff=("S",)),
        ),
        "rooms": (Room(id="R1"),),
        "staff": (
            StaffMember(id="S", name="Mr Okafor", available=(Window(start=duty[0], end=duty[1]),)),
        ),
    }
    return CaseProblem(**(fields | changes))


def test_cli_names_the_person_on_duty_too_short(tmp_path: Path) -> None:
    # On duty 0–100: each case fits alone, not both (120 > 100 minutes).
    path = tmp_path / "short.json"
    save_project(_okafor((0, 100)), path)
    outcome = runner.invoke(app, ["solve", str(path), "--workers", "1", "--time-limit", "10"])
    assert outcome.exit_code == 1, outcome.output
    lines = outcome.output.splitlines()
    assert lines[-1].startswith("status=INFEASIBLE")
    explained = lines[lines.index(HEADER) + 1 : -1]
    assert f"  • likely cause: {SHORT}" in explained, explained
    assert not any("no single case is impossible" in line for line in explained)


def test_duty_long_enough_gives_no_hint_and_a_schedule_that_checks() -> None:
    # On duty 0–120: a at 0–60, b at 60–120 (no turnover); optimum 0.
    problem = _okafor((0, 120))
    assert case_conflict_hints(problem) == []
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 0


def test_only_the_minutes_while_the_rooms_are_open_count() -> None:
    # On duty 0–300 but R1 opens 200–300: 100 usable minutes for 120 of cases.
    problem = _okafor((0, 300), rooms=(Room(id="R1", openings=(Opening(start=200, end=300),)),))
    assert case_conflict_hints(problem) == [SHORT]
    assert solve(problem, workers=1, time_limit=10).status is SolveStatus.INFEASIBLE


def test_overtime_counts_as_open() -> None:
    # R1 opens 200–280 with 40 minutes of overtime: 120 usable minutes, a and b fit
    # back to back (220–340 would overrun; 200–320 uses 40 overtime minutes, cost 40
    # at the default overtime weight 1).
    room = Room(id="R1", openings=(Opening(start=200, end=280, overtime=40),))
    problem = _okafor((0, 400), rooms=(room,))
    assert case_conflict_hints(problem) == []
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 40


def test_cases_without_rooms_count_the_duty_alone() -> None:
    # No rooms at all: 120 minutes of cases, 100 on duty.
    problem = _okafor((0, 100), rooms=())
    assert case_conflict_hints(problem) == [
        "Mr Okafor is named on 120 minutes of mandatory cases but is on duty only 100 minutes"
    ]


def test_a_case_impossible_on_its_own_is_named_instead() -> None:
    # b may only use R2, open 300–500, while Mr Okafor is on duty 0–100: b fits
    # nowhere, which is the line shown; his total (120 > 100) would only repeat it.
    tasks = (
        Task(id="a", duration=60, staff=("S",)),
        Task(id="b", duration=60, staff=("S",), rooms=("R2",)),
    )
    rooms = (Room(id="R1"), Room(id="R2", openings=(Opening(start=300, end=500),)))
    hints = case_conflict_hints(_okafor((0, 100), tasks=tasks, rooms=rooms))
    assert len(hints) == 1 and hints[0].startswith("b: Mr Okafor is"), hints
    assert "named on" not in hints[0]
