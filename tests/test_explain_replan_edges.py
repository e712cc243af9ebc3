"""Edge cases of case explanations, utilisation and re-planning (probe findings 14–15).

Each reason must be true for the schedule at hand; utilisation never exceeds 100 %
for a feasible schedule; a re-plan says when a new case is left out or when no
schedule exists at all.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.explain.case_utilisation import room_summary, room_utilisation, staff_utilisation
from optimizer.explain.cases import explain_schedule
from optimizer.model.cases import (
    CaseProblem,
    Opening,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.replan import AddCase, Change, ReplanOutcome, RoomClosed, StaffUnavailable, replan
from tests.verify import solve_verified, verify_result

MONDAY = dt.datetime(2026, 12, 7)
H8, H9, H10, H11, H12, H13, H18 = 480, 540, 600, 660, 720, 780, 1080
SOLVE: dict[str, Any] = dict(time_limit=10, workers=1, seed=0)


def _surgeon(start: int, end: int, staff_id: str = "S1", name: str = "Mr Daniel Okafor") -> Any:
    return StaffMember(id=staff_id, name=name, available=(Window(start=start, end=end),))


def _one_case(task: Task, staff: tuple[StaffMember, ...], *openings: Opening) -> CaseProblem:
    room = Room(id="OR1", openings=openings or (Opening(start=H8, end=H18),))
    return CaseProblem(start=MONDAY, horizon=1440, tasks=(task,), rooms=(room,), staff=staff)


def _explained(problem: CaseProblem) -> tuple[Result, list[str]]:
    result, _ = solve_verified(problem, **SOLVE)
    return result, explain_schedule(problem, result).messages()


# -- finding 14: late and unscheduled reasons -----------------------------------------


def test_late_case_blames_the_surgeon_coming_on_duty_after_the_due_time() -> None:
    # The probe's repro: due 10:00, Mr Okafor on duty 11:00–18:00, the room open all
    # day. The earliest start is 11:00, ending 12:00: 120 min late, cost 120.
    task = Task(id="A", name="Hernia A", duration=60, due=H10, staff=("S1",))
    result, messages = _explained(_one_case(task, (_surgeon(H11, H18),)))
    assert result.objective == 120
    assert messages == [
        "Hernia A: ends 120 min late — Mr Daniel Okafor is on duty only from "
        "Mon 07 Dec 11:00, after its due time Mon 07 Dec 10:00"
    ]


def test_late_case_whose_surgeon_starts_too_close_to_the_due_time() -> None:
    # On duty from 09:30: the case runs 09:30–10:30, 30 min late (cost 30).
    task = Task(id="A", name="Hernia A", duration=60, due=H10, staff=("S1",))
    result, messages = _explained(_one_case(task, (_surgeon(H9 + 30, H18),)))
    assert result.objective == 30
    assert messages == [
        "Hernia A: ends 30 min late — Mr Daniel Okafor is on duty for less than 60 minutes "
        "before its due time Mon 07 Dec 10:00 (Mon 07 Dec 09:30–10:00)"
    ]


def test_late_case_whose_room_shuts_while_the_surgeon_is_on() -> None:
    # The room is open 08:00–09:30 and from 10:00; Mr Okafor comes at 09:00. The only
    # hour he has before 10:00 the room is shut for half of: 10:00–11:00, cost 60.
    task = Task(id="A", name="Hernia A", duration=60, due=H10, staff=("S1",))
    problem = _one_case(
        task, (_surgeon(H9, H18),), Opening(start=H8, end=H9 + 30), Opening(start=H10, end=H18)
    )
    result, messages = _explained(problem)
    assert result.objective == 60
    assert messages == [
        "Hernia A: ends 60 min late — before its due time Mon 07 Dec 10:00, Mr Daniel Okafor "
        "is on duty only Mon 07 Dec 09:00–10:00, and no room opening then holds the "
        "60-minute case"
    ]


def test_late_case_without_an_anaesthetist_before_the_due_time() -> None:
    # The anaesthetist comes at 11:00 although the surgeon is there from 08:00: cost 120.
    task = Task(
        id="A",
        name="Hernia A",
        duration=60,
        due=H10,
        staff=("S1",),
        team=(TeamRequirement(role="anaesthetist"),),
    )
    anaesthetist = StaffMember(
        id="AN1",
        name="Dr Priya Raman",
        roles=("anaesthetist",),
        available=(Window(start=H11, end=H18),),
    )
    result, messages = _explained(_one_case(task, (_surgeon(H8, H18), anaesthetist)))
    assert result.objective == 120
    assert messages == [
        "Hernia A: ends 120 min late — no qualified anaesthetist on duty for 60 minutes "
        "ending by its due time Mon 07 Dec 10:00 when Mr Daniel Okafor operates"
    ]


def test_late_case_released_too_close_to_its_due_time() -> None:
    # Released 09:30, due 10:00, 60 minutes long: 30 min late whatever happens.
    task = Task(id="A", name="Hernia A", duration=60, release=H9 + 30, due=H10)
    result, messages = _explained(_one_case(task, ()))
    assert result.objective == 30
    assert messages == [
        "Hernia A: ends 30 min late — its due time Mon 07 Dec 10:00 is less than 60 minutes "
        "after its earliest start Mon 07 Dec 09:30"
    ]


@pytest.mark.parametrize(
    ("away_from", "reason"),
    [
        (0, "Mr Daniel Okafor is unavailable from Mon 07 Dec 00:00 to 12:00"),
        (H8, "Mr Daniel Okafor is unavailable from Mon 07 Dec 08:00 to 12:00"),
    ],
)
def test_a_case_dropped_because_its_surgeon_is_away_for_its_whole_window(
    away_from: int, reason: str
) -> None:
    # A may run 09:00–12:00 only; Mr Okafor is away until 12:00. A is taken out before
    # the solve with the reason; B moves to 12:00.
    problem = _list().model_copy(
        update={
            "tasks": (
                _list().tasks[0].model_copy(update={"release": H9, "deadline": H12}),
                _list().tasks[1],
            )
        }
    )
    problem = CaseProblem.model_validate(problem.model_dump())
    published = CaseSchedule(
        tasks=(
            ScheduledTask(task="A", start=H9, end=H10, room="OR1", staff=("S1",)),
            ScheduledTask(task="B", start=H10, end=H11, room="OR1", staff=("S1",)),
        )
    )
    away = StaffUnavailable(staff="S1", start=away_from, end=H12)
    outcome = _replan(problem, published, [away])
    assert outcome.dropped == {"A": reason}
    assert outcome.messages() == [
        f"Hernia repair (A): dropped from the schedule (was Mon 07 Dec 09:00): {reason}",
        "Hernia repair (B): Mon 07 Dec 10:00 → Mon 07 Dec 12:00",
    ]


def test_unscheduled_case_whose_two_surgeons_never_overlap() -> None:
    # Mr Okafor works 08–09, Ms Marsh 09–18: each alone could operate, never together.
    task = Task(id="A", name="Hernia A", duration=60, optional=True, staff=("S1", "S2"))
    staff = (_surgeon(H8, H9), _surgeon(H9, H18, "S2", "Ms Helen Marsh"))
    result, messages = _explained(_one_case(task, staff))
    assert result.objective == 1000
    assert messages == [
        "Hernia A: not scheduled — Ms Helen Marsh and Mr Daniel Okafor are never on duty "
        "together while a room is open for the 60-minute case"
    ]


# -- finding 15: utilisation ------------------------------------------------------------


def test_room_utilisation_counts_the_overtime_used_as_open_time() -> None:
    # The probe's repro: OR1 open 08–10 with up to 60 min overtime; 60 + 60 + 50
    # mandatory minutes need 50 min of overtime (cost 50). Mr Okafor is on 08–11.
    tasks = tuple(
        Task(id=t, duration=d, staff=("S1",)) for t, d in (("A", 60), ("B", 60), ("C", 50))
    )
    room = Room(id="OR1", openings=(Opening(start=H8, end=H10, overtime=60),), turnover=0)
    problem = CaseProblem(
        start=MONDAY, horizon=1440, tasks=tasks, rooms=(room,), staff=(_surgeon(H8, H11),)
    )
    result, report = solve_verified(problem, **SOLVE)
    assert result.objective == 50
    assert result.schedule is not None
    (util,) = room_utilisation(problem, result.schedule)
    charged = sum(p.amount or 0 for p in report.penalties if p.rule == "overtime")
    assert (util.booked_minutes, util.open_minutes, util.overtime_minutes) == (170, 120, charged)
    assert charged == 50 and util.utilisation == 1.0
    (row,) = room_summary(problem, result)
    assert (row.utilisation_pct, row.overtime_minutes) == (100.0, 50)
    (person,) = staff_utilisation(problem, result.schedule)
    assert (person.booked_minutes, person.on_duty_minutes) == (170, 180)
    assert person.utilisation <= 1.0


def test_overtime_of_each_opening_counts_as_the_checker_charges_it() -> None:
    # OR1 is open 08–09 and 13–14, each with up to 30 min overtime; two 80-minute
    # cases need 20 min of overtime each (cost 40): 160 booked of 120 + 40 minutes.
    room = Room(
        id="OR1",
        openings=(
            Opening(start=H8, end=H9, overtime=30),
            Opening(start=H13, end=H13 + 60, overtime=30),
        ),
    )
    tasks = (Task(id="A", duration=80), Task(id="B", duration=80))
    problem = CaseProblem(start=MONDAY, horizon=1440, tasks=tasks, rooms=(room,))
    result, report = solve_verified(problem, **SOLVE)
    assert result.objective == 40 and result.schedule is not None
    (util,) = room_utilisation(problem, result.schedule)
    charged = sum(p.amount or 0 for p in report.penalties if p.rule == "overtime")
    assert util.overtime_minutes == charged == 40
    assert (util.booked_minutes, util.available_minutes, util.utilisation) == (160, 160, 1.0)


# -- finding 15: re-planning -----------------------------------------------------------------


def _list(optional: bool = True) -> CaseProblem:
    """Mr Okafor's list in OR1 (08:00–18:00): A, B, C of 60 minutes."""
    return CaseProblem(
        start=MONDAY,
        horizon=1440,
        tasks=tuple(
            Task(id=t, procedure="Hernia repair", duration=60, optional=optional, staff=("S1",))
            for t in "ABC"
        ),
        rooms=(Room(id="OR1", openings=(Opening(start=H8, end=H18),)),),
        staff=(StaffMember(id="S1", name="Mr Daniel Okafor"),),
    )


