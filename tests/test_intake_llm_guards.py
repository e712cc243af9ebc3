"""The LLM path gets the rule parser's safety: a scripted model answer (fake OpenAI-compatible
server on 127.0.0.1) is refused when the text names its person only ambiguously, when the
rule parser refuses the sentence as negated, tentative, conditional, an exception, a swap,
a move or a cover, when it reads the sentence otherwise, or when its dates or shifts go
beyond the text's; a cancelled case needs no negation or move word and may be picked by a
procedure only it has. Demo hospital, today Mon 7 Dec 2026 ("tomorrow" is Tue 8 Dec)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from llm_intake.intake import propose
from llm_intake.llm import LLMConfig
from llm_intake.privacy import pseudonymise
from llm_intake.proposal import Proposal
from llm_intake.requests import CancelCase, Unparsed
from llm_intake.resolver import Resolver
from llm_intake.vocabulary import build_vocabulary
from optimizer.io.project import load_project
from tests.test_intake_fixtures import Step, fake_llm_server

TODAY = dt.date(2026, 12, 7)
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def demo() -> list[Any]:
    """The demo ward (N01–N20) and theatres (surgeons, anaesthetists, cases C001–)."""
    return [load_project(DATA / "demo_ward.json"), load_project(DATA / "demo_surgery.json")]


def _absence(staff: str, first: str, last: str | None = None, shifts: Any = None) -> dict[str, Any]:
    """The model's answer: ``staff`` unavailable ``first``–``last`` (``shifts`` None: all)."""
    dates = {"from": first, "to": last or first}
    return {"kind": "unavailable", "staff": staff, **dates, "shifts": shifts}


def _wish(staff: str, date: str, shift: str | None, want: bool) -> dict[str, Any]:
    return {"kind": "shift_request", "staff": staff, "date": date, "shift": shift, "want": want}


def _cancel(case: str) -> dict[str, Any]:
    return {"kind": "cancel_case", "case": case}


def _ask(text: str, requests: list[dict[str, Any]], demo: list[Any], **config: Any) -> Proposal:
    answer = json.dumps({"requests": requests, "unparsed": []})
    with fake_llm_server([Step(answer)]) as server:
        llm = LLMConfig(base_url=server.base_url, timeout=5, **config)
        return propose(text, demo, TODAY, "llm", llm)


def _rules(text: str, demo: list[Any]) -> list[Unparsed]:
    return propose(text, demo, TODAY).unparsed


# -- D3: a person reached only through an ambiguous mention ------------------------------


@pytest.mark.parametrize(
    ("text", "pick"),
    [
        ("Patel is off sick tomorrow", "N12"),  # Priya Patel N06 or Raj Patel N12
        ("Sam is off sick tomorrow", "N18"),  # Sam Lee or Samuel Adeyemi, on both lists
        ("Dr Hassan is off sick on Thursday", "N09"),  # nurse Fatima or Dr Ahmed Hassan
    ],
)
def test_the_models_pick_of_an_ambiguous_name_gets_the_rule_parsers_question(
    text: str, pick: str, demo: list[Any]
) -> None:
    proposal = _ask(text, [_absence(pick, "2026-12-08", "2026-12-10")], demo)
    assert proposal.requests == []
    question = _rules(text, demo)
    assert "which one?" in question[0].reason
    assert proposal.unparsed == question


def test_pseudonymised_or_not_the_ambiguous_name_gets_the_same_question(demo: list[Any]) -> None:
    text = "Patel is off sick tomorrow"
    label = pseudonymise(text, Resolver(build_vocabulary(demo)))[1].label(("N06", "N12"))
    private = _ask(text, [_absence(label, "2026-12-08")], demo, pseudonymise=True)
    plain = _ask(text, [_absence("N12", "2026-12-08")], demo)
    assert private.requests == plain.requests == []
    assert private.unparsed == plain.unparsed == _rules(text, demo)
    assert "'Patel' could be Priya Patel (N06) or Raj Patel (N12); which one?" in (
        private.unparsed[0].reason
    )


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("Priya Patel is off sick tomorrow", _absence("N06", "2026-12-08")),
        # "Jo Park" is N07 on the ward and SN02 in theatre: a wish is the ward's
        ("Jo Park wants the late on Friday", _wish("N07", "2026-12-11", "L", True)),
    ],
)
def test_a_mention_that_resolves_to_one_person_still_passes(
    text: str, answer: dict[str, Any], demo: list[Any]
) -> None:
    proposal = _ask(text, [answer], demo)
    assert len(proposal.requests) == 1 and proposal.unparsed == []


