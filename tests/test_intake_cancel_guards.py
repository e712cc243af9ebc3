"""Cancellations from free text never cancel the wrong case: negated, tentative,
questioning, conditional, past and "except" sentences cancel nothing; a case phrase word
in no procedure fits no case; short forms of procedures are understood; a reason after a
comma is no other change (rule parser and the dashboard's ``case_cancellations``)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pytest

from llm_intake.intake import propose
from llm_intake.requests import CancelCase
from llm_intake.rules import case_cancellations
from optimizer.io.project import load_project
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, ScheduledTask
from tests.verify import solve_verified

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_surgery.json"
MON = dt.date(2026, 12, 7)

PLACED = {  # case: (day of week, "HH:MM", room), as in a published plan of the demo
    "C004": (3, "14:00", "OR5"),  # lap chole, Ms Marsh (GS2)
    "C005": (4, "12:45", "OR5"),  # lap chole, Ms Donnelly (GS4)
    "C014": (0, "11:35", "OR2"),  # total thyroidectomy
    "C020": (4, "11:05", "OR3"),  # lap chole, Ms Donnelly
    "C021": (1, "08:00", "OR3"),  # lap chole, Mr Iyer
    "C034": (0, "13:40", "OR1"),  # total hip replacement, Mr Whitfield (ORTH1)
    "C038": (3, "12:00", "OR6"),  # ACL reconstruction
    "C039": (0, "09:35", "OR2"),  # total knee replacement, Mr Whitfield
    "C049": (0, "15:30", "OR2"),  # total hip replacement, Mr Whitfield
    "C052": (2, "10:30", "OR1"),  # total hip replacement, Mr Sato (ORTH4)
    "C056": (2, "12:10", "OR2"),  # total knee replacement, Mr Whitfield
    "C060": (0, "16:00", "OR1"),  # total knee replacement, Ms Haddad
}


@cache
def demo() -> CaseProblem:
    problem = load_project(DEMO)
    assert isinstance(problem, CaseProblem)
    return problem


@cache
def published() -> CaseSchedule:
    """A published schedule holding the cases of ``PLACED`` (the others unplaced)."""
    problem = demo()
    items = []
    for task, (day, clock, room) in PLACED.items():
        hour, minute = map(int, clock.split(":"))
        start = problem.minute_of(dt.datetime(2026, 12, 7 + day, hour, minute))
        staff = problem.tasks[problem.task_index[task]].staff
        items.append(ScheduledTask(task=task, start=start, end=start + 60, room=room, staff=staff))
    return CaseSchedule(tasks=tuple(items))


def both_readers(text: str) -> tuple[list[str], list[str]]:
    """The cases ``text`` cancels and the reasons it is not understood, as the rule
    parser reads it; asserts the dashboard's reader agrees."""
    proposal = propose(text, [demo()], MON, published=published())
    cases = [r.case for r in proposal.requests if isinstance(r, CancelCase)]
    reasons = [u.reason for u in proposal.unparsed]
    found, unsettled = case_cancellations(text, demo(), published(), MON)
    assert [c.task for c in found] == cases
    assert [u.reason for u in unsettled] == reasons
    return cases, reasons


NEGATED = "a negated statement; say what should change instead"
QUESTION = "a question, not a change; say what should change"
TAKEN_BACK = "taking a cancellation back is not supported; add the case again as a new case"
CONDITION = "conditional requests are not supported; say what to change"
EXCEPTION = "exceptions and replacements are not supported; list the dates that apply"
PAST = "dates in the past cannot be changed"
EITHER = "'or' leaves open which case; name each case that is cancelled by its id"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Don't cancel C013", NEGATED),
        ("Do not cancel C013", NEGATED),
        ("C013 is not cancelled", NEGATED),
        ("C013 won't be cancelled", NEGATED),
        ("No need to cancel C013", NEGATED),
        ("C013 is no longer cancelled", TAKEN_BACK),
        ("Un-cancel C013", TAKEN_BACK),
        ("Should we cancel C013?", QUESTION),
        ("Should we cancel C013", QUESTION),
        ("Cancel C013?", QUESTION),
        ("C013 might be cancelled", "'might' is not a firm change; confirm it and say it again"),
        ("C013 may be cancelled", "'may be' is not a firm change; confirm it and say it again"),
        ("Cancel C013 unless a bed becomes free", CONDITION),
        ("Cancel C013 if the ICU bed is not free", CONDITION),
        ("C013 was cancelled yesterday", PAST),
        ("C014 on 7 Dec was cancelled", PAST),
        ("Cancel C013 instead of C014", EXCEPTION),
        ("Cancel every case except C013 on Monday", EXCEPTION),
        ("Cancel C013 or C014", EITHER),
    ],
)
def test_a_sentence_that_does_not_firmly_cancel_cancels_nothing(text: str, reason: str) -> None:
    today = dt.date(2026, 12, 8) if "7 Dec was" in text else MON
    proposal = propose(text, [demo()], today, published=published())
    assert proposal.requests == []
    assert [u.reason for u in proposal.unparsed] == [reason]
    found, unsettled = case_cancellations(text, demo(), published(), today)
    assert found == []
    assert [u.reason for u in unsettled] == [reason]