def _published(tasks: str = "ABC") -> CaseSchedule:
    return CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=t, start=H8 + 60 * i, end=H9 + 60 * i, room="OR1", staff=("S1",))
            for i, t in enumerate(tasks)
        )
    )


def _replan(problem: CaseProblem, published: CaseSchedule, changes: list[Change]) -> Any:
    outcome: ReplanOutcome = replan(problem, published, changes, **SOLVE)
    if outcome.result.status.has_solution:
        verify_result(outcome.problem, outcome.result)
    return outcome


def test_an_added_case_that_can_never_be_placed_is_reported() -> None:
    # Ms Haddad is on duty only 20:00–21:40, when OR1 is shut: her new case is taken
    # out before the solve; nothing else moves (cost 0).
    haddad = _surgeon(1200, 1300, "S2", "Ms Amira Haddad")
    problem = _list().model_copy(update={"staff": (*_list().staff, haddad)})
    new = Task(id="D", procedure="Knee arthroscopy", duration=60, optional=True, staff=("S2",))
    outcome = _replan(problem, _published(), [AddCase(task=new)])
    assert outcome.result.objective == 0 and set(outcome.dropped) == {"D"}
    assert [(m.task, m.kind) for m in outcome.moves] == [("D", "unscheduled")]
    assert outcome.messages() == [
        "Knee arthroscopy (D): new case not scheduled: Ms Amira Haddad is on duty only "
        "Mon 07 Dec 20:00–21:40, and no room opening then holds the 60-minute case within "
        "its window"
    ]


