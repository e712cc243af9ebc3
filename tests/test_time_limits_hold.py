"""Time limits hold at scale: the staffwise construction and the greedy case start stop.

Rosters: past its deadline the staff-by-staff construction solves no more rows; whoever
no hard rule makes work gets every day off, and if somebody must work the search has no
roster and says so. Cases: past its deadline the greedy start places no more optional
cases. The faster slot search (a room filter, cached event times) gives exactly the
placements of the plain scan. Every roster and schedule returned is re-checked by the
independent checker.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from optimizer import solve
from optimizer.check import check
from optimizer.construct import greedy_cases, slots
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import room_candidates, room_free_starts
from optimizer.demo.surgery import generate_surgical_week
from optimizer.model.cases import CaseProblem, Precedence, Task
from optimizer.model.result import CaseSchedule, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftType,
    Staff,
    Unavailability,
)
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from optimizer.solvers.cpsat.roster.staffwise import StaffwiseSearch
from tests.test_cases_properties import case_problems
from tests.verify import solve_verified

STAFFWISE: dict[str, Any] = {"roster_staffwise": True}
SLACK = 2.5
"""Seconds a run may take beyond its limit here (result, checker; a loaded machine).
Without the deadline the 300-person construction took 2.4-2.9 s, 1,000 people 8-10 s."""


def _ward(staff: int = 300, days: int = 56, minimum: int = 0, seed: int = 1) -> RosterProblem:
    """A big ward: three shifts, sequence rules, leave, day-off pins, no cover floor.

    ``minimum`` minutes for every fourth person (s1, s5, ...; 0: nobody has to work).
    """
    rng = random.Random(seed)
    shifts = (
        ShiftType(id="E", start=420, length_minutes=480),
        ShiftType(id="L", start=840, length_minutes=480, forbidden_next=("E",)),
        ShiftType(id="N", start=1290, length_minutes=600, forbidden_next=("E", "L")),
    )
    people = tuple(
        Staff(
            id=f"s{i}",
            skills=("RN",),
            contract=Contract(
                min_minutes=minimum if i % 4 == 1 else 0,
                max_minutes=19200,
                min_consecutive_work=2,
                max_consecutive_work=5,
                min_consecutive_off=2,
                max_weekends=4,
            ),
        )
        for i in range(staff)
    )
    cover = tuple(
        CoverDemand(day=d, shift=s, skill="RN", required=r, over_weight=1)
        for d in range(days)
        for s, r in (("E", staff // 8), ("L", staff // 9), ("N", staff // 12))
    )
    leave = []
    for i in rng.sample(range(staff), staff // 4):
        first = rng.randrange(days - 5)
        leave.append(Unavailability(staff=f"s{i}", first_day=first, last_day=first + 4))
    pins = tuple(
        Pin(staff=f"s{i}", day=rng.randrange(days), shift=None) for i in range(0, staff, 7)
    )
    return RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=days,
        shifts=shifts,
        staff=people,
        cover=cover,
        unavailability=tuple(leave),
        pins=pins,
    )


# -- rosters ------------------------------------------------------------------------


def test_past_its_deadline_the_construction_gives_days_off_to_whoever_may_rest() -> None:
    # s0: no minimum; s1: a minimum of minutes; s2: a shift pinned; s3: a day off pinned.
    problem = _ward(staff=4, days=14, minimum=960).model_copy(
        update={"pins": (Pin(staff="s2", day=3, shift="L"), Pin(staff="s3", day=1, shift=None))}
    )
    search = StaffwiseSearch(RosterIndex.build(problem))
    began = time.perf_counter()
    complete, infeasible = search.construct(search.clock.now() - 1.0)
    assert time.perf_counter() - began < 0.5  # not one CP-SAT solve
    assert (complete, infeasible) == (False, False)
    assert search.rows == [{}, None, None, {}]  # s1 and s2 need a real row


@pytest.mark.parametrize("seed", [None, 0], ids=["wall clock", "work clock"])
def test_a_big_ward_without_minimums_returns_a_legal_roster_on_time(seed: int | None) -> None:
    problem = _ward(staff=1000)
    began = time.perf_counter()
    result, report = solve_verified(problem, time_limit=0.5, seed=seed, **STAFFWISE)
    assert time.perf_counter() - began < 0.5 + SLACK
    assert result.status is SolveStatus.FEASIBLE
    # The full model (168,000 staff x day x shift slots) cannot be built in 10 % of the
    # limit, so the staffwise search had all of it and there is no bound.
    assert result.bound is None
    assert report.feasible


def test_a_reproducible_run_solves_who_must_work_past_the_work_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 30 of 120 people must work 960 minutes. The work clock (charged about twice the
    # wall time of one-person solves) passes its deadline during the construction: the
    # others get days off unsolved, these 30 are still solved (the wall-clock cap, 3 s,
    # is far), the same way on both runs.
    problem = _ward(staff=120, minimum=960)
    solved: list[int] = []
    feasible_row = StaffwiseSearch._feasible_row

    def counted(self: StaffwiseSearch, e: int, limit: float) -> tuple[dict[int, int] | None, bool]:
        solved.append(e)
        return feasible_row(self, e, limit)

    monkeypatch.setattr(StaffwiseSearch, "_feasible_row", counted)
    first, _ = solve_verified(problem, time_limit=1.0, **STAFFWISE)
    assert first.status is SolveStatus.FEASIBLE
    assert set(range(1, 120, 4)) <= set(solved) and len(solved) < 120
    second, _ = solve_verified(problem, time_limit=1.0, **STAFFWISE)
    assert first.roster == second.roster and first.objective == second.objective


@pytest.mark.parametrize(("seed", "limit"), [(None, 0.2), (0, 0.02)], ids=["wall", "work"])
def test_when_somebody_must_work_and_time_is_up_there_is_no_roster(
    seed: int | None, limit: float
) -> None:
    # Wall clock: cut at the deadline. Work clock: 0.02 s puts the wall-clock cap
    # (0.06 s) before the construction starts.
    problem = _ward(minimum=9600)
    began = time.perf_counter()
    result = solve(problem, time_limit=limit, workers=1, seed=seed, **STAFFWISE)
    assert time.perf_counter() - began < limit + SLACK
    assert result.status is SolveStatus.UNKNOWN and result.roster is None
    assert result.message.startswith("no roster found within the")
    assert ("work budget" in result.message) == (seed is not None)


# -- cases --------------------------------------------------------------------------


def _with_needs(problem: CaseProblem) -> CaseProblem:
    """The demo week with one mandatory case waiting for an optional one."""
    tasks = list(problem.tasks)
    tasks[-1] = tasks[-1].model_copy(update={"optional": False})
    precedence = Precedence(before=tasks[-2].id, after=tasks[-1].id)
    return problem.model_copy(update={"tasks": tuple(tasks), "precedences": (precedence,)})


def test_a_passed_deadline_leaves_every_optional_case_out_at_once() -> None:
    problem = generate_surgical_week()
    assert all(task.optional for task in problem.tasks)
    began = time.perf_counter()
    schedule = greedy_schedule(problem, deadline=began)
    assert time.perf_counter() - began < 1.0
    assert schedule.tasks == () and len(schedule.unscheduled) == len(problem.tasks)
    report = check(problem, schedule)
    assert report.feasible and report.objective > 0


def test_a_passed_deadline_still_places_mandatory_cases_and_what_they_wait_for() -> None:
    problem = _with_needs(generate_surgical_week())
    schedule = greedy_schedule(problem, deadline=time.perf_counter())
    mandatory, before = problem.tasks[-1].id, problem.tasks[-2].id
    assert {item.task for item in schedule.tasks} == {mandatory, before}
    assert check(problem, schedule).feasible


def test_a_deadline_that_does_not_pass_changes_nothing() -> None:
    problem = _with_needs(generate_surgical_week())
    later = time.perf_counter() + 3600
    assert greedy_schedule(problem, deadline=later) == greedy_schedule(problem)


def _plain_candidate_starts(
    problem: CaseProblem,
    task: Task,
    earliest: int,
    latest_end: int,
    occ: Occupancy | None,
    grid: bool = True,
) -> list[int]:
    """``slots.candidate_starts`` as it was, without the cached event times."""
    last = latest_end - task.duration
    if last < earliest:
        return []
    points = {earliest, last}
    if grid:
        points.update(range(earliest - earliest % 5, last + 1, 5))
    for room in problem.eligible_rooms(task):
        points.update(opening.start for opening in problem.openings_of(room))
        if occ is not None and room.id in occ.rooms:
            points.update(occ.rooms[room.id].release_times())
    for person in problem.candidates(task):
        points.update(w.start for w in problem.windows_of(person))
        if occ is not None and person.id in occ.staff:
            points.update(occ.staff[person.id].release_times())
    if occ is not None:
        for resource in task.resources:
            points.update(e for _, e, _ in occ.usage.get(resource, ()))
        points.update(slots.precedence_range(problem, task, occ))
    return sorted(t for t in points if earliest <= t <= last)


def _plain_greedy(problem: CaseProblem, monkeypatch: pytest.MonkeyPatch) -> CaseSchedule:
    """The greedy schedule with the plain scan: every start, every room."""
    with monkeypatch.context() as patch:
        patch.setattr(slots, "room_free_starts", lambda *_: None)
        patch.setattr(slots, "candidate_starts", _plain_candidate_starts)
        return greedy_cases.greedy_schedule(problem)


def test_the_demo_week_greedy_schedule_is_the_plain_scans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = generate_surgical_week()
    fast = greedy_schedule(problem)
    assert fast.tasks  # the filter is not trivially off
    assert fast.model_dump_json() == _plain_greedy(problem, monkeypatch).model_dump_json()


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case_problems(tasks=(3, 12), staff=(1, 5), least_rooms=1, most_rooms=3))
def test_random_greedy_schedules_are_the_plain_scans(
    monkeypatch: pytest.MonkeyPatch, problem: CaseProblem
) -> None:
    fast = greedy_schedule(problem)
    assert fast.model_dump_json() == _plain_greedy(problem, monkeypatch).model_dump_json()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(case_problems(tasks=(4, 12), horizon=(20, 60), longest=12, least_rooms=1, most_rooms=3))
def test_room_free_starts_are_exactly_the_starts_with_a_free_room(problem: CaseProblem) -> None:
    occ = Occupancy.of(problem, greedy_schedule(problem, variants=1))
    for task in problem.tasks:
        free = room_free_starts(problem, task, occ)
        if task.duration == 0 or not problem.needs_room(task):
            assert free is None
            continue
        assert free is not None
        turnover = {room.id: problem.turnover_of(room) for room in problem.rooms}
        for start in range(-task.duration - 3, problem.horizon + 3):
            end = start + task.duration
            expected = any(
                occ.rooms[c.room].clash(start, end + turnover[c.room]) is None
                for c in room_candidates(problem, task, start)
                if c.room is not None
            )
            assert slots._within(free, start) == expected, (task.id, start)
