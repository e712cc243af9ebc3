"""Independent case-schedule checker: paired tests per hard rule and per penalty."""

from __future__ import annotations

from typing import Any

import pytest

from optimizer.check import check
from optimizer.model import (
    CaseBaseline,
    CasePin,
    CaseProblem,
    CaseSchedule,
    CaseWeights,
    Opening,
    Precedence,
    Resource,
    Room,
    ScheduledTask,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)

ZERO = CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=0)


def T(task: str, start: int, end: int, room: str | None = None, *staff: str) -> ScheduledTask:
    return ScheduledTask(task=task, start=start, end=end, room=room, staff=staff)


def S(*tasks: ScheduledTask, unscheduled: tuple[str, ...] = ()) -> CaseSchedule:
    return CaseSchedule(tasks=tasks, unscheduled=unscheduled)


def problem(**kw: Any) -> CaseProblem:
    kw.setdefault("horizon", 100)
    kw.setdefault("weights", ZERO)
    return CaseProblem(**kw)


TWO = [Task(id="a", duration=10), Task(id="b", duration=10)]
ROOMS = [Room(id="R1"), Room(id="R2", type="cath")]
PEOPLE = [
    StaffMember(id="x", roles=["rn"], available=[Window(start=0, end=50)]),
    StaffMember(id="y", roles=["md", "rn"], max_minutes=15),
]

# (name, problem, good schedule, bad schedule, violated rule, number of violations)
HARD_CASES: list[tuple[str, CaseProblem, CaseSchedule, CaseSchedule, str, int]] = [
    (
        "duration",
        problem(tasks=TWO),
        S(T("a", 0, 10), T("b", 0, 10)),
        S(T("a", 0, 9), T("b", 0, 11)),
        "duration",
        2,
    ),
    (
        "window",
        problem(tasks=[Task(id="a", duration=10, release=5, deadline=30)]),
        S(T("a", 5, 15)),
        S(T("a", 25, 35)),
        "window",
        1,
    ),
    (
        "mandatory task placed",
        problem(tasks=[*TWO, Task(id="c", duration=5, optional=True)]),
        S(T("a", 0, 10), T("b", 0, 10), unscheduled=("c",)),
        S(T("a", 0, 10), unscheduled=("b", "c")),
        "unscheduled",
        1,
    ),
    (
        "eligible room",
        problem(tasks=[Task(id="a", duration=10, room_needs=["cath"])], rooms=ROOMS),
        S(T("a", 0, 10, "R2")),
        S(T("a", 0, 10, "R1")),
        "room",
        1,
    ),
    (
        "room hours",
        problem(
            tasks=[Task(id="a", duration=10)],
            rooms=[Room(id="R1", openings=[Opening(start=20, end=40, overtime=5)])],
        ),
        S(T("a", 35, 45, "R1")),  # inside the overtime
        S(T("a", 40, 50, "R1")),
        "room_hours",
        1,
    ),
    (
        "room double booking",
        problem(tasks=TWO, rooms=[Room(id="R1")]),
        S(T("a", 0, 10, "R1"), T("b", 10, 20, "R1")),
        S(T("a", 0, 10, "R1"), T("b", 5, 15, "R1")),
        "room_overlap",
        1,
    ),
    (
        "turnover",
        problem(tasks=TWO, rooms=[Room(id="R1", turnover=15)]),
        S(T("a", 0, 10, "R1"), T("b", 25, 35, "R1")),
        S(T("a", 0, 10, "R1"), T("b", 24, 34, "R1")),
        "turnover",
        1,
    ),
    (
        "qualification",
        problem(tasks=[Task(id="a", duration=10, team=[TeamRequirement(role="md")])], staff=PEOPLE),
        S(T("a", 0, 10, None, "y")),
        S(T("a", 0, 10, None, "x")),
        "qualification",
        1,
    ),
    (
        "team size and named staff",
        problem(tasks=[Task(id="a", duration=10, staff=["x"])], staff=PEOPLE),
        S(T("a", 0, 10, None, "x")),
        S(T("a", 0, 10, None, "y")),
        "team",
        1,  # x missing (the size is right)
    ),
    (
        "staff double booking",
        problem(
            tasks=[
                Task(id="a", duration=10, staff=["x"]),
                Task(id="b", duration=10, staff=["x"]),
            ],
            staff=PEOPLE,
        ),
        S(T("a", 0, 10, None, "x"), T("b", 10, 20, None, "x")),
        S(T("a", 0, 10, None, "x"), T("b", 9, 19, None, "x")),
        "staff_overlap",
        1,
    ),
    (
        "availability",
        problem(tasks=[Task(id="a", duration=10, staff=["x"])], staff=PEOPLE),
        S(T("a", 40, 50, None, "x")),
        S(T("a", 45, 55, None, "x")),
        "availability",
        1,
    ),
    (
        "max minutes",
        problem(
            tasks=[
                Task(id="a", duration=10, staff=["y"]),
                Task(id="b", duration=5, staff=["y"]),
                Task(id="c", duration=1, staff=["y"], optional=True),
            ],
            staff=PEOPLE,
        ),
        S(T("a", 0, 10, None, "y"), T("b", 10, 15, None, "y"), unscheduled=("c",)),
        S(T("a", 0, 10, None, "y"), T("b", 10, 15, None, "y"), T("c", 15, 16, None, "y")),
        "max_minutes",
        1,
    ),
    (
        "equipment capacity",
        problem(
            tasks=[Task(id=t, duration=10, resources={"carm": 1}) for t in "abc"],
            resources=[Resource(id="carm", capacity=2)],
        ),
        S(T("a", 0, 10), T("b", 0, 10), T("c", 10, 20)),
        S(T("a", 0, 10), T("b", 0, 10), T("c", 9, 19)),
        "capacity",
        1,
    ),
    (
        "precedence lags",
        problem(
            tasks=TWO,
            precedences=[Precedence(before="a", after="b", min_lag=5, max_lag=8)],
        ),
        S(T("a", 0, 10), T("b", 18, 28)),
        S(T("a", 0, 10), T("b", 19, 29)),
        "precedence",
        1,
    ),
    (
        "pins",
        problem(tasks=TWO, rooms=[Room(id="R1")], pins=[CasePin(task="a", start=30)]),
        S(T("a", 30, 40, "R1"), T("b", 0, 10, "R1")),
        S(T("a", 0, 10, "R1"), T("b", 30, 40, "R1")),
        "pin",
        1,
    ),
]


