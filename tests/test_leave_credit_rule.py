"""One leave-credit rule for every way leave comes in: the dashboard's leave form
(``whatif.with_leave``), free text read by the rule parser and free text read by an LLM.

Whole days away count toward hours (``Unavailability.counts_toward_hours``: the contract
minimum drops pro rata) only for sickness and leave reasons (``credits_hours``); days
already recorded are not stored or credited again (``unrecorded_absences``); the change
line names the new minimum.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, get_args

import pytest

from dashboards import whatif
from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.llm import LLMConfig
from llm_intake.requests import AbsenceReason, Request, Unavailable
from optimizer.model.roster import (
    CREDITED_REASONS,
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftType,
    Staff,
    Unavailability,
    credits_hours,
    unrecorded_absences,
)
from tests.test_intake_fixtures import Step, fake_llm_server
from tests.verify import solve_verified

MONDAY = dt.date(2026, 12, 7)
FORM_REASONS = ("sickness", "annual leave", "training", "other")
"""The reasons the dashboard's leave form offers (roster_forms.py)."""


def _ward(*away: Unavailability) -> RosterProblem:
    """Two nurses, 7 days from Mon 7 Dec, an 8 h Early, contract minimum 1440 (3 shifts);
    no cover needed and every shift costs 1, so the optimum is the fewest shifts that reach
    both minimums: 3 + 3 = 6 without credit."""
    contract = Contract(min_minutes=1440)
    return RosterProblem(
        start_date=MONDAY,
        num_days=7,
        shifts=(ShiftType(id="E", name="Early", start="07:00", length_minutes=480),),
        staff=(
            Staff(id="jo", name="Jo Park", contract=contract),
            Staff(id="ana", name="Ana Silva", contract=contract),
        ),
        cover=tuple(CoverDemand(day=d, shift="E", required=0, over_weight=1) for d in range(7)),
        unavailability=away,
    )


def _day(offset: int) -> dt.date:
    return MONDAY + dt.timedelta(days=offset)


# -- the rule --------------------------------------------------------------------------------


def test_every_reason_the_rule_parser_reads_is_credited() -> None:
    assert set(get_args(AbsenceReason)) == CREDITED_REASONS


@pytest.mark.parametrize(
    ("reason", "shifts", "credited"),
    [
        ("sickness", None, True),
        ("annual leave", None, True),
        ("training", None, True),
        ("other", None, False),  # the form's "other"
        ("absence", None, False),  # free text without a reason ("can't work")
        ("sickness", ("E",), False),  # only whole days count
    ],
)
def test_credits_hours(reason: str, shifts: tuple[str, ...] | None, credited: bool) -> None:
    assert credits_hours(reason, shifts) is credited


def test_only_the_days_not_recorded_are_added_as_runs() -> None:
    # recorded Tue–Wed (any reason, no credit); asked Mon–Fri: Mon and Thu–Fri are new
    recorded = [Unavailability(staff="jo", first_day=1, last_day=2, reason="other")]
    added = unrecorded_absences(recorded, "jo", 0, 4, None, "sickness")
    assert [(u.first_day, u.last_day, u.counts_toward_hours) for u in added] == [
        (0, 0, True),
        (3, 4, True),
    ]
    assert unrecorded_absences(recorded, "jo", 1, 2, None, "sickness") == ()
    assert unrecorded_absences(recorded, "ana", 1, 1, None, "sickness") != ()


def test_a_shift_only_record_does_not_hold_a_whole_day() -> None:
    recorded = [Unavailability(staff="jo", first_day=1, last_day=1, shifts=("E",))]
    assert [u.first_day for u in unrecorded_absences(recorded, "jo", 1, 1, None, "leave")] == [1]
    assert unrecorded_absences(recorded, "jo", 1, 1, ("E",), "absence") == ()


# -- the dashboard's leave form ---------------------------------------------------------------


def test_the_form_credits_sickness_and_names_the_new_minimum() -> None:
    # 1440 - floor(1440 * 2 / 7) = 1029
    changed, line = whatif.with_leave(_ward(), "jo", _day(1), _day(2), "sickness")
    assert changed.minimum_minutes("jo") == 1029
    assert line == "Jo Park: sickness, Tue 08 Dec – Wed 09 Dec (contract minimum 1440 → 1029 min)"


def test_the_forms_other_reason_keeps_the_full_minimum() -> None:
    changed, line = whatif.with_leave(_ward(), "jo", _day(1), _day(2), "other")
    [away] = changed.unavailability
    assert (away.reason, away.counts_toward_hours) == ("other", False)
    assert changed.minimum_minutes("jo") == 1440
    assert line == "Jo Park: other, Tue 08 Dec – Wed 09 Dec"


def test_the_form_does_not_store_or_credit_recorded_leave_again() -> None:
    once, _ = whatif.with_leave(_ward(), "jo", _day(1), _day(2), "sickness")
    twice, line = whatif.with_leave(once, "jo", _day(1), _day(2), "sickness")
    assert twice.unavailability == once.unavailability
    assert twice.minimum_minutes("jo") == 1029
    assert line == "Jo Park: sickness, Tue 08 Dec – Wed 09 Dec (already recorded)"


