"""The rule parser's refusals that no other reading may override, by their kind
(``Unparsed.kind``), never by the words of their message."""

from __future__ import annotations

from collections.abc import Iterable

from llm_intake.refusals import RefusalKind as K
from llm_intake.requests import Unparsed
from llm_intake.resolver import Resolver

GUARD_KINDS = frozenset(
    {
        K.NEGATED,
        K.HEDGED,
        K.QUESTION,
        K.CONDITIONAL,
        K.EXCEPTION,
        K.SWAP,
        K.MOVE,
        K.COVER,
        K.PAST,
        K.RECURRING,
        K.RETURN_FROM_LEAVE,
        K.AMBIGUOUS_NAME,
        K.SEVERAL_NAMED,
        K.ALTERNATIVES,
    }
)
"""Refusals no other reading may override: negations, hedges, questions, conditions,
exceptions, swaps, moves, covers, past or recurring dates, ambiguous names, "which one?"
choices and cases given as alternatives ("cancel C013 or C014"). The parser's other
refusals ("no scheduling request recognised", "which date or dates?") only say it could
not read the sentence, where the model may read it better."""
WITHDRAWAL_KINDS = frozenset({K.WITHDRAWAL})
"""Refusals that guard every request but a cancelled case, unless the sentence names a
case by its id ("Omar Haddad is off sick tomorrow, so C2 is cancelled")."""
CASE_QUESTION_KINDS = frozenset({K.WHICH_CASE})
"""Refusals of a cancelling sentence whose case is unsettled: a case the model picks there
is not named; any other request from it is guarded."""
ASKED_KINDS = frozenset({K.AMBIGUOUS_NAME, K.SEVERAL_NAMED})
"""Guards that come back as the rule parser asks them ("…; which one?")."""
CANCEL_LIMIT_KINDS = frozenset({K.CONDITIONAL, K.EXCEPTION})
"""The rule parser's refusals of conditions ("unless") and exceptions ("except", "instead
of") that also hold for a cancelled case."""


def is_guard(kind: K | None, cancel: bool, names_case: bool) -> bool:
    """Whether a rule-parser refusal of ``kind`` is one no other reading may override, for
    a cancelled case (``cancel``) or another request, in a sentence that names a case by
    id (``names_case``) or not."""
    if kind in GUARD_KINDS:
        return True
    if cancel:
        return False
    if kind in WITHDRAWAL_KINDS:
        return not names_case
    return kind in CASE_QUESTION_KINDS


def sentence_guard(
    refusals: Iterable[Unparsed],
    people: set[str],
    cancel: bool,
    names_case: bool,
    resolver: Resolver,
) -> Unparsed | None:
    """The first guard among a sentence's ``refusals`` that concerns one of ``people``
    (or any, for a request on no one, or a refusal naming no one)."""
    for unparsed in refusals:
        if not is_guard(unparsed.kind, cancel, names_case):
            continue
        named = {i for m in resolver.find_people(unparsed.text) for i in m.ids}
        if not people or not named or people & named:
            return unparsed
    return None


def guarded(guard: Unparsed, described: str) -> Unparsed:
    """The guard's refusal; naming the model's request unless it is a "which one?"
    question, which comes back as the rule parser asks it."""
    if guard.kind in ASKED_KINDS:
        return guard
    return Unparsed(
        text=guard.text,
        reason=f"{guard.reason}; the language model proposed '{described}', so nothing "
        "is proposed from it",
        kind=guard.kind,
    )
