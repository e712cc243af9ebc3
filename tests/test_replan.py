"""Re-planning with minimal disruption: exactly what moved, and what could not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.check import check
from optimizer.demo.surgery import surgical_days
from optimizer.errors import InputError
from optimizer.model.cases import CasePin, CaseProblem, Opening, Room, StaffMember, Task, Window
from optimizer.model.result import CaseSchedule, ScheduledTask
from optimizer.replan import (
    AddCase,
    CancelCase,
    CaseOverrun,
    Change,
    Move,
    RoomClosed,
    StaffUnavailable,
    diff_schedules,
    repair,
    replan,
    replan_problem,
)
from tests.verify import solve_verified

MONDAY = dt.datetime(2026, 12, 7)
H8, H9, H10, H11, H12, H18 = 480, 540, 600, 660, 720, 1080


def _list() -> CaseProblem:
    """Mr Okafor's list in OR1 (08:00–18:00, no turnover): A, B, C of 60 minutes."""
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=tuple(
            Task(id=t, procedure="Hernia repair", duration=60, optional=True, staff=("S1",))
            for t in "ABC"
        ),
        rooms=(Room(id="OR1", openings=(Opening(start=H8, end=H18),)),),
        staff=(StaffMember(id="S1", name="Mr Daniel Okafor"),),
    )


def _published() -> CaseSchedule:
    return CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=t, start=s, end=s + 60, room="OR1", staff=("S1",))
            for t, s in (("A", H8), ("B", H9), ("C", H10))
        )
    )


def _replan(
    problem: CaseProblem, changes: list[Change], now: int | None = None
) -> tuple[CaseProblem, dict[str, Move], int, list[str]]:
    """replan_problem + a verified solve + the diff (what ``replan`` does)."""
    published = _published() if problem.tasks[0].id == "A" else CaseSchedule()
    new, fixed, _ = replan_problem(problem, published, changes, now=now)
    result, _ = solve_verified(new, time_limit=10, hint=repair(new, published))
    assert result.schedule is not None
    cancelled = [c.task for c in changes if isinstance(c, CancelCase)]
    moves = diff_schedules(problem, new, published, result.schedule, cancelled)
    assert result.objective is not None
    return new, {m.task: m for m in moves}, result.objective, fixed


def test_published_schedule_is_feasible() -> None:
    assert check(_list(), _published()).feasible


def test_case_ran_long_moves_only_the_next_case() -> None:
    # Now 08:20; A (started 08:00) runs to 09:30. B (09:00) must move; C (10:00)
    # can stay if B goes after it: one move (100) is the optimum.
    new, moves, objective, fixed = _replan(_list(), [CaseOverrun(task="A", actual_end=570)], 500)
    assert fixed == ["A"]
    assert objective == 100
    assert set(moves) == {"A", "B"}
    assert moves["A"].kind == "extended" and moves["A"].new_start == H8
    assert moves["B"].kind == "moved" and moves["B"].new_start is not None
    assert moves["B"].new_start >= H11
    assert new.pin_of("A") == CasePin(task="A", start=H8, room="OR1", staff=("S1",))


def test_cancel_moves_nothing_else() -> None:
    _, moves, objective, _ = _replan(_list(), [CancelCase(task="B")])
    assert objective == 0
    assert list(moves) == ["B"] and moves["B"].kind == "cancelled"
    assert moves["B"].message == "Hernia repair (B): cancelled (was Mon 07 Dec 09:00)"


def test_surgeon_away_moves_only_the_affected_case() -> None:
    # Okafor is away 10:00–11:40: C moves to 11:40 or later; A, B stay.
    _, moves, objective, _ = _replan(_list(), [StaffUnavailable(staff="S1", start=H10, end=700)])
    assert objective == 100
    assert list(moves) == ["C"] and moves["C"].new_start is not None
    assert moves["C"].new_start >= 700


def test_room_closed_moves_only_the_case_inside_the_closure() -> None:
    _, moves, objective, _ = _replan(_list(), [RoomClosed(room="OR1", start=H8, end=H9)])
    assert objective == 100
    assert list(moves) == ["A"] and moves["A"].new_start is not None
    assert moves["A"].new_start >= H11


def test_added_case_fits_without_moving_others() -> None:
    extra = Task(id="D", procedure="Lipoma excision", duration=60, optional=True, staff=("S1",))
    _, moves, objective, _ = _replan(_list(), [AddCase(task=extra)])
    assert objective == 0
    assert list(moves) == ["D"] and moves["D"].kind == "added"