@pytest.mark.parametrize(
    "text",
    [
        "C013 isn't going ahead",
        "C013 is not going ahead",
        "C013 won't go ahead",
        "C013 can't go ahead",
        "Could you cancel C013?",
        "please cancel case c013, patient unwell",
        "C013 is cancelled, patient has a cold",
        "C013 is cancelled, patient not fasted",
        "Cancel C013 (no bed)",
        "C013: cancelled",
        "Cancel C013 for Mrs Jones",
    ],
)
def test_a_firm_cancellation_still_cancels_the_case(text: str) -> None:
    assert both_readers(text) == (["C013"], [])


def test_a_trailing_part_that_says_another_change_is_still_asked_about() -> None:
    for text in ("C013 is cancelled, C014 moves to Tuesday", "C013 is cancelled, and the knee one"):
        cases, reasons = both_readers(text)
        assert cases == []
        assert "say each change in a sentence of its own" in reasons[0]


def test_a_word_in_no_procedure_of_the_case_is_a_mismatch() -> None:
    # Mr Whitfield's only case on Wednesday is a knee replacement (C056): never cancelled
    # for a hip replacement, nor for a shoulder op
    assert both_readers("Mr Whitfield's hip replacement on Wednesday is cancelled") == (
        [],
        [
            "no case of the published plan fits ('hip replacement', with Mr Tom Whitfield, "
            "on Wed 9 Dec); name it by its id"
        ],
    )
    cases, reasons = both_readers("Mr Whitfield's shoulder op on Wednesday is cancelled")
    assert cases == []
    assert reasons[0].startswith("no case of the published plan fits ('shoulder', with Mr Tom")
    assert both_readers("The hip replacement on Wednesday is cancelled") == (["C052"], [])


@pytest.mark.parametrize(
    ("text", "cases"),
    [
        ("The hip replacement in theatre 1 on Monday is cancelled", ["C034"]),
        ("The knee replacement in theatre 1 on Monday is cancelled", ["C060"]),
        ("The hip replacement on Monday afternoon in OR 2 is cancelled", ["C049"]),
        ("Ms Donnelly's 11:05 case on Friday is cancelled", ["C020"]),
        ("The Friday 12:45pm lap chole is cancelled", ["C005"]),
    ],
)
def test_a_named_room_or_time_narrows_the_cases(text: str, cases: list[str]) -> None:
    assert both_readers(text) == (cases, [])


def test_an_unknown_room_or_an_uncertain_name_is_asked_about() -> None:
    _, reasons = both_readers("The hip replacement in theatre 9 on Monday is cancelled")
    assert reasons == ["there is no room 'theatre 9' in the case problem; name the case by its id"]
    _, reasons = both_readers("Patel's case on Tuesday is cancelled")  # close to Pawel Nowak
    assert reasons[0].startswith("'Patel' is no name in the case schedule (did you mean")
    _, reasons = both_readers("Sam's list on Monday is cancelled")
    assert reasons[0].startswith("'Sam' could be")


def test_a_case_named_by_id_must_fit_what_else_the_sentence_says() -> None:
    cases, reasons = both_readers("C014 hernia repair is cancelled")
    assert cases == []
    assert reasons[0].startswith("C014 Total thyroidectomy (Mon 07 Dec 11:35) does not fit")
    assert both_readers("C014, the total thyroidectomy, is cancelled") == (["C014"], [])


@pytest.mark.parametrize(
    ("text", "cases"),
    [
        ("The lap chole on Tuesday is cancelled", ["C021"]),
        ("Ms Marsh's lap chole on Thursday is cancelled", ["C004"]),
        ("The ACL on Thursday is cancelled", ["C038"]),
        ("The THR on Wednesday is cancelled", ["C052"]),
        ("Mr Whitfield's TKR on Wednesday is cancelled", ["C056"]),
    ],
)
def test_short_forms_of_procedures_pick_the_case(text: str, cases: list[str]) -> None:
    assert both_readers(text) == (cases, [])


def test_a_cancel_with_a_person_or_day_of_the_case_plan_gets_the_case_question() -> None:
    _, reasons = both_readers(
        "The appendicectomy with Mr Whitfield on Wednesday has been cancelled"
    )
    assert reasons == [
        "no case of the published plan fits ('appendicectomy', with Mr Tom Whitfield, on Wed "
        "9 Dec); name it by its id"
    ]
    _, reasons = both_readers("Cancel Friday")
    assert reasons == ["which case? name it by its id (e.g. 'cancel C013')"]


def test_a_solved_demo_plan_never_cancels_a_knee_for_a_hip() -> None:
    problem = demo()
    result, _ = solve_verified(problem, time_limit=5, workers=2)
    assert result.schedule is not None
    text = "Mr Whitfield's hip replacement on Wednesday is cancelled"
    proposal = propose(text, [problem], MON, published=result)
    placed = {item.task: item for item in result.schedule.tasks}
    for request in proposal.requests:
        assert isinstance(request, CancelCase)
        task = problem.tasks[problem.task_index[request.case]]
        moment = problem.datetime_of(placed[task.id].start)
        assert task.procedure == "Total hip replacement" and "ORTH1" in task.staff
        assert moment is not None and moment.date() == dt.date(2026, 12, 9)
    if not proposal.requests:
        assert proposal.unparsed[0].reason.startswith("no case of the published plan fits")
