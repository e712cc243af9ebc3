"""Scan a sentence with every date pattern: one hit per date, day list item or weekday."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import DateHit, Window, error_hit, explicit_date
from llm_intake.dates.names import month_number
from llm_intake.dates.patterns import DASH, LIST_PATTERNS, ORD, PATTERNS
from llm_intake.dates.resolve import day_range, resolve


def scan(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    for name, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if name == "weekday" and not _plausible_weekday(text, m):
                continue
            if name == "day_month" and m.group("mon").lower() == "may" and not m.group("d"):
                continue
            taken.append((m.start(), m.end()))
            if name in LIST_PATTERNS:
                hits.extend(_day_list(name, m, today))
                continue
            try:
                hit = resolve(name, m, today, window)
            except ValueError as exc:
                hit = DateHit(m.start(), m.end(), None, None, f"'{m.group(0)}': {exc}")
            hits.append(hit)
    return sorted(hits, key=lambda h: h.start)


_ITEM = re.compile(
    rf"(?P<d1>\d{{1,2}}){ORD}?(?:\s*{DASH}\s*(?:the\s+)?(?P<d2>\d{{1,2}}){ORD}?)?", re.I
)
_BETWEEN = re.compile(r"\bbetween\s+(?:the\s+)?$", re.IGNORECASE)
_AND = re.compile(r"\s*(?:and|&)\s*(?:the\s+)?", re.IGNORECASE)


def _day_list(name: str, m: re.Match[str], today: dt.date) -> list[DateHit]:
    """ "14, 15 and 16 Dec" or "Dec 14-16 and 18" → one hit per item (not one range);
    "between the 28th and 3 Jan" → one range (28 Dec to 3 Jan)."""
    month = month_number(m.group("mon"))
    parts = list(_ITEM.finditer(m.group("days")))
    if name == "day_list_month" and (ends := _between_days(m, parts)):
        try:
            first, last = day_range(m.group("y"), month, *ends, today)
        except ValueError as exc:
            return [error_hit(m.start(), m.end(), f"'{m.group(0)}': {exc}")]
        return [DateHit(m.start(), m.end(), first, last)]
    out = []
    offset = m.start("days")
    for part in parts:
        start, end = offset + part.start(), offset + part.end()
        try:
            d1, d2 = int(part.group("d1")), int(part.group("d2") or part.group("d1"))
            if name == "day_list_month":
                first, last = day_range(m.group("y"), month, d1, d2, today)
            else:
                first = explicit_date(m.group("y"), month, d1, today)
                last = first.replace(day=d2)
        except ValueError as exc:
            out.append(error_hit(start, end, str(exc)))
            continue
        if last < first:
            out.append(error_hit(start, end, f"'{part.group(0)}' ends before it starts"))
        else:
            out.append(DateHit(start, end, first, last))
    return out


def _between_days(m: re.Match[str], parts: list[re.Match[str]]) -> tuple[int, int] | None:
    """The two days of "between the 28th and 3 Jan" (None for any other list)."""
    if len(parts) != 2 or any(p.group("d2") for p in parts):
        return None
    if not _BETWEEN.search(m.string[: m.start()]):
        return None
    if not _AND.fullmatch(m.group("days")[parts[0].end() : parts[1].start()]):
        return None
    return int(parts[0].group("d1")), int(parts[1].group("d1"))


def _plausible_weekday(text: str, m: re.Match[str]) -> bool:
    word = m.group("wd").lower().rstrip(".")
    if word in {"sat", "sun"}:
        after = text[m.end() : m.end() + 12].lower()
        return not re.match(
            r"\s*(?:down|up|in\b|with|by|beside|next|there|around|outside|through|at\b|on\s+the|"
            r"shines|light|cream|block|is\b|was\b)",
            after,
        )
    return True


def re_resolve_second(first: DateHit, second: DateHit, text: str, today: dt.date) -> DateHit:
    """Resolve a range's end relative to its start (for "Mon-Wed", "1st to the 7th")."""
    if first.first is None:
        return second
    fragment = text[second.start : second.end]
    for name, pattern in PATTERNS:
        m = pattern.fullmatch(fragment)
        if m is None:
            continue
        if name in ("weekday", "ordinal", "weekday_day"):
            hit = resolve(name, m, first.first)
            return DateHit(second.start, second.end, hit.first, hit.last, hit.error, past=hit.past)
        break
    return second
