"""Misreads the rule parser must not make: who covers whom, moves off a shift, cover counts,
case details; and apply messages in names and dates, with the reason of an absence kept."""

from __future__ import annotations

import datetime as dt

import pytest

from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.requests import (
    AddCase,
    CoverChange,
    PinShift,
    ShiftWish,
    Unavailable,
    request_to_json,
)
from optimizer.errors import InputError
from optimizer.model.cases import Window
from optimizer.model.roster import CoverDemand, Unavailability
from tests.test_intake_edge_cases import demo_surgery, demo_ward
from tests.test_intake_fixtures import TODAY, small_theatres, small_ward
from tests.verify import solve_verified

DAY = 24 * 60


def d(day: int) -> dt.date:
    return dt.date(2026, 12, day)


# -- 1. the person covered is never pinned -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("Put Raj Patel on Ana Silva's early tomorrow", "E"),
        ("Raj Patel will cover Ana Silva's night on Thursday", "N"),
        ("Raj Patel is covering for Ana Silva on the late tomorrow", "L"),
        ("Raj Patel is covering Ana Silva's late shift tomorrow", "L"),
        ("Raj Patel to cover Ana Silva on the early tomorrow", "E"),
    ],
)
def test_only_the_person_covering_is_pinned(text: str, shift: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [PinShift(staff="s2", date=d(10), shift=shift)]
    assert proposal.unparsed == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Someone needs to cover Ana Silva on the early tomorrow", "who works the shift"),
        ("Raj Patel will do the late for Ana Silva tomorrow", "more than one person"),
        ("Raj Patel wants the same shift as Ana Silva tomorrow", "more than one person"),
        ("Raj Patel can't cover Ana Silva's late tomorrow", "covering for someone else"),
    ],
)
def test_two_people_not_simply_listed_are_not_guessed_at(text: str, reason: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == []
    (note,) = proposal.unparsed
    assert reason in note.reason


def test_people_listed_together_still_share_the_request() -> None:
    both = propose("Put Raj Patel and Ana Silva on the early tomorrow", [small_ward()], TODAY)
    assert both.requests == [
        PinShift(staff="s2", date=d(10), shift="E"),
        PinShift(staff="s5", date=d(10), shift="E"),
    ]
    three = propose(
        "Raj Patel, Ana Silva and Sam Lee are off sick on Friday", [small_ward()], TODAY
    )
    assert [r.staff for r in three.requests if isinstance(r, Unavailable)] == ["s2", "s5", "s3"]


def test_a_covering_pin_and_a_second_predicate_keep_their_own_subject() -> None:
    text = "Raj Patel will cover Ana Silva's early tomorrow and is off sick on Friday"
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [
        PinShift(staff="s2", date=d(10), shift="E"),
        Unavailable(staff="s2", from_=d(11), to=d(11), shifts=None),
    ]


def test_the_covering_pin_solves_with_the_covered_person_free() -> None:
    """Applied and solved: Raj works the early on Thu 10 Dec; Ana Silva is not fixed to it."""
    ward = small_ward().model_copy(
        update={"cover": (CoverDemand(day=3, shift="E", skill="RN", required=1),)}
    )
    proposal = propose("Put Raj Patel on Ana Silva's early tomorrow", [ward], TODAY)
    new = apply_requests(ward, list(proposal.requests)).problem
    assert [(p.staff, p.day, p.shift) for p in new.pins] == [("s2", 3, "E")]
    result, _ = solve_verified(new, time_limit=10)
    assert result.roster is not None
    worked = {(a.staff, a.day): a.shift for a in result.roster.assignments}
    assert worked[("s2", 3)] == "E"


# -- 2. moved off a shift: not a pin to it -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("Move Ana Silva off nights on Friday", "N"),
        ("Move Ana Silva off the late on Friday", "L"),
        ("Ana Silva has been moved off nights for Friday", "N"),
        ("Please take Ana Silva out of the early on Friday", "E"),
        ("Take Ana Silva off nights on Friday", "N"),  # a verb opening the sentence
        ("Keep Ana Silva off the late on Friday", "L"),
        ("Pull Ana Silva off nights on Friday", "N"),
    ],
)
def test_moved_off_a_shift_is_unavailable_for_it(text: str, shift: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [Unavailable(staff="s5", from_=d(11), to=d(11), shifts=[shift])]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Move Ana Silva from nights to earlies on Friday", "from one shift to another"),
        ("Don't move Ana Silva off nights on Friday", "negated"),
    ],
)
def test_moves_that_are_not_clear_are_reported(text: str, reason: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == []
    assert reason in proposal.unparsed[0].reason


def test_moved_to_a_shift_is_still_a_pin_and_a_wish_to_move_off_is_a_wish() -> None:
    pin = propose("Move Ana Silva to nights on Friday", [small_ward()], TODAY)
    assert pin.requests == [PinShift(staff="s5", date=d(11), shift="N")]
    wish = propose("Ana Silva would like to be moved off nights on Friday", [small_ward()], TODAY)
    assert wish.requests == [ShiftWish(staff="s5", date=d(11), shift="N", want=False)]


# -- 4. cover counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delta", "set_"),
    [
        ("We need one RN less on the early tomorrow", -1, None),
        ("We need 1 RN fewer on the late on Friday", -1, None),
        ("We need another 2 RNs on nights on Friday", 2, None),
        ("We need an extra 2 RNs on nights on Friday", 2, None),
        ("We need 2 RNs extra on nights on Friday", 2, None),
        ("We need another RN on nights on Friday", 1, None),
        ("We need an extra RN on nights on Friday", 1, None),
        ("We need 3 RNs on nights on Friday", None, 3),
    ],
)
def test_cover_counts(text: str, delta: int | None, set_: int | None) -> None:
    (change,) = propose(text, [small_ward()], TODAY).requests
    assert isinstance(change, CoverChange)
    assert (change.skill, change.delta, change.set_) == ("RN", delta, set_)


