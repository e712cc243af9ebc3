"""Why each request is not granted: the one change that grants it, judged in order:
away, pinned, a hard rule, what that change alone costs."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from optimizer.check.roster import check_roster
from optimizer.errors import InputError
from optimizer.explain.refusals import RequestRefusal, why_not_granted
from optimizer.explain.refusals.words import REQUEST_RULES
from optimizer.explain.roster import penalty_breakdown
from optimizer.io.load import load_roster
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    Staff,
    Unavailability,
)
from tests.test_explain_shortfalls import PLANTED_SHIFTS
from tests.verify import solve_verified

DEMO_WARD = "data/demo_ward.json"


def request_ward() -> RosterProblem:
    """Mon 1 – Wed 3 Jan 2024; one planted reason per ungranted request.

    Cora's day off Tue would leave the Early (2 RNs, 100 each) short; Pia (HCA) is pinned
    to Tue's Early; Rae worked Monday's Late (Late may not be followed by Early); Ava is
    on leave on Tue; Mia is the only Night on Wed, a hard floor of 1; Max may work one
    shift and has; Ivy's Early (30) costs only 10 of over-cover; Ann may work any shift on
    Wed: Early 10 over, Late 6 over, Night not (training), so the Late at 6 > her 4.
    """
    return RosterProblem(
        name="requests",
        start_date=dt.date(2024, 1, 1),  # a Monday
        num_days=3,
        shifts=PLANTED_SHIFTS,
        staff=(
            Staff(id="C", name="Cora Cover", skills=("RN",)),
            Staff(id="D", name="Dan Early", skills=("RN",)),
            Staff(id="P", name="Pia Pinned", skills=("HCA",)),
            Staff(id="R", name="Rae Rule", skills=("RN",)),
            Staff(id="V", name="Ava Away", skills=("RN",)),
            Staff(id="M", name="Mia Minimum", skills=("RN",)),
            Staff(id="X", name="Max Maxed", skills=("RN",), contract=Contract(max_shifts=1)),
            Staff(id="I", name="Ivy Improves", skills=("RN",)),
            Staff(id="A", name="Ann Any", skills=("RN",)),
        ),
        cover=(
            CoverDemand(day=1, shift="E", skill="RN", required=2, under_weight=100),
            CoverDemand(day=2, shift="E", skill="RN", required=1, over_weight=10),
            CoverDemand(day=2, shift="L", skill="RN", required=1, over_weight=6),
            CoverDemand(day=2, shift="N", skill="RN", required=1, min_required=1),
        ),
        unavailability=(
            Unavailability(staff="V", first_day=1, last_day=1, reason="annual leave"),
            Unavailability(staff="A", first_day=2, last_day=2, shifts=("N",), reason="training"),
        ),
        pins=(Pin(staff="P", day=1, shift="E"),),
        requests=(
            ShiftRequest(staff="C", day=1, want=False, weight=10),
            ShiftRequest(staff="P", day=1, want=False, weight=5),
            ShiftRequest(staff="R", day=1, shift="E", want=True, weight=20),
            ShiftRequest(staff="V", day=1, shift="N", want=True, weight=3),
            ShiftRequest(staff="M", day=2, shift="N", want=False, weight=8),
            ShiftRequest(staff="X", day=2, want=True, weight=7),
            ShiftRequest(staff="I", day=2, shift="E", want=True, weight=30),
            ShiftRequest(staff="A", day=2, want=True, weight=4),
        ),
    )


def request_roster() -> RosterSolution:
    """Feasible, grants none of the requests, and not the best: Ivy's Early would pay."""
    worked = [
        ("R", 0, "L"),
        ("X", 0, "E"),
        ("C", 1, "E"),
        ("D", 1, "E"),
        ("P", 1, "E"),
        ("D", 2, "E"),
        ("C", 2, "L"),
        ("M", 2, "N"),
    ]
    return RosterSolution(
        assignments=tuple(Assignment(staff=s, day=d, shift=k) for s, d, k in worked)
    )


def _by_staff(refusals: list[RequestRefusal]) -> dict[str, RequestRefusal]:
    return {r.staff: r for r in refusals}


def _changed(staff: str, day: int, shift: str | None) -> RosterSolution:
    """The roster with ``staff`` on ``shift`` on ``day`` (None: off), nothing else moved."""
    kept = [a for a in request_roster().assignments if (a.staff, a.day) != (staff, day)]
    if shift is not None:
        kept.append(Assignment(staff=staff, day=day, shift=shift))
    return RosterSolution(assignments=tuple(kept))


