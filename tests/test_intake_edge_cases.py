"""Intake edge cases found by probing: two predicates in one sentence, absurd counts,
case-scheduling staff, ranges cut by the plan, and change lines in the planner's terms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llm_intake.apply import affects, apply_requests
from llm_intake.command import run_intake
from llm_intake.intake import propose
from llm_intake.requests import (
    CoverChange,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
)
from llm_intake.resolver import Resolver, Unresolved, resolve_request
from llm_intake.vocabulary import build_vocabulary
from optimizer.errors import InputError
from optimizer.io.load import load_cases, load_roster
from optimizer.model.cases import CaseProblem
from optimizer.model.roster import RosterProblem
from tests.test_intake_fixtures import TODAY, small_theatres, small_ward
from tests.verify import solve_verified

DATA = Path(__file__).resolve().parents[1] / "data"
DAY = 24 * 60


def d(day: int) -> dt.date:
    return dt.date(2026, 12, day)


def demo_ward() -> RosterProblem:
    return load_roster(DATA / "demo_ward.json")


def demo_surgery() -> CaseProblem:
    return load_cases(DATA / "demo_surgery.json")


# -- 1. two requests in one sentence: split, never flipped ------------------------------------


def test_two_predicates_in_one_sentence_become_two_requests() -> None:
    text = "Jo Park wants to work the late shift on 9 December and is off sick on 9 December"
    proposal = propose(text, [demo_ward()], d(1))
    assert proposal.requests == [
        ShiftWish(staff="N07", date=d(9), shift="L", want=True),
        Unavailable(staff="N07", from_=d(9), to=d(9), shifts=None),
    ]
    assert proposal.unparsed == []
    assert "would rather not" not in proposal.summary


def test_the_second_predicate_keeps_its_own_polarity() -> None:
    text = "Ana Silva is off sick on 10 Dec and wants to work the late shift on 11 Dec"
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [
        Unavailable(staff="s5", from_=d(10), to=d(10), shifts=None),
        ShiftWish(staff="s5", date=d(11), shift="L", want=True),
    ]
    text = "Ana Silva would like Friday off and wants to work Saturday"
    assert propose(text, [small_ward()], TODAY).requests == [
        ShiftWish(staff="s5", date=d(11), shift=None, want=False),
        ShiftWish(staff="s5", date=d(12), shift=None, want=True),
    ]


def test_a_predicate_without_its_date_is_reported_not_dropped() -> None:
    proposal = propose("Ana Silva wants a late and is off sick on Friday", [small_ward()], TODAY)
    assert proposal.requests == [Unavailable(staff="s5", from_=d(11), to=d(11), shifts=None)]
    assert [u.reason for u in proposal.unparsed] == ["which date or dates?"]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Ana Silva wants the late shift on Friday despite being sick", "a wish and a sickness"),
        ("Ana Silva would like an early on Friday and not a late on Saturday", "wish against"),
    ],
)
def test_mixed_polarity_is_asked_about_never_flipped(text: str, reason: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == []
    assert reason in proposal.unparsed[0].reason


def test_a_wish_for_leave_is_a_wish_for_a_day_off() -> None:
    proposal = propose("Ana Silva would like annual leave on Friday", [small_ward()], TODAY)
    assert proposal.requests == [ShiftWish(staff="s5", date=d(11), shift=None, want=False)]


# -- 2. unreasonable counts are refused before anything is applied ---------------------------


@pytest.mark.parametrize(
    "text",
    [
        "need 99999999999999999999 extra nurses on early shift on Monday",
        "need 6 more RN on nights on Friday",  # the fixture ward has 4 RNs
        "we need 9 staff on the early shift on Friday",  # 5 staff in all
    ],
)
def test_more_staff_than_the_ward_has_is_not_understood(text: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == []
    assert "is more than the" in proposal.unparsed[0].reason
    assert "on the ward" in proposal.unparsed[0].reason


def test_a_sane_count_is_still_understood() -> None:
    proposal = propose("need 2 more RN on nights on Friday", [small_ward()], TODAY)
    assert proposal.requests == [CoverChange(date=d(11), shift="N", skill="RN", delta=2)]


def test_llm_and_apply_paths_refuse_absurd_counts_too() -> None:
    huge = CoverChange(date=d(11), shift="N", skill="RN", delta=10**20)
    with pytest.raises(Unresolved, match="more than the 4 staff with RN"):
        resolve_request(huge, Resolver(build_vocabulary([small_ward()])))
    with pytest.raises(InputError, match="more than the 4 staff with RN") as info:
        apply_requests(small_ward(), [huge])
    assert info.value.field == "cover"
    # the existing cover (2) may rise up to the 4 RNs, not beyond
    ok = apply_requests(small_ward(), [CoverChange(date=d(11), shift="N", skill="RN", delta=2)])
    assert ok.problem.cover[0].required == 4


# -- 3. case-scheduling staff can be off sick ---------------------------------------------------


def test_case_staff_sickness_is_understood(capsys: pytest.CaptureFixture[str]) -> None:
    proposal = propose("Daniel Okafor is off sick on 8 Dec", [demo_surgery()], d(1))
    assert proposal.requests == [Unavailable(staff="GS1", from_=d(8), to=d(8), shifts=None)]
    assert proposal.unparsed == []
    code = run_intake(
        "Daniel Okafor is off sick on 8 Dec",
        [DATA / "demo_surgery.json"],
        "2026-12-01",
    )
    assert code == 0
    assert "Daniel Okafor unavailable Tue 8 Dec" in capsys.readouterr().out


def test_a_first_name_shared_by_a_nurse_and_a_surgeon_is_asked_about() -> None:
    problems = [demo_ward(), demo_surgery()]
    proposal = propose("Daniel is off sick on 8 Dec", problems, d(1))
    assert proposal.requests == []
    assert "Daniel Byrne (N14) or Mr Daniel Okafor (GS1)" in proposal.unparsed[0].reason
    full = propose("Daniel Okafor is off sick on 8 Dec", problems, d(1))
    assert full.requests == [Unavailable(staff="GS1", from_=d(8), to=d(8), shifts=None)]
    assert affects(problems[1], list(full.requests))
    assert not affects(problems[0], list(full.requests))
    # the LLM path resolves the same name the same way
    said = Unavailable(staff="Daniel Okafor", from_=d(8), to=d(8), shifts=None)
    resolved = resolve_request(said, Resolver(build_vocabulary(problems)))
    assert resolved == Unavailable(staff="GS1", from_=d(8), to=d(8), shifts=None)


def test_case_staff_absence_moves_their_case_to_another_day() -> None:
    """Helen Ward (d1) must do case c1 (120 min); off Monday–Thursday, it can only run on
    Friday, day 4 of the 5-day horizon."""
    proposal = propose("Helen Ward is off sick from Monday to Thursday", [small_theatres()], d(6))
    assert proposal.requests == [Unavailable(staff="d1", from_=d(7), to=d(10), shifts=None)]
    applied = apply_requests(small_theatres(), list(proposal.requests))
    (person,) = [p for p in applied.problem.staff if p.id == "d1"]
    assert [(w.start, w.end) for w in applied.problem.windows_of(person)] == [(4 * DAY, 5 * DAY)]
    before = next(p for p in small_theatres().staff if p.id == "d1")
    assert person.available == before.available  # recorded once: as time off
    assert [(w.start, w.end) for w in person.unavailable] == [(0, 4 * DAY)]
    assert applied.changes == ["Helen Ward: unavailable, Mon 07 Dec – Thu 10 Dec"]
    result, _ = solve_verified(applied.problem, time_limit=10)
    assert result.schedule is not None
    (placed,) = result.schedule.tasks
    assert placed.start >= 4 * DAY


def test_case_staff_absence_drops_only_the_pins_it_breaks() -> None:
    """Pins fixing Helen Ward (d1) on Tuesday or Friday, or with no time: off on Tuesday,
    only the Tuesday pin goes."""
    from optimizer.model.cases import CasePin, Task

    tasks = tuple(
        Task(id=task_id, procedure="hip replacement", duration=120, staff=("d1",))
        for task_id in ("c1", "c2", "c3")
    )
    pins = (
        CasePin(task="c1", start=1 * DAY + 480, staff=("d1",)),  # Tuesday 08:00
        CasePin(task="c2", start=4 * DAY + 480, staff=("d1",)),  # Friday 08:00
        CasePin(task="c3", staff=("d1",)),  # no time fixed
    )
    theatres = small_theatres().model_copy(update={"tasks": tasks, "pins": pins})
    absent = Unavailable(staff="d1", from_=d(8), to=d(8), shifts=None)
    applied = apply_requests(theatres, [absent])
    assert [pin.task for pin in applied.problem.pins] == ["c2", "c3"]
    assert "case c1: no longer fixed with Helen Ward" in applied.changes
    result, _ = solve_verified(applied.problem, time_limit=10)
    assert result.schedule is not None
    starts = {placed.task: placed.start for placed in result.schedule.tasks}
    assert starts["c2"] == 4 * DAY + 480 and not DAY <= starts["c1"] < 2 * DAY


# -- 4. a range cut by the end of the plan says so ----------------------------------------------


def test_a_range_past_the_plan_says_which_days_are_left_out() -> None:
    """The fixture ward runs Mon 7 – Sun 20 Dec; Friday to Monday is 18–21 Dec."""
    proposal = propose("Ana Silva is off sick from Friday to Monday", [small_ward()], d(16))
    assert proposal.requests == [Unavailable(staff="s5", from_=d(18), to=d(21), shifts=None)]
    assert "Ana Silva unavailable 18–20 Dec (21 Dec is after the plan)" in proposal.summary
    applied = apply_requests(small_ward(), list(proposal.requests))
    (unav,) = applied.problem.unavailability
    assert (unav.first_day, unav.last_day) == (11, 13)
    assert applied.changes == [
        "Ana Silva: unavailable, Fri 18 Dec – Sun 20 Dec (Mon 21 Dec is after the roster)"
    ]


def test_per_day_requests_past_the_plan_are_left_out_with_a_note() -> None:
    proposal = propose("Ana Silva wants lates from Friday to Tuesday", [small_ward()], d(16))
    assert [r.date for r in proposal.requests if isinstance(r, ShiftWish)] == [d(18), d(19), d(20)]
    (note,) = proposal.unparsed
    assert note.reason == "21–22 Dec are outside the plan (7–20 Dec), so left out"
    apply_requests(small_ward(), list(proposal.requests))  # confirming no longer fails


# -- 5. change lines name people and dates --------------------------------------------------


def test_change_lines_use_names_and_dates_not_ids_and_day_numbers() -> None:
    ward = small_ward().model_copy(update={"pins": ()})
    requests: list[Request] = [
        PinShift(staff="s3", date=d(10), shift="L"),
        Unavailable(staff="s3", from_=d(10), to=d(11), shifts=None),
        ShiftWish(staff="s2", date=d(12), shift="E", want=True),
        ShiftWish(staff="s4", date=d(13), shift=None, want=False),
        CoverChange(date=d(11), shift="N", skill="RN", delta=1),
        CoverChange(date=d(12), shift="E", skill=None, set_=3),
    ]
    changes = apply_requests(ward, requests).changes
    assert changes == [
        "Sam Lee: fixed to the Late shift, Thu 10 Dec",
        "Sam Lee: no longer fixed to the Late shift, Thu 10 Dec",
        "Sam Lee: unavailable, Thu 10 Dec – Fri 11 Dec",
        "Raj Patel: would like an Early shift, Sat 12 Dec",
        "Samuel Okoro: would like a day off, Sun 13 Dec",
        "+1 RN on Night shifts, Fri 11 Dec (2 → 3)",
        "staff on Early shifts set to 3, Sat 12 Dec (0 → 3)",
    ]
    case = apply_requests(
        small_theatres(),
        list(propose("Add a hernia repair on Tuesday, 60 min", [small_theatres()], d(6)).requests),
    )
    assert case.changes == ["added case intake-1: hernia repair, 60 min on Tue 08 Dec"]


@pytest.mark.parametrize(
    "text",
    [
        "Priya Patel would like to work the early on Friday before her annual leave",
        "Priya Patel wants the early on Friday after her holiday",
        "Priya Patel would like the early on Friday so she can take leave later",
    ],
)
def test_leave_mentioned_beside_a_wish_does_not_turn_it_around(text: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [ShiftWish(staff="s1", date=d(11), shift="E", want=True)]


@pytest.mark.parametrize(
    "text",
    [
        "Priya Patel is off on 9 Dec and can work the night on 10 Dec",
        "Priya Patel can't work on 9 December, and needs the late on 10 December",
    ],
)
def test_a_dated_second_part_that_is_no_request_is_reported_not_merged(text: str) -> None:
    proposal = propose(text, [small_ward()], TODAY)
    assert proposal.requests == [Unavailable(staff="s1", from_=d(9), to=d(9), shifts=None)]
    assert len(proposal.unparsed) == 1 and "10 Dec" in proposal.unparsed[0].text


def test_a_repeated_case_staff_absence_says_they_are_already_off() -> None:
    off = Unavailable(staff="d1", from_=d(7), to=d(7), shifts=None)
    applied = apply_requests(small_theatres(), [off, off])
    assert applied.changes == [
        "Helen Ward: unavailable, Mon 07 Dec",
        "Helen Ward: unavailable, Mon 07 Dec (already off duty then)",
    ]
