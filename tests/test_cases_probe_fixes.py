"""Case-scheduling probe fixes (report /tmp/s14/cases): one test (or pair) per defect.

1. the RCPSP warm start honours a milestone's precedences, and the horizon is only
   cut to a heuristic makespan the checker accepts;
2. a room and a resource may not share an id;
3. a pin that alone makes its case impossible is refused (or named as the cause);
4. ``carealloc solve`` on a case problem prints the rooms and the late / left-out cases;
5. ``solve_lexicographic`` takes case problems;
7. a bundle date-time before the plan's start says so.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from optimizer import solve
from optimizer.check.cases import check_cases
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.explain.diagnosis import case_conflict_hints
from optimizer.io.project import load_result, problem_from_data
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import TableErrors
from optimizer.lexicographic import solve_lexicographic
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask, SolveStatus
from optimizer.solvers.cpsat import cases as cpsat_cases
from optimizer.solvers.cpsat.cases.hint import heuristic_schedule
from optimizer.solvers.cpsat.cases.variables import time_bounds
from tests.verify import solve_verified, verify_result

runner = CliRunner()
STATUS_LINE = re.compile(r"^status=OPTIMAL objective=\d+ bound=\d+ seconds=\d+\.\d+$")


def cases(**data: Any) -> Any:
    return problem_from_data({"kind": "cases", **data})


# -- 1. a milestone listed after its successor -----------------------------------------------


def milestone_project() -> CaseProblem:
    """B (20) after milestone A after P (10, released at 40); Q (50) and P share X.

    Optimum 80: Q 0–50, P 50–60, A 60, B 60–80 (P first: 40–50, Q 50–100, B 50–70 ends
    at 100). B comes before A in the task list, so a tie on A's and B's latest start
    must still place A first."""
    problem: CaseProblem = cases(
        horizon=200,
        weights={"makespan": 1},
        resources=[{"id": "X", "capacity": 1}],
        tasks=[
            {"id": "B", "duration": 20},
            {"id": "A", "duration": 0},
            {"id": "Q", "duration": 50, "resources": {"X": 1}},
            {"id": "P", "duration": 10, "release": 40, "resources": {"X": 1}},
        ],
        precedences=[{"before": "P", "after": "A"}, {"before": "A", "after": "B"}],
    )
    return problem


def test_the_rcpsp_warm_start_keeps_a_milestone_between_its_neighbours() -> None:
    problem = milestone_project()
    earliest, latest, _ = time_bounds(problem)
    schedule = heuristic_schedule(problem, earliest, latest, 10.0, 0, max_tries=50)
    assert schedule is not None
    report = check_cases(problem, schedule)
    assert report.feasible, report.violations
    starts = {item.task: item.start for item in schedule.tasks}
    assert starts["P"] + 10 <= starts["A"] <= starts["B"]


@pytest.mark.parametrize("seed", [0, None])
def test_the_milestone_project_solves_to_its_optimum(seed: int | None) -> None:
    result, report = solve_verified(milestone_project(), time_limit=10, seed=seed)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == report.objective == 80


def test_a_heuristic_schedule_the_checker_rejects_does_not_cut_the_horizon(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The old warm start: B before A, ending at 70 (< the optimum 80). Cutting every
    # window to 70 made the model infeasible.
    broken = CaseSchedule(
        tasks=(
            ScheduledTask(task="Q", start=0, end=50),
            ScheduledTask(task="B", start=50, end=70),
            ScheduledTask(task="P", start=50, end=60),
            ScheduledTask(task="A", start=60, end=60),
        )
    )
    monkeypatch.setattr(cpsat_cases, "heuristic_schedule", lambda *args, **kw: broken)
    result, report = solve_verified(milestone_project(), time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 80


# -- 2. a room and a resource with one id ----------------------------------------------------


def test_a_room_and_a_resource_may_not_share_an_id() -> None:
    data: dict[str, Any] = {
        "horizon": 300,
        "rooms": [{"id": "CT"}],
        "resources": [{"id": "CT", "capacity": 1}],
        "tasks": [
            {"id": "scan", "duration": 30, "needs_room": False, "resources": {"CT": 1}},
            {"id": "op", "duration": 60},
        ],
    }
    with pytest.raises(InputError, match="room 'CT' and resource 'CT' share an id"):
        cases(**data)
    data["resources"] = [{"id": "CT-scanner", "capacity": 1}]
    data["tasks"][0]["resources"] = {"CT-scanner": 1}
    result, report = solve_verified(cases(**data), time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 0


# -- 3. a pin that alone makes its case impossible -------------------------------------------

ROOM_0_100 = {"id": "R", "openings": [{"start": 0, "end": 100, "overtime": 20}]}


def test_a_pin_when_the_room_is_closed_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        cases(
            horizon=300,
            rooms=[ROOM_0_100],
            tasks=[{"id": "A", "duration": 50}],
            pins=[{"task": "A", "start": 150}],
        )
    message = str(caught.value)
    assert "task 'A'" in message and "start 150" in message and "'R'" in message


def test_a_pin_into_the_rooms_overtime_is_kept() -> None:
    # 80–130 runs 30 minutes past the end 100, overtime allows 20: refused. 70–120 is
    # within the overtime (20 minutes, cost 20 at the default weight 1).
    base: dict[str, Any] = {"horizon": 300, "rooms": [ROOM_0_100]}
    with pytest.raises(InputError, match="start 80"):
        cases(**base, tasks=[{"id": "A", "duration": 50}], pins=[{"task": "A", "start": 80}])
    problem = cases(**base, tasks=[{"id": "A", "duration": 50}], pins=[{"task": "A", "start": 70}])
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 20


def test_a_pin_when_the_named_person_is_off_duty_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        cases(
            horizon=300,
            rooms=[{"id": "R"}],
            staff=[{"id": "S", "available": [{"start": 0, "end": 100}]}],
            tasks=[{"id": "A", "duration": 50, "optional": True, "staff": ["S"]}],
            pins=[{"task": "A", "start": 150, "room": "R"}],
        )
    message = str(caught.value)
    assert "task 'A'" in message and "staff 'S'" in message and "[150, 200)" in message


def pinned_apart(anaesthetist_from: int) -> CaseProblem:
    """A needs an anaesthetist; pinned to room R (open 0–100) and to P, who is on duty
    from ``anaesthetist_from`` to 300. Each pin part fits on its own."""
    problem: CaseProblem = cases(
        horizon=300,
        rooms=[{"id": "R", "openings": [{"start": 0, "end": 100}]}, {"id": "R2"}],
        staff=[
            {
                "id": "P",
                "roles": ["anaes"],
                "available": [{"start": anaesthetist_from, "end": 300}],
            },
            {"id": "Q", "roles": ["anaes"]},
        ],
        tasks=[{"id": "A", "duration": 50, "team": [{"role": "anaes"}]}],
        pins=[{"task": "A", "room": "R", "staff": ["P"]}],
    )
    return problem


def test_a_pin_whose_parts_never_meet_is_named_as_the_cause() -> None:
    problem = pinned_apart(200)
    hints = case_conflict_hints(problem)
    assert len(hints) == 1 and "its pin (in room R with P)" in hints[0], hints
    assert solve(problem, workers=1, seed=0, time_limit=10).status is SolveStatus.INFEASIBLE


def test_a_pin_whose_parts_meet_gives_no_hint_and_a_schedule() -> None:
    problem = pinned_apart(40)  # A at 40–90 in R with P
    assert case_conflict_hints(problem) == []
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 0


# -- 4. carealloc solve prints the case summary ----------------------------------------------

LATE = {
    "kind": "cases",
    "horizon": 300,
    "rooms": [{"id": "R"}],
    "tasks": [
        {"id": "A", "duration": 100, "due": 100, "priority": 2},
        {"id": "B", "duration": 100, "due": 100, "priority": 1},
        {"id": "C", "duration": 150, "optional": True},
    ],
}


def test_solve_prints_the_rooms_and_the_left_out_and_late_cases(tmp_path: Path) -> None:
    # One room, 300 minutes: A 0–100, B 100–200 (100 late × 1) and C (150) left out
    # (1000); optimum 1100.
    problem_path = tmp_path / "late.json"
    problem_path.write_text(json.dumps(LATE))
    result_path = tmp_path / "late-result.json"
    args = ["solve", str(problem_path), "--workers", "1", "--seed", "0", "--time-limit", "10"]
    outcome = runner.invoke(app, [*args, "--out", str(result_path)])
    assert outcome.exit_code == 0, outcome.output
    lines = outcome.output.strip().splitlines()
    assert STATUS_LINE.match(lines[-1]) and "objective=1100" in lines[-1]
    assert "Cases left out or late (2 of 2, costliest first):" in lines
    assert any(line.startswith("  • C: not scheduled — ") for line in lines)
    assert any(line.startswith("  • B: ends 100 min late — ") for line in lines)
    assert any(line.startswith(" R ") for line in lines)  # the room table
    verify_result(problem_from_data(LATE), load_result(result_path))
    quiet = runner.invoke(app, [*args, "--quiet"])
    assert quiet.exit_code == 0 and len(quiet.output.strip().splitlines()) == 1


# -- 5. solve_lexicographic on a case problem ------------------------------------------------


def traded() -> CaseProblem:
    """A (100, due 100, priority 3) and optional C (100, deadline 100, left out: 50) in
    one room. Weighted optimum 50 (C out); with C first A ends at 200, 300 late."""
    problem: CaseProblem = cases(
        horizon=300,
        rooms=[{"id": "R"}],
        tasks=[
            {"id": "A", "duration": 100, "due": 100, "priority": 3},
            {"id": "C", "duration": 100, "deadline": 100, "optional": True,
             "unscheduled_penalty": 50},
        ],
    )  # fmt: skip
    return problem


def test_lexicographic_stages_take_case_rules_and_hand_on_the_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import optimizer.lexicographic as lexicographic

    hints: list[Any] = []

    def recording(problem: Any, **kwargs: Any) -> Any:
        hints.append(kwargs.get("hint"))
        return solve(problem, **kwargs)

    monkeypatch.setattr(lexicographic, "solve", recording)
    problem = traded()
    result = solve_lexicographic(problem, [{"unscheduled": 1}, {"tardiness": 1}], workers=1, seed=0)
    verify_result(problem, result)
    assert result.status is SolveStatus.OPTIMAL
    assert result.terms["unscheduled"] == 0 and result.terms["tardiness"] == 300
    assert result.schedule is not None and result.roster is None
    assert hints[0] is None and isinstance(hints[1], CaseSchedule)
    assert {item.task for item in hints[1].tasks} == {"A", "C"}


def test_lexicographic_names_the_case_rules_when_one_is_unknown() -> None:
    with pytest.raises(InputError, match=r"unknown penalty rule 'under_cover'; known: unscheduled"):
        solve_lexicographic(traded(), [{"under_cover": 1}])


def test_lexicographic_default_case_stages_put_left_out_cases_first() -> None:
    # Stage 1 (cases left out) places C, so A ends 300 late in stage 2.
    problem = traded()
    result = solve_lexicographic(problem, workers=1, seed=0)
    verify_result(problem, result)
    assert result.status is SolveStatus.OPTIMAL
    assert result.terms["unscheduled"] == 0 and result.terms["tardiness"] == 300
    assert result.message is not None
    assert result.message.startswith("lexicographic: unscheduled=0 (OPTIMAL); tardiness=300")


def test_cli_lexicographic_solves_a_case_problem(tmp_path: Path) -> None:
    path = tmp_path / "traded.json"
    path.write_text(traded().model_dump_json())
    out = tmp_path / "schedule.json"
    outcome = runner.invoke(
        app, ["solve", str(path), "--lexicographic", "--time-limit", "5", "--workers", "1",
              "--seed", "0", "--quiet", "--out", str(out)],
    )  # fmt: skip
    assert outcome.exit_code == 0, outcome.output
    assert outcome.output.strip().splitlines()[-1].startswith("status=OPTIMAL objective=300")
    result = load_result(out)
    verify_result(traded(), result)
    assert result.terms["unscheduled"] == 0


# -- 7. a bundle date-time before the plan's start -------------------------------------------


def test_a_bundle_time_before_the_start_says_so() -> None:
    sheets = {
        "settings": "key,value\nkind,cases\nstart,2026-03-02 07:30\nhorizon,600\n",
        "rooms": "id\nR\n",
        "tasks": "id,duration,release,due\nA,60,2026-03-02 08:00,2026-03-02 07:00\n",
    }
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for sheet, text in sheets.items():
            archive.writestr(f"{sheet}.csv", text)
    with pytest.raises(TableErrors) as caught:
        read_bundle("plan.zip", data.getvalue())
    [error] = caught.value.errors
    assert (error.file, error.line, error.field) == ("plan.zip/tasks.csv", 2, "due")
    assert error.message == (
        "'2026-03-02 07:00' is before the plan's start (2026-03-02 07:30, the setting 'start')"
    )
