"""Free text records part-day absences of case staff (morning, afternoon, clock times)."""

from __future__ import annotations

import datetime as dt

import pytest

from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.requests import Unavailable, request_to_json
from optimizer.errors import InputError
from optimizer.model.cases import Absence, CasePin
from tests.test_intake_edge_cases import demo_surgery
from tests.verify import solve_verified

MONDAY = dt.date(2026, 12, 7)  # day 0 of the demo case week (midnight = minute 0)
TUESDAY = dt.date(2026, 12, 8)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Ms Rachel Bennett is off sick Tuesday afternoon", dt.time(12), None),
        ("Ms Rachel Bennett is off sick Tuesday morning", None, dt.time(13)),
        ("Rachel Bennett is unavailable from 2pm on Tuesday", dt.time(14), None),
        ("Rachel Bennett is on a course until 11:00 on Tuesday", None, dt.time(11)),
        ("Rachel Bennett is away Tuesday from 10am until 2pm", dt.time(10), dt.time(14)),
    ],
)
def test_a_part_of_a_day_becomes_times_on_the_absence(
    text: str, first: dt.time | None, last: dt.time | None
) -> None:
    proposal = propose(text, [demo_surgery()], MONDAY)
    assert proposal.requests == [
        Unavailable(staff="GYN1", from_=TUESDAY, to=TUESDAY, from_time=first, to_time=last)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Rachel Bennett is off Tuesday until 2",  # no am/pm: not guessed
        "Rachel Bennett is off Tuesday and Wednesday afternoon",  # several days
        "Rachel Bennett is off Tuesday morning and afternoon",
        "Rachel Bennett is off for 2 hours from 2pm on Tuesday",
    ],
)
def test_an_unclear_time_is_refused(text: str) -> None:
    proposal = propose(text, [demo_surgery()], MONDAY)
    assert proposal.requests == []
    assert len(proposal.unparsed) == 1


def test_the_afternoon_is_stored_with_the_sentence_reason_and_solves() -> None:
    problem = demo_surgery()
    proposal = propose("Ms Rachel Bennett is off sick Tuesday afternoon", [problem], MONDAY)
    assert request_to_json(proposal.requests[0])["from_time"] == "12:00"
    applied = apply_requests(problem, proposal.requests)
    day = 24 * 60
    away = Absence(start=day + 12 * 60, end=2 * day, reason="sickness")
    assert applied.problem.person("GYN1").unavailable[-1] == away
    assert applied.changes == [
        "Ms Rachel Bennett: unavailable Tue 08 Dec 12:00 – Wed 09 Dec 00:00 (sickness)"
    ]
    result, _ = solve_verified(applied.problem, time_limit=3)
    assert result.schedule is not None
    for item in result.schedule.tasks:
        if "GYN1" in item.staff:
            assert item.end <= away.start or item.start >= away.end


def test_a_part_day_absence_over_a_fixed_case_is_refused_in_words() -> None:
    problem = demo_surgery()
    task = next(t for t in problem.tasks if "GYN1" in t.staff)
    start = 24 * 60 + 14 * 60  # Tuesday 14:00
    fixed = problem.model_copy(
        update={"pins": (*problem.pins, CasePin(task=task.id, start=start, staff=("GYN1",)))}
    )
    request = Unavailable(staff="GYN1", from_=TUESDAY, to=TUESDAY, from_time=dt.time(12))
    with pytest.raises(InputError, match=r"cannot be away .*fixed .*let the absence start"):
        apply_requests(fixed, [request])
