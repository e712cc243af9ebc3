"""The rule parser's refusals carry a ``RefusalKind`` set where they are made, and the
LLM grounding checks decide on the kind only: rewording a message never changes which
refusals the model's reading may override."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from llm_intake.dates import find_dates
from llm_intake.dates.calendar import PAST
from llm_intake.grounding import GUARD_KINDS, Grounding, is_guard
from llm_intake.refusals import RefusalKind
from llm_intake.requests import CancelCase, ShiftWish, Unavailable, Unparsed
from llm_intake.resolver import Resolver
from llm_intake.rules import RuleParser, case_cancellations, case_plans
from llm_intake.rules import patterns as patterns_module
from llm_intake.rules.cancellations import CasePlan
from llm_intake.rules.patterns import UNSUPPORTED, Unsupported
from llm_intake.vocabulary import build_vocabulary
from optimizer.io.project import load_project

DATA = Path(__file__).resolve().parents[1] / "data"
TODAY = dt.date(2026, 12, 7)  # a Monday
WED = dt.date(2026, 12, 9)
K = RefusalKind


@cache
def _demo() -> tuple[Any, ...]:
    """The demo ward (Priya Patel is N06) and theatres (cases C001–)."""
    return (load_project(DATA / "demo_ward.json"), load_project(DATA / "demo_surgery.json"))


def _resolver() -> Resolver:
    return Resolver(build_vocabulary(list(_demo())))


def _plans() -> list[CasePlan]:
    return case_plans(list(_demo()))


def _refusals(text: str) -> list[Unparsed]:
    return RuleParser(_resolver(), TODAY, _plans()).parse(text).unparsed


# -- every refusal has a kind ------------------------------------------------------------

UNSUPPORTED_EXAMPLES = {
    K.RECURRING: "Priya Patel is off every Monday",
    K.CONDITIONAL: "Priya Patel is off on Wednesday unless we are short",
    K.EXCEPTION: "Priya Patel is off all week except Wednesday",
    K.RETURN_FROM_LEAVE: "Priya Patel is back from leave on Wednesday",
    K.PAST: "Priya Patel was off yesterday",
}


def test_every_unsupported_sentence_kind_is_refused_with_its_kind_and_message() -> None:
    assert {u.kind for u in UNSUPPORTED} == set(UNSUPPORTED_EXAMPLES)
    for entry in UNSUPPORTED:
        [refusal] = _refusals(UNSUPPORTED_EXAMPLES[entry.kind])
        assert (refusal.kind, refusal.reason) == (entry.kind, entry.message)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Priya Patel isn't off on Wednesday", K.NEGATED),
        ("Priya Patel is maybe off on Wednesday", K.HEDGED),
        ("Priya Patel is off since Monday", K.PAST),  # a date the dates module refuses
        ("Priya Patel was off on the 9th", K.PAST),
        ("Priya Patel is off on 03/04", K.UNREADABLE),  # a date question, not a past one
        ("Priya Patel wants the early and the late on Wednesday", K.SEVERAL_NAMED),
        ("Patel is off sick on Wednesday", K.AMBIGUOUS_NAME),
        ("Cancel Priya Patel's request for Wednesday", K.WITHDRAWAL),
        ("Should C013 be cancelled?", K.QUESTION),
        ("Cancel C013 unless the list overruns", K.CONDITIONAL),
        ("Cancel C013 or C014", K.ALTERNATIVES),
        ("The hernia repair is cancelled", K.WHICH_CASE),  # several fit
        ("Don't cancel C013", K.NEGATED),
        ("the weather is nice", K.UNREADABLE),
    ],
)
def test_a_refusal_has_the_kind_of_what_was_refused(text: str, kind: RefusalKind) -> None:
    assert [u.kind for u in _refusals(text)] == [kind]


def test_the_dashboards_case_cancellations_carry_kinds_too() -> None:
    text = "Cancel C013 unless the list overruns. Should C014 be cancelled?"
    found, unsettled = case_cancellations(text, _demo()[1], None, TODAY)
    assert found == []
    assert [u.kind for u in unsettled] == [K.CONDITIONAL, K.QUESTION]


def test_every_refusal_of_the_labelled_corpora_has_a_kind() -> None:
    """Over every message of both corpora (a few hundred refusals of every sort)."""
    parser = RuleParser(_resolver(), TODAY, _plans())
    refusals = [
        u
        for name in ("corpus.jsonl", "holdout.jsonl")
        for line in (DATA / "intake" / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
        for u in parser.parse(json.loads(line)["text"]).unparsed
    ]
    assert len(refusals) > 20
    assert all(isinstance(u.kind, RefusalKind) for u in refusals)


@pytest.mark.parametrize(
    ("text", "past"),
    [
        ("since Monday", True),
        ("was off on the 9th", True),
        ("this past Monday", True),
        ("03/04", False),
        ("the weekend after next", False),
    ],
)
def test_a_date_refused_as_past_says_so_by_a_flag(text: str, past: bool) -> None:
    [hit] = [h for h in find_dates(text, TODAY) if h.error]
    assert hit.past is past
    assert (PAST in str(hit.error)) is past


def test_the_kind_stays_out_of_the_json_contract() -> None:
    refusal = Unparsed(text="x", reason="y", kind=K.NEGATED)
    assert refusal.model_dump(mode="json") == {"text": "x", "reason": "y"}


# -- guards decide on the kind only -------------------------------------------------------


def test_every_kind_is_a_guard_or_a_deliberate_other() -> None:
    """Adding a kind forces a decision here: is it a refusal no other reading overrides?"""
    conditional = {K.WITHDRAWAL, K.WHICH_CASE}  # guard some requests, see is_guard
    others = {K.OUTSIDE_PLAN, K.UNREADABLE}
    assert set(RefusalKind) == GUARD_KINDS | conditional | others
    assert not GUARD_KINDS & (conditional | others)


@pytest.mark.parametrize("kind", list(RefusalKind))
def test_is_guard_depends_on_the_kind_and_request_only(kind: RefusalKind) -> None:
    for cancel in (False, True):
        for names_case in (False, True):
            guard = is_guard(kind, cancel, names_case)
            if kind in GUARD_KINDS:
                assert guard
            elif kind is K.WITHDRAWAL:
                assert guard is (not cancel and not names_case)
            elif kind is K.WHICH_CASE:
                assert guard is (not cancel)
            else:
                assert not guard


def _reworded(entry: Unsupported) -> Unsupported:
    return entry._replace(message=f"reworded: sentence refused ({len(entry.message)})")


def test_a_reworded_unsupported_message_still_guards_the_models_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The model reads "unless we are short" away; the rule parser's refusal guards its
    absence whatever the refusal's words (old code matched the word "conditional")."""
    text = "Priya Patel is off on Wednesday unless we are short"
    model = Unavailable(staff="N06", from_=WED, to=WED)
    monkeypatch.setattr(patterns_module, "UNSUPPORTED", tuple(map(_reworded, UNSUPPORTED)))
    refusal = Grounding(text, _resolver(), TODAY, _plans()).refusal(model)
    assert refusal is not None and refusal.kind is K.CONDITIONAL
    assert refusal.reason.startswith("reworded: sentence refused")


def test_a_which_one_question_comes_back_as_the_rule_parser_asks_it() -> None:
    text = "Priya Patel wants the early and the late on Wednesday"
    model = ShiftWish(staff="N06", date=WED, shift="E", want=True)
    refusal = Grounding(text, _resolver(), TODAY, _plans()).refusal(model)
    assert refusal == _refusals(text)[0]
    assert refusal is not None and refusal.kind is K.SEVERAL_NAMED


def test_a_cancelled_case_in_a_conditional_sentence_is_refused_by_kind() -> None:
    grounding = Grounding("Cancel C013 unless the list overruns", _resolver(), TODAY, _plans())
    refusal = grounding.refusal(CancelCase(case="C013"))
    assert refusal is not None
    assert refusal.reason.startswith("conditional requests are not supported")
