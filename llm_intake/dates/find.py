"""The public entry points: every date in a sentence; one isolated date phrase."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import DateHit, Window, error_hit
from llm_intake.dates.patterns import LOOSE
from llm_intake.dates.ranges import read_dates


def find_dates(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    """Every date or range in ``text`` (ranges joined: "1 to 3 Dec", "Mon-Wed", "for 3 days"),
    and every period no pattern reads ("3 days", "the weekend after") as a question.

    ``window`` (the plan's first and last date) settles a numeric date such as "11/12"
    when exactly one of its day/month readings falls inside it.
    """
    return _loose(read_dates(text, today, window), text)


def _loose(hits: list[DateHit], text: str) -> list[DateHit]:
    """Periods left unread ("3 days", "the weekend after", "and next") are asked about."""
    extra = [
        error_hit(m.start(), m.end(), f"'{m.group(0).strip()}': which dates are meant?")
        for m in LOOSE.finditer(text)
        if not any(m.start() < h.end and h.start < m.end() for h in hits)
    ]
    return sorted(hits + extra, key=lambda h: h.start)


def parse_date_phrase(phrase: str, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """A date range from an isolated phrase ("next Tuesday", "14/12/2026", "Dec 3rd").

    Our own patterns first; ``dateparser`` only as a fallback on this phrase alone.
    """
    phrase = phrase.strip()
    hits = read_dates(phrase, today)
    if len(hits) == 1 and hits[0].error is None and hits[0].first and hits[0].last:
        covered = phrase[: hits[0].start] + phrase[hits[0].end :]
        if not re.sub(r"\b(?:on|from|the|of)\b|[\s,.]", "", covered, flags=re.IGNORECASE):
            return hits[0].first, hits[0].last
    if hits:
        return None
    import dateparser

    when = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": "DMY",
            "STRICT_PARSING": True,
        },
    )
    if when is None:
        return None
    return when.date(), when.date()
