"""Case explanations say the true reason (probe P-CASES defects 3, 4, 6, 7, 8).

A role off duty is told apart from a role on duty only while no room is open and from
a role nobody holds; a role holder over ``max_minutes`` is named as such; an absence
is named with its reason; explaining a result without a schedule is an ``InputError``;
room turnover minutes count only turnovers inside one opening.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.check import check
from optimizer.errors import InputError
from optimizer.explain.case_reasons import TaskExplanation
from optimizer.explain.case_utilisation import room_summary, room_utilisation
from optimizer.explain.cases import explain_schedule
from optimizer.model.cases import (
    Absence,
    CaseProblem,
    Opening,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.replan import StaffUnavailable, replan
from tests.verify import solve_verified, verify_result

MONDAY = dt.datetime(2026, 12, 7, 8, 0)  # minute 0 is 08:00
SOLVE: dict[str, Any] = dict(time_limit=5, workers=1, seed=0)


def _knee(**kw: Any) -> Task:
    fields: dict[str, Any] = dict(
        id="A",
        name="Knee",
        duration=60,
        optional=True,
        team=(TeamRequirement(role="anaesthetist"),),
    )
    return Task(**{**fields, **kw})


def _problem(task: Task, staff: tuple[StaffMember, ...], *openings: Opening) -> CaseProblem:
    room = Room(id="OR1", openings=openings)
    return CaseProblem(start=MONDAY, horizon=600, tasks=(task,), rooms=(room,), staff=staff)


def _explained(problem: CaseProblem) -> TaskExplanation:
    """The only case is left out at its cost (1000): its explanation."""
    result, _ = solve_verified(problem, **SOLVE)
    assert result.objective == 1000
    (explained,) = explain_schedule(problem, result).tasks
    return explained


def _dr(staff_id: str, name: str, *windows: Window, **kw: Any) -> StaffMember:
    return StaffMember(
        id=staff_id, name=name, roles=("anaesthetist",), available=windows or None, **kw
    )


# -- defect 3: role off duty, on duty only while the rooms are closed, or held by nobody --


def test_the_only_anaesthetist_on_duty_only_while_the_room_is_closed() -> None:
    # OR1 open 08:00-12:00, Dr A on duty 13:00-18:00: never together (cost 1000).
    problem = _problem(
        _knee(), (_dr("AN1", "Dr A", Window(start=300, end=600)),), Opening(start=0, end=240)
    )
    (reason,) = _explained(problem).reasons
    assert reason.code == "role_off_duty:anaesthetist"
    assert reason.message == (
        "Dr A (the only anaesthetist) is on duty only Mon 07 Dec 13:00–18:00, and no room "
        "opening then holds the 60-minute case"
    )


def test_two_anaesthetists_on_duty_only_while_the_room_is_closed_are_both_named() -> None:
    staff = (
        _dr("AN1", "Dr A", Window(start=300, end=420)),
        _dr("AN2", "Dr B", Window(start=450, end=600)),
    )
    problem = _problem(_knee(), staff, Opening(start=0, end=240))
    (reason,) = _explained(problem).reasons
    assert reason.message == (
        "the anaesthetists (Dr A, Dr B) are on duty only Mon 07 Dec 13:00–15:00, "
        "Mon 07 Dec 15:30–18:00, and no room opening then holds the 60-minute case"
    )


def test_an_anaesthetist_off_duty_within_the_window_is_still_said_to_be_off_duty() -> None:
    # The case must end by 12:00 (deadline 240); the room is open all day, Dr A comes
    # at 13:00: off duty within the window, rooms have nothing to do with it.
    task = _knee(deadline=240)
    problem = _problem(task, (_dr("AN1", "Dr A", Window(start=300, end=600)),))
    (reason,) = _explained(problem).reasons
    assert reason.code == "role_off_duty:anaesthetist"
    assert reason.message == "no qualified anaesthetist on duty for 60 minutes on Mon 07 Dec"


def test_a_role_nobody_holds_is_named() -> None:
    task = _knee(name="Valve", team=(TeamRequirement(role="perfusionist"),))
    problem = _problem(task, (_dr("AN1", "Dr A"),))
    (reason,) = _explained(problem).reasons
    assert reason.code == "role_missing:perfusionist"
    assert reason.message == "no staff member holds the role perfusionist"


def test_a_role_held_by_too_few_is_named_with_the_holders() -> None:
    task = _knee(team=(TeamRequirement(role="anaesthetist", count=2),))
    problem = _problem(task, (_dr("AN1", "Dr A"),))
    (reason,) = _explained(problem).reasons
    assert reason.code == "role_missing:anaesthetist"
    assert reason.message == (
        "only 1 staff member holds the role anaesthetist (Dr A), and the case needs 2"
    )


# -- defect 4: a free role holder over max_minutes -------------------------------------


def test_the_only_anaesthetist_over_max_minutes_is_named() -> None:
    # Dr A may work 30 minutes, the case takes 60; nobody is busy.
    problem = _problem(_knee(), (_dr("AN1", "Dr A", max_minutes=30),))
    (reason,) = _explained(problem).reasons
    assert reason.code == "role_max_minutes:anaesthetist"
    assert reason.message == "Dr A (the only anaesthetist) would exceed max 30 working minutes"
    assert reason.share == 1.0


def test_an_anaesthetist_over_max_minutes_after_another_case_is_not_called_busy() -> None:
    # Dr A (max 90) does the mandatory Hip (60 min); Knee (60 more) would take him to
    # 120: Knee stays out (cost 1000), the limit named, not "no free anaesthetist".
    hip = Task(id="B", name="Hip", duration=60, team=(TeamRequirement(role="anaesthetist"),))
    problem = CaseProblem(
        start=MONDAY,
        horizon=600,
        tasks=(_knee(), hip),
        rooms=(Room(id="OR1"),),
        staff=(_dr("AN1", "Dr A", max_minutes=90),),
    )
    result, _ = solve_verified(problem, **SOLVE)
    assert result.objective == 1000
    (explained,) = explain_schedule(problem, result).tasks
    # Hip runs 08:00-09:00 (room and Dr A busy at 12 of the 109 starts); at every other
    # start Dr A is free but over his limit.
    assert [(r.code, r.message) for r in explained.reasons[:2]] == [
        (
            "role_max_minutes:anaesthetist",
            "Dr A (the only anaesthetist) would exceed max 90 working minutes at 89% of the "
            "possible times",
        ),
        ("role_short:anaesthetist", "no free qualified anaesthetist at 11% of the possible times"),
    ]


# -- defect 8: an absence is named with its reason --------------------------------------


def test_a_surgeon_away_sick_is_named_with_the_reason() -> None:
    task = Task(id="A", name="Gallbladder", duration=90, optional=True, staff=("S2",))
    away = Absence(start=70, end=720, reason="sick")
    jones = StaffMember(id="S2", name="Ms Jones", available=(Window(start=0, end=600),))
    problem = _problem(
        task.model_copy(update={"release": 70}),
        (jones.model_copy(update={"unavailable": (away,)}),),
        Opening(start=0, end=480),
    )
    problem = CaseProblem.model_validate(problem.model_dump())  # the reason survives JSON
    (reason,) = _explained(problem).reasons
    assert reason.code == "staff_off_duty"
    assert reason.message == "Ms Jones is unavailable (sick) from Mon 07 Dec 09:10 to 20:00"


def test_the_only_anaesthetist_on_leave_is_named_with_the_reason() -> None:
    dr_a = _dr("AN1", "Dr A", unavailable=(Absence(start=0, end=1440, reason="leave"),))
    problem = CaseProblem.model_validate(
        {**_problem(_knee(), (dr_a,)).model_dump(), "horizon": 1440}
    )
    (reason,) = _explained(problem).reasons
    assert reason.message == (
        "Dr A (the only anaesthetist) is unavailable (leave) from Mon 07 Dec 08:00 to "
        "Tue 08 Dec 08:00"
    )


def test_a_replan_drop_for_an_absence_names_the_absence() -> None:
    # Ms Jones falls sick at 09:10: her optional Gallbladder (10:15) is dropped because
    # she is away, not because of her rota.
    jones = StaffMember(id="S2", name="Ms Jones", available=(Window(start=0, end=600),))
    task = Task(id="C4", name="Gallbladder", duration=90, optional=True, staff=("S2",))
    problem = _problem(task, (jones,), Opening(start=0, end=480))
    published = CaseSchedule(
        tasks=(ScheduledTask(task="C4", start=135, end=225, room="OR1", staff=("S2",)),)
    )
    sick = StaffUnavailable(staff="S2", start=70, end=720, reason="sick")
    outcome = replan(problem, published, [sick], now=70, **SOLVE)
    verify_result(outcome.problem, outcome.result)
    why = outcome.dropped["C4"]
    assert why == "Ms Jones is unavailable (sick) from Mon 07 Dec 09:10 to 20:00"
    assert outcome.problem.person("S2").unavailable == (Absence(start=70, end=720, reason="sick"),)


# -- defect 6: explaining a result without a schedule -----------------------------------


def test_explaining_a_result_without_a_schedule_is_an_input_error_on_the_solution() -> None:
    # Two 60-minute cases in one room open 100 minutes: no schedule (as the solver
    # reports it; no solve here, so there is nothing for the checker to verify).
    problem = CaseProblem(
        horizon=100,
        tasks=(Task(id="A", duration=60), Task(id="B", duration=60)),
        rooms=(Room(id="R"),),
    )
    result = Result(status=SolveStatus.INFEASIBLE)
    for explain in (explain_schedule, room_summary):
        with pytest.raises(InputError) as caught:
            explain(problem, result)
        assert caught.value.field == "solution"
        assert "this INFEASIBLE result holds no solution" in str(caught.value)


# -- defect 7: turnover minutes only inside one opening ---------------------------------


def test_turnover_minutes_count_only_turnovers_within_one_opening() -> None:
    # AM 08:00-12:00 and PM 13:00-17:00, turnover 15: two cases in each opening and a
    # milestone. Turnovers: one per opening = 30 minutes (not 4 x 15 = 60).
    cases = [Task(id=f"C{i}", duration=60) for i in range(4)]
    problem = CaseProblem(
        start=MONDAY,
        horizon=600,
        turnover=15,
        tasks=(*cases, Task(id="M", duration=0)),
        rooms=(Room(id="OR1", openings=(Opening(start=0, end=240), Opening(start=300, end=540))),),
    )
    starts = {"C0": 0, "C1": 75, "C2": 300, "C3": 375}
    placed = [ScheduledTask(task=t, start=s, end=s + 60, room="OR1") for t, s in starts.items()]
    milestone = ScheduledTask(task="M", start=450, end=450, room="OR1")
    schedule = CaseSchedule(tasks=(*placed, milestone))
    assert check(problem, schedule).feasible
    (room,) = room_utilisation(problem, schedule)
    assert (room.cases, room.turnover_minutes, room.idle_minutes) == (5, 30, 0)
