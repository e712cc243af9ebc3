"""Diagnosis and greedy hint with a rest rule reaching two or more days ahead.

One nurse, Sam Lee, over the week of Mon 14 Dec 2026. The Night (22:00, 540 min) ends
at 07:00 the next morning and needs 36 h of rest: the Early (07:00) the day after is
0 h later and the one two days later only 24 h, so both are forbidden; three days later
(48 h) is fine. Nothing else conflicts, so a Night on Mon with an Early on Wed breaks
only the rest rule reaching two days ahead.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from optimizer.check import check
from optimizer.explain.diagnosis import diagnose_roster
from optimizer.model.result import Assignment, RosterSolution
from optimizer.model.roster import CoverDemand, Pin, RosterProblem, ShiftType, Staff
from optimizer.solvers.cpsat.diagnose import find_core, is_feasible
from optimizer.solvers.cpsat.roster.heuristic import greedy_roster
from optimizer.solvers.cpsat.roster.indexing import RosterIndex
from tests.verify import solve_verified

MONDAY = dt.date(2026, 12, 14)
EARLY = ShiftType(id="E", name="Early", start="07:00", length_minutes=480)
WAIVER = "waive the rest rule once for Sam Lee: Early on Wed 16 Dec after Night on Mon 14 Dec"


def _problem(rest: float = 36, **extra: Any) -> RosterProblem:
    night = ShiftType(id="N", name="Night", start="22:00", length_minutes=540, min_rest_hours=rest)
    fields: dict[str, Any] = {
        "start_date": MONDAY,
        "num_days": 7,
        "shifts": (EARLY, night),
        "staff": (Staff(id="sam", name="Sam Lee"),),
    }
    fields.update(extra)
    return RosterProblem(**fields)


def _pinned(later: int = 2) -> RosterProblem:
    # Night Mon and Early `later` days on are pinned → {pin Mon, pin, rest Mon–later}
    return _problem(
        pins=(Pin(staff="sam", day=0, shift="N"), Pin(staff="sam", day=later, shift="E"))
    )


def _hard_minimum() -> RosterProblem:
    # Night Mon pinned; Early Wed needs 1 (hard) and Sam is the only nurse
    # → {pin Mon, min_cover Wed, rest Mon–Wed}
    return _problem(
        pins=(Pin(staff="sam", day=0, shift="N"),),
        cover=(CoverDemand(day=2, shift="E", required=1, min_required=1),),
    )


def test_pins_breaking_a_rest_two_days_ahead_are_diagnosed() -> None:
    diagnosis = diagnose_roster(_pinned(), 20)
    assert diagnosis.feasible is False and diagnosis.minimal
    assert sorted((c.rule, c.days) for c in diagnosis.conflicts) == [
        ("pin", (0,)),
        ("pin", (2,)),
        ("succession", (0, 2)),
    ]
    rest = next(c for c in diagnosis.conflicts if c.rule == "succession")
    assert rest.staff == "sam"
    assert rest.message == (
        "Sam Lee may not work Early on Wed 16 Dec after Night on Mon 14 Dec "
        "(rest rule: 36 h after Night)"
    )
    assert WAIVER in diagnosis.relaxations
    assert "unpin Sam Lee on Mon 14 Dec (Night)" in diagnosis.relaxations


def test_a_hard_minimum_against_a_rest_two_days_ahead_is_diagnosed() -> None:
    diagnosis = diagnose_roster(_hard_minimum(), 20)
    assert diagnosis.feasible is False and diagnosis.minimal
    assert sorted((c.rule, c.days) for c in diagnosis.conflicts) == [
        ("min_cover", (2,)),
        ("pin", (0,)),
        ("succession", (0, 2)),
    ]
    assert diagnosis.relaxations[0].startswith("allow agency cover: 1 nurse from outside")
    assert WAIVER in diagnosis.relaxations
    assert "(rest rule: 36 h after Night)" in diagnosis.summary


@pytest.mark.parametrize("make", [_pinned, _hard_minimum])
def test_the_rest_rule_is_needed_and_waiving_it_restores_a_roster(make: Any) -> None:
    problem = make()
    found = find_core(problem, 20)
    assert found.feasible is False and found.minimal
    rest = [m for m in found.core if m.rule == "succession"]
    assert [(m.staff, m.days) for m in rest] == [("sam", (0, 2))]
    # waiving exactly that instance makes the whole problem feasible
    assert is_feasible(problem, disabled=rest) is True
    # a rest of 24 h no longer reaches Wed: the relaxed problem solves, with both shifts
    relaxed = problem.model_copy(update={"shifts": _problem(rest=24).shifts})
    for backend in ("cpsat", "milp"):
        result, _report = solve_verified(relaxed, backend=backend, time_limit=10)
        assert result.roster is not None
        worked = {(a.day, a.shift) for a in result.roster.assignments}
        assert {(0, "N"), (2, "E")} <= worked


def test_the_rest_ends_after_two_days() -> None:
    # Early on Thu is 48 h after the Night ends: nothing to diagnose, and it solves
    problem = _pinned(later=3)
    assert diagnose_roster(problem, 10).feasible is True
    result, _report = solve_verified(problem, backend="cpsat", time_limit=10)
    assert result.roster is not None


def test_the_greedy_hint_respects_a_rest_two_days_ahead() -> None:
    # Night Mon and Early Wed are wanted (soft); the rest rule forbids taking both, and
    # nothing else is wanted, so the greedy roster is Night Mon only (Wed stays open)
    problem = _problem(
        cover=(
            CoverDemand(day=0, shift="N", required=1),
            CoverDemand(day=2, shift="E", required=1),
        )
    )
    roster = greedy_roster(RosterIndex.build(problem))
    shift_id = [s.id for s in problem.shifts]
    rows = {(d, shift_id[s]) for (_e, d), s in roster.items()}
    assert (0, "N") in rows and (2, "E") not in rows
    hint = RosterSolution(
        assignments=tuple(Assignment(staff="sam", day=d, shift=s) for d, s in sorted(rows))
    )
    assert [v for v in check(problem, hint).violations if v.rule == "succession"] == []
