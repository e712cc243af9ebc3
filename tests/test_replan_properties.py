"""Property tests of re-planning with minimal disruption (cases and rosters).

Cases (``optimizer.replan.replan``): on tiny random problems with rooms, openings,
named surgeons, teams by role, duty windows and pins, a published optimal schedule is
re-planned after random changes (added, cancelled and overrun cases, people away,
rooms closed, a ``now``). Re-planning without a change moves nothing and keeps the
optimum; after any change every reported move is a real difference from the published
schedule and every real difference is reported, started and pinned cases stay put,
nothing new starts before ``now``, and the new schedule passes the independent checker.

Rosters (``dashboards.whatif``): after a leave is added, the days before the first
changed day keep the published roster exactly, and ``roster_changes`` lists exactly
the staff-days that differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, event, example, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dashboards import whatif
from optimizer import solve
from optimizer.errors import InputError
from optimizer.model.cases import (
    CasePin,
    CaseProblem,
    Opening,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from optimizer.model.result import CaseSchedule, Result, ScheduledTask, SolveStatus
from optimizer.model.roster import RosterProblem
from optimizer.replan import (
    AddCase,
    CancelCase,
    CaseOverrun,
    Change,
    ReplanOutcome,
    RoomClosed,
    StaffUnavailable,
    replan,
)
from tests.test_roster_properties import roster_problems
from tests.verify import verify_result

SOLVE: dict[str, Any] = dict(time_limit=10, workers=1, seed=0)


def _settings(examples: int) -> settings:
    """Reproducible runs of ``examples`` examples, however slow the solves."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


Draw = Callable[[st.SearchStrategy[Any]], Any]
ROLES = ("surgeon", "anaesthetist")


# -- case problems ------------------------------------------------------------------


def _window(draw: Draw, horizon: int) -> tuple[int, int]:
    start = draw(st.integers(0, horizon - 1))
    return start, draw(st.integers(start + 1, horizon))


def _room(draw: Draw, index: int, horizon: int) -> Room:
    openings: tuple[Opening, ...] = ()
    if draw(st.booleans()):
        start, end = _window(draw, horizon)
        openings = (Opening(start=start, end=end, overtime=draw(st.integers(0, 2))),)
    return Room(id=f"R{index}", openings=openings, turnover=draw(st.none() | st.integers(0, 1)))


def _person(draw: Draw, index: int, horizon: int) -> StaffMember:
    available = None
    if draw(st.booleans()):
        start, end = _window(draw, horizon)
        available = (Window(start=start, end=end),)
    roles = tuple(draw(st.lists(st.sampled_from(ROLES), unique=True, max_size=2)))
    return StaffMember(id=f"P{index}", roles=roles, available=available)


def _case(draw: Draw, task_id: str, horizon: int, staff: int, rooms: int) -> Task:
    duration = draw(st.integers(1, 5))
    release = draw(st.integers(0, horizon - duration))
    named = draw(st.lists(st.integers(0, staff - 1), unique=True, max_size=1)) if staff else []
    team: tuple[TeamRequirement, ...] = ()
    if staff and draw(st.booleans()):
        team = (TeamRequirement(role=draw(st.sampled_from(ROLES))),)
    eligible = None
    if rooms > 1 and draw(st.booleans()):
        eligible = (f"R{draw(st.integers(0, rooms - 1))}",)
    return Task(
        id=task_id,
        duration=duration,
        release=release,
        due=draw(st.none() | st.integers(release + duration, horizon)),
        priority=draw(st.integers(0, 2)),
        optional=draw(st.booleans()),
        staff=tuple(f"P{i}" for i in named),
        team=team,
        rooms=eligible,
    )