def test_every_ungranted_request_gets_its_planted_reason() -> None:
    problem, roster = request_ward(), request_roster()
    report = check_roster(problem, roster)
    assert report.feasible
    refused = [p for p in report.penalties if p.rule in REQUEST_RULES]
    assert len(refused) == 8  # nothing asked for is granted
    found = why_not_granted(problem, roster)
    assert [(r.staff, r.day) for r in found] == [
        ("C", 1),
        ("P", 1),
        ("R", 1),
        ("V", 1),
        ("M", 2),
        ("X", 2),
        ("I", 2),
        ("A", 2),
    ]  # by day, then staff
    by = _by_staff(found)
    assert {s: r.kind for s, r in by.items()} == {
        "C": "cost",
        "P": "pinned",
        "R": "rule",
        "V": "away",
        "M": "rule",
        "X": "rule",
        "I": "improves",
        "A": "cost",
    }
    assert {s: r.rule for s, r in by.items() if r.kind == "rule"} == {
        "R": "succession",
        "M": "min_cover",
        "X": "max_shifts",
    }
    assert all(r.rule is None for r in found if r.kind != "rule")
    assert all(r.cost_change is None for r in found if r.kind not in ("cost", "improves"))
    assert [(r.shift, r.want, r.weight) for r in found] == [
        (None, False, 10),
        (None, False, 5),
        ("E", True, 20),
        ("N", True, 3),
        ("N", False, 8),
        (None, True, 7),
        ("E", True, 30),
        (None, True, 4),
    ]


def test_costs_are_the_checkers_objective_difference() -> None:
    problem, roster = request_ward(), request_roster()
    before = check_roster(problem, roster).objective
    by = _by_staff(why_not_granted(problem, roster))
    # Cora off Tue: Early 1 RN short (100) less her request (10) = 90
    # Ivy on Wed's Early: 1 RN over (10) less her request (30) = -20
    # Ann on Wed's Late: 1 RN over (6) less her request (4) = 2 (Early: 10 - 4 = 6)
    for staff, day, shift, change in [("C", 1, None, 90), ("I", 2, "E", -20), ("A", 2, "L", 2)]:
        after = check_roster(problem, _changed(staff, day, shift))
        assert after.feasible
        assert by[staff].cost_change == change == after.objective - before
        assert by[staff].granting_shift == shift
    early = check_roster(problem, _changed("A", 2, "E")).objective - before
    assert early == 6 > 2  # the Late is the cheapest open shift; the Night is away


def test_the_sentences_say_it_in_the_planners_words() -> None:
    by = _by_staff(why_not_granted(request_ward(), request_roster()))
    assert by["C"].message == (
        "Cora Cover asked for Tue 2 Jan off (weight 10): granting it alone would leave "
        "Early shift Tue 2 Jan 1 RN short (+100), more than the request's weight"
    )
    assert by["P"].message == (
        "Pia Pinned asked for Tue 2 Jan off (weight 5): impossible: pinned to Early that day"
    )
    assert by["R"].message == (
        "Rae Rule asked for Early on Tue 2 Jan (weight 20): granting it alone would break a "
        "hard rule: Early on Tue 2 Jan may not follow Late on Mon 1 Jan"
    )
    assert by["V"].message == (
        "Ava Away asked for Night on Tue 2 Jan (weight 3): impossible: away that day (annual leave)"
    )
    assert by["M"].message == (
        "Mia Minimum asked for no Night on Wed 3 Jan (weight 8): granting it alone would "
        "break a hard rule: Night shift Wed 3 Jan: 0 RN on duty; at least 1 are required"
    )
    assert by["X"].message == (
        "Max Maxed asked for a shift on Wed 3 Jan (weight 7): on any shift, granting it "
        "alone would break a hard rule: Max Maxed works 2 shifts; the contract allows 1"
    )
    assert by["I"].message == (
        "Ivy Improves asked for Early on Wed 3 Jan (weight 30): granting it alone would "
        "bring Early shift Wed 3 Jan: 1 RN more than needed (+10), less than the request's "
        "weight, so it would lower the penalty by 20: the roster is not the best possible "
        "— solve longer"
    )
    assert by["A"].message == (
        "Ann Any asked for a shift on Wed 3 Jan (weight 4): granting it alone (on Late, the "
        "cheapest open shift) would bring Late shift Wed 3 Jan: 1 RN more than needed (+6), "
        "more than the request's weight"
    )
    assert all(r.message == f"{r.name} asked for {r.request} (weight {r.weight}): {r.why}"
               for r in by.values())  # fmt: skip


