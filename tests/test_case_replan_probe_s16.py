"""Probe s16/p1: backfill after a cancellation, a room closed all day, precedence and
room-share explanations, and contradictory or repeated re-plan changes."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer.check import check
from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import find_slot
from optimizer.errors import InputError
from optimizer.explain.case_reasons import explain_task
from optimizer.model.cases import (
    CasePin,
    CaseProblem,
    Opening,
    Precedence,
    Resource,
    Room,
    StaffMember,
    Task,
)
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.replan import (
    CancelCase,
    CaseOverrun,
    Change,
    RoomClosed,
    StaffUnavailable,
    repair,
    replan,
    replan_problem,
)
from tests.verify import solve_verified, verify_result

MONDAY = dt.datetime(2026, 12, 7)
H8, H9, H10, H11, H12, H18 = 480, 540, 600, 660, 720, 1080
FAST = dict(time_limit=5, workers=1, seed=0)


def _room(room_id: str, end: int = H18) -> Room:
    return Room(id=room_id, openings=(Opening(start=H8, end=end),))


def _list(rooms: tuple[Room, ...], tasks: str = "ABC") -> CaseProblem:
    """Mr Okafor's optional 60-minute hernia repairs."""
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=tuple(
            Task(id=t, procedure="Hernia repair", duration=60, optional=True, staff=("S1",))
            for t in tasks
        ),
        rooms=rooms,
        staff=(StaffMember(id="S1", name="Mr Okafor"),),
    )


def _published(starts: dict[str, int], left_out: tuple[str, ...] = ()) -> CaseSchedule:
    return CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=t, start=s, end=s + 60, room="OR1", staff=("S1",))
            for t, s in starts.items()
        ),
        unscheduled=left_out,
    )


# -- D1: a cancellation frees a slot that a left-out case takes ------------------------


def test_a_cancelled_case_frees_its_slot_for_a_left_out_case() -> None:
    # OR1 is open 08–11 and holds A, B, C; D (optional, 1000) was left out. B is
    # cancelled: D fits at 09:00 with no other move, so the optimum is 0 (D placed,
    # A and C unmoved). E would fit there too but costs only 5 to leave out and is
    # placed after D (lower penalty): no slot is left, E stays out (objective 5).
    problem = _list((_room("OR1", H11),), "ABCD")
    e = Task(id="E", duration=60, optional=True, unscheduled_penalty=5, staff=("S1",))
    problem = problem.model_copy(update={"tasks": (e, *problem.tasks)})
    published = _published({"A": H8, "B": H9, "C": H10}, left_out=("E", "D"))
    new, _, _ = replan_problem(problem, published, [CancelCase(task="B")])
    hint = repair(new, published)
    assert [(it.task, it.start, it.room) for it in hint.tasks] == [
        ("A", H8, "OR1"),
        ("D", H9, "OR1"),
        ("C", H10, "OR1"),
    ]
    assert hint.unscheduled == ("E",)
    assert check(new, Result(status=SolveStatus.FEASIBLE, schedule=hint)).objective == 5
    outcome = replan(problem, published, [CancelCase(task="B")], **FAST)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.objective == 5
    assert [m.message for m in outcome.moves] == [
        "Hernia repair (B): cancelled (was Mon 07 Dec 09:00)",
        "Hernia repair (D): scheduled at Mon 07 Dec 09:00 in OR1",
    ]


# -- D2: a room closed for its whole opening time -----------------------------------


