"""LLM answers checked against the planner's text: every person must be named in it.

A small model can name a staff member the text never mentions (a hallucination, or an id
picked from the schema's list); such a request would target the wrong person. It is
refused — returned as not understood, with the person and the text — so the planner
decides, never the model. A person counts as named by their id ("N06") or by any form
the rule parser reads as them: full name, surname, first name, a title with a surname,
a close misspelling, or a name that fits several people ("Patel": both count).

A cancelled case must be named too: by its id ("C013"), or by its procedure when no
other loaded case has that procedure ("the thyroidectomy is cancelled").
"""

from __future__ import annotations

import re

from llm_intake.requests import AddCase, CancelCase, Request, Unparsed
from llm_intake.resolver import Resolver
from llm_intake.vocabulary import Vocabulary, fold


def named_people(text: str, resolver: Resolver) -> set[str]:
    """The ids of everyone ``text`` may denote, by name or by id."""
    named = {i for mention in resolver.find_people(text) for i in mention.ids}
    for person in resolver.vocab.people:
        if re.search(rf"(?<![\w-]){re.escape(person.id)}(?![\w-])", text, re.IGNORECASE):
            named.add(person.id)
    return named


def request_people(request: Request) -> list[str]:
    """The staff ids a resolved request acts on (the surgeon of a new case)."""
    if isinstance(request, AddCase):
        return [request.surgeon] if request.surgeon else []
    staff = getattr(request, "staff", None)
    return [staff] if isinstance(staff, str) else []


def unnamed_person(
    request: Request, text: str, named: set[str], resolver: Resolver, described: str
) -> Unparsed | None:
    """The refusal of ``request`` when it acts on someone ``text`` does not name, else None.

    ``described`` is the request in words ("Ana Silva unavailable Thu 10 Dec").
    """
    for person_id in request_people(request):
        if person_id not in named:
            who = f"{resolver.vocab.label(person_id)} ({person_id})"
            return Unparsed(
                text=text.strip(),
                reason=f"the language model proposed '{described}', but {who} is not named "
                f"in the text, so nothing is proposed for them; name the person and try again",
            )
    return None


def case_named(case_id: str, text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` names the case: its id, or a procedure no other case has."""
    if re.search(rf"(?<![\w-]){re.escape(case_id)}(?![\w-])", text, re.IGNORECASE):
        return True
    case = vocab.case(case_id)
    procedure = fold(case.procedure) if case is not None else ""
    if not procedure or sum(fold(c.procedure) == procedure for c in vocab.cases) != 1:
        return False
    return f" {procedure} " in f" {fold(text)} "


def unnamed_case(request: Request, text: str, vocab: Vocabulary, described: str) -> Unparsed | None:
    """The refusal of a ``cancel_case`` for a case ``text`` does not name, else None."""
    if not isinstance(request, CancelCase) or case_named(request.case, text, vocab):
        return None
    return Unparsed(
        text=text.strip(),
        reason=f"the language model proposed '{described}', but that case is not named in "
        "the text, so it is not cancelled; name the case by its id and try again",
    )
