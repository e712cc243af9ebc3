"""Ward or case schedule: which problem an absence belongs to when a name fits both."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.resolving.resolver import Resolver
from llm_intake.vocabulary import TITLES, Vocabulary, fold

_WARD_WORDS = re.compile(r"\b(?:ward|rota|shifts?)\b", re.IGNORECASE)
"""Words that place an absence on the ward (shift words are found by the resolver)."""
_CASE_WORDS = re.compile(
    r"\b(?:theat(?:re|er)s?|operating|scrub(?:bing)?|surgeons?|cases|an(?:a?e)sthe\w*)\b",
    re.IGNORECASE,
)
"""Words that place an absence in the case schedule (rooms and roles are found too)."""


def same_name_case_staff(
    vocab: Vocabulary, name: str, first: dt.date, last: dt.date, theatre: bool = False
) -> tuple[str, ...] | None:
    """Case staff with the full name of a ward member, on duty some day ``first``–``last``.

    None when ``name`` is no ward member's full name. Someone off duty on all those days
    is left out: their absence would change nothing in the case schedule — unless the
    text places the absence in theatre (``theatre``): then it is theirs all the same.
    """
    words = tuple(w for w in fold(name).split() if w not in TITLES)
    if not any(p.tokens == words for p in vocab.roster_staff):
        return None
    return tuple(
        p.id
        for p in vocab.case_staff
        if p.tokens == words and (theatre or vocab.on_duty(p.id, first, last))
    )


def family_cues(resolver: Resolver, text: str | None, shifts: bool) -> tuple[bool, bool]:
    """Whether the text places an absence on the ward (a shift, "ward", "rota") and whether
    in the case schedule (a theatre, room, role, "surgeon", "cases")."""
    ward = shifts or bool(text and _WARD_WORDS.search(text))
    cases = bool(
        text
        and (_CASE_WORDS.search(text) or resolver.find_rooms(text) or resolver.find_roles(text))
    )
    return ward, cases


def settle_families(
    resolver: Resolver, ids: tuple[str, ...], text: str | None, shifts: bool
) -> tuple[str, ...]:
    """Candidates for an absence from both problems, narrowed by what the text says.

    A shift (``shifts``) or "ward"/"rota" keeps the ward's people; a theatre, room,
    role, "surgeon" or "cases" the case schedule's; neither or both keeps them all
    (the caller asks which one).
    """
    vocab = resolver.vocab
    if len({vocab.family_of(i) for i in ids}) < 2:
        return ids
    ward, cases = family_cues(resolver, text, shifts)
    if ward == cases:
        return ids
    family = "roster" if ward else "cases"
    return tuple(i for i in ids if vocab.family_of(i) == family)