@pytest.mark.parametrize(
    "text",
    [
        "From 28 Dec to 3 Jan we need 4 RNs on nights",
        "We need 4 RNs on nights from 28 Dec to 3 Jan",
    ],
)
def test_a_number_of_a_date_range_is_not_the_count(text: str) -> None:
    changes = propose(text, [demo_ward()], TODAY).requests
    assert len(changes) == 7
    assert all(isinstance(c, CoverChange) and c.set_ == 4 and c.delta is None for c in changes)


def test_counts_around_each_of_two_skills() -> None:
    text = "Nights on Friday need one RN less and another 2 HCAs"
    proposal = propose(text, [demo_ward()], TODAY)
    assert proposal.requests == [
        CoverChange(date=d(11), shift="N", skill="RN", delta=-1),
        CoverChange(date=d(11), shift="N", skill="HCA", delta=2),
    ]


# -- 8. a cover change without a skill on a shift covered per skill ---------------------------


def test_a_skill_less_change_to_per_skill_cover_is_refused_not_a_no_op() -> None:
    ward = demo_ward()
    proposal = propose("We need one more member of staff on the late on Friday", [ward], TODAY)
    assert proposal.requests == [CoverChange(date=d(11), shift="L", skill=None, delta=1)]
    with pytest.raises(InputError, match=r"Late cover on Fri 11 Dec is set per skill \(RN "):
        apply_requests(ward, list(proposal.requests))
    with pytest.raises(InputError, match="which skill to set to 4"):
        apply_requests(ward, [CoverChange(date=d(11), shift="N", skill=None, set_=4)])


def test_a_skill_less_change_applies_where_cover_is_not_per_skill() -> None:
    total = small_ward().model_copy(
        update={"cover": (CoverDemand(day=4, shift="N", skill=None, required=2),)}
    )
    applied = apply_requests(total, [CoverChange(date=d(11), shift="N", skill=None, delta=1)])
    assert [(c.day, c.shift, c.skill, c.required) for c in applied.problem.cover] == [
        (4, "N", None, 3)
    ]
    empty = apply_requests(small_ward(), [CoverChange(date=d(12), shift="E", skill=None, set_=2)])
    assert (5, "E", None, 2) in [(c.day, c.shift, c.skill, c.required) for c in empty.problem.cover]


# -- 9. new cases: procedure after a duration, priority words, "1 hour 30" ---------------------


@pytest.mark.parametrize(
    ("text", "procedure", "minutes", "priority"),
    [
        ("Add a 45 min hernia repair for Omar Haddad on Thursday", "hernia repair", 45, "elective"),
        ("Add a 90 minute lap chole for Omar Haddad on Thursday", "lap chole", 90, "elective"),
        ("Add a non-urgent 45 min hernia repair on Thursday", "hernia repair", 45, "elective"),
        ("Add a low priority 45 min hernia repair on Thursday", "hernia repair", 45, "elective"),
        ("Add a 45 min hernia repair on Thursday, not urgent", "hernia repair", 45, "elective"),
        ("Add an urgent 45 min hernia repair on Thursday", "hernia repair", 45, "urgent"),
        ("Add a high priority 45 min hernia repair on Thursday", "hernia repair", 45, "urgent"),
        ("Add a 1 hour 30 hernia repair on Thursday", "hernia repair", 90, "elective"),
        ("Add a 1hr 30 hernia repair on Thursday", "hernia repair", 90, "elective"),
        ("Add a hernia repair, 1 hour, on 10 Dec", "hernia repair", 60, "elective"),
    ],
)
def test_new_case_details(text: str, procedure: str, minutes: int, priority: str) -> None:
    (case,) = propose(text, [small_theatres()], TODAY).requests
    assert isinstance(case, AddCase)
    assert (case.procedure, case.duration_min, case.priority) == (procedure, minutes, priority)
    assert case.date == d(10)