def test_an_added_case_the_solver_leaves_out_is_reported_with_the_reason() -> None:
    # OR1 is open 08–11 and full with A, B, C. Placing the new case E would drop one
    # of them (100 for the move + 1000 unscheduled) instead of E (1000): E stays out.
    problem = _list().model_copy(
        update={"rooms": (Room(id="OR1", openings=(Opening(start=H8, end=H11),)),)}
    )
    new = Task(id="E", procedure="Knee arthroscopy", duration=60, optional=True)
    outcome = _replan(problem, _published(), [AddCase(task=new)])
    assert outcome.result.objective == 1000 and outcome.dropped == {}
    assert [(m.task, m.kind) for m in outcome.moves] == [("E", "unscheduled")]
    assert outcome.messages() == [
        "Knee arthroscopy (E): new case not scheduled: its eligible rooms (OR1) are booked at "
        "100% of the possible times"
    ]


def test_an_infeasible_replan_says_so_and_names_the_overbooked_surgeon() -> None:
    # The probe's repro: A and B are mandatory; Mr Okafor is away from 09:00, leaving
    # one hour for two cases. Making B optional gives a schedule that checks.
    mandatory = _list(optional=False)
    problem = mandatory.model_copy(update={"tasks": mandatory.tasks[:2]})
    problem = CaseProblem.model_validate(problem.model_dump())
    away: list[Change] = [StaffUnavailable(staff="S1", start=H9, end=1440)]
    outcome = _replan(problem, _published("AB"), away)
    assert outcome.result.status == SolveStatus.INFEASIBLE and outcome.moves == []
    assert outcome.messages() == [
        "re-plan: no schedule keeps every mandatory and pinned case after the changes",
        "likely cause: Mr Daniel Okafor is named on 120 minutes of mandatory cases but is "
        "on duty only 60 minutes while their rooms are open",
    ]
    tasks = (problem.tasks[0], problem.tasks[1].model_copy(update={"optional": True}))
    relaxed = _replan(problem.model_copy(update={"tasks": tasks}), _published("AB"), away)
    assert relaxed.result.objective == 1110  # B dropped: 100 + 10 for its surgeon + 1000
    assert relaxed.messages() == [
        "Hernia repair (B): dropped from the schedule (was Mon 07 Dec 09:00): its eligible "
        "rooms (OR1) are booked at 100% of the possible times; Mr Daniel Okafor is on other "
        "cases at 100% of the possible times"
    ]