def test_a_room_closed_all_day_moves_its_cases_and_drops_those_with_no_other_room() -> None:
    # OR1 and OR2 open 08–18; A, B, C ran in OR1; C may use OR1 only. OR1 is closed
    # all day: A and B move to OR2 at the same times (100 each): objective 200; C is
    # taken out as unplaceable and reported as dropped (no cost in the new problem).
    problem = _list((_room("OR1"), _room("OR2")))
    c = problem.tasks[2].model_copy(update={"rooms": ("OR1",)})
    problem = problem.model_copy(update={"tasks": (*problem.tasks[:2], c)})
    published = _published({"A": H8, "B": H9, "C": H10})
    closed = RoomClosed(room="OR1", start=H8, end=H18, reason="laminar flow broken")
    outcome = replan(problem, published, [closed], **FAST)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.objective == 200
    assert [(m.task, m.kind, m.new_room) for m in outcome.moves] == [
        ("A", "moved", "OR2"),
        ("B", "moved", "OR2"),
        ("C", "dropped", None),
    ]
    assert outcome.dropped["C"] == (
        "no opening at all is left in its rooms (OR1 closed Mon 07 Dec 08:00–18:00 "
        "(laminar flow broken))"
    )
    with pytest.raises(InputError, match="must be scheduled, but no opening at all"):
        mandatory = c.model_copy(update={"optional": False})
        replan_problem(
            problem.model_copy(update={"tasks": (*problem.tasks[:2], mandatory)}),
            published,
            [closed],
        )
    with pytest.raises(InputError, match=r"holds started case 'A' \(Hernia repair\)"):
        replan_problem(problem, published, [closed], now=H8 + 10)


# -- D3: a start that only the precedence lag allows --------------------------------


def _precedence_problem() -> CaseProblem:
    """A (08:00–09:00) then B with a 7-minute lag, due 10:07: B fits at 09:07 only."""
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        rooms=(_room("OR1"),),
        tasks=(
            Task(id="A", name="A Biopsy", duration=60, release=H8),
            Task(id="B", name="B Resection", duration=60, due=H9 + 7 + 60),
            Task(id="X", procedure="Hernia repair", duration=60, optional=True),
        ),
        precedences=(Precedence(before="A", after="B", min_lag=7),),
    )


def test_an_off_grid_precedence_start_is_found_and_the_precedence_is_named() -> None:
    problem = _precedence_problem()
    result, _ = solve_verified(problem, time_limit=5)
    assert result.objective == 0 and result.schedule is not None
    assert result.schedule.by_task()["B"].start == H9 + 7
    a = ScheduledTask(task="A", start=H8, end=H9, room="OR1")
    late = CaseSchedule(tasks=(a, ScheduledTask(task="B", start=H11, end=H12, room="OR1")))
    found = explain_task(problem, late, "B")
    assert found is not None and found.free_slot is not None
    assert found.free_slot.start == H9 + 7
    assert found.reasons[0].message.startswith("a slot was free at Mon 07 Dec 09:07 in OR1")
    # X in OR1 09:10–10:10: 09:07 is taken too; the reason names A and the lag
    x = ScheduledTask(task="X", start=H9 + 10, end=H10 + 10, room="OR1")
    blocked = late.model_copy(update={"tasks": (*late.tasks, x)})
    found = explain_task(problem, blocked, "B")
    assert found is not None and found.free_slot is None
    assert [r.code for r in found.reasons] == ["room_busy", "precedence:0"]
    assert found.reasons[1].message.startswith(
        "it must start at least 7 min after A Biopsy ends (Mon 07 Dec 09:00), which rules out"
    )
    slot = find_slot(problem, problem.task("B"), Occupancy.of(problem, blocked, skip="B"))
    assert slot is not None and slot.start == H10 + 10


# -- D4: a booked room next to a free one ------------------------------------------


def test_rooms_are_not_called_booked_when_another_room_is_free() -> None:
    # One laser, two rooms; B (due 09:00) runs 09:00–10:00 after A in OR1. At 08:00
    # OR1 is busy but OR2 is free: the laser, not the rooms, makes B late.
    problem = CaseProblem(
        start=MONDAY,
        horizon=1440,
        rooms=(_room("OR1"), _room("OR2")),
        resources=(Resource(id="laser", name="Holmium laser", capacity=1),),
        tasks=(
            Task(id="A", name="A Laser 1", duration=60, due=H9, resources={"laser": 1}, priority=2),
            Task(id="B", name="B Laser 2", duration=60, due=H9, resources={"laser": 1}),
        ),
    )
    result, _ = solve_verified(problem, time_limit=5)
    assert result.objective == 60 and result.schedule is not None
    found = explain_task(problem, result.schedule, "B")
    assert found is not None
    each = "OR1 at 100%, OR2 at 0%"
    if result.schedule.by_task()["A"].room == "OR2":
        each = "OR1 at 0%, OR2 at 100%"
    assert found.message == (
        "B Laser 2: ends 60 min late — Holmium laser at capacity (1) at 100% of the possible "
        "times; its eligible rooms (OR1, OR2) are all booked at once at 0% of the possible "
        f"times ({each})"
    )