def test_an_hour_then_a_date_is_not_minutes() -> None:
    (case,) = propose("Add a hernia repair for 1 hour 10 Dec", [small_theatres()], d(7)).requests
    assert isinstance(case, AddCase)
    assert (case.duration_min, case.date) == (60, d(10))


@pytest.mark.parametrize(
    "text",
    [
        "Add a medium priority 45 min hernia repair on Thursday",
        "Add a non-urgent but urgent 45 min hernia repair on Thursday",
    ],
)
def test_an_unclear_priority_is_asked_about(text: str) -> None:
    proposal = propose(text, [small_theatres()], TODAY)
    assert proposal.requests == []
    assert "priority" in proposal.unparsed[0].reason


# -- 10. the reason of an absence is kept --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ana Silva is off sick on Friday", "sickness"),
        ("Ana Silva is on sick leave on Friday", "sickness"),
        ("Ana Silva is on annual leave on Friday", "annual leave"),
        ("Ana Silva is on study leave on Friday", "study leave"),
        ("Ana Silva is on a course on Friday", "training"),
        ("Ana Silva is off on Friday", "absence"),
        ("Move Ana Silva off nights on Friday", "absence"),
    ],
)
def test_the_absence_reason_is_stored(text: str, reason: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    new = apply_requests(small_ward(), list(proposal.requests)).problem
    (unav,) = new.unavailability
    assert (unav.staff, unav.first_day, unav.reason) == ("s5", 4, reason)


def test_the_reason_is_a_label_outside_the_json_contract() -> None:
    sick = Unavailable(staff="s5", from_=d(11), to=d(11), reason="sickness")
    plain = Unavailable(staff="s5", from_=d(11), to=d(11))
    assert sick == plain and hash(sick) == hash(plain)
    assert "reason" not in request_to_json(sick)


# -- 11. apply-time refusals in names and dates ----------------------------------------------


def test_a_pin_on_leave_is_refused_in_names_and_dates() -> None:
    ward = small_ward().model_copy(
        update={
            "unavailability": (
                Unavailability(staff="s5", first_day=8, last_day=8, reason="annual leave"),
            )
        }
    )
    proposal = propose("Put Ana Silva on the early on 15 Dec", [ward], TODAY)
    with pytest.raises(InputError) as err:
        apply_requests(ward, list(proposal.requests))
    message = str(err.value)
    assert "Ana Silva" in message and "Tue 15 Dec" in message and "(annual leave)" in message
    assert "s5" not in message and "2026-12-15" not in message


def test_a_case_with_a_surgeon_off_duty_is_refused_in_names_and_days() -> None:
    tuesday = Window(start=DAY + 8 * 60, end=DAY + 17 * 60)
    theatres = small_theatres()
    staff = tuple(
        p.model_copy(update={"available": (tuesday,)}) if p.id == "d2" else p
        for p in theatres.staff
    )
    theatres = theatres.model_copy(update={"staff": staff})
    text = "Add a 45 min hernia repair for Omar Haddad on Thursday"
    proposal = propose(text, [theatres], TODAY)
    with pytest.raises(InputError) as err:
        apply_requests(theatres, list(proposal.requests))
    assert str(err.value).endswith(
        "cannot add the 45-min hernia repair case on Thu 10 Dec: Omar Haddad is not on duty "
        "long enough that day (on duty Tue 08 Dec)"
    )
    on_tuesday = propose("Add a 45 min hernia repair for Omar Haddad on Tuesday", [theatres], d(7))
    applied = apply_requests(theatres, list(on_tuesday.requests))
    assert applied.changes == ["added case intake-1: hernia repair, 45 min on Tue 08 Dec"]


def test_the_demo_surgeon_off_duty_is_named() -> None:
    surgery = demo_surgery()
    text = "Add a 45 min hernia repair for Ms Donnelly on Thursday"
    proposal = propose(text, [demo_ward(), surgery], TODAY)
    with pytest.raises(InputError, match=r"Donnelly is not on duty long enough that day \(on"):
        apply_requests(surgery, list(proposal.requests))
