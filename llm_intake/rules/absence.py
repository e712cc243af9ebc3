"""Absences: sickness, leave, "off", "can't", and being moved off a shift."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from llm_intake.dates import DateHit
from llm_intake.refusals import RefusalKind
from llm_intake.requests import AbsenceReason, Request, Unavailable
from llm_intake.rules.clause import Clause, NotUnderstood, blank
from llm_intake.rules.patterns import clock_time

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
    r"can't|cant|cannot|can\s+not|unable|(?:won't\s+be|will\s+not\s+be|isn't|is\s+not)\s+in"
    r"(?!\s+charge)|away|"
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
                "a move from one shift to another: say which shift they should work",
                RefusalKind.MOVE,
            )
    ranges = _merge_ranges(clause.dates)
    reason = absence_reason(text) if clause.intent == "unavailable" else None
    return [
        Unavailable(staff=s, from_=a, to=b, shifts=shifts or None, reason=reason)
        for s in staff
        for a, b in ranges
    ]


MORNING_UNTIL = dt.time(13, 0)
"""A morning away ends at 13:00 (as a new case's "morning" ends, see ``apply``)."""
AFTERNOON_FROM = dt.time(12, 0)
"""An afternoon away starts at 12:00 (as a new case's "afternoon" starts)."""
_CLOCK = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\d{1,2}[:.]\d{2}(?!\d)|noon|midday"
_FROM_CLOCK = re.compile(
    rf"\b(?:from|after)\s+(?P<first>{_CLOCK})"
    rf"(?:\s*(?:to|until|till|til|-|–)\s*(?P<last>{_CLOCK}))?",
    _I,
)
_UNTIL_CLOCK = re.compile(rf"\b(?:until|till|til|before|by)\s+(?P<last>{_CLOCK})", _I)
_DAY_PARTS = (
    ("morning", re.compile(r"\b(?:in\s+the\s+|this\s+)?mornings?\b", _I)),
    ("afternoon", re.compile(r"\b(?:in\s+the\s+|this\s+)?afternoons?(?:\s+list)?\b", _I)),
)
_LOOSE_TIME = re.compile(
    rf"\b(?:from|after|until|till|til|before|by|between|at)\s+\d{{1,2}}(?:[:.]\d{{2}})?\b|"
    rf"(?:\b(?:at|around|about)\s+)?\b(?:{_CLOCK})|"
    r"\bfor\s+(?:\d+|an?|one|two|three|half\s+an)\s+(?:hours?|hrs?|mins?|minutes?)\b",
    _I,
)
"""A time left unread ("until 2" without am/pm, "at 2pm"): asked about, not guessed."""
TimeSpan = tuple[dt.time | None, dt.time | None]
_ANY_CLOCK = re.compile(rf"(?<![\w.:])(?:{_CLOCK})(?![\w:])", _I)
"""A clock word on its own ("10am–2pm", "at 2pm"; not the "noon" of "afternoon")."""


def _read(word: str) -> dt.time:
    """The time of a clock word, refused in words when it is no time of day ("25:00")."""
    time = clock_time(word)
    if time is None:
        raise NotUnderstood(
            f"'{word.strip()}' is no time of day I can read", RefusalKind.UNREADABLE
        )
    return time


def case_absence_times(text: str) -> tuple[TimeSpan, list[tuple[int, int]]] | None:
    """The part of a day a member of case staff is away ("afternoon": from 12:00,
    "morning": until 13:00, "from 2pm", "until 11:00", "from 10:00 to 14:00") and the
    spans of ``text`` that say it; None when the text names no part of a day.

    ``text`` has names and dates blanked. Two parts of the day, a part and a clock
    time, or a time without am/pm ("until 2") are refused rather than guessed.
    """
    found: list[tuple[str, TimeSpan, tuple[int, int]]] = []
    for m in _FROM_CLOCK.finditer(text):
        last = _read(m.group("last")) if m.group("last") else None
        found.append((m.group(0), (_read(m.group("first")), last), m.span()))
    for m in _UNTIL_CLOCK.finditer(blank(text, [span for *_, span in found])):
        found.append((m.group(0), (None, _read(m.group("last"))), m.span()))
    rest = blank(text, [span for *_, span in found])
    if loose := _LOOSE_TIME.search(rest):
        raise NotUnderstood(
            f"which time is '{loose.group(0).strip()}'? say 'from' or 'until' a time "
            "with am/pm or as 14:00",
            RefusalKind.UNREADABLE,
        )
    clock_spans = len(found)
    for part, pattern in _DAY_PARTS:
        for m in pattern.finditer(rest):
            times = (None, MORNING_UNTIL) if part == "morning" else (AFTERNOON_FROM, None)
            found.append((m.group(0), times, m.span()))
    if not found:
        return None
    said = ", ".join(f"'{words.strip()}'" for words, *_ in found)
    one_span = len(found) == 1 or (
        len(found) == clock_spans == 2
        and {(t[0] is None, t[1] is None) for _, t, _ in found} == {(False, True), (True, False)}
    )
    if not one_span:
        raise NotUnderstood(
            f"more than one part of the day ({said}); say one time span", RefusalKind.UNREADABLE
        )
    first = next((t[0] for _, t, _ in found if t[0] is not None), None)
    last = next((t[1] for _, t, _ in found if t[1] is not None), None)
    if first is not None and last is not None and last <= first:
        raise NotUnderstood(
            f"the absence ends at or before it starts ({said})", RefusalKind.UNREADABLE
        )
    return (first, last), [span for *_, span in found]


class SaidTime(NamedTuple):
    """A time of day a text gives (``words``) and whether it may start or end an absence."""

    words: str
    time: dt.time
    starts: bool
    ends: bool


def said_times(text: str) -> list[SaidTime]:
    """Every time of day ``text`` gives, read as ``case_absence_times`` reads it ("from
    2pm" starts, "until 11:00" ends, "afternoon" starts at 12:00, "morning" ends at
    13:00); a clock time with neither word ("10am–2pm", "at 2pm") may do either. Nothing
    is refused here: clock words that are no time of day are left out. ``text`` has dates
    blanked."""
    said: list[SaidTime] = []

    def add(word: str, starts: bool, ends: bool) -> None:
        if (time := clock_time(word)) is not None:
            said.append(SaidTime(word.strip(), time, starts, ends))

    spans: list[tuple[int, int]] = []
    for m in _FROM_CLOCK.finditer(text):
        add(m.group("first"), True, False)
        if m.group("last"):
            add(m.group("last"), False, True)
        spans.append(m.span())
    for m in _UNTIL_CLOCK.finditer(blank(text, spans)):
        add(m.group("last"), False, True)
        spans.append(m.span())
    rest = blank(text, spans)
    for m in _ANY_CLOCK.finditer(rest):
        add(m.group(0), True, True)
    for part, pattern in _DAY_PARTS:
        for m in pattern.finditer(rest):
            afternoon = part == "afternoon"
            time = AFTERNOON_FROM if afternoon else MORNING_UNTIL
            said.append(SaidTime(m.group(0).strip(), time, afternoon, not afternoon))
    return said
