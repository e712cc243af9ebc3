"""Weekdays listed or ranged with "next" or "next week" all fall in next week."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import DateHit, days_delta, error_hit, monday_of
from llm_intake.dates.context import pattern_kind
from llm_intake.dates.names import weekday_number
from llm_intake.dates.patterns import DASH

# between two weekdays: a list ("Thu and Fri") or a range ("Mon to Wed")
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and|or|&)?|and|or|&)\s*(?:on\s+)?", re.IGNORECASE)
_RANGE_GAP = re.compile(rf"\s*{DASH}\s*", re.IGNORECASE)


def _next_week_side(text: str, hit: DateHit) -> tuple[str, int] | None:
    """("next", weekday) for "next Thu"/"next week's Thu", ("week", weekday) for "Thu next
    week", ("bare", weekday) for a plain weekday; None otherwise."""
    kind = pattern_kind(text[hit.start : hit.end])
    if kind is None or hit.error:
        return None
    name, m = kind
    weekday = weekday_number(m.groupdict().get("wd"))
    if weekday is None:
        return None
    if name == "next_week_wd" or (name == "weekday" and (m.group("which") or "").lower() == "next"):
        return "next", weekday
    if name == "wd_next_week":
        return "week", weekday
    if name == "weekday" and not m.group("which"):
        return "bare", weekday
    return None


def carry_next_week(hits: list[DateHit], text: str, today: dt.date) -> list[DateHit]:
    """ "next Thu and Fri", "Thu and Fri next week", "Mon to Wed next week": every listed
    weekday is in next week; a listed weekday out of week order is asked about."""
    out = list(hits)
    sides = [_next_week_side(text, h) for h in out]
    pairs = [(i - 1, i, "next") for i in range(1, len(out))]  # forward: "next Thu and Fri"
    pairs += [(i + 1, i, "week") for i in range(len(out) - 2, -1, -1)]  # back: "... next week"
    for anchor, i, side in pairs:
        a, b = (anchor, i) if anchor < i else (i, anchor)
        gap = text[out[a].end : out[b].start]
        listed, ranged = _LIST_GAP.fullmatch(gap), _RANGE_GAP.fullmatch(gap)
        here, there = sides[i], sides[anchor]
        if not (listed or ranged) or here is None or there is None:
            continue
        if here[0] != "bare" or there[0] != side:
            continue
        in_order = here[1] >= there[1] if side == "next" else here[1] <= there[1]
        if in_order:
            day = monday_of(today) + days_delta(7 + here[1])
            out[i] = DateHit(out[i].start, out[i].end, day, day)
            sides[i] = (side, here[1])
        elif listed:
            phrase = text[out[a].start : out[b].end]
            out[i] = error_hit(out[i].start, out[i].end, f"'{phrase}': which week is meant?")
    return out
