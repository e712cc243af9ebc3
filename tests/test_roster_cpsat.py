"""The CP-SAT roster backend, rule by rule, plus its solve options.

Every rule has a pair of tiny instances: one where it costs nothing and one where
it forces a known optimum (derived in the comment). Every solve goes through the
independent checker (``solve_verified``).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

import pytest

from optimizer import solve
from optimizer.check import check
from optimizer.model.result import ProgressPoint, RosterSolution, SolveStatus
from optimizer.model.roster import (
    Baseline,
    BaselineShift,
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)
from tests.verify import solve_verified

MONDAY = dt.date(2024, 1, 1)
ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))


def _problem(
    num_days: int = 3,
    staff: int = 1,
    contract: Contract | None = None,
    cover: dict[int, int] | None = None,
    over_weight: int = 0,
    **extra: Any,
) -> RosterProblem:
    """``staff`` people s0, s1, ... (s0 holds ICU); shifts D (day) and N (night, not before D).

    ``cover`` maps day -> required D staff (under weight 100, over weight ``over_weight``).
    """
    demands = tuple(
        CoverDemand(day=d, shift="D", required=r, under_weight=100, over_weight=over_weight)
        for d, r in (cover or {}).items()
    )
    return RosterProblem(
        start_date=MONDAY,
        num_days=num_days,
        shifts=(
            ShiftType(id="D", start="08:00", length_minutes=480),
            ShiftType(id="N", start="20:00", length_minutes=600, forbidden_next=("D",)),
        ),
        staff=tuple(
            Staff(
                id=f"s{i}",
                skills=("RN", "ICU") if i == 0 else ("RN",),
                contract=contract or Contract(),
            )
            for i in range(staff)
        ),
        cover=extra.pop("demands", demands),
        **extra,
    )


def _objective(problem: RosterProblem, **kwargs: Any) -> int:
    result, _ = solve_verified(problem, **kwargs)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective is not None
    assert sum(result.terms.values()) == result.objective
    return result.objective


# -- hard rules: (relaxed instance, constrained instance) -> (0, forced optimum) ----------


def test_unavailability_not_violated_and_forcing_under_cover() -> None:
    # 1 person, cover 1 on days 0-2: works all three -> 0.
    assert _objective(_problem(cover={0: 1, 1: 1, 2: 1})) == 0
    # Unavailable on day 1: that day is 1 short -> 100.
    leave = (Unavailability(staff="s0", first_day=1, last_day=1),)
    assert _objective(_problem(cover={0: 1, 1: 1, 2: 1}, unavailability=leave)) == 100


def test_unavailability_for_some_shifts_only() -> None:
    # Unavailable for N only: D cover is still met -> 0.
    leave = (Unavailability(staff="s0", first_day=0, last_day=2, shifts=("N",)),)
    assert _objective(_problem(cover={0: 1, 1: 1, 2: 1}, unavailability=leave)) == 0


def test_pins_fixed_day_off_and_fixed_shift() -> None:
    # Pinned off on day 2: 1 short there -> 100.
    pins = (Pin(staff="s0", day=2, shift=None),)
    assert _objective(_problem(cover={0: 1, 1: 1, 2: 1}, pins=pins)) == 100
    # Pinned to N on day 0 although D is wanted: day 0 short (100); N may not precede D,
    # so day 1 is short too (100) -> 200.
    pins = (Pin(staff="s0", day=0, shift="N"),)
    result, _ = solve_verified(_problem(cover={0: 1, 1: 1, 2: 1}, pins=pins))
    assert result.objective == 200
    assert result.roster is not None
    assert ("s0", 0) in result.roster.by_staff_day()


def test_forbidden_succession() -> None:
    # N on day 0 and D on day 1 both wanted (1 person): N->D is forbidden, so one of the
    # two is short -> 100.
    demands = (
        CoverDemand(day=0, shift="N", required=1),
        CoverDemand(day=1, shift="D", required=1),
    )
    assert _objective(_problem(num_days=2, demands=demands)) == 100
    # D then N is allowed -> 0.
    demands = (
        CoverDemand(day=0, shift="D", required=1),
        CoverDemand(day=1, shift="N", required=1),
    )
    assert _objective(_problem(num_days=2, demands=demands)) == 0


def test_max_shifts_per_type_and_total() -> None:
    cover = {0: 1, 1: 1, 2: 1}
    # At most 1 D shift: 2 days short -> 200.
    assert _objective(_problem(cover=cover, contract=Contract(max_shifts_per_type={"D": 1}))) == 200
    # A limit of 0 forbids the type: all 3 short -> 300.
    assert _objective(_problem(cover=cover, contract=Contract(max_shifts_per_type={"D": 0}))) == 300
    # At most 2 shifts in total: 1 day short -> 100; a limit of 3 costs nothing.
    assert _objective(_problem(cover=cover, contract=Contract(max_shifts=2))) == 100
    assert _objective(_problem(cover=cover, contract=Contract(max_shifts=3))) == 0


def test_total_minutes() -> None:
    cover = {0: 1, 1: 1, 2: 1}
    # At most 960 minutes = two 8-hour D shifts: 1 day short -> 100.
    assert _objective(_problem(cover=cover, contract=Contract(max_minutes=960))) == 100
    # At least 1440 minutes with only day 0 wanted (over weight 1 elsewhere, required 0):
    # three D shifts are needed, two of them over cover -> 2.
    demands = tuple(
        CoverDemand(day=d, shift=s, required=int(d == 0 and s == "D"), over_weight=1)
        for d in range(3)
        for s in ("D", "N")
    )
    assert _objective(_problem(demands=demands, contract=Contract(min_minutes=1440))) == 2
    assert _objective(_problem(demands=demands, contract=Contract(min_minutes=0))) == 0


def test_max_consecutive_work() -> None:
    cover = {0: 1, 1: 1, 2: 1}
    # At most 2 days in a row over 3 wanted days: 1 short -> 100.
    assert _objective(_problem(cover=cover, contract=Contract(max_consecutive_work=2))) == 100
    assert _objective(_problem(cover=cover, contract=Contract(max_consecutive_work=3))) == 0


def test_min_consecutive_work_with_border_exemption() -> None:
    # Only D exists (N limit 0). Only day 1 (of 0-2) wants someone; days 0 and 2 have over
    # weight 1. A lone worked
    # day 1 is a run of 1 < 2 not touching a border: either work days 0-1 or 1-2
    # (1 over) or leave day 1 short (100) -> 1.
    cover = {0: 0, 1: 1, 2: 0}
    contract = Contract(min_consecutive_work=2, max_shifts_per_type={"N": 0})
    assert _objective(_problem(cover=cover, over_weight=1, contract=contract)) == 1
    assert _objective(_problem(cover=cover, over_weight=1)) == 0
    # Day 0 alone touches the border, so it is exempt -> 0.
    assert _objective(_problem(cover={0: 1, 1: 0, 2: 0}, over_weight=1, contract=contract)) == 0


def test_min_consecutive_off_with_border_exemption() -> None:
    # Only D exists (N limit 0). Days 0 and 2 want someone, day 1 nobody (over weight 1).
    # A lone day off on day 1
    # breaks a 2-day minimum: work day 1 too (1 over) -> 1.
    cover = {0: 1, 1: 0, 2: 1}
    contract = Contract(min_consecutive_off=2, max_shifts_per_type={"N": 0})
    assert _objective(_problem(cover=cover, over_weight=1, contract=contract)) == 1
    assert _objective(_problem(cover=cover, over_weight=1)) == 0
    # A single day off on the last day touches the border -> 0.
    assert _objective(_problem(cover={0: 1, 1: 1, 2: 0}, over_weight=1, contract=contract)) == 0


def test_max_weekends() -> None:
    # 14 days from a Monday: weekends are days 5-6 and 12-13. Saturdays 5 and 12 each
    # want 1 person; with at most 1 weekend one Saturday is short -> 100.
    cover = {5: 1, 12: 1}
    assert _objective(_problem(num_days=14, cover=cover, contract=Contract(max_weekends=1))) == 100
    assert _objective(_problem(num_days=14, cover=cover, contract=Contract(max_weekends=2))) == 0


def test_min_required_is_hard() -> None:
    # The only person is on leave on day 0, which needs at least 1: infeasible.
    demands = (CoverDemand(day=0, shift="D", required=1, min_required=1),)
    leave = (Unavailability(staff="s0", first_day=0, last_day=0),)
    result = solve(_problem(demands=demands, unavailability=leave), workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.roster is None
    # Without the leave the floor is met -> 0.
    assert _objective(_problem(demands=demands)) == 0


# -- soft rules ----------------------------------------------------------------------------


def test_cover_by_skill_under_and_over() -> None:
    # Day 0 D needs 1 ICU (weight 100) and 1 RN with over weight 3; both people hold RN,
    # only s0 holds ICU. s0 alone: ICU met, RN met -> 0. Adding s1 would cost 3.
    demands = (
        CoverDemand(day=0, shift="D", skill="ICU", required=1),
        CoverDemand(day=0, shift="D", skill="RN", required=1, over_weight=3),
    )
    assert _objective(_problem(num_days=1, staff=2, demands=demands)) == 0
    # Needing 2 ICU: only one exists -> 100 short; s1 stays home (over would cost 3).
    demands = (
        CoverDemand(day=0, shift="D", skill="ICU", required=2),
        CoverDemand(day=0, shift="D", skill="RN", required=1, over_weight=3),
    )
    result, report = solve_verified(_problem(num_days=1, staff=2, demands=demands))
    assert result.objective == 100
    assert result.terms["under_cover"] == 100
    assert result.terms == {rule: report.cost_by_rule().get(rule, 0) for rule in result.terms}


def test_over_cover_is_paid_per_extra_person() -> None:
    # 2 people, day 0 needs 0 with over weight 1, but both are pinned to work -> 2.
    pins = (Pin(staff="s0", day=0, shift="D"), Pin(staff="s1", day=0, shift="D"))
    result, _ = solve_verified(
        _problem(num_days=1, staff=2, cover={0: 0}, over_weight=1, pins=pins)
    )
    assert result.objective == 2
    assert result.terms["over_cover"] == 2


def test_shift_requests() -> None:
    # On-request for N on day 0 (weight 3), off-request for D on day 1 (weight 2), and day 1
    # needs 1 on D (100). N may not precede D, so granting N costs 100 on day 1; best is D
    # on day 1 (off-request broken, 2) and no N on day 0 (on-request refused, 3) -> 5.
    requests = (
        ShiftRequest(staff="s0", day=0, shift="N", want=True, weight=3),
        ShiftRequest(staff="s0", day=1, shift="D", want=False, weight=2),
    )
    result, _ = solve_verified(_problem(num_days=2, cover={1: 1}, requests=requests))
    assert result.objective == 5
    assert result.terms["shift_on_request"] == 3
    assert result.terms["shift_off_request"] == 2
    # Whole-day requests (shift None): wanting day 0 off and day 1 on, nothing else -> 0.
    requests = (
        ShiftRequest(staff="s0", day=0, shift=None, want=False, weight=4),
        ShiftRequest(staff="s0", day=1, shift=None, want=True, weight=4),
    )
    assert _objective(_problem(num_days=2, requests=requests)) == 0


def test_baseline_change() -> None:
    # The published roster has s0 on D on day 0; nobody is needed (over weight 5). Keeping
    # it costs 5, dropping it costs change_weight 3 -> 3.
    baseline = Baseline(assignments=(BaselineShift(staff="s0", day=0, shift="D"),), change_weight=3)
    result, _ = solve_verified(_problem(num_days=2, cover={0: 0}, over_weight=5, baseline=baseline))
    assert result.objective == 3
    assert result.terms["baseline_change"] == 3
    # With change weight 10 keeping it is cheaper -> 5.
    baseline = Baseline(assignments=baseline.assignments, change_weight=10)
    assert _objective(_problem(num_days=2, cover={0: 0}, over_weight=5, baseline=baseline)) == 5


# -- lexicographic stages -----------------------------------------------------------------


def test_stage_weights_and_caps() -> None:
    # s0 has an on-request for N on day 0 (weight 1); day 1 D needs 1 (100). Stage 1 only
    # counts requests: granting N (0) is optimal for it although day 1 then is short.
    requests = (ShiftRequest(staff="s0", day=0, shift="N", want=True, weight=1),)
    problem = _problem(num_days=2, cover={1: 1}, requests=requests)
    result = solve(problem, workers=1, seed=0, stage_weights={"shift_on_request": 1})
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 0
    assert result.terms["under_cover"] == 100
    report = check(problem, result)
    assert report.feasible
    assert result.terms == {rule: report.cost_by_rule().get(rule, 0) for rule in result.terms}
    # Capping under-cover at 0 forces the D shift and refuses the request -> 1.
    result = solve(
        problem,
        workers=1,
        seed=0,
        stage_weights={"shift_on_request": 1},
        stage_caps=(({"under_cover": 1}, 0),),
    )
    assert result.objective == 1
    assert result.terms["under_cover"] == 0


# -- solve options ------------------------------------------------------------------------


def _random_ward(seed: int, staff: int = 12, days: int = 14) -> RosterProblem:
    """A small random ward with sequence rules, requests and cover (for option tests)."""
    rng = random.Random(seed)
    contract = Contract(
        max_consecutive_work=5,
        min_consecutive_work=2,
        min_consecutive_off=2,
        max_weekends=1,
        max_minutes=10 * 480,
        min_minutes=0,
    )
    demands = tuple(
        CoverDemand(day=d, shift=s, required=rng.randint(2, 4), over_weight=1)
        for d in range(days)
        for s in ("D", "N")
    )
    requests = tuple(
        ShiftRequest(
            staff=f"s{rng.randrange(staff)}",
            day=d,
            shift=rng.choice(["D", "N", None]),
            want=rng.random() < 0.5,
            weight=rng.randint(1, 3),
        )
        for d in rng.sample(range(days), days)
    )
    return _problem(
        num_days=days, staff=staff, contract=contract, demands=demands, requests=requests
    )


def test_determinism_with_seed_and_one_worker() -> None:
    # A deterministic work limit (not wall-clock time) keeps both runs identical.
    problem = _random_ward(1)
    first = solve(problem, workers=1, seed=7, max_deterministic_time=1.0)
    second = solve(problem, workers=1, seed=7, max_deterministic_time=1.0)
    assert first.roster is not None
    assert first.roster == second.roster
    assert first.objective == second.objective


def test_callback_sees_improving_objectives_and_matches_progress() -> None:
    points: list[ProgressPoint] = []
    result, _ = solve_verified(_random_ward(2), time_limit=5, on_solution=points.append)
    assert points, "the callback was never called"
    assert points == result.progress
    objectives = [p.objective for p in points]
    assert objectives == sorted(objectives, reverse=True)
    assert len(set(objectives)) == len(objectives)
    assert result.objective is not None
    assert objectives[-1] >= result.objective  # the last streamed point is the incumbent


def test_hint_is_used_as_first_solution() -> None:
    problem = _random_ward(3)
    first, _ = solve_verified(problem, time_limit=5)
    assert first.roster is not None and first.objective is not None
    points: list[ProgressPoint] = []
    second, _ = solve_verified(problem, time_limit=5, hint=first, on_solution=points.append)
    # A complete, feasible hint is the first incumbent: nothing worse is ever reported.
    assert points[0].objective <= first.objective
    assert second.objective is not None and second.objective <= first.objective


def test_hint_with_a_roster_solution_and_unknown_ids_is_tolerated() -> None:
    problem = _problem(cover={0: 1, 1: 1, 2: 1})
    hint = RosterSolution.model_validate(
        {"assignments": [{"staff": "ghost", "day": 0, "shift": "D"}]}
    )
    result, _ = solve_verified(problem, hint=hint)
    assert result.objective == 0


def test_time_limit_returns_feasible_with_a_roster() -> None:
    # 30 people x 28 days with random cover: 6 s is far from proving optimality, while
    # the feasibility-first roster gives an incumbent within the first second or two.
    problem = _random_ward(4, staff=30, days=28)
    result, _ = solve_verified(problem, time_limit=6)
    assert result.status is SolveStatus.FEASIBLE
    assert result.roster is not None
    assert result.bound is not None and result.objective is not None
    assert result.bound < result.objective


def test_curtois_instance1_reaches_its_optimum() -> None:
    path = BENCHMARKS / "curtois-nrp" / "instances" / "Instance1.txt"
    if not path.is_file():
        pytest.skip(f"Curtois–Qu benchmarks not found at {path} (set CAREALLOC_BENCHMARKS)")
    from optimizer.io.curtois import read_curtois

    result, _ = solve_verified(read_curtois(path), time_limit=60)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 607


@pytest.mark.parametrize("lns", [False, True])
def test_two_workers_with_and_without_roster_lns(lns: bool) -> None:
    # Tiny instance: proven optimal either way (the pinned-off day 2 is 1 short -> 100).
    pins = (Pin(staff="s0", day=2, shift=None),)
    result, _ = solve_verified(
        _problem(cover={0: 1, 1: 1, 2: 1}, pins=pins), workers=2, roster_lns=lns
    )
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == result.bound == 100
    # A time-limited run streams strictly improving points and returns its best roster.
    points: list[ProgressPoint] = []
    result, _ = solve_verified(
        _random_ward(5), workers=2, time_limit=4, roster_lns=lns, on_solution=points.append
    )
    objectives = [p.objective for p in points]
    assert objectives and objectives == sorted(set(objectives), reverse=True)
    assert result.objective is not None and result.objective <= objectives[-1]


def test_feasibility_first_roster_is_returned_when_the_search_finds_nothing() -> None:
    # Stopping CP-SAT right after presolve leaves the real search without a roster; the
    # quick feasibility-first roster (no objective) is returned instead, as FEASIBLE.
    problem = _random_ward(6)
    result, _ = solve_verified(problem, stop_after_presolve=True)
    assert result.status is SolveStatus.FEASIBLE
    assert [p.objective for p in result.progress] == [result.objective]
    bare = solve(
        problem, workers=1, seed=0, roster_feasibility_first=False, stop_after_presolve=True
    )
    assert bare.status is SolveStatus.UNKNOWN and bare.roster is None
    # Nothing found: the message names the size and what to try.
    size = f"{len(problem.staff)} staff x {problem.num_days} days"
    assert bare.message.startswith("no roster found within the time limit")
    assert size in bare.message and "allow more time" in bare.message
