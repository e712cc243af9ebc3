"""Cover changes: "one more RN on nights", "2 fewer HCAs", "we need 4 RNs"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from llm_intake.dates import number
from llm_intake.refusals import RefusalKind
from llm_intake.requests import CoverChange, Request
from llm_intake.resolver import Resolver, Span, cover_count_error
from llm_intake.rules.clause import Clause, NotUnderstood, blank

_I = re.IGNORECASE

PlanDays = Callable[[Clause], list[dt.date]]
"""The days of a clause inside the plan (the parser notes the ones left out)."""

_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_COVER_MORE = re.compile(
    rf"\b(?:another|an?\s+(?:extra|additional)|extra|additional)\s+(?P<n4>{_COUNT})\b|"
    r"\b(?P<n>\d+|an?|one|two|three|four|five|another)\s+(?:more|extra|additional)\b|"
    r"\b(?:another)\b|\b(?:extra|additional)\s+(?P<n2>\d+|one|two|three)?|"
    r"\b(?:increase|raise|bump|boost)\b.*?\bby\s+(?P<n3>\d+|one|two|three)\b",
    _I,
)


_COVER_LESS = re.compile(
    r"\b(?P<n>\d+|an?|one|two|three)\s+(?:fewer|less)\b|\b(?:reduce|cut|drop|decrease|lower)"
    r"\b.*?\bby\s+(?P<n2>\d+|one|two|three)\b|\b(?:remove|take\s+off|lose|send\s+home|"
    r"stand\s+down)\s+(?P<n3>\d+|an?|one|two|three)\b",
    _I,
)
_COVER_SET = re.compile(
    r"\b(?:to|at)\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"\b(?:need|needs|want|require|requires|only\s+need|only\s+needs)\s+(?:only\s+)?"
    r"(?P<n2>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s+(?:more|extra|"
    r"additional|fewer|less))",
    _I,
)
COVER_WORD = re.compile(
    r"\b(?:cover|covered|staffing|staffed|numbers|need|needs|needed|want|require|requires|"
    r"short|extra|more|fewer|less|reduce|add|another|additional|increase|decrease|set|"
    r"lower|raise|bump|cut)\b",
    _I,
)


def _count_around(text: str, span: Span) -> int | None:
    """The signed count written around one skill: "2 more RN", "another 2 RNs", "one RN
    less" (None when there is none)."""
    before, after = text[: span.start], text[span.end :]
    if m := re.search(
        rf"\b({_COUNT}|an?|another)\s+(more|extra|additional|fewer|less)\s+$", before, _I
    ):
        n = 1 if m.group(1).lower() == "another" else number(m.group(1)) or 1
        return -n if m.group(2).lower() in ("fewer", "less") else n
    if m := re.search(
        rf"\b(?:another|an?\s+(?:extra|additional))\s+(?:({_COUNT})\s+)?$", before, _I
    ):
        return number(m.group(1) or "1") or 1
    m = re.search(rf"\b({_COUNT}|an?)\s+$", before, _I)
    side = re.match(r"\s*(more|extra|additional|fewer|less)\b", after, _I)
    if m and side:
        n = number(m.group(1)) or 1
        return -n if side.group(1).lower() in ("fewer", "less") else n
    return None


def cover_changes(resolver: Resolver, clause: Clause, plan_days: PlanDays) -> list[Request]:
    text = clause.text
    if not clause.shifts:
        raise NotUnderstood("which shift?", RefusalKind.UNREADABLE)
    text = blank(text, [(d.start, d.end) for d in clause.dates])  # "to 3 Jan" is no count
    skills = resolver.find_skills(text)
    skill_ids = list(dict.fromkeys(s.id for s in skills))
    if len(skill_ids) > 1:
        return _cover_per_skill(resolver, clause, text, skills, plan_days)
    skill = skill_ids[0] if skill_ids else None
    text = blank(text, [(s.start, s.end) for s in skills])  # "one RN less": "one less"
    delta: int | None = None
    setto: int | None = None
    if m := _COVER_LESS.search(text):
        n = number(m.group("n") or m.group("n2") or m.group("n3") or "1")
        delta = -(n or 1)
    elif m := _COVER_MORE.search(text):
        raw = m.group("n4") or m.group("n") or m.group("n2") or m.group("n3") or "1"
        delta = 1 if raw.lower() == "another" else number(raw)
    elif m := _COVER_SET.search(text):
        setto = number(m.group("n") or m.group("n2"))
    if delta is None and setto is None:
        raise NotUnderstood("how many more or fewer staff?", RefusalKind.UNREADABLE)
    if problem := cover_count_error(resolver.vocab, skill, delta, setto):
        raise NotUnderstood(problem, RefusalKind.UNREADABLE)
    days = plan_days(clause)
    shifts = list(dict.fromkeys(s.id for s in clause.shifts))
    return [
        CoverChange(date=d, shift=s, skill=skill, delta=delta, set_=setto)
        for d in days
        for s in shifts
    ]


def _cover_per_skill(
    resolver: Resolver, clause: Clause, text: str, skills: list[Span], plan_days: PlanDays
) -> list[Request]:
    """ "1 more RN and 1 more HCA", "one RN less and another 2 HCAs": each skill with
    its own count around it (``text``: the clause with its dates blanked out)."""
    changes: list[tuple[str, int]] = []
    for span in skills:
        delta = _count_around(text, span)
        if delta is None:
            raise NotUnderstood(
                "more than one skill; give a count for each", RefusalKind.UNREADABLE
            )
        if problem := cover_count_error(resolver.vocab, span.id, delta, None):
            raise NotUnderstood(problem, RefusalKind.UNREADABLE)
        changes.append((span.id, delta))
    days = plan_days(clause)
    shifts = list(dict.fromkeys(s.id for s in clause.shifts))
    return [
        CoverChange(date=d, shift=s, skill=skill, delta=delta)
        for d in days
        for s in shifts
        for skill, delta in changes
    ]
