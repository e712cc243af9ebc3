"""Rule parser, dates and resolver on tiny fixtures; the labelled corpus (precision/recall)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from llm_intake.dates import find_dates, parse_date_phrase
from llm_intake.evaluate import DEFAULT_CORPUS, evaluate, load_corpus
from llm_intake.requests import request_to_json
from llm_intake.resolver import Resolver
from llm_intake.rules import OUT_OF_SCOPE, RuleParser
from llm_intake.vocabulary import build_vocabulary
from tests.test_intake_fixtures import TODAY, small_theatres, small_ward

WED = dt.date(2026, 12, 9)


def d(day: int, month: int = 12, year: int = 2026) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(
    ("phrase", "first", "last"),
    [
        # reference date: Wednesday 9 Dec 2026
        ("tomorrow", d(10), d(10)),
        ("Friday", d(11), d(11)),  # first Friday on or after today
        ("Wednesday", d(9), d(9)),  # today counts
        ("next Friday", d(18), d(18)),  # Friday of next week
        ("Tuesday next week", d(15), d(15)),
        ("next week", d(14), d(20)),
        ("this weekend", d(12), d(13)),
        ("the 14th", d(14), d(14)),
        ("the 3rd", d(3, 1, 2027), d(3, 1, 2027)),  # next 3rd is in January
        ("1-7 Jan", d(1, 1, 2027), d(7, 1, 2027)),
        ("Dec 20th", d(20), d(20)),
        ("14/12", d(14), d(14)),  # only day/month fits
        ("12/14", d(14), d(14)),  # only month/day fits
        ("Mon-Wed", d(14), d(16)),
        ("from Friday for 3 days", d(11), d(13)),
        ("until Friday", d(9), d(11)),
        ("Christmas Eve", d(24), d(24)),
    ],
)
def test_relative_dates_from_the_reference_date(phrase: str, first: dt.date, last: dt.date) -> None:
    assert parse_date_phrase(phrase, WED) == (first, last)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("03/04", "could be 3 April or 4 March"),
        ("Tuesday 17th", "does not fall on"),
        ("31 Feb", "no day 31"),
    ],
)
def test_dates_that_must_not_be_guessed(text: str, error: str) -> None:
    hits = find_dates(text, WED)
    assert len(hits) == 1
    assert error in (hits[0].error or "")


def test_numeric_date_settled_by_the_plan_window() -> None:
    window = (d(7), d(20))
    (hit,) = find_dates("11/12", WED, window)
    assert (hit.first, hit.error) == (d(11), None)
    (hit,) = find_dates("11/12", WED)
    assert hit.first is None and "could be" in (hit.error or "")


def test_dateparser_only_on_an_isolated_phrase() -> None:
    assert parse_date_phrase("14 December 2026", WED) == (d(14), d(14))
    assert parse_date_phrase("in two weeks", WED) == (d(23), d(23))  # dateparser fallback
    assert parse_date_phrase("no date in here", WED) is None


def resolver() -> Resolver:
    return Resolver(build_vocabulary([small_ward(), small_theatres()]))


@pytest.mark.parametrize(
    ("name", "ids"),
    [
        ("Priya Patel", ("s1",)),
        ("priya", ("s1",)),
        ("Priya Patle", ("s1",)),  # typo, still one person
        ("P. Patel", ("s1",)),  # initial
        ("Patel", ("s1", "s2")),  # ambiguous: both candidates, never one
        ("Sam", ("s3", "s4")),  # Sam Lee or Samuel (short form): ambiguous
        ("Sam Lee", ("s3",)),
        ("Samuel", ("s4",)),
        ("s5", ("s5",)),
        ("Bob Patel", ()),  # unknown first name next to a known surname: nobody
        ("Zoe Quinn", ()),
        ("Sam Silva", ()),  # two known words of different people: nobody, never two people
    ],
)
def test_staff_resolution(name: str, ids: tuple[str, ...]) -> None:
    assert resolver().staff(name, "roster") == ids


def test_shift_skill_room_and_role_words() -> None:
    r = resolver()
    assert [r.shift(w) for w in ("nights", "Early", "late shift", "nigths", "later")] == [
        "N",
        "E",
        "L",
        "N",
        None,
    ]
    assert [r.skill(w) for w in ("RNs", "charge nurse", "healthcare assistants")] == [
        "RN",
        "charge",
        "HCA",
    ]
    assert [r.room(w) for w in ("OR 2", "theatre 1", "Theater #2", "OR 9")] == [
        "OR2",
        "OR1",
        "OR2",
        None,
    ]
    assert r.role("anesthetists") == "anaesthetist"  # American spelling


def parse(text: str, today: dt.date = TODAY) -> list[dict[str, object]]:
    extraction = RuleParser(resolver(), today).parse(text)
    return [request_to_json(r) for r in extraction.requests]


def test_one_message_with_several_requests() -> None:
    text = (
        "Ana Silva is off sick tomorrow, Raj Patel wants an early on Friday and we need "
        "one more RN on nights on Friday."
    )
    assert parse(text) == [
        {
            "kind": "unavailable",
            "staff": "s5",
            "from": "2026-12-10",
            "to": "2026-12-10",
            "shifts": None,
        },
        {"kind": "shift_request", "staff": "s2", "date": "2026-12-11", "shift": "E", "want": True},
        {
            "kind": "cover_change",
            "date": "2026-12-11",
            "shift": "N",
            "skill": "RN",
            "delta": 1,
            "set": None,
        },
    ]


def test_a_name_only_fragment_shares_the_predicate_but_a_new_verb_does_not() -> None:
    both = parse("Ana Silva is off sick tomorrow and Raj Patel too")
    assert [(r["kind"], r["staff"]) for r in both] == [("unavailable", "s5"), ("unavailable", "s2")]
    one = parse("Ana Silva is off sick tomorrow, Raj Patel will cover")
    assert [(r["kind"], r["staff"]) for r in one] == [("unavailable", "s5")]


def test_sentences_split_after_a_month_abbreviation() -> None:
    requests = parse("Ana Silva can't do nights 14-18 Dec. Patel wants Friday off.")
    assert [(r["kind"], r["staff"]) for r in requests] == [("unavailable", "s5")]
    assert parse("Ana Silva is off on Dec. 10")[0]["from"] == "2026-12-10"


@pytest.mark.parametrize(
    "text",
    [
        "Ana Silva isn't in tomorrow",
        "Ana Silva isn’t in tomorrow",
        "Ana Silva is not in on Thursday",
    ],
)
def test_not_in_is_an_absence(text: str) -> None:
    assert parse(text) == [
        {
            "kind": "unavailable",
            "staff": "s5",
            "from": "2026-12-10",
            "to": "2026-12-10",
            "shifts": None,
        }
    ]


def test_not_in_charge_is_not_an_absence() -> None:
    assert parse("Ana Silva isn't in charge tomorrow") == []


def test_pin_and_add_case() -> None:
    assert parse("Put Sam Lee on nights on the 10th") == [
        {"kind": "pin", "staff": "s3", "date": "2026-12-10", "shift": "N"}
    ]
    assert parse(
        "Book an urgent hip revision for Mr Haddad in OR 2 on Thursday afternoon, 2 hours, "
        "needs 1 anaesthetist and 2 scrub nurses"
    ) == [
        {
            "kind": "add_case",
            "procedure": "hip revision",
            "duration_min": 120,
            "surgeon": "d2",
            "room": "OR2",
            "date": "2026-12-10",
            "part_of_day": "afternoon",
            "roles": {"anaesthetist": 1, "scrub nurse": 2},
            "priority": "urgent",
        }
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Patel is off sick tomorrow", "could be Priya Patel (s1) or Raj Patel (s2)"),
        ("Sam wants Friday off", "could be Sam Lee (s3) or Samuel Okoro (s4)"),
        ("Bob Patel wants Friday off", "no staff member called"),
        ("Ana is off sick", "which date"),
        ("Ana is off on 03/04", "could be 3 April or 4 March"),
        ("Ana is on leave 1-5 Feb", "outside the plan"),
        ("Swap Ana and Raj on Friday", "swaps are not supported"),
        ("The printer is broken", OUT_OF_SCOPE),
        ("Do not put Sam Lee on nights on Friday", "negated assignment"),
        ("Tom Lee is off sick tomorrow", "no staff member called"),
        ("Sam Lee finishes off her nights on Friday", "no change I know how to make"),
    ],
)
def test_not_understood_is_returned_with_the_reason(text: str, reason: str) -> None:
    extraction = RuleParser(resolver(), TODAY).parse(text)
    assert extraction.requests == []
    assert reason in extraction.unparsed[0].reason


# -- the labelled corpus against the demo hospital ---------------------------------------------


def test_corpus_is_large_and_varied() -> None:
    entries = load_corpus(DEFAULT_CORPUS)
    assert len(entries) >= 120
    tags = {t for e in entries for t in e["tags"]}
    for tag in ("typo", "abbreviation", "american", "multi", "out_of_scope", "ambiguous"):
        assert tag in tags
    for entry in entries:
        for problem in entry["problems"]:
            assert (Path(DEFAULT_CORPUS).parent / problem).exists(), problem


def test_rule_parser_precision_and_recall_on_the_corpus() -> None:
    scores = evaluate(DEFAULT_CORPUS, "rules")
    detail = "\n".join(scores.failures)
    assert scores.precision() >= 0.98, detail
    assert scores.recall() >= 0.90, detail
    for field in scores.fields():
        assert scores.precision(field) >= 0.98, (field, detail)
    assert scores.wrong_person == 0, detail  # ambiguous names are asked about, never guessed
    assert scores.out_of_scope_with_requests == 0, detail


def test_never_a_wrong_person_on_mixed_up_or_unknown_names() -> None:
    """Every first name of one ward member with the surname of another, and known names
    with unknown surnames, in normal and lower case: no request may name anyone except a
    person whose full name it is (a short form like Sam → Samuel allowed)."""
    from llm_intake.resolving.name_words import NICKNAMES
    from optimizer.io.project import load_project

    ward = load_project(DEFAULT_CORPUS.parent.parent / "demo_ward.json")
    parser = RuleParser(Resolver(build_vocabulary([ward])), dt.date(2026, 12, 9))
    names = {p.id: (p.name.split()[0].lower(), p.name.split()[-1].lower()) for p in ward.staff}
    texts: list[tuple[str, str, str]] = []
    for first, _ in names.values():
        for _, last in names.values():
            texts.append((f"{first.title()} {last.title()} is off sick tomorrow", first, last))
            texts.append((f"{first} {last} off sick tomorrow", first, last))
        texts.append((f"{first.title()} Smithson is off sick tomorrow", first, "smithson"))
        texts.append((f"{first} smithson off sick tomorrow", first, "smithson"))
    for text, first, last in texts:
        for request in parser.parse(text).requests:
            got_first, got_last = names[request.staff]  # type: ignore[union-attr]
            assert got_last == last, text
            assert got_first == first or got_first in NICKNAMES.get(first, ()), text
