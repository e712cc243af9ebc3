"""Property tests: a solved roster becomes exactly its shifts as case on-duty windows.

Hypothesis draws tiny rosters (shifts that end before, at and after midnight; pins and
requests on every day, the last included), solves them with CP-SAT and turns the roster
into windows. Independently of ``optimizer.availability`` the test recomputes every
person's on-duty minutes from the worked shifts; the windows must cover exactly those
minutes, sorted, with overlapping or touching shifts merged. Those windows then feed a
case problem with one task per person: a task is placed inside its person's windows
(the checker verifies availability), and a task no window can hold is refused up front.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from optimizer import solve
from optimizer.availability import roster_to_availability, with_roster_availability
from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem, StaffMember, Task
from optimizer.model.result import RosterSolution
from optimizer.model.roster import Pin, RosterProblem, ShiftRequest, ShiftType, Staff
from tests.verify import verify_result

DAY = 24 * 60
MONDAY = dt.date(2026, 12, 7)
SHIFT_IDS = ("E", "L", "N")
TIME_LIMIT = 10

Draw = Callable[[st.SearchStrategy[Any]], Any]
Interval = tuple[int, int]


@st.composite
def rosters(draw: Draw) -> RosterProblem:
    """1-3 people over 1-3 days; each staff-day pinned, requested or left free."""
    num_days = draw(st.integers(1, 3))
    ids = SHIFT_IDS[: draw(st.integers(1, 3))]
    shifts = tuple(
        ShiftType(
            id=shift_id,
            start=draw(st.sampled_from([0, 1, 420, 839, 840, 1260, 1320, 1439])),
            length_minutes=draw(st.sampled_from([1, 240, 480, 600, 720, 1440])),
        )
        for shift_id in ids
    )
    people = [f"s{i}" for i in range(draw(st.integers(1, 3)))]
    pins: list[Pin] = []
    requests: list[ShiftRequest] = []
    for person in people:
        for day in range(num_days):
            kind = draw(st.sampled_from(["free", "pin", "want"]))
            shift = draw(st.sampled_from([None, *ids]))
            if kind == "pin":
                pins.append(Pin(staff=person, day=day, shift=shift))
            elif kind == "want":
                requests.append(ShiftRequest(staff=person, day=day, shift=shift, want=True))
    return RosterProblem(
        start_date=MONDAY + dt.timedelta(days=draw(st.integers(0, 6))),
        num_days=num_days,
        shifts=shifts,
        staff=tuple(Staff(id=p) for p in people),
        pins=tuple(pins),
        requests=tuple(requests),
    )


def _solved(problem: RosterProblem) -> RosterSolution:
    """CP-SAT's roster, checked independently; conflicting pins are rejected."""
    result = solve(problem, backend="cpsat", time_limit=TIME_LIMIT, workers=1, seed=0)
    assume(result.status.has_solution)
    verify_result(problem, result)
    assert result.roster is not None
    return result.roster


def _duty_minutes(
    problem: RosterProblem, roster: RosterSolution, offset: int, horizon: int | None
) -> dict[str, set[int]]:
    """Every on-duty minute per person, from the worked shifts (``offset``: the roster
    start in minutes after the case start), clipped to ``[0, horizon)``."""
    minutes: dict[str, set[int]] = {p.id: set() for p in problem.staff}
    for worked in roster.assignments:
        shift = problem.shift(worked.shift)
        begin = offset + worked.day * DAY + shift.start
        end = begin + shift.length_minutes
        end = end if horizon is None else min(end, horizon)
        minutes[worked.staff].update(range(max(begin, 0), end))
    return minutes


def _runs(minutes: set[int]) -> list[Interval]:
    """Maximal runs of consecutive minutes as half-open intervals."""
    runs: list[Interval] = []
    for minute in sorted(minutes):
        if runs and runs[-1][1] == minute:
            runs[-1] = (runs[-1][0], minute + 1)
        else:
            runs.append((minute, minute + 1))
    return runs