# -- D5: contradictory or repeated changes --------------------------------------------

CLOSED = RoomClosed(room="OR1", start=H11, end=H12)
B_LONG = CaseOverrun(task="B", actual_end=H11 + 30)
OVERLAP = (
    r"room 'OR1' holds started case 'B' \(Hernia repair\) Mon 07 Dec 09:00–11:30 \(it ran "
    r"long\) during the requested closure Mon 07 Dec 11:00–12:00; start the closure after "
    r"the case ends \(Mon 07 Dec 11:30\) or correct the case's actual end"
)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ([CLOSED, B_LONG], OVERLAP),
        ([B_LONG, CLOSED], OVERLAP),
        ([CancelCase(task="C"), CancelCase(task="C")], "'C' is already cancelled"),
        ([CancelCase(task="C"), CaseOverrun(task="C", actual_end=H12)], "already cancelled"),
        (
            [CaseOverrun(task="A", actual_end=H9 + 30)],
            r"case 'A' \(Hernia repair\) runs until Mon 07 Dec 09:30, but started case 'B' "
            r"\(Hernia repair\) began at Mon 07 Dec 09:00 in the same room OR1",
        ),
        (
            [CaseOverrun(task="A", actual_end=1500)],
            r"its actual end \(Tue 08 Dec 01:00\) is after the end of the schedule "
            r"\(Tue 08 Dec 00:00\)",
        ),
        (
            [RoomClosed(room="OR1", start=H10 + 20, end=H10 + 40)],
            r"the closure of room OR1 Mon 07 Dec 10:20–10:40 clashes with the pin of case "
            r"'C' \(Hernia repair: Mon 07 Dec 10:00–11:00 in room OR1\)",
        ),
        (
            [StaffUnavailable(staff="S1", start=H10 + 20, end=H10 + 40, reason="ill")],
            r"Mr Okafor \(S1\) unavailable Mon 07 Dec 10:20–10:40 \(ill\) clashes with the "
            r"pin of case 'C'",
        ),
    ],
)
def test_contradictory_changes_are_refused_naming_both(changes: list[Change], message: str) -> None:
    # A 08:00, B 09:00 (started at now = 09:05), C 10:00 pinned there by the planner.
    problem = _list((_room("OR1"), _room("OR2")))
    problem = problem.model_copy(update={"pins": (CasePin(task="C", start=H10, room="OR1"),)})
    with pytest.raises(InputError, match=message):
        replan_problem(problem, _published({"A": H8, "B": H9, "C": H10}), changes, now=H9 + 5)


def test_a_list_whose_surgeon_is_off_all_day_is_reported_as_dropped() -> None:
    problem = _list((_room("OR1"),))
    published = _published({"A": H8, "B": H9, "C": H10})
    away = StaffUnavailable(staff="S1", start=0, end=1440)
    outcome = replan(problem, published, [away], **FAST)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.schedule is not None and outcome.result.schedule.tasks == ()
    assert [(m.task, m.kind) for m in outcome.moves] == [
        ("A", "dropped"),
        ("B", "dropped"),
        ("C", "dropped"),
    ]
    away_all_day = "Mr Okafor is unavailable from Mon 07 Dec 00:00 to Tue 08 Dec 00:00"
    assert outcome.dropped == {t: away_all_day for t in "ABC"}
    assert outcome.notes == [
        "re-plan: no case is left that can be scheduled after the changes; all are dropped"
    ]