@st.composite
def case_problems(draw: Draw) -> CaseProblem:
    """A tiny valid case problem: 2–4 cases, 1–2 rooms, 0–3 people, maybe one pin."""
    horizon = draw(st.integers(10, 24))
    rooms = [_room(draw, k, horizon) for k in range(draw(st.integers(1, 2)))]
    staff = [_person(draw, k, horizon) for k in range(draw(st.integers(0, 3)))]
    tasks = [
        _case(draw, f"c{i}", horizon, len(staff), len(rooms))
        for i in range(draw(st.integers(2, 4)))
    ]
    pins: tuple[CasePin, ...] = ()
    if draw(st.booleans()):
        first = tasks[0]
        pins = (CasePin(task=first.id, start=draw(st.integers(first.release, horizon))),)
    try:
        return CaseProblem(
            horizon=horizon,
            tasks=tuple(tasks),
            rooms=tuple(rooms),
            staff=tuple(staff),
            turnover=draw(st.integers(0, 1)),
            pins=pins,
        )
    except ValidationError:
        reject()


def _published(problem: CaseProblem) -> Result:
    """The proven optimum of ``problem`` (examples without one are rejected)."""
    result = solve(problem, **SOLVE)
    if result.status is not SolveStatus.OPTIMAL:
        reject()
    verify_result(problem, result)
    return result


def _added_case(draw: Draw, horizon: int) -> Task:
    duration = draw(st.integers(1, 4))
    return Task(
        id="new",
        duration=duration,
        release=draw(st.integers(0, horizon - duration)),
        priority=draw(st.integers(0, 2)),
        optional=draw(st.booleans()),
    )


def _change(draw: Draw, problem: CaseProblem, published: CaseSchedule) -> Change | None:
    """One change naming the problem's cases, people or rooms (it may be refused)."""
    kind = draw(st.sampled_from(["add", "cancel", "staff", "room", "overrun"]))
    start, end = _window(draw, problem.horizon)
    if kind == "add":
        return AddCase(task=_added_case(draw, problem.horizon))
    if kind == "cancel":
        return CancelCase(task=draw(st.sampled_from([t.id for t in problem.tasks])))
    if kind == "staff" and problem.staff:
        person = draw(st.sampled_from([p.id for p in problem.staff]))
        return StaffUnavailable(staff=person, start=start, end=end)
    if kind == "room":
        room = draw(st.sampled_from([r.id for r in problem.rooms]))
        return RoomClosed(room=room, start=start, end=end)
    if kind == "overrun" and published.tasks:
        item = draw(st.sampled_from(published.tasks))
        actual = draw(st.integers(item.start + 1, max(item.start + 1, problem.horizon)))
        return CaseOverrun(task=item.task, actual_end=actual)
    return None


def _changes(draw: Draw, problem: CaseProblem, published: CaseSchedule) -> list[Change]:
    """0–3 random changes."""
    drawn = [_change(draw, problem, published) for _ in range(draw(st.integers(0, 3)))]
    return [c for c in drawn if c is not None]


# -- what a move must say -------------------------------------------------------------


def _same(a: ScheduledTask | None, b: ScheduledTask | None) -> bool:
    """Whether two placements of a task agree on start, end, room and team."""
    if a is None or b is None:
        return a is b
    return (a.start, a.end, a.room, set(a.staff)) == (b.start, b.end, b.room, set(b.staff))


def _real_differences(
    problem: CaseProblem, outcome: ReplanOutcome, published: CaseSchedule
) -> set[str]:
    """Ids of the cases whose placement really changed, plus every case the changes
    added (reported as added or, if left out, unscheduled)."""
    assert outcome.result.schedule is not None
    before, after = published.by_task(), outcome.result.schedule.by_task()
    ids = {*problem.task_index, *outcome.problem.task_index, *outcome.dropped}
    added = ids - set(problem.task_index)
    return added | {t for t in ids if not _same(before.get(t), after.get(t))}


