"""Idle gaps in rooms and staff overtime past on-duty windows: hand-worked optima,
the checker's wording, bad input and the table bundle round trip."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from optimizer import solve
from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.explain.case_reasons import explain_task
from optimizer.explain.case_utilisation import room_summary, room_utilisation, staff_utilisation
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model import (
    CasePin,
    CaseProblem,
    CaseSchedule,
    CaseWeights,
    Opening,
    Result,
    Room,
    ScheduledTask,
    SolveStatus,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.cases import Absence
from optimizer.replan import CaseOverrun, StaffUnavailable, replan
from tests.verify import solve_verified, verify_result

ONLY_IDLE = CaseWeights(unscheduled=0, tardiness=0, overtime=0, idle=1)
NURSE = (TeamRequirement(role="nurse"),)


def _optimum(problem: CaseProblem) -> tuple[int, dict[str, int]]:
    result, report = solve_verified(problem, time_limit=20)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective is not None
    return result.objective, report.cost_by_rule()


def _idle_problem(**weights: Any) -> CaseProblem:
    """a must end by 20, b must run 50–70: one room, turnover 10."""
    return CaseProblem(
        horizon=200,
        turnover=10,
        rooms=(Room(id="R"),),
        tasks=(
            Task(id="a", duration=20, deadline=20),
            Task(id="b", duration=20, release=50, deadline=70),
            Task(id="c", duration=15, optional=True, unscheduled_penalty=100),
        ),
        weights=ONLY_IDLE.model_copy(update=weights),
    )


def test_idle_gap_is_the_empty_time_beyond_turnover() -> None:
    # a 0–20, b from 50: the gap of 30 is 10 turnover + 20 idle. The optional c
    # does not fit the gap (20 + 10 + 15 + 10 = 55 > 50), so it runs after b.
    cost, terms = _optimum(_idle_problem())
    assert cost == 20
    assert terms == {"idle": 20}


def test_idle_gap_is_free_without_its_weight() -> None:
    cost, terms = _optimum(_idle_problem(idle=0))
    assert cost == 0
    assert terms == {}


def test_idle_weight_moves_a_case_into_the_gap() -> None:
    # With b at 55–75 instead, c fits the gap: a 0–20, c 30–45, b 55–75, no idle.
    problem = _idle_problem()
    later = problem.tasks[1].model_copy(update={"release": 55, "deadline": 75})
    problem = problem.model_copy(update={"tasks": (problem.tasks[0], later, problem.tasks[2])})
    problem = CaseProblem.model_validate(problem.model_dump())
    cost, _ = _optimum(problem)
    assert cost == 0


def test_idle_counts_per_opening_not_across_the_closed_time() -> None:
    room = Room(id="R", openings=(Opening(start=0, end=30), Opening(start=100, end=130)))
    problem = CaseProblem(
        horizon=200,
        rooms=(room,),
        tasks=(Task(id="a", duration=30), Task(id="b", duration=30)),
        weights=ONLY_IDLE,
    )
    cost, _ = _optimum(problem)
    assert cost == 0  # one case per opening: the closed time 30–100 is not idle


def _overtime_problem(overtime: int) -> CaseProblem:
    """Nurse N on duty 0–200 and 400–600; B (100 min) cannot start before 150."""
    return CaseProblem(
        horizon=600,
        turnover=10,
        rooms=(Room(id="R", openings=(Opening(start=0, end=300, overtime=60),)),),
        staff=(
            StaffMember(
                id="N",
                name="Nurse Ames",
                roles=("nurse",),
                available=(Window(start=0, end=200), Window(start=400, end=600)),
                overtime=overtime,
            ),
        ),
        tasks=(
            Task(id="A", duration=100, team=NURSE),
            Task(id="B", duration=100, release=150, team=NURSE),
        ),
        weights=CaseWeights(unscheduled=100, tardiness=0, overtime=1, staff_overtime=2),
    )


def _nurse_schedule(b_start: int = 150) -> CaseSchedule:
    """Nurse N on A 0–100 and on B from ``b_start``, both in room R."""
    return CaseSchedule(
        tasks=(
            ScheduledTask(task="A", start=0, end=100, room="R", staff=("N",)),
            ScheduledTask(task="B", start=b_start, end=b_start + 100, room="R", staff=("N",)),
        )
    )


def _checked_result(problem: CaseProblem, schedule: CaseSchedule) -> Result:
    """``schedule`` as a Result, its objective recomputed by the checker (which accepts it)."""
    report = check(problem, schedule)
    assert report.feasible, report.violations
    return Result(status=SolveStatus.FEASIBLE, objective=report.objective, schedule=schedule)


def test_staff_overtime_costs_each_minute_past_the_window() -> None:
    # B runs 150–250: 50 minutes past the nurse's 200, at 2 per minute.
    cost, terms = _optimum(_overtime_problem(overtime=50))
    assert cost == 100
    assert terms == {"staff_overtime": 100}
    _, report = solve_verified(_overtime_problem(overtime=50), time_limit=20)
    message = next(p.message for p in report.penalties if p.rule == "staff_overtime")
    assert message.startswith("Nurse Ames: 50 min overtime after t=200")


def test_staff_overtime_allowance_is_a_hard_limit() -> None:
    # With 40 minutes allowed, B (which needs 50) cannot run in the first window,
    # and the room is closed by the second.
    result = solve(_overtime_problem(overtime=40), time_limit=20, workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE


def test_a_negative_allowance_is_refused() -> None:
    with pytest.raises(ValidationError, match="overtime"):
        StaffMember(id="N", overtime=-5)


def test_work_windows_stop_at_the_next_window() -> None:
    person = StaffMember(
        id="N", available=(Window(start=0, end=100), Window(start=130, end=200)), overtime=60
    )
    problem = CaseProblem(horizon=300, staff=(person,), tasks=(Task(id="t", duration=10),))
    assert problem.work_windows_of(person) == [(0, 130), (130, 260)]


def test_checker_reports_staff_overtime_and_work_outside_it() -> None:
    problem = _overtime_problem(overtime=50)
    within = _nurse_schedule()
    report = check(problem, within)
    assert report.feasible
    assert report.cost_by_rule() == {"staff_overtime": 100}
    beyond = _nurse_schedule(b_start=160)
    assert [v.rule for v in check(problem, beyond).violations] == ["availability"]


def test_bundle_round_trip_keeps_overtime_and_weights() -> None:
    problem = _overtime_problem(overtime=50).model_copy(
        update={"weights": CaseWeights(staff_overtime=3, idle=2)}
    )
    again = read_bundle("cases.xlsx", tables_to_xlsx(problem_tables(problem)))
    assert isinstance(again, CaseProblem)
    assert again.staff[0].overtime == 50
    assert (again.weights.staff_overtime, again.weights.idle) == (3, 2)


def test_utilisation_reports_idle_and_staff_overtime_minutes() -> None:
    problem = _overtime_problem(overtime=50)
    schedule = _nurse_schedule()
    (room,) = room_utilisation(problem, schedule)
    assert room.idle_minutes == 40  # 50 minutes apart, turnover 10
    (nurse,) = staff_utilisation(problem, schedule)
    assert nurse.overtime_minutes == 50
    assert room_summary(problem, schedule)[0].idle_minutes == 40


def test_someone_never_on_duty_has_no_work_windows() -> None:
    person = StaffMember(id="N", available=(), overtime=30)
    problem = CaseProblem(horizon=100, staff=(person,), tasks=(Task(id="t", duration=10),))
    assert problem.work_windows_of(person) == []


def test_what_if_overtime_cost_counts_staff_overtime() -> None:
    from dashboards.whatif import case_kpi_table

    problem = _overtime_problem(overtime=50)
    result, _ = solve_verified(problem, time_limit=20)
    table = case_kpi_table(problem, result, result)
    row = table[table["Measure"] == "Overtime cost"].iloc[0]
    assert str(row["Baseline"]) == "100"


def test_the_greedy_start_uses_the_overtime_allowance() -> None:
    # B fits only by running 50 minutes into the nurse's overtime: the greedy warm
    # start places it there.
    problem = _overtime_problem(overtime=50)
    schedule = greedy_schedule(problem)
    assert check(problem, schedule).feasible
    assert {item.task for item in schedule.tasks} == {"A", "B"}


# -- overtime against leave, overruns and breaks ----------------------------------------


def _surgeons(ann_overtime: int = 60) -> tuple[StaffMember, ...]:
    """Ann on duty 08:00–16:00 with an overtime allowance; Bob on duty all day."""
    return (
        StaffMember(
            id="ann",
            roles=("surgeon",),
            available=(Window(start=480, end=960),),
            overtime=ann_overtime,
        ),
        StaffMember(id="bob", roles=("surgeon",)),
    )


def test_unavailable_time_is_never_worked_even_in_overtime() -> None:
    person = StaffMember(
        id="ann",
        available=(Window(start=480, end=960),),
        unavailable=(Window(start=720, end=780),),
        overtime=60,
    )
    problem = CaseProblem(horizon=1440, staff=(person,), tasks=(Task(id="t", duration=10),))
    assert [(w.start, w.end) for w in problem.windows_of(person)] == [(480, 720), (780, 960)]
    assert problem.work_windows_of(person) == [(480, 720), (780, 1020)]


def test_replan_never_books_someone_in_their_sick_leave() -> None:
    # Ann goes home sick at 12:00: her case at 12:00 must move to Bob, not into her
    # overtime after the (shortened) morning window.
    problem = CaseProblem(
        horizon=1440,
        rooms=(Room(id="OR1", openings=(Opening(start=480, end=960),)),),
        staff=_surgeons(),
        tasks=(
            Task(id="a", duration=240, team=(TeamRequirement(role="surgeon"),)),
            Task(id="b", duration=60, team=(TeamRequirement(role="surgeon"),)),
        ),
    )
    published = CaseSchedule(
        tasks=(
            ScheduledTask(task="a", start=480, end=720, room="OR1", staff=("ann",)),
            ScheduledTask(task="b", start=720, end=780, room="OR1", staff=("ann",)),
        )
    )
    sick = StaffUnavailable(staff="ann", start=720, end=960, reason="sick")
    outcome = replan(problem, published, [sick], now=600, time_limit=10, workers=1, seed=0)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.schedule is not None
    b = outcome.result.schedule.by_task()["b"]
    assert b.staff == ("bob",)
    ann_away = outcome.problem.person("ann").unavailable
    assert ann_away == (Absence(start=720, end=960, reason="sick"),)


def test_an_absence_is_recorded_once_as_time_off() -> None:
    # The on-duty windows stay as rostered; the absence is only time off, so a table
    # bundle or the dashboard shows it once, in the time_off sheet.
    problem = CaseProblem(
        horizon=1440,
        rooms=(Room(id="OR1"),),
        staff=_surgeons(),
        tasks=(Task(id="a", duration=60, team=(TeamRequirement(role="surgeon"),)),),
    )
    published = CaseSchedule(
        tasks=(ScheduledTask(task="a", start=480, end=540, room="OR1", staff=("ann",)),)
    )
    changes = [
        StaffUnavailable(staff="ann", start=600, end=660),
        StaffUnavailable(staff="bob", start=0, end=540),
    ]
    outcome = replan(problem, published, changes, time_limit=10, workers=1, seed=0)
    verify_result(outcome.problem, outcome.result)
    ann, bob = outcome.problem.person("ann"), outcome.problem.person("bob")
    assert ann.available == (Window(start=480, end=960),)
    assert ann.unavailable == (Window(start=600, end=660),)
    assert bob.available is None  # always on duty, less the time off
    assert bob.unavailable == (Window(start=0, end=540),)
    windows = [(w.start, w.end) for w in outcome.problem.windows_of(ann)]
    assert windows == [(480, 600), (660, 960)]


def test_an_overrun_within_the_allowance_costs_staff_overtime() -> None:
    # Ann's case overruns to 16:20: within her 60 minutes, so her shift still ends at
    # 16:00 and the 20 minutes past it are staff overtime.
    problem = CaseProblem(
        horizon=1440,
        rooms=(Room(id="OR1"),),
        staff=_surgeons(),
        tasks=(Task(id="a", duration=420, staff=("ann",)),),
        weights=CaseWeights(tardiness=0, overtime=0, staff_overtime=1),
    )
    published = CaseSchedule(
        tasks=(ScheduledTask(task="a", start=480, end=900, room="OR1", staff=("ann",)),)
    )
    outcome = replan(
        problem,
        published,
        [CaseOverrun(task="a", actual_end=980)],
        now=600,
        time_limit=10,
        workers=1,
        seed=0,
    )
    verify_result(outcome.problem, outcome.result)
    assert outcome.problem.windows_of(outcome.problem.person("ann")) == [Window(start=480, end=960)]
    assert outcome.result.terms["staff_overtime"] == 20


def _break_problem(duration: int) -> CaseProblem:
    """Ann on duty 08:00–12:00 and 12:30–17:00, 60 minutes of overtime allowed."""
    ann = StaffMember(
        id="ann",
        available=(Window(start=480, end=720), Window(start=750, end=1020)),
        overtime=60,
    )
    return CaseProblem(
        horizon=1440,
        staff=(ann,),
        tasks=(Task(id="a", duration=duration, staff=("ann",), release=480),),
        weights=CaseWeights(tardiness=0, overtime=0),
    )


def test_a_case_across_a_short_break_costs_only_the_break() -> None:
    # 11:00–13:00: only 12:00–12:30 is off duty.
    problem = _break_problem(120).model_copy(update={"pins": (CasePin(task="a", start=660),)})
    problem = CaseProblem.model_validate(problem.model_dump())
    result, report = solve_verified(problem, time_limit=10)
    assert result.terms["staff_overtime"] == 30 == report.cost_by_rule()["staff_overtime"]
    (ann,) = staff_utilisation(problem, result.schedule or CaseSchedule())
    assert ann.overtime_minutes == 30 and ann.utilisation <= 1.0


def test_a_case_through_the_break_is_accepted_as_the_checker_accepts_it() -> None:
    problem = _break_problem(540)  # 08:00–17:00 straight through
    result, _ = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL


def test_a_free_slot_that_costs_the_same_is_called_a_tie() -> None:
    problem = CaseProblem(
        horizon=1440,
        rooms=(Room(id="OR1", openings=(Opening(start=480, end=600, overtime=60),)),),
        tasks=(
            Task(id="a", duration=90),
            Task(id="b", duration=90, optional=True, unscheduled_penalty=60),
        ),
        weights=CaseWeights(tardiness=0, overtime=1),
    )
    left_out = CaseSchedule(
        tasks=(ScheduledTask(task="a", start=480, end=570, room="OR1"),), unscheduled=("b",)
    )
    found = explain_task(problem, left_out, "b")
    assert found is not None
    assert "using it would cost the same (a tie)" in found.message


def test_the_cases_page_counts_overtime_and_idle_minutes() -> None:
    from dashboards.state import Workspace
    from dashboards.views.cases import overtime_and_idle

    problem = _overtime_problem(overtime=50)
    schedule = _nurse_schedule()
    result = _checked_result(problem, schedule)
    family = Workspace().cases
    family.set_problem(problem)
    family.set_result(result)
    # Nurse N 50 min past 200; room R empty 40 min between A and B beyond its turnover.
    assert overtime_and_idle(family) == (0, 50, 40)


def test_the_workbook_summary_has_overtime_and_idle_minutes() -> None:
    import io

    from openpyxl import load_workbook

    from optimizer.io.excel_export import export_xlsx

    problem = _overtime_problem(overtime=50)
    schedule = _nurse_schedule()
    result = _checked_result(problem, schedule)
    book = load_workbook(io.BytesIO(export_xlsx(problem, result)))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Room overtime (min)"] == 0
    assert summary["Staff overtime (min)"] == 50
    assert summary["Idle room time between cases (min)"] == 40