def test_the_form_adds_only_the_new_days_of_a_partial_overlap() -> None:
    # recorded Tue–Wed without credit; sickness Mon–Thu credits only Mon and Thu:
    # 1440 - floor(1440 * 2 / 7) = 1029
    problem = _ward(Unavailability(staff="jo", first_day=1, last_day=2, reason="absence"))
    changed, line = whatif.with_leave(problem, "jo", _day(0), _day(3), "sickness")
    added = changed.unavailability[1:]
    assert [(u.first_day, u.last_day) for u in added] == [(0, 0), (3, 3)]
    assert changed.minimum_minutes("jo") == 1029
    assert line == (
        "Jo Park: sickness, Mon 07 Dec – Thu 10 Dec (Tue 08 Dec – Wed 09 Dec already "
        "recorded) (contract minimum 1440 → 1029 min)"
    )


@pytest.mark.parametrize("reason", FORM_REASONS)
def test_the_form_and_free_text_store_the_same_records(reason: str) -> None:
    # the same absence twice, Tue–Wed then Mon–Thu, by the form and by an applied request
    problem = _ward()
    by_form = problem
    for first, last in ((1, 2), (0, 3)):
        by_form, _ = whatif.with_leave(by_form, "jo", _day(first), _day(last), reason)
    said = reason if reason in CREDITED_REASONS else None  # "other": no reason word
    asked: list[Request] = [
        Unavailable.model_validate({"staff": "jo", "from": _day(a), "to": _day(b), "reason": said})
        for a, b in ((1, 2), (0, 3))
    ]
    by_text = apply_requests(problem, asked).problem
    form_days = [(u.first_day, u.last_day, u.counts_toward_hours) for u in by_form.unavailability]
    text_days = [(u.first_day, u.last_day, u.counts_toward_hours) for u in by_text.unavailability]
    assert form_days == text_days
    assert by_form.minimum_minutes("jo") == by_text.minimum_minutes("jo")


def test_leave_over_a_recorded_absence_solves_without_a_new_credit() -> None:
    # Jo's Mon–Wed is recorded as an absence (no credit): 3 + 3 shifts, optimum 6. Sickness
    # on the same days adds nothing; the old form credited them: 1440 - floor(1440 * 3 / 7)
    # = 823 → 2 shifts, optimum 5.
    problem = _ward(Unavailability(staff="jo", first_day=0, last_day=2, reason="absence"))
    sick, _ = whatif.with_leave(problem, "jo", _day(0), _day(2), "sickness")
    result, _report = solve_verified(sick, time_limit=5)
    assert result.objective == 6
    other, _ = whatif.with_leave(_ward(), "jo", _day(0), _day(2), "other")
    result, _report = solve_verified(other, time_limit=5)
    assert result.objective == 6  # "other" is not credited either (the old form: 5)
    sick, _ = whatif.with_leave(_ward(), "jo", _day(0), _day(2), "sickness")
    result, _report = solve_verified(sick, time_limit=5)
    assert result.objective == 5  # sickness is: Jo 2 shifts + Ana 3


# -- the LLM path keeps the reason ------------------------------------------------------------


def _absence(staff: str, first: dt.date, last: dt.date) -> dict[str, Any]:
    return {
        "kind": "unavailable",
        "staff": staff,
        "from": str(first),
        "to": str(last),
        "shifts": None,
    }


def _llm(text: str, requests: list[dict[str, Any]]) -> list[Unavailable]:
    """``text`` read by the scripted model answering ``requests`` (today Mon 7 Dec)."""
    answer = json.dumps({"requests": requests, "unparsed": []})
    with fake_llm_server([Step(answer)]) as server:
        llm = LLMConfig(base_url=server.base_url, timeout=5)
        proposal = propose(text, [_ward()], MONDAY, "llm", llm)
    assert not proposal.unparsed, proposal.unparsed
    return [r for r in proposal.requests if isinstance(r, Unavailable)]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Jo Park is off sick tomorrow", "sickness"),
        ("Jo Park is on annual leave tomorrow", "annual leave"),
        ("Jo Park is on a course tomorrow", "training"),
        ("Jo Park is on compassionate leave tomorrow", "leave"),
        ("Jo Park can't work tomorrow", None),
    ],
)
def test_an_llm_absence_takes_the_reason_of_its_sentence(text: str, reason: str | None) -> None:
    [request] = _llm(text, [_absence("jo", _day(1), _day(1))])
    assert request.reason == reason


def test_each_llm_absence_takes_its_own_clauses_reason() -> None:
    text = "Jo Park is off sick tomorrow and Ana Silva is on annual leave tomorrow"
    asked = [_absence("jo", _day(1), _day(1)), _absence("ana", _day(1), _day(1))]
    assert [(r.staff, r.reason) for r in _llm(text, asked)] == [
        ("jo", "sickness"),
        ("ana", "annual leave"),
    ]


def test_an_llm_sick_day_is_credited_when_applied() -> None:
    # 1440 - floor(1440 * 1 / 7) = 1235; before the fix it was stored as "absence", no credit
    requests = _llm("Jo Park is off sick tomorrow", [_absence("jo", _day(1), _day(1))])
    applied = apply_requests(_ward(), list(requests))
    [away] = applied.problem.unavailability
    assert (away.reason, away.counts_toward_hours) == ("sickness", True)
    assert applied.changes == [
        "Jo Park: unavailable, Tue 08 Dec (contract minimum 1440 → 1235 min)"
    ]