def test_started_cases_are_fixed_and_later_ones_not_released_early() -> None:
    # Now 09:10: A and B have started and are pinned; nothing changes.
    new, moves, objective, fixed = _replan(_list(), [], now=550)
    assert fixed == ["A", "B"] and moves == {} and objective == 0
    assert new.task("C").release == 550


def test_pinned_case_stays_when_another_must_move() -> None:
    # C is pinned at 10:00; Okafor is away 08:00–09:00, so A must move, and not into
    # C's slot: A goes to 11:00 or later (one move, 100).
    problem = _list().model_copy(update={"pins": (CasePin(task="C", start=H10, room="OR1"),)})
    problem = CaseProblem.model_validate(problem.model_dump())
    _, moves, objective, _ = _replan(problem, [StaffUnavailable(staff="S1", start=H8, end=H9)])
    assert objective == 100
    assert list(moves) == ["A"]
    assert moves["A"].new_start is not None and moves["A"].new_start >= H11


def test_case_whose_surgeon_is_away_all_day_is_dropped_with_the_reason() -> None:
    # Ms Marsh's case D joins; Okafor is away all day: A, B, C are dropped, D stays.
    problem = _list()
    marsh = StaffMember(id="S2", name="Ms Helen Marsh", available=(Window(start=H8, end=H12),))
    problem = CaseProblem.model_validate(
        {
            **problem.model_dump(),
            "staff": [*problem.model_dump()["staff"], marsh.model_dump()],
            "tasks": [
                *problem.model_dump()["tasks"],
                Task(id="D", duration=60, optional=True, staff=("S2",)).model_dump(),
            ],
        }
    )
    new, fixed, dropped = replan_problem(
        problem, _published(), [StaffUnavailable(staff="S1", start=0, end=1440)]
    )
    assert fixed == [] and set(dropped) == {"A", "B", "C"}
    assert [t.id for t in new.tasks] == ["D"]
    assert (
        dropped["A"] == "Mr Daniel Okafor is unavailable from Mon 07 Dec 00:00 to Tue 08 Dec 00:00"
    )
    result, _ = solve_verified(new, time_limit=10)
    assert result.schedule is not None
    moves = diff_schedules(problem, new, _published(), result.schedule)
    assert [(m.task, m.kind) for m in moves] == [
        ("A", "dropped"),
        ("B", "dropped"),
        ("C", "dropped"),
        ("D", "placed"),
    ]


def test_nothing_left_to_schedule_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no case is left"):
        replan_problem(_list(), _published(), [StaffUnavailable(staff="S1", start=0, end=1440)])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (CancelCase(task="A"), "already started"),
        (StaffUnavailable(staff="S1", start=H8, end=H9), r"started case 'A'.*Mon 07 Dec 09:00"),
        (RoomClosed(room="OR1", start=H8, end=H9), "holds started case 'A'"),
        (
            RoomClosed(room="OR1", start=H11, end=H10),
            r"ends \(Mon 07 Dec 10:00\) before it starts \(Mon 07 Dec 11:00\)",
        ),
        (CancelCase(task="Z"), "unknown case 'Z'"),
        (StaffUnavailable(staff="zed", start=0, end=10), "unknown staff 'zed'"),
    ],
)
def test_impossible_changes_are_input_errors(change: Change, message: str) -> None:
    with pytest.raises(InputError, match=message):
        replan_problem(_list(), _published(), [change], now=500)


def test_closing_a_room_for_the_whole_horizon_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no opening at all"):
        replan_problem(_list(), _published(), [RoomClosed(room="OR1", start=0, end=1440)])


def test_replan_on_a_demo_day_keeps_started_cases() -> None:
    problem = surgical_days(0, 1, max_cases=6)
    first, _ = solve_verified(problem, time_limit=10)
    assert first.schedule is not None
    started = first.schedule.tasks[0]
    nurse = next(n for n in started.staff if n.startswith("SN"))
    later = [t for t in first.schedule.tasks if t.start >= started.end and nurse in t.staff]
    kwargs: dict[str, Any] = dict(time_limit=10, workers=1, seed=0)
    outcome = replan(
        problem,
        first,
        [StaffUnavailable(staff=nurse, start=started.end, end=1440)],
        now=started.start + 5,
        **kwargs,
    )
    report = check(outcome.problem, outcome.result)
    assert report.feasible and report.objective == outcome.result.objective
    assert started.task in outcome.fixed
    assert started.task not in {m.task for m in outcome.moves}
    assert outcome.result.schedule is not None
    assert all(
        nurse not in t.staff for t in outcome.result.schedule.tasks if t.start >= started.end
    )
    assert {m.task for m in outcome.moves} >= {t.task for t in later}
