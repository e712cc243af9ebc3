"""What the independent checker accepts as input: the right solution family for the
problem, and only known ids in a case schedule's ``unscheduled`` and ``resources``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from optimizer.check import check
from optimizer.errors import InputError
from optimizer.io.schedule_csv import read_schedule_csv, write_schedule_csv
from optimizer.model import (
    CaseProblem,
    CaseSchedule,
    CaseWeights,
    Precedence,
    Resource,
    Room,
    ScheduledTask,
    Task,
)
from optimizer.model.result import Result, RosterSolution, SolveStatus
from optimizer.model.roster import RosterProblem, ShiftType, Staff
from tests.verify import solve_verified

ZERO = CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=0)


def _cases() -> CaseProblem:
    """a needs the C-arm, b needs nothing, c is optional; rooms R1 and R2."""
    return CaseProblem(
        horizon=100,
        weights=ZERO,
        tasks=[
            Task(id="a", duration=10, resources={"carm": 1}),
            Task(id="b", duration=10),
            Task(id="c", duration=10, optional=True),
        ],
        resources=[Resource(id="carm", capacity=1), Resource(id="saw", capacity=1)],
        rooms=[Room(id="R1"), Room(id="R2")],
    )


def _roster() -> RosterProblem:
    return RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=2,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=(Staff(id="A", skills=("RN",)),),
    )


def _schedule(a_resources: tuple[str, ...] = ("carm",), **kw: Any) -> CaseSchedule:
    return CaseSchedule(
        tasks=(
            ScheduledTask(task="a", start=0, end=10, room="R1", resources=a_resources),
            ScheduledTask(task="b", start=0, end=10, room="R2"),
        ),
        **kw,
    )


# -- the solution family must match the problem ---------------------------------------


@pytest.mark.parametrize(
    ("problem", "solution", "words"),
    [
        (_cases, lambda: RosterSolution(), ["case problem", "CaseSchedule", "RosterSolution"]),
        (_roster, lambda: _schedule(), ["roster problem", "RosterSolution", "a CaseSchedule"]),
        (
            _roster,
            lambda: Result(status=SolveStatus.OPTIMAL, schedule=_schedule()),
            ["roster problem", "holds a CaseSchedule"],
        ),
        (
            _cases,
            lambda: Result(status=SolveStatus.OPTIMAL, roster=RosterSolution()),
            ["case problem", "holds a RosterSolution"],
        ),
        (
            _cases,
            lambda: Result(status=SolveStatus.INFEASIBLE),
            ["case problem", "holds no solution"],
        ),
        (_cases, lambda: None, ["case problem", "got None"]),
        (lambda: {"tasks": []}, lambda: _schedule(), ["RosterProblem or CaseProblem", "a dict"]),
    ],
    ids=[
        "roster-for-cases",
        "cases-for-roster",
        "result-cases-for-roster",
        "result-roster-for-cases",
        "empty-result",
        "no-solution",
        "not-a-problem",
    ],
)
def test_a_mismatched_input_is_an_input_error(
    problem: Any, solution: Any, words: list[str]
) -> None:
    with pytest.raises(InputError) as caught:
        check(problem(), solution())
    for word in words:
        assert word in str(caught.value)


def test_a_result_is_checked_by_the_problems_family() -> None:
    result = Result(status=SolveStatus.FEASIBLE, schedule=_schedule(unscheduled=("c",)))
    assert check(_cases(), result).feasible
    roster = Result(status=SolveStatus.FEASIBLE, roster=RosterSolution())
    assert check(_roster(), roster).feasible


# -- ids in a case schedule ---------------------------------------------------------


def test_unknown_unscheduled_id_pair() -> None:
    problem = _cases()
    assert check(problem, _schedule(unscheduled=("c",))).feasible
    report = check(problem, _schedule(unscheduled=("c", "zzz")))
    assert [(v.rule, v.task) for v in report.violations] == [("unknown_task", "zzz")]
    assert "zzz" in report.violations[0].message


@pytest.mark.parametrize(
    ("listed", "count", "words"),
    [
        (("carm",), 0, []),
        ((), 0, []),  # not listed: capacity comes from the task's needs anyway
        (("carm", "saw"), 1, ["'saw' it does not use"]),
        (("BOGUS",), 2, ["unknown resource 'BOGUS'", "uses resource 'carm' but does not list"]),
        (("carm", "R1"), 1, ["lists room 'R1'"]),
        (("carm", "carm"), 1, ["twice"]),
    ],
    ids=["exact", "empty", "extra", "unknown", "room", "twice"],
)
def test_listed_resources_pairs(listed: tuple[str, ...], count: int, words: list[str]) -> None:
    report = check(_cases(), _schedule(listed, unscheduled=("c",)))
    hits = [v for v in report.violations if v.rule == "resources"]
    assert len(hits) == count, report.violations
    assert len(report.violations) == count
    text = " ".join(v.message for v in hits)
    for word in words:
        assert word in text
    assert all(v.task == "a" for v in hits)


def test_a_task_needing_nothing_may_not_list_a_resource() -> None:
    schedule = CaseSchedule(
        tasks=(
            ScheduledTask(task="a", start=0, end=10, room="R1", resources=("carm",)),
            ScheduledTask(task="b", start=0, end=10, room="R2", resources=("carm",)),
        )
    )
    report = check(_cases(), schedule)
    assert [(v.rule, v.task) for v in report.violations] == [("resources", "b")]


# -- no false alarms on what the solvers and the CSV reader produce ---------------------


def _equipment_problem() -> CaseProblem:
    """Three cases share one C-arm (capacity 1) over two rooms; optimum makespan 30."""
    return CaseProblem(
        horizon=100,
        weights=CaseWeights(unscheduled=100, tardiness=0, overtime=0, makespan=1),
        tasks=[Task(id=t, duration=10, resources={"carm": 1}) for t in "abc"]
        + [Task(id="d", duration=5)],
        resources=[Resource(id="carm", capacity=1)],
        rooms=[Room(id="R1"), Room(id="R2")],
    )


@pytest.mark.parametrize("lns", [False, True], ids=["cpsat", "lns"])
def test_solver_schedules_list_exactly_the_needed_resources(lns: bool, tmp_path: Path) -> None:
    problem = _equipment_problem()
    result, report = solve_verified(problem, time_limit=10, case_lns=lns)
    assert report.feasible and result.objective == 30
    assert ("neighbourhood" in result.message) == lns
    assert result.schedule is not None
    for item in result.schedule.tasks:
        assert set(item.resources) == set(problem.task(item.task).resources)
    # The CSV writes the room as room:ID before the equipment; reading it back is clean.
    path = tmp_path / "schedule.csv"
    write_schedule_csv(result.schedule, path)
    assert "room:R" in path.read_text(encoding="utf-8")
    again = check(problem, read_schedule_csv(path, problem))
    assert again.feasible and again.objective == 30


def test_the_rcpsp_warm_start_lists_no_resources_and_passes() -> None:
    # CP-SAT stops after presolve: the list-scheduling start (a, b, c one after the
    # other, c after a; makespan 30) comes back with empty resource lists.
    problem = CaseProblem(
        horizon=100,
        weights=CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=1),
        tasks=[Task(id=t, duration=10, resources={"X": 2}) for t in "abc"],
        resources=[Resource(id="X", capacity=3)],
        precedences=[Precedence(before="a", after="c")],
    )
    result, _ = solve_verified(problem, stop_after_presolve=True)
    assert result.status is SolveStatus.FEASIBLE and "warm start" in result.message
    assert result.schedule is not None
    assert all(item.resources == () for item in result.schedule.tasks)
    assert result.objective == 30