# -- D4: sentences the rule parser refuses -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "answer", "reason"),
    [
        ("Helen Murray isn't off on Tuesday", _absence("N04", "2026-12-08"), "negated"),
        ("Maybe Jo Park is off on Friday", _absence("N07", "2026-12-11"), "not a firm change"),
        (
            "Jo Park is off on Friday if Mei Chen is in",
            _absence("N07", "2026-12-11"),
            "conditional requests",
        ),
        (
            "Jo Park wants Friday off except the night",
            _wish("N07", "2026-12-11", None, False),
            "exceptions and replacements",
        ),
        (
            "Jo Park and Mei Chen swap shifts on Friday",
            _wish("N07", "2026-12-11", "L", True),
            "shift swaps",
        ),
        (
            "Move Jo Park from the early to the late on Friday",
            _wish("N07", "2026-12-11", "L", True),
            "a move from one shift to another",
        ),
        (
            "Cancel Jo Park's leave on Friday",
            _absence("N07", "2026-12-11"),
            "cancelling or withdrawing",
        ),
        ("Mei Chen is off every Friday", _absence("N11", "2026-12-11"), "recurring"),
        ("Mei Chen was off sick yesterday", _absence("N11", "2026-12-08"), "in the past"),
    ],
)
def test_a_sentence_the_rule_parser_refuses_refuses_the_models_request(
    text: str, answer: dict[str, Any], reason: str, demo: list[Any]
) -> None:
    proposal = _ask(text, [answer], demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    [rule] = _rules(text, demo)
    assert reason in rule.reason
    assert refusal.text == rule.text
    assert refusal.reason.startswith(rule.reason)
    assert "the language model proposed" in refusal.reason


def test_a_cover_is_not_read_as_the_covered_persons_absence(demo: list[Any]) -> None:
    text = "Jo Park will cover Ana Silva's early on Wednesday"
    proposal = _ask(text, [_absence("N01", "2026-12-09", shifts=["E"])], demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    pin = "the rule parser reads this as 'Jo Park (N07, on the ward) fixed to the early shift"
    assert pin in refusal.reason
    assert "'Ana Silva (N01, on the ward) unavailable" in refusal.reason


def test_roles_swapped_between_two_people_are_refused(demo: list[Any]) -> None:
    text = "Ana Silva is off sick tomorrow and Jo Park wants the late on Friday"
    answer = [_absence("N07", "2026-12-08"), _wish("N01", "2026-12-11", "L", True)]
    proposal = _ask(text, answer, demo)
    assert proposal.requests == []
    assert len(proposal.unparsed) == 2
    assert all("the rule parser reads this as" in u.reason for u in proposal.unparsed)
    right = [_absence("N01", "2026-12-08"), _wish("N07", "2026-12-11", "L", True)]
    assert len(_ask(text, right, demo).requests) == 2


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("C013 is not cancelled after all", "a negated statement ('not')"),
        ("Don't cancel C013", "a negated statement ('Don't')"),
        ("C013 is no longer cancelled", "a negated statement ('no')"),
        ("Move C013 to Thursday", "'Move' moves or restores a case"),
        ("C013 is postponed, not cancelled", "a negated statement ('not')"),
        ("Un-cancel C013", "'Un-cancel' moves or restores a case"),
        ("Should we cancel C013?", "a question, not a cancellation"),
        ("C013 might be cancelled", "'might' is not a firm change"),
        ("Cancel C013 unless a bed becomes free", "conditional requests are not supported"),
        ("Cancel every case except C013 on Monday", "exceptions and replacements"),
    ],
)
def test_a_cancel_from_a_negated_moving_hedged_or_questioning_sentence_is_refused(
    text: str, word: str, demo: list[Any]
) -> None:
    proposal = _ask(text, [_cancel("C013")], demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert refusal.reason.startswith(word)
    assert "nothing is cancelled" in refusal.reason


@pytest.mark.parametrize("text", ["C013 isn't going ahead", "C013 won't go ahead", "cancel C013"])
def test_a_plain_cancel_by_id_still_passes(text: str, demo: list[Any]) -> None:
    proposal = _ask(text, [_cancel("C013")], demo)
    assert (proposal.requests, proposal.unparsed) == ([CancelCase(case="C013")], [])


def test_the_models_pick_among_alternative_cases_is_refused(demo: list[Any]) -> None:
    """ "Cancel C013 or C014" leaves open which case: the model's C013 is not the text's."""
    proposal = _ask("Cancel C013 or C014", [_cancel("C013")], demo)
    assert proposal.requests == []
    [refusal] = proposal.unparsed
    assert refusal.reason.startswith("'or' leaves open which case")


def test_the_models_pick_of_one_of_two_shifts_is_refused(demo: list[Any]) -> None:
    """ "the early and the late" in one pin: the model's early alone is not what was said."""
    text = "Put Priya Patel on the early and the late on Wednesday"
    proposal = _ask(
        text, [{"kind": "pin", "staff": "N06", "date": "2026-12-09", "shift": "E"}], demo
    )
    assert proposal.requests == []
    assert [u.reason for u in proposal.unparsed] == ["more than one shift named"]


def test_a_cancelled_case_beside_an_absence_is_no_withdrawn_request(demo: list[Any]) -> None:
    """The cancel word is the case's ("… so C013 is cancelled"): both requests pass."""
    text = "Helen Murray is off sick tomorrow, so C013 is cancelled"
    proposal = _ask(text, [_absence("N04", "2026-12-08"), _cancel("C013")], demo)
    assert len(proposal.requests) == 2 and proposal.unparsed == []


# -- D4: dates and shifts beyond the text ---------------------------------------------------


def test_days_outside_the_rule_parsers_reading_are_refused_naming_both(demo: list[Any]) -> None:
    answer = [_absence("N06", "2026-12-10", "2026-12-14")]
    proposal = _ask("Priya Patel is off sick tomorrow", answer, demo)
    assert proposal.requests == []
    reason = proposal.unparsed[0].reason
    assert "'Priya Patel unavailable 10–14 Dec'" in reason
    assert "'Priya Patel unavailable Tue 8 Dec'" in reason


def test_days_outside_the_dates_of_a_sentence_the_rules_cannot_read_are_refused(
    demo: list[Any],
) -> None:
    text = "Priya Patel phoned about tomorrow"
    assert "no change I know how to make" in _rules(text, demo)[0].reason
    proposal = _ask(text, [_absence("N06", "2026-12-10")], demo)
    assert proposal.requests == []
    reason = proposal.unparsed[0].reason
    assert "'Priya Patel unavailable Thu 10 Dec'" in reason
    assert "the text gives 'tomorrow' as Tue 8 Dec" in reason
    assert len(_ask(text, [_absence("N06", "2026-12-08")], demo).requests) == 1


def test_a_whole_day_absence_for_a_shift_restriction_is_refused(demo: list[Any]) -> None:
    text = "Mei Chen can't do nights next week"
    widened = _ask(text, [_absence("N11", "2026-12-14", "2026-12-20")], demo)
    assert widened.requests == []
    assert "unavailable for night shifts 14–20 Dec'" in widened.unparsed[0].reason
    nights = _ask(text, [_absence("N11", "2026-12-14", "2026-12-20", ["N"])], demo)
    assert len(nights.requests) == 1 and nights.unparsed == []


def test_a_hedged_tail_keeps_the_firm_day_only(demo: list[Any]) -> None:
    text = "Priya Patel is off on the 14th, and maybe the 15th"
    both = _ask(text, [_absence("N06", "2026-12-14", "2026-12-15")], demo)
    assert both.requests == []
    firm = _ask(text, [_absence("N06", "2026-12-14")], demo)
    assert len(firm.requests) == 1 and firm.unparsed == []


# -- D9: a case picked by a procedure only it has ----------------------------------------


def test_a_procedure_only_one_case_has_names_that_case(demo: list[Any]) -> None:
    proposal = _ask("the thyroidectomy is cancelled", [_cancel("C014")], demo)
    assert (proposal.requests, proposal.unparsed) == ([CancelCase(case="C014")], [])
    other = _ask("the thyroidectomy is cancelled", [_cancel("C013")], demo)
    assert other.requests == []
    assert "that case is not named in the text" in other.unparsed[0].reason
