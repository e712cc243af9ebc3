"""Sentences that cancel no case, whatever the model reads in them: a question, a
negation, a move or restore word, a hedge, a condition or an exception."""

from __future__ import annotations

import re

from llm_intake.grounding.guards import CANCEL_LIMIT_KINDS
from llm_intake.grounding.sentence import Sentence
from llm_intake.rules.clause import without_names
from llm_intake.rules.patterns import HEDGE, NEGATION, UNSUPPORTED

_I = re.IGNORECASE

_GOING_AHEAD = re.compile(
    r"\b(?:isn't|aren't|won't|can't|cannot|not|no\s+longer)\s+(?:be\s+)?go(?:es|ing)?\s+ahead\b",
    _I,
)
"""Negated words that do cancel a case ("C013 isn't going ahead")."""
_MOVE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|re-?schedul\w*|postpon\w*|push(?:ed|ing)?\s+back|"
    r"br(?:ing|ought)\s+forward|swap\w*|switch\w*|delay\w*|put\s+off|un-?cancel\w*|"
    r"re-?instat\w*|restor\w*|instead)\b",
    _I,
)
"""Words that move, swap or restore a case rather than cancel it."""


def cancels_nothing(sentence: Sentence) -> str | None:
    """Why ``sentence`` cancels no case (None when it may)."""
    plain = _GOING_AHEAD.sub(" ", without_names(sentence.text, list(sentence.mentions)))
    if sentence.question:
        return "a question, not a cancellation"
    if negation := NEGATION.search(plain):
        return f"a negated statement ('{negation.group(0)}'), not a cancellation"
    if move := _MOVE.search(plain):
        return f"'{move.group(0)}' moves or restores a case, it does not cancel it"
    if hedge := HEDGE.search(plain):
        return f"'{hedge.group(0)}' is not a firm change"
    limits = [
        u.message for u in UNSUPPORTED if u.kind in CANCEL_LIMIT_KINDS and u.pattern.search(plain)
    ]
    return limits[0] if limits else None