def test_an_any_shift_request_with_no_open_shift_says_why_per_shift() -> None:
    problem = request_ward()
    away = Unavailability(staff="A", first_day=2, last_day=2, shifts=("E",), reason="course")
    pinned = Pin(staff="A", day=2, shift=None)
    problem = problem.model_copy(
        update={"unavailability": (*problem.unavailability, away), "pins": (*problem.pins, pinned)}
    )
    ann = _by_staff(why_not_granted(problem, request_roster()))["A"]
    assert (ann.kind, ann.rule, ann.cost_change, ann.granting_shift) == ("away", None, None, None)
    assert ann.why == (
        "no shift is open that day (Early: away, course; Late: pinned to a day off; "
        "Night: away, training)"
    )


def test_a_size_change_is_said_once_and_several_add_up() -> None:
    # Tue's Early needs 3 RNs (Cora and Dan: 1 short) and 2 staff (with Pia: 1 over);
    # Cora off leaves it 2 RNs short (+100) and ends the over-cover (-1)
    problem = request_ward().model_copy(
        update={
            "cover": (
                CoverDemand(day=1, shift="E", skill="RN", required=3, under_weight=100),
                CoverDemand(day=1, shift="E", required=2, over_weight=1),
            )
        }
    )
    [cora] = why_not_granted(problem, request_roster(), requests={("C", 1, None, False)})
    assert cora.cost_change == 89  # +100 short, -1 over-cover, -10 her request granted
    assert cora.why == (
        "granting it alone would leave Early shift Tue 2 Jan 1 → 2 RN short (+100) and "
        "remove Early shift Tue 2 Jan: 1 staff more than needed (-1): +99 in all, more than "
        "the request's weight"
    )


def test_only_the_requests_asked_about_and_a_result_without_a_roster() -> None:
    problem, roster = request_ward(), request_roster()
    only = why_not_granted(problem, roster, requests={("I", 2, "E", True), ("C", 2, None, True)})
    assert [r.staff for r in only] == ["I"]  # Cora asked for nothing on Wed
    assert why_not_granted(problem.model_copy(update={"requests": ()}), roster) == []
    with pytest.raises(InputError, match="holds no solution") as raised:
        why_not_granted(problem, Result(status=SolveStatus.INFEASIBLE))
    assert raised.value.field == "solution"


def test_at_most_the_heaviest_requests_are_explained_in_their_order() -> None:
    problem, roster = request_ward(), request_roster()
    every = why_not_granted(problem, roster)
    heaviest = max(r.weight for r in every)
    two = why_not_granted(problem, roster, most=2)
    assert len(every) > 2 and len(two) == 2
    assert heaviest in {r.weight for r in two}
    assert min(r.weight for r in two) >= sorted((r.weight for r in every), reverse=True)[1]
    assert [r for r in every if r in two] == two  # the order kept


def test_demo_ward_every_ungranted_request_is_explained_once() -> None:
    problem = load_roster(DEMO_WARD)
    result, report = solve_verified(problem, time_limit=5, workers=1, seed=3)
    assert report.feasible and report.objective == result.objective
    started = time.perf_counter()
    found = why_not_granted(problem, result)
    seconds = time.perf_counter() - started
    assert seconds < 5, f"why_not_granted took {seconds:.2f} s"  # about 0.2 s
    refused = [p for p in penalty_breakdown(problem, result) if p.rule in REQUEST_RULES]
    assert refused, "a 5 s roster of the demo ward leaves requests ungranted"
    key = lambda r: (r.staff, r.day, r.shift, r.want, r.weight)  # noqa: E731
    assert sorted(map(key, found)) == sorted(
        (p.staff, p.day, p.shift, p.rule == "shift_on_request", p.cost) for p in refused
    )
    assert all(r.message.startswith(f"{r.name} asked for ") for r in found)
    assert all(r.rule for r in found if r.kind == "rule")
    roster = result.roster
    assert roster is not None
    for r in found:
        if r.kind in ("cost", "improves"):
            assert r.cost_change is not None and (r.cost_change < 0) == (r.kind == "improves")
            kept = [a for a in roster.assignments if (a.staff, a.day) != (r.staff, r.day)]
            if r.granting_shift is not None:
                kept.append(Assignment(staff=r.staff, day=r.day, shift=r.granting_shift))
            after = check_roster(problem, RosterSolution(assignments=tuple(kept)))
            assert after.feasible
            assert after.objective - report.objective == r.cost_change
