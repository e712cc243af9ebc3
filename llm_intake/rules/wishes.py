"""Wishes ("would like", "happy to"): soft shift requests, never pins."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.refusals import RefusalKind
from llm_intake.requests import Request, ShiftWish
from llm_intake.rules.absence import SICKNESS
from llm_intake.rules.clause import Clause, NotUnderstood, without_names

_I = re.IGNORECASE

WISH = re.compile(
    r"\b(?:would\s+(?:really\s+|much\s+|quite\s+)?(?:like|love|prefer|rather)|'d\s+(?:like|"
    r"love|prefer|rather)|wants?|"
    r"wanting|prefers?|preference|requests?|requested|requesting|asks?\s+for|asked\s+for|"
    r"asking\s+for|asks?\s+not|asked\s+not|asking\s+not|hoping|hopes?|if\s+possible|ideally|"
    r"keen\s+(?:on|to)|can\s+\S+(?:\s+\S+)?"
    r"\s+have|could\s+\S+(?:\s+\S+)?\s+have|needs?\s+\S+\s+"
    r"(?:off|free)|needs?\s+(?:the\s+)?(?:day|night|weekend)s?\s+off)\b",
    _I,
)
"""A wish ("would like", "if possible"): at most a soft request, never a pin."""
WILLING = re.compile(
    r"\b(?:(?:happy|willing|glad|prepared|content|open)\s+to|"
    r"(?:has\s+|have\s+)?(?:offered|offering|offers?|volunteer(?:ed|ing|s)?))\b",
    _I,
)
"""A willingness ("happy to", "has offered to"): a soft request when it is the request
("Jo is happy to do nights"), ignored beside a planner's instruction ("put Jo on the
early, she's happy to")."""
INSTRUCTION = re.compile(
    r"\b(?:put|assign|rota|roster|pin|book|schedule|move|give|fix|lock|confirm)\b", _I
)
"""A planner's instruction before the person it places ("put", "roster", "book")."""
_WISH_NOT = re.compile(
    r"\b(?:off|free|not|no|rather\s+not|avoid|without|n't|never)\b|n't\b|\bout\s+of\b", _I
)
_LEAVE_WISH = re.compile(
    r"\b(?:like|love|wants?|wanted|requests?|requested|asks?\s+for|asked\s+for|prefers?|"
    r"hop(?:es|ing)\s+for)\s+(?:to\s+(?:have|take)\s+)?(?:some\s+|a\s+|an\s+|the\s+)?"
    r"(?:(?:annual|study)\s+)?(?:leave|holidays?|hols|vacation|AL)\b",
    _I,
)
"""A wish whose object is leave ("would like annual leave on Friday"): a day off. Leave
mentioned elsewhere ("the early before her annual leave") does not turn a wish around."""


def shift_wishes(
    clause: Clause, text: str, staff: list[str], shifts: list[str], days: list[dt.date]
) -> list[Request]:
    """Soft shift-on/off requests, one per person and day (a wish is never a pin)."""
    if SICKNESS.search(text):
        raise NotUnderstood(
            "a wish and a sickness in one request; say each as its own sentence",
            RefusalKind.UNREADABLE,
        )
    plain = without_names(text, clause.people)
    turn = re.search(r"(?:,|\band)\s+not\b", plain, _I)
    if turn and not _WISH_NOT.search(plain[: turn.start()]):
        raise NotUnderstood(
            "a wish for and a wish against in one request; say each as its own sentence",
            RefusalKind.UNREADABLE,
        )
    own = _WISH_NOT.search(plain) or _LEAVE_WISH.search(plain)
    want = not (own or (clause.inherited and _WISH_NOT.search(clause.inherited)))
    if len(shifts) > 1:
        raise NotUnderstood(
            "more than one shift named in one request; which one?", RefusalKind.SEVERAL_NAMED
        )
    shift = shifts[0] if shifts else None
    return [ShiftWish(staff=s, date=d, shift=shift, want=want) for s in staff for d in days]