def _assert_moves_are_exact(
    problem: CaseProblem, outcome: ReplanOutcome, published: CaseSchedule, changes: list[Change]
) -> None:
    assert outcome.result.schedule is not None
    before, after = published.by_task(), outcome.result.schedule.by_task()
    reported = [m.task for m in outcome.moves]
    assert len(reported) == len(set(reported)), f"a case is reported twice: {reported}"
    expected = _real_differences(problem, outcome, published)
    assert set(reported) == expected, (
        f"reported moves {sorted(reported)} != real differences {sorted(expected)}; "
        f"published {published.tasks}, new {outcome.result.schedule.tasks}"
    )
    cancelled = {c.task for c in changes if isinstance(c, CancelCase)}
    for move in outcome.moves:
        a, b = before.get(move.task), after.get(move.task)
        assert (move.old_start, move.old_room) == ((a.start, a.room) if a else (None, None))
        assert (move.new_start, move.new_room) == ((b.start, b.room) if b else (None, None))
        if a is None and b is None:
            assert move.kind == "unscheduled", move
        elif a is None:
            assert move.kind in ("added", "placed"), move
        elif b is None:
            assert move.kind == ("cancelled" if move.task in cancelled else "dropped"), move
        assert move.message and move.message in outcome.messages()


def _assert_nothing_fixed_moved(
    problem: CaseProblem, outcome: ReplanOutcome, published: CaseSchedule, now: int | None
) -> None:
    assert outcome.result.schedule is not None
    before, after = published.by_task(), outcome.result.schedule.by_task()
    started = {t for t, item in before.items() if now is not None and item.start < now}
    assert set(outcome.fixed) >= started, f"started {started} not all fixed {outcome.fixed}"
    moved = {m.task for m in outcome.moves if m.kind != "extended"}
    for task_id in outcome.fixed:
        old, new = before[task_id], after.get(task_id)
        assert new is not None and (new.start, new.room, set(new.staff)) == (
            old.start,
            old.room,
            set(old.staff),
        ), f"started case {task_id} moved: {old} -> {new}"
        assert task_id not in moved
    for pin in problem.pins:
        if pin.task in outcome.problem.task_index and pin.start is not None:
            new = after.get(pin.task)
            assert new is not None and new.start == pin.start, f"pinned {pin} moved: {new}"
            assert pin.task not in moved
    if now is not None:
        late = [i for t, i in after.items() if t not in outcome.fixed and i.start < now]
        assert not late, f"cases start before now ({now}): {late}"


# -- shrunk counterexamples found by these properties (kept as explicit examples) ----

TIED_LEFT_OUT_CASE = CaseProblem(
    horizon=10,
    tasks=(
        Task(id="c0", duration=1, optional=True, priority=0),
        Task(id="c1", duration=1, optional=True, priority=0),
    ),
    rooms=(Room(id="R0"), Room(id="R1")),
    staff=(StaffMember(id="P0"),),
    turnover=0,
)
"""Two optional cases that cost nothing left out (priority 0): the published optimum
(0) places c1 and leaves c0 out; re-planning with no change placed c0 ("placed", at
the same objective 0) because the repaired warm start schedules every case."""


# -- properties: cases -------------------------------------------------------------------


@_settings(150)
@given(problem=case_problems())
@example(problem=TIED_LEFT_OUT_CASE)
def test_replan_without_a_change_moves_nothing(problem: CaseProblem) -> None:
    """The published optimum costs nothing extra as a baseline, so it stays optimal and
    nothing needs to move."""
    published = _published(problem)
    outcome = replan(problem, published, **SOLVE)
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.status is SolveStatus.OPTIMAL
    assert outcome.moves == [], outcome.messages()
    assert outcome.result.objective == published.objective
    assert outcome.fixed == [] and outcome.dropped == {} and outcome.notes == []


