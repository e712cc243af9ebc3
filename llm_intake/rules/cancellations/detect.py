"""Whether a sentence calls a case off: a cancel word beside a case word, an id, a
procedure, someone of the case schedule or a day of the case plan; never a roster
request ("cancel Oliver's request") or a roster person's change."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from llm_intake.dates import find_dates
from llm_intake.resolver import Resolver
from llm_intake.rules.case_words import phrase_words, procedure_vocabulary

_I = re.IGNORECASE

CASE_CANCEL = re.compile(
    r"\b(?:(?:un-?)?cancel(?:led|ed|s|ling|ing|lation)?|called\s+off|"
    r"(?:not|isn't|won't\s+be|no\s+longer)\s+(?:going\s+ahead|happening)|"
    r"(?:won't|will\s+not|can't|cannot|can\s+not)\s+(?:go\s+ahead|happen))\b",
    _I,
)
"""Words that call a case off ("C013 is cancelled", "the list is called off")."""
CASE_WORD = re.compile(
    r"\b(?:cases?|lists?|operations?|ops?|surgery|surgeries|procedures?|theatre\s+slot)\b", _I
)
CASE_ID_LIKE = re.compile(r"\b[A-Za-z]{1,4}-?\d{1,5}\b")
"""A token that looks like a case id (``C013``)."""
_REQUEST_WORD = re.compile(
    r"\b(?:requests?|requested|wish(?:es)?|leave|holidays?|sick(?:ness)?|shifts?|nights?|"
    r"earl(?:y|ies)|lates?)\b",
    _I,
)
"""Words of a roster request: "cancel Oliver's request" withdraws a request, not a case."""


def is_case_cancellation(
    sentence: str,
    procedures: Sequence[str],
    resolver: Resolver | None = None,
    today: dt.date | None = None,
) -> bool:
    """Whether ``sentence`` says a case is called off: a cancel word with a case word, an
    id-like token (``C013``), a word or short form of one of ``procedures``, or (given the
    ``resolver``) someone of the case schedule or a day of the case plan; never a roster
    request or a roster person's change."""
    if not CASE_CANCEL.search(sentence) or _REQUEST_WORD.search(sentence):
        return False
    if CASE_WORD.search(sentence) or CASE_ID_LIKE.search(sentence):
        return True
    if phrase_words(sentence, procedure_vocabulary(procedures))[0]:
        return True
    return (
        resolver is not None and today is not None and _names_case_plan(sentence, resolver, today)
    )


def _names_case_plan(sentence: str, resolver: Resolver, today: dt.date) -> bool:
    """Whether ``sentence`` names someone of the case schedule, or a day of the case plan
    and no one of the ward ("The appendicectomy with Mr Whitfield is cancelled")."""
    families = [
        {resolver.vocab.family_of(i) for i in m.ids} for m in resolver.find_people(sentence)
    ]
    if any(f == {"roster"} for f in families):
        return False
    if any("cases" in f for f in families):
        return True
    window = resolver.vocab.window("cases")
    if window is None:
        return False
    hits = find_dates(sentence, today, window)
    return any(window[0] <= day <= window[1] for hit in hits for day in hit.days())


def asks(text: str, end: int) -> bool:
    """Whether the sentence of ``text`` that ends at ``end`` ends in a question mark."""
    return re.match(r"[.!;]*\?", text[end:]) is not None
