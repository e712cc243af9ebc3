"""The fixed words of roster requests: cancellations, unsupported requests, negations,
swaps, assignments, hedges and parts of a day."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

from llm_intake.refusals import RefusalKind

_I = re.IGNORECASE

CANCEL = re.compile(
    r"\b(?:cancel(?:led|ed|s)?|no\s+longer|not\s+\w+\s+any\s*more|anymore|scratch\s+that|"
    r"disregard|ignore\s+(?:my|the|that)|after\s+all)\b",
    _I,
)


_WD_WORD = r"(?:mon|tue|wed|thu|fri|sat|sun)\w*"


class Unsupported(NamedTuple):
    """A kind of sentence the rule parser refuses whole: its words, kind and message."""

    pattern: re.Pattern[str]
    kind: RefusalKind
    message: str


UNSUPPORTED = (
    Unsupported(
        re.compile(
            rf"\b(?:every|each)\s+(?:other\s+)?(?:{_WD_WORD}|week|weekend|day|night)\b|"
            r"\b(?:weekly|fortnightly|always|usually|regularly)\b",
            _I,
        ),
        RefusalKind.RECURRING,
        "recurring requests are not supported; give the dates",
    ),
    Unsupported(
        re.compile(r"\bif\b(?!\s+(?:at\s+all\s+)?poss)|\bunless\b|\bin\s+case\b", _I),
        RefusalKind.CONDITIONAL,
        "conditional requests are not supported; say what to change",
    ),
    Unsupported(
        re.compile(
            r"\bexcept\b|\bapart\s+from\b|\bother\s+than\b|\bexcluding\b|\binstead\s+of\b|"
            r"\bbut\s+not\b",
            _I,
        ),
        RefusalKind.EXCEPTION,
        "exceptions and replacements are not supported; list the dates that apply",
    ),
    Unsupported(
        re.compile(r"\bback\s+(?:from|on|at|to|in)\b|\breturn(?:s|ing|ed)?\b", _I),
        RefusalKind.RETURN_FROM_LEAVE,
        "a return from leave is not a change I can make; give the dates of the absence",
    ),
    Unsupported(
        re.compile(rf"\byesterday\b|\blast\s+(?:week|night|weekend|{_WD_WORD})\b", _I),
        RefusalKind.PAST,
        "dates in the past cannot be changed",
    ),
)
"""Sentences refused whole, in order: recurrence, conditions, exceptions, a return from
leave, past dates (the first that fits gives the refusal)."""


def unsupported(sentence: str) -> Unsupported | None:
    """The first kind of unsupported sentence ``sentence`` is (None if none)."""
    return next((u for u in UNSUPPORTED if u.pattern.search(sentence)), None)


NEGATIVE_IDIOMS = re.compile(
    r"\b(?:can't|cant|cannot|can\s+not|couldn't|unable|won't\s+be\s+(?:in|able|coming)|"
    r"will\s+not\s+be\s+(?:in|able)|(?:won't|will\s+not|can't|cannot)\s+make|"
    r"(?:isn't|is\s+not|not)\s+(?:be\s+)?able|not\s+coming\s+in|(?:isn't|is\s+not)\s+in(?!\s+charge)|"
    r"(?:isn't|is\s+not|not)\s+available|no\s+(?:more\s+)?(?:nights|earlies|lates|night\s+"
    r"shifts|early\s+shifts|late\s+shifts))\b",
    _I,
)
SWAP = re.compile(r"\b(?:swap|swaps|swapping|switch|trade|exchange)\b", _I)


PIN = re.compile(
    r"\b(?:put|puts|assign|assigned|rota|rotas|roster|rostered|pin|pinned|book|booked|"
    r"must\s+(?:work|do|be\s+on)|has\s+to\s+(?:work|do|be\s+on)|needs\s+to\s+(?:work|do|be\s+on)|"
    r"have\s+to\s+(?:work|do|be\s+on)|will\s+(?:work|do|cover|be\s+on)|is\s+(?:working|doing|"
    r"covering|on)|to\s+(?:work|do|cover)|move|moved|make|schedule|scheduled|fix|fixed|lock|"
    r"give|confirm)\b",
    _I,
)


NEGATION = re.compile(r"\b(?:not|no|never|don't|dont|mustn't|shouldn't)\b|n't\b", _I)


HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|may\s+(?:be|need|not|have|want|well)|"
    r"(?:un)?likely|not\s+(?:yet\s+)?(?:sure|certain|confirmed|definite)|unsure|tbc|tbd|"
    r"to\s+be\s+confirmed|provisional(?:ly)?|tentative(?:ly)?|pencil(?:led)?\s+in|could\s+be)\b",
    _I,
)
"""Words that make a request tentative ("and maybe the 15th"): asked about, never applied."""
HEDGE_TAIL = frozenset({"or", "too", "even", "also", "as", "well", "and"})
"""Words a hedged tail of dates may hold besides fillers ("(possibly 15th too)")."""
PART_OF_DAY = re.compile(
    r"\b(?:afternoons?|half[\s-]?days?|first\s+thing|(?:morning|evening)\s+(?:list|session)s?)\b|"
    r"\b(?:until|till|til|from|after|before|by)\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|"
    r"p\.m\.)|\d{1,2}:\d{2}|lunch(?:time)?|midday|noon)",
    _I,
)
"""Part of a day that is no shift ("the afternoon list", "until 2pm"); not the time of a
call ("rang at 7 am")."""


def clock_time(text: str, bare_hour: bool = True) -> dt.time | None:
    """The time of day of a clock word ("2pm", "11:00", "9.30 am", "noon"); a bare hour
    ("2") only with ``bare_hour``."""
    if re.fullmatch(r"noon|midday", text.strip(), _I):
        return dt.time(12, 0)
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:(a)|(p))?\.?m?\.?", text.strip(), _I)
    if m is None or (not bare_hour and m.group(2) is None and not (m.group(3) or m.group(4))):
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(4) and hour < 12:
        hour += 12
    elif m.group(3) and hour == 12:
        hour = 0
    return dt.time(hour, minute) if hour < 24 and minute < 60 else None
