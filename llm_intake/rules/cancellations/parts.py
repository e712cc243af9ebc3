"""The cancelling part of a sentence: without its reason ("as the patient is unwell"),
refused when negated or when it also says another change."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from llm_intake.dates import find_dates
from llm_intake.refusals import RefusalKind
from llm_intake.resolver import Resolver
from llm_intake.rules.cancellations.description import named_cases, procedure_of
from llm_intake.rules.cancellations.detect import CASE_CANCEL, CASE_ID_LIKE, CASE_WORD
from llm_intake.rules.case_words import (
    CASE_VERB,
    PROCEDURE_ALIASES,
    ROOM_LIKE,
    phrase_words,
    procedure_vocabulary,
)
from llm_intake.rules.clause import NEGATED, NotUnderstood, blank
from llm_intake.rules.patterns import NEGATION, PIN
from llm_intake.vocabulary import fold

_I = re.IGNORECASE

_PARTS = re.compile(
    r"[,;()]|\s[-–—]+\s|[–—]|(?<!\d):|:(?!\d)|\b(?:and|but|so|then|while|plus|also)\b", _I
)
"""Where a cancelling sentence may go on to say something else (not "11:05")."""
_BECAUSE = re.compile(r"\b(?:because|as|since|due\s+to|owing\s+to)\b", _I)
"""Where a cancelling sentence gives its reason ("… is cancelled as the patient is unwell")."""
_LIST_WORDS = frozenset(
    {"the", "a", "case", "cases", "list", "lists", "op", "ops", "operation", "operations"}
    | {"surgery", "surgeries", "procedure", "procedures", "both", "s", "his", "her", "their"}
)
"""Words a part listing cases may hold besides ids, procedures and people ("C013, C014")."""
_CHANGE_VERB = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|postpon\w*|delay\w*|reschedul\w*|br(?:ing|ought)\s+forward|"
    r"swap\w*|replac\w*|instead|add(?:s|ed|ing)?|put|puts|pin\w*|cover\w*)\b",
    _I,
)
"""Verbs of another change: a part holding one is no reason ("…, C014 moves to Friday")."""
_OWN_SENTENCE = "'{}' is not part of cancelling a case; say each change in a sentence of its own"


def cancelling_part(sentence: str, problem: Any, resolver: Resolver, today: dt.date) -> str:
    """The sentence without its reason ("as the patient is unwell", or a last part that
    names nothing and changes nothing: "…, patient unwell"); ``NotUnderstood`` when it is
    negated or also says another change ("C013 is cancelled and C014 moves to Tuesday"):
    only the cancelled cases are read, so anything else would be lost, or a case it names
    taken for cancelled."""
    head, reason = sentence, ""
    if because := _BECAUSE.search(sentence):
        head, reason = sentence[: because.start()], sentence[because.start() :]
    if reason and (
        named_cases(reason, problem)
        or resolver.find_people(reason)
        or find_dates(reason, today, resolver.vocab.window("cases"))
    ):
        raise _another_change(reason.strip(" ,"))
    cut = [0, *(i for m in _PARTS.finditer(head) for i in (m.start(), m.end())), len(head)]
    parts = [(start, end) for start, end in zip(cut[::2], cut[1::2], strict=True)]
    while len(parts) > 1 and _is_reason(head[slice(*parts[-1])], problem, resolver, today):
        parts.pop()
    head = head[: parts[-1][1]]
    if _negated(head, resolver):
        raise NotUnderstood(NEGATED, RefusalKind.NEGATED)
    for start, end in parts:
        part = head[start:end].strip(" ,")
        if part and not CASE_CANCEL.search(part) and not _lists_cases(part, problem, resolver):
            raise _another_change(part)
    return head


def _another_change(part: str) -> NotUnderstood:
    return NotUnderstood(_OWN_SENTENCE.format(part), RefusalKind.UNREADABLE)


def _is_reason(part: str, problem: Any, resolver: Resolver, today: dt.date) -> bool:
    """Whether the last ``part`` of a cancelling sentence is only its reason ("patient
    unwell"): it names no case, procedure, person, room or date and says no change."""
    if not part.strip(" ,"):
        return True
    vocabulary = procedure_vocabulary([procedure_of(t) for t in problem.tasks])
    return not (
        CASE_ID_LIKE.search(part)
        or CASE_CANCEL.search(part)
        or CASE_WORD.search(part)
        or _CHANGE_VERB.search(part)
        or PIN.search(part)
        or CASE_VERB.search(part)
        or resolver.find_people(part)
        or resolver.find_rooms(part)
        or find_dates(part, today, resolver.vocab.window("cases"))
        or phrase_words(part, vocabulary)[0]
    )


def _negated(head: str, resolver: Resolver) -> bool:
    """Whether the cancelling part says a case is *not* cancelled ("Don't cancel C013",
    "C013 won't be cancelled"); "C013 isn't going ahead" is a cancellation."""
    spans = [(m.start, m.end) for m in resolver.find_people(head)]
    spans += [m.span() for m in (*CASE_CANCEL.finditer(head), *ROOM_LIKE.finditer(head))]
    return bool(NEGATION.search(blank(head, spans)))


def _lists_cases(part: str, problem: Any, resolver: Resolver) -> bool:
    """Whether ``part`` only names cases or people ("C013", "Mr Okafor's", "the hernia
    repair", "the lap chole"): part of a list of what is cancelled."""
    rest = blank(part, [(m.start, m.end) for m in resolver.find_people(part)])
    for case_id in named_cases(rest, problem):
        rest = re.sub(rf"(?<![\w-]){re.escape(case_id)}(?![\w-])", " ", rest, flags=_I)
    listed = _LIST_WORDS | {w for t in problem.tasks for w in fold(procedure_of(t)).split()}
    listed |= {w for alias in PROCEDURE_ALIASES for w in alias.split()}
    return all(w in listed for w in fold(rest).split())