@pytest.mark.parametrize(
    ("name", "prob", "good", "bad", "rule", "count"),
    HARD_CASES,
    ids=[case[0] for case in HARD_CASES],
)
def test_hard_rule_pairs(
    name: str, prob: CaseProblem, good: CaseSchedule, bad: CaseSchedule, rule: str, count: int
) -> None:
    ok = check(prob, good)
    assert ok.feasible, ok.violations
    report = check(prob, bad)
    hits = [v for v in report.violations if v.rule == rule]
    assert len(hits) == count, report.violations
    assert all(v.message for v in hits)


def test_unknown_and_duplicate_tasks_are_violations() -> None:
    prob = problem(tasks=TWO)
    report = check(prob, S(T("a", 0, 10), T("a", 0, 10), T("b", 0, 10), T("zz", 0, 1)))
    assert sorted(v.rule for v in report.violations) == ["duplicate", "unknown_task"]


def test_unscheduled_penalty_pair() -> None:
    # c is optional with priority 2: leaving it out costs 2 × 7 = 14.
    prob = problem(
        tasks=[*TWO, Task(id="c", duration=5, optional=True, priority=2)],
        weights=CaseWeights(unscheduled=7, tardiness=0, overtime=0),
    )
    assert check(prob, S(T("a", 0, 10), T("b", 0, 10), T("c", 0, 5))).objective == 0
    report = check(prob, S(T("a", 0, 10), T("b", 0, 10), unscheduled=("c",)))
    assert report.cost_by_rule() == {"unscheduled": 14}
    assert "not scheduled" in report.penalties[0].message


def test_tardiness_penalty_pair() -> None:
    # a is due at 10 with priority 3, weight 2: ending at 14 costs 2 × 3 × 4 = 24.
    prob = problem(
        tasks=[Task(id="a", duration=10, due=10, priority=3)],
        weights=CaseWeights(tardiness=2, overtime=0),
    )
    assert check(prob, S(T("a", 0, 10))).objective == 0
    report = check(prob, S(T("a", 4, 14)))
    assert report.cost_by_rule() == {"tardiness": 24}
    assert report.penalties[0].amount == 4


def test_overtime_penalty_pair() -> None:
    # Opening ends at 30; the room's last case ends at 37: 7 min × weight 3 = 21 (once per opening).
    prob = problem(
        tasks=TWO,
        rooms=[Room(id="R1", openings=[Opening(start=0, end=30, overtime=20)])],
        weights=CaseWeights(overtime=3, tardiness=0),
    )
    assert check(prob, S(T("a", 0, 10, "R1"), T("b", 20, 30, "R1"))).objective == 0
    report = check(prob, S(T("a", 15, 25, "R1"), T("b", 27, 37, "R1")))
    assert report.cost_by_rule() == {"overtime": 21}


def test_makespan_penalty() -> None:
    # The last end is 25; weight 2 gives 50.
    prob = problem(tasks=TWO, weights=CaseWeights(makespan=2, tardiness=0, overtime=0))
    assert check(prob, S(T("a", 0, 10), T("b", 15, 25))).cost_by_rule() == {"makespan": 50}


def test_baseline_penalties_pair() -> None:
    # a moved (100) and lost x (10); b unchanged: 110 in all.
    old = S(T("a", 0, 10, None, "x"), T("b", 10, 20, None, "y"))
    prob = problem(
        tasks=[
            Task(id="a", duration=10, team=[TeamRequirement(role="rn")]),
            Task(id="b", duration=10, team=[TeamRequirement(role="rn")]),
        ],
        staff=[StaffMember(id="x", roles=["rn"]), StaffMember(id="y", roles=["rn"])],
        baseline=CaseBaseline(schedule=old, move_weight=100, staff_weight=10),
    )
    assert check(prob, old).objective == 0
    report = check(prob, S(T("a", 20, 30, None, "y"), T("b", 10, 20, None, "y")))
    assert report.feasible
    assert report.cost_by_rule() == {"baseline_move": 100, "baseline_staff": 10}
