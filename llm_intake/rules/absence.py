"""Absences: sickness, leave, "off", "can't", and being moved off a shift."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates import DateHit
from llm_intake.requests import AbsenceReason, Request, Unavailable
from llm_intake.rules.clause import Clause, NotUnderstood

_I = re.IGNORECASE

SICKNESS = re.compile(r"\b(?:sick|sickness|unwell|ill|poorly)\b", _I)


_MOVED_OFF = re.compile(
    r"\b(?:move[sd]?|moving|take[sn]?|taking|took|pull(?:s|ed|ing)?|get(?:s|ting)?|got|"
    r"keep(?:s|ing)?|kept|come|comes|came|coming)\b.*\b(?:off|out\s+of|from)\s+"
    r"(?:(?:the|her|his|their|all|any|this|that|these|those)\s+)*$",
    _I,
)
"""Text before a shift that someone is taken off ("move Ana Silva off nights")."""
_REASONS: tuple[tuple[AbsenceReason, re.Pattern[str]], ...] = (
    ("sickness", SICKNESS),
    ("study leave", re.compile(r"\bstudy\s+(?:leave|day)s?\b", _I)),
    (
        "annual leave",
        re.compile(r"\b(?:annual\s+leave|(?-i:AL)|holidays?|hols|vacation)\b", _I),
    ),
    ("training", re.compile(r"\b(?:training|course|mandatory\s+update)\b", _I)),
    (
        "leave",
        re.compile(
            r"(?<!annual )(?<!study )(?<!sick )\bleave\b|\bbereavement\b|\bjury\s+duty\b", _I
        ),
    ),
)
"""Why someone is away, from the words of the clause (none when two kinds fit)."""
UNAVAILABLE = re.compile(
    r"\b(?:off\s+sick|sick|sickness|unwell|ill|poorly|(?:annual|study|maternity|paternity|"
    r"compassionate|parental|special)\s+leave|on\s+leave|leave|holidays?|hols|vacation|"
    r"\bAL\b|unavailable|not\s+available|isn't\s+available|is\s+not\s+available|"
    r"can't|cant|cannot|can\s+not|unable|won't\s+be\s+in|will\s+not\s+be\s+in|away|"
    r"off\s+work|(?:is|are|was|be|being|'s|am|will\s+be)\s+off|off(?=\s*(?:$|[,.;!?]|on\b|from\b|"
    r"until\b|till\b|til\b|for\b|today|tomorrow|tmrw|tonight|next\b|this\b|all\b|the\s+\d|\d|"
    r"mon|tue|wed|thu|fri|sat|sun|christmas|xmas|boxing|new\s+year|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec))|out\s+(?:on|from|until|"
    r"today|tomorrow|next|this)|course|training|jury\s+duty|bereavement|no\s+(?:more\s+)?(?:"
    r"nights|earlies|lates|night\s+shifts|early\s+shifts|late\s+shifts))\b",
    _I,
)


def moved_off(clause: Clause) -> list[str]:
    """Shifts someone is taken off ("move Ana Silva off nights", "take her out of lates")."""
    return list(
        dict.fromkeys(s.id for s in clause.shifts if _MOVED_OFF.search(clause.text[: s.start]))
    )


def absence_reason(text: str) -> AbsenceReason | None:
    """ "sickness", "annual leave", … when the words say one of them (else None)."""
    found = [reason for reason, pat in _REASONS if pat.search(text)]
    return found[0] if len(found) == 1 else None


def _merge_ranges(hits: list[DateHit]) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for hit in sorted(hits, key=lambda h: h.first or dt.date.min):
        assert hit.first is not None and hit.last is not None
        if ranges and hit.first <= ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hit.last))
        else:
            ranges.append((hit.first, hit.last))
    return ranges


def absences(clause: Clause, text: str, staff: list[str], shifts: list[str]) -> list[Request]:
    """Unavailability per person and run of days; taken off a shift ("move Ana Silva off
    nights"): only that shift."""
    if clause.intent == "move_off":
        shifts = moved_off(clause)
        if len(shifts) != len(clause.shifts):
            raise NotUnderstood(
                "a move from one shift to another: say which shift they should work"
            )
    ranges = _merge_ranges(clause.dates)
    reason = absence_reason(text) if clause.intent == "unavailable" else None
    return [
        Unavailable(staff=s, from_=a, to=b, shifts=shifts or None, reason=reason)
        for s in staff
        for a, b in ranges
    ]
