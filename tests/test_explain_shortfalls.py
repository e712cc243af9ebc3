"""Why each understaffed shift is short: every qualified person not on it, in the
first group that explains it (away, pinned, another shift, a hard rule, free)."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from optimizer.check.roster import check_roster
from optimizer.errors import InputError
from optimizer.explain.roster import penalty_breakdown
from optimizer.explain.shortfalls import Shortfall, why_short
from optimizer.io.load import load_roster
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import (
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

DEMO_WARD = "data/demo_ward.json"


PLANTED_SHIFTS = (
    ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
    ShiftType(id="L", name="Late", start="14:00", length_minutes=480, forbidden_next=("E",)),
    ShiftType(id="N", name="Night", start="21:00", length_minutes=600, min_rest_hours=11),
)
"""Early, Late (no Early after it) and Night (11 h rest after it)."""


def planted_ward() -> RosterProblem:
    """Mon 1 – Wed 3 Jan 2024; the Early shift on Tue 2 Jan needs 8 RNs, only Cy is on it.

    One planted cause per RN not on it: Ana (annual leave) and Bea (sick, and pinned
    off: away comes first) are away; Pat is pinned to a day off; Olu works the Late;
    Rae worked Monday's Late (Late may not be followed by Early); Sol worked Monday's
    Night (11 h rest); Max has used his one Early (max 1 of that type); Quinn asked for
    the day off (150 > the 100 a missing RN costs); Fay is free. Hal holds no RN skill.
    """
    return RosterProblem(
        name="planted",
        start_date=dt.date(2024, 1, 1),  # a Monday
        num_days=3,
        shifts=PLANTED_SHIFTS,
        staff=(
            Staff(id="A", name="Ana Away", skills=("RN",)),
            Staff(id="B", name="Bea Both", skills=("RN",)),
            Staff(id="P", name="Pat Pinned", skills=("RN",)),
            Staff(id="O", name="Olu Other", skills=("RN",)),
            Staff(id="R", name="Rae Rest", skills=("RN",)),
            Staff(id="S", name="Sol Night", skills=("RN",)),
            Staff(
                id="M",
                name="Max Maxed",
                skills=("RN",),
                contract=Contract(max_shifts_per_type={"E": 1}),
            ),
            Staff(id="Q", name="Quinn Request", skills=("RN",)),
            Staff(id="F", name="Fay Free", skills=("RN",)),
            Staff(id="C", name="Cy Counted", skills=("RN",)),
            Staff(id="H", name="Hal Helper", skills=("HCA",)),
        ),
        cover=(CoverDemand(day=1, shift="E", skill="RN", required=8, under_weight=100),),
        unavailability=(
            Unavailability(staff="A", first_day=1, last_day=1, reason="annual leave"),
            Unavailability(staff="B", first_day=0, last_day=2, reason="sick"),
        ),
        pins=(Pin(staff="P", day=1, shift=None), Pin(staff="B", day=1, shift=None)),
        requests=(ShiftRequest(staff="Q", day=1, want=False, weight=150),),
    )


def planted_roster() -> RosterSolution:
    return RosterSolution(
        assignments=(
            Assignment(staff="C", day=1, shift="E"),
            Assignment(staff="O", day=1, shift="L"),
            Assignment(staff="R", day=0, shift="L"),
            Assignment(staff="S", day=0, shift="N"),
            Assignment(staff="M", day=0, shift="E"),
        )
    )


def _ids(shortfall: Shortfall, group: str) -> list[str]:
    return [c.staff for c in shortfall.groups[group]]


def test_each_planted_cause_lands_in_its_group_with_the_checkers_words() -> None:
    problem, roster = planted_ward(), planted_roster()
    assert check_roster(problem, roster).feasible
    [short] = why_short(problem, roster)
    assert (short.day, short.shift, short.skill, short.short, short.cost) == (1, "E", "RN", 7, 700)
    assert _ids(short, "away") == ["A", "B"]
    assert [c.reason for c in short.away] == ["annual leave", "sick"]
    assert _ids(short, "pinned") == ["P"]
    assert short.pinned[0].reason == "pinned to a day off"
    assert _ids(short, "other_shift") == ["O"]
    assert short.other_shift[0].reason == "on Late"
    assert _ids(short, "blocked") == ["R", "S", "M"]
    rae, sol, max_ = short.blocked
    assert rae.reason == "Rae Rest: Early on Tue 2 Jan may not follow Late on Mon 1 Jan"
    assert sol.reason == "Sol Night: Early on Tue 2 Jan may not follow Night on Mon 1 Jan"
    assert max_.reason == "Max Maxed works 2 Early shifts; the contract allows 1"
    assert [c.rule for c in short.blocked] == ["succession", "succession", "max_shifts_per_type"]
    # each blocked reason is the checker's own violation of the roster with the shift added
    for person in short.blocked:
        added = (*roster.assignments, Assignment(staff=person.staff, day=1, shift="E"))
        violations = check_roster(problem, RosterSolution(assignments=added)).violations
        assert person.reason in [v.message for v in violations]
    # free: Fay lowers the penalty (100 less short); Quinn's request (150) costs more
    assert _ids(short, "free") == ["F", "Q"]
    fay, quinn = short.free
    assert fay.cost_change == -100
    assert fay.reason == (
        "adding them would lower the penalty by 100: the roster is not the best possible "
        "— solve longer"
    )
    assert quinn.cost_change == 50
    assert quinn.reason == (
        "adding them would raise the penalty by 50: request for a day off on Tue 2 Jan "
        "not granted (150)"
    )
    assert short.considered == 9  # every RN but Cy (counted); Hal holds no RN
    assert "C" not in {c.staff for group in short.groups.values() for c in group}
    assert "H" not in {c.staff for group in short.groups.values() for c in group}


def test_the_sentence_names_the_groups_in_the_planners_words() -> None:
    [short] = why_short(planted_ward(), planted_roster())
    assert short.headline == "Early shift Tue 2 Jan: 7 RN short"
    assert short.message.startswith(
        "Early shift Tue 2 Jan: 7 RN short. Of the 9 RN staff not on it:"
    )
    assert "2 are away (Ana Away: annual leave; Bea Both: sick)" in short.message
    assert "1 is pinned elsewhere that day (Pat Pinned: a day off)" in short.message
    assert "1 works another shift that day (Olu Other: Late)" in short.message
    assert (
        "3 cannot take it without breaking a rule (with the shift added: Rae Rest: Early on "
        "Tue 2 Jan may not follow Late on Mon 1 Jan; Sol Night: Early on Tue 2 Jan may not "
        "follow Night on Mon 1 Jan; Max Maxed works 2 Early shifts, the contract allows 1)"
    ) in short.message
    assert "2 could take it (Fay Free: would lower the penalty by 100; Quinn Request: would " \
        "raise the penalty by 50" in short.message  # fmt: skip
    assert short.message.endswith(
        "Adding Fay Free would lower the penalty by 100: the roster is not the best possible "
        "— solve longer."
    )
    assert short.message == f"{short.headline}. {short.why}"


def test_long_groups_name_three_then_say_how_many_more() -> None:
    problem = planted_ward()
    extra = tuple(
        Unavailability(staff=s, first_day=1, last_day=1, reason="training") for s in "ORSMQF"
    )
    problem = problem.model_copy(update={"unavailability": problem.unavailability + extra})
    roster = RosterSolution(assignments=(Assignment(staff="C", day=1, shift="E"),))
    [short] = why_short(problem, roster)
    assert len(short.away) == 8 and short.considered == 9
    assert "8 are away (Ana Away: annual leave; Bea Both: sick; Olu Other: training; " \
        "and 5 more)" in short.message  # fmt: skip


def test_any_staff_demands_count_everyone_and_only_short_demands_are_explained() -> None:
    problem = planted_ward().model_copy(
        update={
            "cover": (
                CoverDemand(day=1, shift="E", required=9, under_weight=10),
                CoverDemand(day=1, shift="L", skill="RN", required=1),
            )
        }
    )
    [short] = why_short(problem, planted_roster())  # the Late has its RN (Olu)
    assert (short.skill, short.short, short.considered) == (None, 8, 10)  # Hal counts too
    assert _ids(short, "free") == ["F", "H", "Q"]  # Hal: a free pair of hands
    assert [c.cost_change for c in short.free] == [-10, -10, 140]
    assert short.headline == "Early shift Tue 2 Jan: 8 staff short"
    assert why_short(problem, planted_roster(), demands={(1, "L", "RN")}) == []


def test_at_most_the_costliest_shortfalls_are_explained() -> None:
    from optimizer.explain.roster import costliest

    problem = load_roster(DEMO_WARD)
    result, _ = solve_verified(problem, time_limit=2, workers=1, seed=3)
    every = why_short(problem, result)
    three = why_short(problem, result, most=3)
    assert len(every) > 3 and len(three) == 3
    assert (
        sorted((s.cost for s in three), reverse=True)
        == sorted((s.cost for s in every), reverse=True)[:3]
    )
    assert [s for s in every if s in three] == three
    assert costliest([], 2) == []


def test_a_result_without_a_roster_is_refused() -> None:
    with pytest.raises(InputError, match="holds no solution") as raised:
        why_short(planted_ward(), Result(status=SolveStatus.INFEASIBLE))
    assert raised.value.field == "solution"


def test_demo_ward_every_short_shift_is_explained_quickly() -> None:
    problem = load_roster(DEMO_WARD)
    result, report = solve_verified(problem, time_limit=5, workers=1, seed=3)
    assert report.feasible and report.objective == result.objective
    started = time.perf_counter()
    shortfalls = why_short(problem, result)
    seconds = time.perf_counter() - started
    assert seconds < 5, f"why_short took {seconds:.2f} s"  # about 0.4 s on an idle core
    under = [p for p in penalty_breakdown(problem, result) if p.rule == "under_cover"]
    assert under, "a 5 s roster of the demo ward leaves shifts short"
    assert {(p.day, p.shift, p.skill, p.amount) for p in under} == {
        (f.day, f.shift, f.skill, f.short) for f in shortfalls
    }
    shift_of = result.roster.by_staff_day() if result.roster else {}
    for found in shortfalls:
        qualified = [
            p.id
            for p in problem.staff
            if (found.skill is None or found.skill in p.skills)
            and shift_of.get((p.id, found.day)) != found.shift
        ]
        grouped = [c.staff for group in found.groups.values() for c in group]
        assert sorted(grouped) == sorted(qualified), found.headline  # each once, none left
        assert found.message.startswith(found.headline + ". Of the ")
        assert all(c.reason for group in found.groups.values() for c in group)
        assert all(c.rule for c in found.blocked)
        assert all(c.cost_change is not None for c in found.free)