def test_an_infeasible_replan_without_a_single_cause_names_the_changes() -> None:
    # Two surgeons, one case each, both mandatory; OR1 now closes at 09:00. Each case
    # fits alone, not both: no single cause, so the note names the change.
    marsh = StaffMember(id="S2", name="Ms Helen Marsh")
    tasks = (
        Task(id="A", procedure="Hernia repair", duration=60, staff=("S1",)),
        Task(id="B", procedure="Knee arthroscopy", duration=60, staff=("S2",)),
    )
    problem = _list().model_copy(update={"tasks": tasks, "staff": (*_list().staff, marsh)})
    published = CaseSchedule(
        tasks=(
            ScheduledTask(task="A", start=H8, end=H9, room="OR1", staff=("S1",)),
            ScheduledTask(task="B", start=H9, end=H10, room="OR1", staff=("S2",)),
        )
    )
    outcome = _replan(problem, published, [RoomClosed(room="OR1", start=H9, end=1440)])
    assert outcome.result.status == SolveStatus.INFEASIBLE
    (head, hint) = outcome.messages()
    assert head == "re-plan: no schedule keeps every mandatory and pinned case after the changes"
    assert hint.startswith("no single case is impossible on its own")
    assert "(room OR1 closed Mon 07 Dec 09:00 – Tue 08 Dec 00:00)" in hint
    assert 'mark some optional ("optional": true)' in hint


def test_every_case_out_of_a_replanned_schedule_has_a_reason() -> None:
    # Mr Okafor is away from 09:00 (A, B, C optional): only A (08–09) still fits, so
    # B and C are dropped and his added case D is left out; each line says why.
    new = Task(id="D", procedure="Knee arthroscopy", duration=60, optional=True, staff=("S1",))
    away = StaffUnavailable(staff="S1", start=H9, end=1440)
    outcome = _replan(_list(), _published(), [AddCase(task=new), away])
    assert [(m.task, m.kind) for m in outcome.moves] == [
        ("B", "dropped"),
        ("C", "dropped"),
        ("D", "unscheduled"),
    ]
    assert all(
        m.message.endswith("Mr Daniel Okafor is on other cases at 100% of the possible times")
        for m in outcome.moves
    )
