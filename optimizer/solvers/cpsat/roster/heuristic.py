"""A fast constructive roster used as the default CP-SAT hint.

Day by day, each person either must work (a run shorter than its minimum, a pin),
must rest (a rest shorter than its minimum, the maximum run reached, a weekend
over the limit), or may choose; free people take the shift with the most
uncovered demand, while honouring unavailability, successions, rests reaching
two or more days ahead, and per-type, shift-count and minute limits. People
furthest below their minimum minutes choose first. The result is usually feasible
and never takes more than a few milliseconds per staff-day; CP-SAT repairs
whatever it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.solvers.cpsat.roster.indexing import RosterIndex


@dataclass
class _State:
    """What the rules need to know about one person so far."""

    run: int = 0  # consecutive worked days ending yesterday
    rest: int = 0  # consecutive days off ending yesterday
    run_from_start: bool = True  # the current run / rest touches day 0 (exempt)
    last: int | None = None  # yesterday's shift
    minutes: int = 0
    shifts: int = 0
    per_type: dict[int, int] | None = None
    weekends: set[int] | None = None
    minimum: int = 0  # minutes to work, leave credited (RosterProblem.minimum_minutes)


def greedy_roster(index: RosterIndex) -> dict[tuple[int, int], int]:
    """(staff, day) -> shift of a constructed roster."""
    problem = index.problem
    forbidden = set(index.successions)
    weekend_of = {d: w for w, days in enumerate(problem.weekends) for d in days}
    need: dict[tuple[int, int], int] = {}
    for demand in problem.cover:
        key = (demand.day, problem.shift_index[demand.shift])
        need[key] = max(need.get(key, 0), demand.required)
    states = [
        _State(per_type={}, weekends=set(), minimum=problem.minimum_minutes(e))
        for e in range(index.num_staff)
    ]
    roster: dict[tuple[int, int], int] = {}
    for d in range(index.num_days):
        remaining = index.num_days - d
        order = sorted(
            range(index.num_staff),
            key=lambda e: -(states[e].minimum - states[e].minutes) / max(1, remaining),
        )
        for e in order:
            blocked = _blocked_by_rest(index, roster, e, d)
            choice = _choose(index, e, d, states[e], need, forbidden, blocked, weekend_of)
            _advance(states[e], choice, index.lengths, weekend_of.get(d))
            if choice is not None:
                roster[(e, d)] = choice
                need[(d, choice)] = need.get((d, choice), 0) - 1
    return roster


def _blocked_by_rest(
    index: RosterIndex, roster: dict[tuple[int, int], int], e: int, d: int
) -> set[int]:
    """Shifts that person ``e`` may not work on day ``d`` because a rest over 24 h
    after a shift ``k >= 2`` days earlier has not yet passed."""
    return {
        b
        for k, pairs in index.later_successions.items()
        for a, b in pairs
        if roster.get((e, d - k)) == a
    }


def _choose(
    index: RosterIndex,
    e: int,
    d: int,
    state: _State,
    need: dict[tuple[int, int], int],
    forbidden: set[tuple[int, int]],
    blocked: set[int],
    weekend_of: dict[int, int],
) -> int | None:
    contract = index.problem.staff[e].contract
    pinned = index.pins.get((e, d), -1)
    if pinned != -1:
        return pinned
    if state.rest and not state.run_from_start and state.rest < contract.min_consecutive_off:
        return None
    if contract.max_consecutive_work is not None and state.run >= contract.max_consecutive_work:
        return None
    weekend = weekend_of.get(d)
    assert state.weekends is not None and state.per_type is not None
    if (
        weekend is not None
        and weekend not in state.weekends
        and contract.max_weekends is not None
        and len(state.weekends) >= contract.max_weekends
    ):
        return None
    if contract.max_shifts is not None and state.shifts >= contract.max_shifts:
        return None
    options = []
    for s in range(index.num_shifts):
        if not index.may_work(e, d, s) or (state.last, s) in forbidden or s in blocked:
            continue
        limit = contract.max_shifts_per_type.get(index.problem.shifts[s].id)
        if limit is not None and state.per_type.get(s, 0) >= limit:
            continue
        if (
            contract.max_minutes is not None
            and state.minutes + index.lengths[s] > contract.max_minutes
        ):
            continue
        options.append(s)
    if not options:
        return None
    must_work = state.run and not state.run_from_start and state.run < contract.min_consecutive_work
    if not state.run and not _run_fits(index, e, d, state, weekend_of):
        return None
    followers = {a: sum((a, b) not in forbidden for b in range(index.num_shifts)) for a in options}
    best = max(options, key=lambda s: (need.get((d, s), 0), followers[s]))
    # Behind schedule for the minimum minutes: the days left, thinned by the rests the
    # sequence rules impose, barely suffice (with some slack for days off and rules).
    max_run = contract.max_consecutive_work or index.num_days
    share = max_run / (max_run + contract.min_consecutive_off)
    capacity = share * (index.num_days - d) * min(index.lengths[s] for s in options)
    pace = state.minimum * (d + 1) / index.num_days  # pro-rata share by today
    behind = state.minimum - state.minutes >= 0.7 * capacity or state.minutes < pace
    if must_work or behind or need.get((d, best), 0) > 0:
        return best
    return None


def _run_fits(
    index: RosterIndex, e: int, d: int, state: _State, weekend_of: dict[int, int]
) -> bool:
    """A run starting on day d can last its minimum (or reach the horizon's end)."""
    contract = index.problem.staff[e].contract
    assert state.weekends is not None
    weekends = set(state.weekends)
    for day in range(d, min(index.num_days, d + contract.min_consecutive_work)):
        if not any(index.may_work(e, day, s) for s in range(index.num_shifts)):
            return False
        weekend = weekend_of.get(day)
        if weekend is not None and weekend not in weekends:
            if contract.max_weekends is not None and len(weekends) >= contract.max_weekends:
                return False
            weekends.add(weekend)
    return True


def _advance(state: _State, choice: int | None, lengths: list[int], weekend: int | None) -> None:
    assert state.per_type is not None and state.weekends is not None
    if choice is None:
        if state.run:
            state.run_from_start = False
        state.run, state.rest = 0, state.rest + 1
        state.last = None
        return
    if state.rest:
        state.run_from_start = False
    state.run, state.rest = state.run + 1, 0
    state.last = choice
    state.minutes += lengths[choice]
    state.shifts += 1
    state.per_type[choice] = state.per_type.get(choice, 0) + 1
    if weekend is not None:
        state.weekends.add(weekend)