@_settings(400)
@given(problem=case_problems(), data=st.data())
def test_replan_reports_exactly_what_moved_and_keeps_started_cases(
    problem: CaseProblem, data: st.DataObject
) -> None:
    published = _published(problem)
    assert published.schedule is not None
    changes = _changes(data.draw, problem, published.schedule)
    now = data.draw(st.none() | st.integers(0, problem.horizon), label="now")
    try:
        outcome = replan(problem, published, changes, now=now, **SOLVE)
    except InputError as exc:
        assert exc.message  # a refused change says why
        event("change refused")
        return
    if outcome.result.schedule is None:
        event("no new schedule")
        assert outcome.result.status is SolveStatus.INFEASIBLE, outcome.result.status
        assert outcome.moves == [] and outcome.notes
        return
    verify_result(outcome.problem, outcome.result)
    assert outcome.result.status is SolveStatus.OPTIMAL
    _assert_moves_are_exact(problem, outcome, published.schedule, changes)
    _assert_nothing_fixed_moved(problem, outcome, published.schedule, now)
    for move in outcome.moves:
        event(f"move: {move.kind}")


# -- properties: rosters -----------------------------------------------------------------


def _roster(problem: RosterProblem) -> Result | None:
    """A verified optimal roster, or None when there is none."""
    result = solve(problem, backend="cpsat", **SOLVE)
    if not result.status.has_solution:
        return None
    assert result.status is SolveStatus.OPTIMAL, result.status
    verify_result(problem, result)
    return result


def _differences(problem: RosterProblem, old: Result, new: Result) -> set[tuple[str, str]]:
    """(date, who) of every staff-day whose shift differs, in ``roster_changes`` words."""
    assert old.roster is not None and new.roster is not None
    before, after = old.roster.by_staff_day(), new.roster.by_staff_day()
    return {
        (problem.date_of(day).strftime("%a %d %b"), person.label)
        for person in problem.staff
        for day in range(problem.num_days)
        if before.get((person.id, day)) != after.get((person.id, day))
    }


@_settings(150)
@given(problem=roster_problems(max_staff=3, max_days=4, max_shifts=2), data=st.data())
def test_roster_replan_keeps_days_before_the_first_change(
    problem: RosterProblem, data: st.DataObject
) -> None:
    published = _roster(problem)
    if published is None or published.roster is None:
        reject()
    person = data.draw(st.sampled_from([s.id for s in problem.staff]), label="on leave")
    first = data.draw(st.integers(0, problem.num_days - 1), label="first day")
    last = data.draw(st.integers(first, problem.num_days - 1), label="last day")
    start = problem.start_date
    try:
        changed, _ = whatif.with_leave(
            problem,
            person,
            start + dt.timedelta(days=first),
            start + dt.timedelta(days=last),
            "sick",
        )
    except InputError:
        reject()  # e.g. a pin to a shift on a day of the leave that the change keeps
    recorded = {
        d
        for u in problem.unavailability
        if u.staff == person and u.whole_day
        for d in range(u.first_day, u.last_day + 1)
    }
    new_days = [d for d in range(first, last + 1) if d not in recorded]
    if not new_days:  # leave already recorded is not stored again: nothing changes
        assert whatif.first_changed_day(problem, changed) is None
        return
    assert whatif.first_changed_day(problem, changed) == new_days[0]
    day = data.draw(st.integers(0, first), label="keep before")
    planned = whatif.keep_published_before(
        whatif.baseline_roster(changed, published), published, day
    )
    result = _roster(planned)
    if result is None or result.roster is None:
        event("no roster after the leave")
        return
    old, new = published.roster.by_staff_day(), result.roster.by_staff_day()
    for d in range(day):
        for s in problem.staff:
            assert new.get((s.id, d)) == old.get((s.id, d)), f"{s.id} day {d} changed"
    listed = whatif.roster_changes(changed, published, result)
    pairs = list(zip(listed["Date"], listed["Who"], strict=True))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == _differences(changed, published, result)
    weight = changed.baseline.change_weight if changed.baseline is not None else 10
    assert result.terms.get("baseline_change", 0) == weight * len(pairs)  # the ward's own