def _describe(problem: RosterProblem, worked: list[Any], windows: list[Interval]) -> None:
    """Label the example so the statistics show the interesting cases are drawn."""
    if len(windows) < len(worked):
        event("fewer windows than shifts (merged or clipped)")
    if any(problem.shift(a.shift).end > DAY for a in worked):
        event("shift crosses midnight")
    if any(a.day == problem.num_days - 1 for a in worked):
        event("shift on the last day")


OFFSETS = st.sampled_from([0, 0, -DAY, -420, 60, DAY])  # case start minus roster start
HORIZONS = st.sampled_from([None, 1, 900, DAY, 2 * DAY, 5 * DAY])


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(rosters(), OFFSETS, HORIZONS)
def test_windows_are_exactly_the_worked_shifts(
    problem: RosterProblem, shift_by: int, horizon: int | None
) -> None:
    roster = _solved(problem)
    start = dt.datetime.combine(problem.start_date, dt.time()) + dt.timedelta(minutes=shift_by)
    duty = roster_to_availability(problem, roster, start=start, horizon=horizon)
    expected = _duty_minutes(problem, roster, -shift_by, horizon)
    assert set(duty) == set(expected)
    for person, windows in duty.items():
        # the maximal runs of duty minutes: days off leave gaps, touching shifts merge
        assert windows == _runs(expected[person]), person
        worked = [a for a in roster.assignments if a.staff == person]
        if not worked:
            assert windows == []
        _describe(problem, worked, windows)
    if shift_by == 0 and horizon is None:
        # the default origin is the roster's first day at 00:00
        assert roster_to_availability(problem, roster) == duty


def _one_task_each(
    start: dt.datetime, horizon: int, duration: int, people: list[str]
) -> CaseProblem:
    """A case problem: one task per person, naming that person (always on duty)."""
    return CaseProblem(
        start=start,
        horizon=horizon,
        tasks=tuple(
            Task(id=f"T{p}", duration=duration, staff=(p,), needs_room=False) for p in people
        ),
        staff=tuple(StaffMember(id=p) for p in people),
    )


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(rosters(), OFFSETS, st.sampled_from([DAY, 2 * DAY, 4 * DAY]), st.sampled_from([1, 60, 300]))
def test_case_tasks_land_inside_rostered_windows(
    problem: RosterProblem, shift_by: int, horizon: int, duration: int
) -> None:
    roster = _solved(problem)
    start = dt.datetime.combine(problem.start_date, dt.time()) + dt.timedelta(minutes=shift_by)
    windows = {p: _runs(m) for p, m in _duty_minutes(problem, roster, -shift_by, horizon).items()}
    people = list(windows)
    fitting = [p for p in people if any(e - s >= duration for s, e in windows[p])]
    unfit = [p for p in people if p not in fitting]
    if unfit:
        # a task its person can never attend is refused, naming task and person
        cases = _one_task_each(start, horizon, duration, people)
        with pytest.raises(InputError) as refused:
            with_roster_availability(cases, problem, roster)
        for person in unfit:
            refusal = f"task 'T{person}': named staff '{person}' has no availability window"
            assert refusal in str(refused.value)
        event("a task is refused")
        for person in fitting:
            assert f"named staff '{person}'" not in str(refused.value)
    assume(fitting)
    cases = with_roster_availability(
        _one_task_each(start, horizon, duration, fitting), problem, roster
    )
    result = solve(cases, backend="cpsat", time_limit=TIME_LIMIT, workers=1, seed=0)
    verify_result(cases, result)
    assert result.schedule is not None
    placed = {t.task: t for t in result.schedule.tasks}
    assert set(placed) == {f"T{p}" for p in fitting}
    for person in fitting:
        task = placed[f"T{person}"]
        assert task.staff == (person,)
        assert task.end - task.start == duration
        assert any(s <= task.start and task.end <= e for s, e in windows[person]), (
            person,
            task,
            windows[person],
        )
