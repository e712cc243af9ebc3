"""The people a clause is about: who is covered, who is instructed, which ids."""

from __future__ import annotations

import re
from itertools import pairwise

from llm_intake.refusals import RefusalKind
from llm_intake.resolver import (
    Mention,
    Resolver,
    family_cues,
    same_name_case_staff,
    settle_families,
)
from llm_intake.rules.clause import Clause, NotUnderstood
from llm_intake.rules.wishes import INSTRUCTION
from llm_intake.vocabulary import TITLES, fold

_I = re.IGNORECASE

_COVERED_BEFORE = re.compile(
    r"\b(?:cover(?:s|ed|ing)?|replac(?:e|es|ed|ing)|reliev(?:e|es|ed|ing)|(?:(?:stand|fill|step)"
    r"(?:s|ed|ing)?|stood|stepped|stepping)\s+in|(?:take[sn]?|taking|took)\s+over|in\s+place)"
    r"(?:\s+(?:for|from|of))?\s+(?:(?:dr|mr|mrs|ms|miss|mx|sister|nurse)\.?\s+)?$",
    _I,
)
"""Words before a person who is covered, not covering ("cover for Ana", "relieve Ana")."""
_POSSESSIVE = re.compile(
    r"(?:['’]s|(?<=s)['’])\s+(?:(?:usual|normal|regular|planned|rostered|booked|own)\s+)*"
    r"(?P<noun>(?:shifts?|slot|place|duty|duties|work)\b)?",
    _I,
)
"""A possessive after a name ("Ana Silva's early", "Ana's shift"): the shift is hers, the
person working it is someone else."""
_JOINERS = frozenset({"and", "plus", "also", "both", "as", "well"})


def is_covered(clause: Clause, mention: Mention) -> bool:
    """Whether ``mention`` is the person covered ("for Ana", "Ana's early"), not a subject."""
    if _COVERED_BEFORE.search(clause.text[: mention.start]):
        return True
    m = _POSSESSIVE.match(clause.text, mention.end)
    if m is None:
        return False
    return bool(m.group("noun")) or any(s.start == m.end() for s in clause.shifts)


def is_instructed(clause: Clause) -> bool:
    """Whether the planner tells where someone works ("put Jo Park on", "book her for"):
    an instruction verb right before a named person (titles allowed) or a pronoun."""
    starts = {p.start for p in clause.people}
    for m in INSTRUCTION.finditer(clause.text):
        gap = clause.text[m.end() :]
        if re.match(r"\s+(?:her|him|them)\b", gap, _I):
            return True
        for start in starts:
            between = clause.text[m.end() : start]
            if start >= m.end() and set(fold(between).split()) <= TITLES:
                return True
    return False


def clause_subjects(clause: Clause) -> list[Mention]:
    """The people the clause is about, joined by "and" or commas.

    Someone whose shift is taken or who is covered ("Put Jo on Ana's early", "Jo will
    cover for Ana") is not: only the person working the shift is pinned (or wishes for
    it). Other people in one clause, not simply listed, are not guessed at.
    """
    covered = [p for p in clause.people if is_covered(clause, p)]
    subjects = [p for p in clause.people if p not in covered]
    if covered and clause.intent not in ("pin", "shift_request"):
        raise NotUnderstood(
            "someone covering for someone else; say who is away and who works which shift, "
            "each in its own sentence",
            RefusalKind.COVER,
        )
    if covered and not subjects:
        raise NotUnderstood(
            "who works the shift? name the person covering it", RefusalKind.UNREADABLE
        )
    for a, b in pairwise(subjects):
        between = re.sub(r"[\s,&/+]+", " ", clause.text[a.end : b.start]).lower().split()
        if not set(between) <= _JOINERS:
            raise NotUnderstood(
                "more than one person named in one request; say each person's change in "
                "its own sentence",
                RefusalKind.UNREADABLE,
            )
    return subjects


def staff_ids(resolver: Resolver, clause: Clause, people: list[Mention]) -> list[str]:
    if not people:
        raise NotUnderstood("which staff member?", RefusalKind.UNREADABLE)
    ids: list[str] = []
    for mention in people:
        if not mention.ids:
            raise NotUnderstood(_no_such_person(resolver, clause, mention), RefusalKind.UNREADABLE)
        found = mention.ids
        if clause.intent == "unavailable" and clause.family == "roster":
            found = (*found, *_case_staff_named(resolver, mention.text, clause))
            found = settle_families(resolver, found, clause.text, bool(clause.shifts))
        if len(found) > 1:
            raise NotUnderstood(resolver.which_one(mention.text, found), RefusalKind.AMBIGUOUS_NAME)
        ids.append(found[0])
    return list(dict.fromkeys(ids))


def _no_such_person(resolver: Resolver, clause: Clause, mention: Mention) -> str:
    """ "no staff member called 'Tom Baker'; did you mean …?" (the whole name written,
    and the people its known words fit in either problem, when there are a few)."""
    near = {
        i
        for m in resolver.find_people(clause.text)
        if m.start <= mention.start < m.end or mention.start <= m.start < mention.end
        for i in m.near
    }
    message = f"no staff member called '{mention.text}'"
    if 0 < len(near) <= 3:
        message += f"; did you mean {resolver.describe(tuple(sorted(near)))}?"
    return message


def _case_staff_named(resolver: Resolver, name: str, clause: Clause) -> tuple[str, ...]:
    """Case staff the whole of ``name`` also fits ("Daniel": a nurse or a surgeon?).

    For a ward member's full name, only case staff of that very name on duty on one
    of the days (see ``same_name_case_staff``), or, when only theatre words place the
    absence ("can't do her theatre cases"), that case staff member whatever their duty.
    """
    words = tuple(w for w in fold(name).split() if w not in TITLES)
    if any(p.tokens == words for p in resolver.vocab.roster_staff):
        ward, cases = family_cues(resolver, clause.text, bool(clause.shifts))
        theatre = cases and not ward
        spans = [(hit.first, hit.last) for hit in clause.dates if hit.first and hit.last]
        same = (same_name_case_staff(resolver.vocab, name, a, b, theatre) or () for a, b in spans)
        return tuple(dict.fromkeys(i for ids in same for i in ids))
    return tuple(
        i for m in resolver.find_people(name, "cases") if m.text == name.strip() for i in m.ids
    )
