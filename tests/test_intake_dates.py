"""Date phrases the rule parser must read right or ask about, never turn into wrong days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llm_intake.dates import find_dates
from llm_intake.intake import propose
from llm_intake.requests import Unavailable
from optimizer.io.project import load_project
from tests.test_intake_fixtures import small_ward

WED = dt.date(2026, 12, 9)  # Wednesday; "this weekend" is 12–13 Dec
MON = dt.date(2026, 12, 7)
PLAN = (dt.date(2026, 12, 7), dt.date(2026, 12, 20))  # settles "11/12" as 11 Dec
DATA = Path(__file__).resolve().parents[1] / "data"


def d(day: int, month: int = 12, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


def days(text: str, today: dt.date = WED) -> list[tuple[dt.date, dt.date]]:
    """The (first, last) of every hit; fails on any hit that carries an error."""
    hits = find_dates(text, today, PLAN)
    assert all(h.error is None for h in hits), [h.error for h in hits]
    return [(h.first, h.last) for h in hits if h.first and h.last]


def error(text: str, today: dt.date = WED) -> str:
    """The first error found in ``text`` (fails when every hit reads cleanly)."""
    errors = [h.error for h in find_dates(text, today, PLAN) if h.error]
    assert errors, f"{text!r} was read without asking"
    return errors[0]


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # "next" and "next week" carry to every listed or ranged weekday
        ("off next Thursday and Friday", WED, [(d(17), d(17)), (d(18), d(18))]),
        (
            "off next Monday, Tuesday and Wednesday",
            WED,
            [(d(14), d(14)), (d(15), d(15)), (d(16), d(16))],
        ),
        ("off next week's Thursday and Friday", WED, [(d(17), d(17)), (d(18), d(18))]),
        ("off Thursday and Friday next week", MON, [(d(17), d(17)), (d(18), d(18))]),
        ("off Thursday and Friday next week", WED, [(d(17), d(17)), (d(18), d(18))]),
        (
            "off Monday, Tuesday and Wednesday next week",
            MON,
            [(d(14), d(14)), (d(15), d(15)), (d(16), d(16))],
        ),
        ("off from Monday to Wednesday next week", MON, [(d(14), d(16))]),
        ("off between Thursday and Saturday next week", WED, [(d(17), d(19))]),
        # a range out of week order keeps its plain reading: this Friday to next Tuesday
        ("off from Friday to Tuesday next week", WED, [(d(11), d(15))]),
        ("off Friday and next Tuesday", WED, [(d(11), d(11)), (d(15), d(15))]),
        # weeks and weekends named by a date
        ("on leave w/c 14 Dec", WED, [(d(14), d(20))]),
        ("on leave the week of 14 Dec", WED, [(d(14), d(20))]),
        ("on leave week commencing 14th December", WED, [(d(14), d(20))]),
        ("on leave wc 14/12", WED, [(d(14), d(20))]),
        ("off the weekend of the 19th", WED, [(d(19), d(20))]),
        ("off the weekend of 20 Dec", WED, [(d(19), d(20))]),
        ("off the week after next", WED, [(d(21), d(27))]),
        # UK "Friday week"
        ("off Friday week", WED, [(d(18), d(18))]),
        ("off a week on Friday", WED, [(d(18), d(18))]),
        ("off a week today", WED, [(d(16), d(16))]),
        # counted from a holiday or a date
        ("off the day before Christmas", WED, [(d(24), d(24))]),
        ("off the day after Boxing Day", WED, [(d(27), d(27))]),
        ("off the Monday after Christmas", WED, [(d(28), d(28))]),
        ("off the Friday before Christmas", WED, [(d(18), d(18))]),
        ("off from 14 Dec until the day before Christmas", WED, [(d(14), d(24))]),
        # a weekday that agrees with its date; lists of any length
        ("off Friday 11/12", WED, [(d(11), d(11))]),
        ("off Monday 14/12", WED, [(d(14), d(14))]),
        ("off Wed 16", WED, [(d(16), d(16))]),
        ("off Mon 14 - Wed 16 Dec", WED, [(d(14), d(16))]),
        ("off on 14, 15 and 16 Dec", WED, [(d(14), d(14)), (d(15), d(15)), (d(16), d(16))]),
        (
            "off 14, 15, 16 and 17 Dec",
            WED,
            [(d(14), d(14)), (d(15), d(15)), (d(16), d(16)), (d(17), d(17))],
        ),
        ("off 14-16 and 18 Dec", WED, [(d(14), d(16)), (d(18), d(18))]),
        ("off Dec 14, 15 and 16", WED, [(d(14), d(14)), (d(15), d(15)), (d(16), d(16))]),
        ("Dec 14 and 2 more RNs", WED, [(d(14), d(14))]),
        # a day and month without a year: first on or after today − 31 days
        ("off 31 Dec", d(2, 1, 2027), [(d(31), d(31))]),
        ("off 28/12", d(2, 1, 2027), [(d(28), d(28))]),
        ("off 5 Jan", d(2, 1, 2027), [(d(5, 1, 2027), d(5, 1, 2027))]),
        ("off 1 Jan", WED, [(d(1, 1, 2027), d(1, 1, 2027))]),
        ("off 1 Dec", d(2, 1, 2027), [(d(1, 12, 2027), d(1, 12, 2027))]),
    ],
)
def test_phrases_read_as_the_days_meant(
    text: str, today: dt.date, expected: list[tuple[dt.date, dt.date]]
) -> None:
    assert days(text, today) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("off Thursday 14/12", "does not fall on Mon 14 Dec"),
        ("off Thursday 11/12", "does not fall on Fri 11 Dec"),  # 11 Dec is a Friday
        ("off Thursday 03/04", "'03/04' could be 3 April or 4 March"),  # no guess from the day
        ("off on Thu 11.12", "does not fall on Fri 11 Dec"),
        ("off Thursday 11", "does not fall on Fri 11 Dec"),
        ("off Fri 2026-12-10", "does not fall on Thu 10 Dec"),
        ("off Tue 14 - Wed 16 Dec", "does not fall on Mon 14 Dec"),
        ("off the weekend after next", "could be 19–20 Dec or 26–27 Dec"),
        ("off Friday after next", "could be Fri 18 Dec or Fri 25 Dec"),
        ("off next Friday and Monday", "which week"),
        ("off Friday and Tuesday next week", "which week"),
        ("off w/c 16 Dec", "not a Monday"),
        ("off the weekend of the 17th", "not a weekend day"),
        ("off the weekend after Christmas", "'after Christmas'"),
        ("off before Christmas", "'before Christmas'"),
        ("wants Christmas off and the day after", "'the day after'"),
        ("off for a week from Friday", "first and last day"),
        ("off sick since Monday", "past"),
        ("off sick since 7 Dec", "past"),
        ("was off sick on Monday", "past"),
        ("worked the late on Monday", "past"),
        ("was off at the weekend", "past"),
        ("off this past Monday", "past"),
    ],
)
def test_phrases_that_are_asked_about(text: str, reason: str) -> None:
    assert reason in error(text)


def test_future_readings_after_was_are_kept() -> None:
    assert days("Ana was hoping to have Friday off") == [(d(11), d(11))]
    assert days("was asked to work next Friday") == [(d(18), d(18))]


def test_a_count_after_a_weekday_is_not_a_date() -> None:
    assert days("we need on Friday 2 more RNs") == [(d(11), d(11))]
    assert days("Put Ana on earlies Monday 7 am") == [(d(14), d(14))]


# -- end to end: what the planner is told ------------------------------------------------------


def unavailable(text: str, today: dt.date = WED) -> list[tuple[dt.date, dt.date]]:
    proposal = propose(text, [small_ward()], today)
    assert proposal.unparsed == [], proposal.unparsed
    assert all(isinstance(r, Unavailable) and r.staff == "s5" for r in proposal.requests)
    return sorted((r.from_, r.to) for r in proposal.requests if isinstance(r, Unavailable))


@pytest.mark.parametrize(
    ("text", "today", "spans"),
    [
        ("Ana Silva is off next Thursday and Friday", WED, [(d(17), d(18))]),
        ("Ana Silva is off Thursday and Friday next week", MON, [(d(17), d(18))]),
        ("Ana Silva is off from Monday to Wednesday next week", MON, [(d(14), d(16))]),
        ("Ana Silva is on annual leave w/c 14 Dec", WED, [(d(14), d(20))]),
        ("Ana Silva is off the weekend of the 19th", WED, [(d(19), d(20))]),
        ("Ana Silva is off Friday week", WED, [(d(18), d(18))]),
        ("Ana Silva is off on 14, 15 and 16 Dec", WED, [(d(14), d(16))]),
    ],
)
def test_absences_cover_exactly_the_days_meant(
    text: str, today: dt.date, spans: list[tuple[dt.date, dt.date]]
) -> None:
    assert unavailable(text, today) == spans


@pytest.mark.parametrize(
    "text",
    [
        "Ana Silva is off Thursday 11/12",
        "Ana Silva is off the weekend after next",
        "Ana Silva is off sick since Monday",
        "Ana Silva was off sick on Monday",
        "Ana Silva is off the week after Christmas",
    ],
)
def test_unreadable_dates_leave_the_sentence_unparsed(text: str) -> None:
    proposal = propose(text, [small_ward()], WED)
    assert proposal.requests == []
    assert [u.text for u in proposal.unparsed] == [text]


def test_last_year_date_typed_just_after_new_year_is_inside_the_plan() -> None:
    ward = load_project(DATA / "demo_ward.json")  # 7 Dec 2026 – 3 Jan 2027
    proposal = propose("Ana Silva is off 31 Dec", [ward], d(2, 1, 2027))
    assert proposal.unparsed == []
    assert proposal.requests == [Unavailable(staff="N01", from_=d(31), to=d(31), shifts=None)]
