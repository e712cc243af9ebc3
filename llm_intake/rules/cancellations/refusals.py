"""Cancelling sentences that must cancel nothing, refused as the roster sentences are: a
cancellation taken back, a question, a hedge, recurrence, a condition, an exception, a
past date, or cases given as alternatives."""

from __future__ import annotations

import re

from llm_intake.refusals import RefusalKind
from llm_intake.rules.case_words import ROOM_LIKE
from llm_intake.rules.clause import NotUnderstood, hedged
from llm_intake.rules.patterns import HEDGE, UNSUPPORTED

_I = re.IGNORECASE

_UNCANCEL = re.compile(
    r"\bun-?cancel\w*|\bno\s+longer\s+(?:be\s+)?cancel\w*|\bre-?instat\w*|"
    r"\bnot\s+cancel\w*\s+after\s+all\b",
    _I,
)
"""Words that take a cancellation back ("un-cancel C013", "C013 is no longer cancelled")."""
_QUESTION_START = re.compile(
    r"^\W*(?:should|shall|do|does|did|is|are|was|were|has|have|had|will|would|could|can|may|"
    r"might|must|why|when|what|which|who|whether|how)\b(?!\s+not\b)",
    _I,
)
_POLITE_REQUEST = re.compile(
    r"^\W*(?:please\s+)?(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+)?"
    r"(?:cancel|call\s+off)\b",
    _I,
)
"""A request put as a question ("Could you cancel C013?"): a request, not a question."""
_ALTERNATIVE = re.compile(r"\beither\b|\bor\b(?!\s*#?\d)", _I)
"""Cases given as alternatives ("cancel C013 or C014"): which one is not said."""
_CASE_GUARDS = tuple(u for u in UNSUPPORTED if u.kind is not RefusalKind.RETURN_FROM_LEAVE)
"""Recurrence, conditions, exceptions and past dates (a return from leave is no case's)."""
_QUESTION = "a question, not a change; say what should change"
_TAKEN_BACK = "taking a cancellation back is not supported; add the case again as a new case"
_EITHER = "'or' leaves open which case; name each case that is cancelled by its id"


def sentence_refusal(sentence: str, asked: bool) -> NotUnderstood | None:
    """Why a cancelling ``sentence`` must not cancel anything (``asked``: it ended in a
    question mark); None when it may."""
    if _UNCANCEL.search(sentence):
        return NotUnderstood(_TAKEN_BACK, RefusalKind.UNREADABLE)
    if (asked or _QUESTION_START.search(sentence)) and not _POLITE_REQUEST.search(sentence):
        return NotUnderstood(_QUESTION, RefusalKind.QUESTION)
    if hedge := HEDGE.search(sentence):
        return hedged(hedge.group(0))
    for guard in _CASE_GUARDS:
        if guard.pattern.search(sentence):
            return NotUnderstood(guard.message, guard.kind)
    if _ALTERNATIVE.search(ROOM_LIKE.sub(" ", sentence)):
        return NotUnderstood(_EITHER, RefusalKind.ALTERNATIVES)
    return None
