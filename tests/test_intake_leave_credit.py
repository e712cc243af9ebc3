"""Leave applied from free text: credited only for leave and sickness, never twice, and
year-end ranges written with one month ("from the 28th to 3 Jan").

The credit is ``Unavailability.counts_toward_hours`` (the contract minimum drops pro rata,
``RosterProblem.minimum_minutes``); the change line names the new minimum.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llm_intake.apply import apply_requests
from llm_intake.dates import find_dates
from llm_intake.intake import propose
from llm_intake.requests import Unavailable
from optimizer.io.load import load_roster
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftType,
    Staff,
    Unavailability,
)
from tests.verify import solve_verified

DATA = Path(__file__).resolve().parents[1] / "data"
MONDAY = dt.date(2026, 12, 7)


def _jo(*away: Unavailability) -> RosterProblem:
    """One nurse, 7 days from Mon 7 Dec, an 8 h Early, contract minimum 1440 (3 shifts);
    no cover needed and every shift costs 1, so the optimum is the fewest shifts that reach
    the minimum."""
    return RosterProblem(
        start_date=MONDAY,
        num_days=7,
        shifts=(ShiftType(id="E", name="Early", start="07:00", length_minutes=480),),
        staff=(Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=1440)),),
        cover=tuple(CoverDemand(day=d, shift="E", required=0, over_weight=1) for d in range(7)),
        unavailability=away,
    )


def _applied(text: str, problem: RosterProblem) -> tuple[RosterProblem, list[str]]:
    """``text`` read by the rule parser (today Mon 7 Dec) and applied to ``problem``."""
    proposal = propose(text, [problem], MONDAY)
    assert proposal.requests and not proposal.unparsed, proposal
    applied = apply_requests(problem, list(proposal.requests))
    return applied.problem, applied.changes


def _optimum(problem: RosterProblem) -> int | None:
    result, _report = solve_verified(problem, time_limit=5)
    return result.objective


# -- D7: only leave and sickness count toward hours --------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Jo Park is off sick from 7 to 9 Dec",
        "Jo Park is on annual leave from 7 to 9 Dec",
        "Jo Park is on holiday from 7 to 9 Dec",
        "Jo Park is on study leave from 7 to 9 Dec",
        "Jo Park is on a course from 7 to 9 Dec",
        "Jo Park is on maternity leave from 7 to 9 Dec",
        "Jo Park is on parental leave from 7 to 9 Dec",
        "Jo Park is on compassionate leave from 7 to 9 Dec",
    ],
)
def test_leave_and_sickness_lower_the_minimum_and_say_so(text: str) -> None:
    # 1440 - floor(1440 * 3 / 7) = 823: two shifts (960) reach it -> optimum 2
    problem, changes = _applied(text, _jo())
    assert problem.minimum_minutes("jo") == 823
    assert changes == [
        "Jo Park: unavailable, Mon 07 Dec – Wed 09 Dec (contract minimum 1440 → 823 min)"
    ]
    assert _optimum(problem) == 2


@pytest.mark.parametrize(
    "text",
    [
        "Jo Park can't work from 7 to 9 Dec",
        "Jo Park is off from 7 to 9 Dec",
        "Jo Park is unavailable from 7 to 9 Dec",
    ],
)
def test_a_plain_absence_keeps_the_full_minimum(text: str) -> None:
    # the full 1440 needs three shifts, on the four days left -> optimum 3
    problem, changes = _applied(text, _jo())
    (away,) = problem.unavailability
    assert (away.reason, away.counts_toward_hours) == ("absence", False)
    assert problem.minimum_minutes("jo") == 1440
    assert changes == ["Jo Park: unavailable, Mon 07 Dec – Wed 09 Dec"]
    assert _optimum(problem) == 3


def test_a_shift_only_absence_keeps_the_full_minimum() -> None:
    problem, changes = _applied("Jo Park is off sick for the early on 7 Dec", _jo())
    assert problem.minimum_minutes("jo") == 1440
    assert "minimum" not in changes[0]


def test_a_personal_day_on_the_demo_ward_keeps_the_minimum() -> None:
    # the probe's repro: N05's minimum went 7200 -> 6943 for "can't work on Tuesday"
    ward = load_roster(DATA / "demo_ward.json")
    proposal = propose("Kwame Mensah can't work on Tuesday", [ward], MONDAY)
    applied = apply_requests(ward, list(proposal.requests))
    assert applied.problem.minimum_minutes("N05") == ward.minimum_minutes("N05") == 7200
    assert applied.changes == ["Kwame Mensah: unavailable, Tue 08 Dec"]


# -- D5: an absence already on the roster gains nothing ---------------------------------------


def test_the_same_leave_twice_is_stored_and_credited_once() -> None:
    once, _ = _applied("Jo Park is off sick from 7 to 9 Dec", _jo())
    twice, changes = _applied("Jo Park is off sick from 7 to 9 Dec", once)
    assert twice.unavailability == once.unavailability
    assert twice.minimum_minutes("jo") == 823
    assert changes == ["Jo Park: unavailable, Mon 07 Dec – Wed 09 Dec (already recorded)"]
    assert _optimum(twice) == 2


def test_leave_over_a_recorded_absence_of_another_reason_gains_no_credit() -> None:
    # the days are on the roster as an uncredited absence: re-stated as leave, nothing changes
    recorded = Unavailability(staff="jo", first_day=0, last_day=2, reason="day off")
    problem, changes = _applied("Jo Park is on annual leave from 7 to 9 Dec", _jo(recorded))
    assert problem.unavailability == (recorded,)
    assert problem.minimum_minutes("jo") == 1440
    assert changes == ["Jo Park: unavailable, Mon 07 Dec – Wed 09 Dec (already recorded)"]
    assert _optimum(problem) == 3


def test_partly_recorded_leave_credits_only_the_new_days() -> None:
    # sick 7-9 Dec on record (credited, 823); sick 8-10 Dec adds 10 Dec only:
    # 1440 - floor(1440 * 4 / 7) = 618, still two shifts -> optimum 2
    once, _ = _applied("Jo Park is off sick from 7 to 9 Dec", _jo())
    problem, changes = _applied("Jo Park is off sick from 8 to 10 Dec", once)
    assert [(u.first_day, u.last_day) for u in problem.unavailability] == [(0, 2), (3, 3)]
    assert problem.minimum_minutes("jo") == 618
    assert changes == [
        "Jo Park: unavailable, Tue 08 Dec – Thu 10 Dec "
        "(Tue 08 Dec – Wed 09 Dec already recorded) (contract minimum 823 → 618 min)"
    ]
    assert _optimum(problem) == 2


def test_leave_around_an_uncredited_absence_credits_only_the_new_days() -> None:
    # "day off" on 8 Dec stays uncredited; leave 7-9 Dec adds 7 and 9 Dec:
    # 1440 - floor(1440 * 2 / 7) = 1029, three shifts on the four days left -> optimum 3
    day_off = Unavailability(staff="jo", first_day=1, last_day=1, reason="day off")
    problem, changes = _applied("Jo Park is on annual leave from 7 to 9 Dec", _jo(day_off))
    credited = [(u.first_day, u.last_day) for u in problem.unavailability if u.counts_toward_hours]
    assert credited == [(0, 0), (2, 2)]
    assert problem.minimum_minutes("jo") == 1029
    assert changes == [
        "Jo Park: unavailable, Mon 07 Dec – Wed 09 Dec "
        "(Tue 08 Dec already recorded) (contract minimum 1440 → 1029 min)"
    ]
    assert _optimum(problem) == 3


def test_restated_demo_leave_is_already_recorded() -> None:
    # the probe's repro: Mei Chen's leave (days 19-25, uncredited, her minimum 4050 already
    # net of it) was stored again with the credit and her minimum fell to 3038
    ward = load_roster(DATA / "demo_ward.json")
    text = "Mei Chen is on annual leave from 26 Dec to 1 Jan"
    proposal = propose(text, [ward], MONDAY)
    applied = apply_requests(ward, list(proposal.requests))
    assert applied.problem.unavailability == ward.unavailability
    assert applied.problem.minimum_minutes("N11") == 4050
    assert applied.changes == ["Mei Chen: unavailable, Sat 26 Dec – Fri 01 Jan (already recorded)"]


def test_a_shift_absence_inside_a_whole_day_one_is_already_recorded() -> None:
    sick = Unavailability(staff="jo", first_day=0, last_day=2, reason="sickness")
    problem = apply_requests(_jo(sick), [Unavailable(staff="jo", from_=MONDAY, to=MONDAY)])
    assert problem.problem.unavailability == (sick,)
    shift_only = Unavailable(staff="jo", from_=MONDAY, to=MONDAY, shifts=["E"])
    again = apply_requests(_jo(sick), [shift_only])
    assert again.problem.unavailability == (sick,)
    assert again.changes[0].endswith("(already recorded)")


# -- D6: a first day without a month before a month end -------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("off from the 28th to 3 Jan", 28, 3),
        ("off between the 28th and 3 Jan", 28, 3),
        ("off from the 30th until 2nd January", 30, 2),
        ("off 28th - 3rd Jan", 28, 3),
        ("off 28-3 Jan 2027", 28, 3),
        ("off between 28 and 3 January", 28, 3),
    ],
)
def test_a_range_over_the_year_end_starts_in_december(text: str, first: int, last: int) -> None:
    (hit,) = find_dates(text, MONDAY)
    assert hit.error is None, hit.error
    assert (hit.first, hit.last) == (dt.date(2026, 12, first), dt.date(2027, 1, last))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("off between the 1st and 3rd Dec", 1, 3),
        ("off from the 14th to 16 Dec", 14, 16),
        ("off 28th - 31st Dec", 28, 31),
    ],
)
def test_a_range_within_one_month_is_unchanged(text: str, first: int, last: int) -> None:
    (hit,) = find_dates(text, MONDAY)
    assert (hit.first, hit.last, hit.error) == (
        dt.date(2026, 12, first),
        dt.date(2026, 12, last),
        None,
    )


def test_a_first_day_the_month_before_lacks_is_named() -> None:
    (hit,) = find_dates("off 31st - 2nd Dec", MONDAY)
    assert hit.first is None and hit.error == "'31st - 2nd Dec': there is no 31 November"


def test_year_end_leave_is_proposed_and_applied_on_the_demo_ward() -> None:
    ward = load_roster(DATA / "demo_ward.json")
    proposal = propose("Chloe Martin is off between the 28th and 3 Jan", [ward], MONDAY)
    (request,) = proposal.requests
    assert isinstance(request, Unavailable) and not proposal.unparsed
    assert (request.from_, request.to) == (dt.date(2026, 12, 28), dt.date(2027, 1, 3))
