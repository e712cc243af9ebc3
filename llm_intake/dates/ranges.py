"""Hits joined into ranges: "1 to 3 Dec", "Mon-Wed", "until Friday", "for 3 days"."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import DateHit, Window, days_delta, error_hit
from llm_intake.dates.context import dangling, refuse_past, relate
from llm_intake.dates.names import number
from llm_intake.dates.next_week import carry_next_week
from llm_intake.dates.patterns import CONNECT, FOR_BEFORE, FOR_SPAN, NEXT_DAYS, UNTIL
from llm_intake.dates.scan import re_resolve_second, scan


def read_dates(text: str, today: dt.date, window: Window = None) -> list[DateHit]:
    """The dates and ranges the patterns read (see ``find_dates``)."""
    hits = scan(text, today, window)
    for m in NEXT_DAYS.finditer(text):
        if any(m.start() < h.end and h.start < m.end() for h in hits):
            continue
        n = number(m.group("n")) or 1
        span = n * (7 if m.group("unit").lower().startswith("week") else 1)
        hits.append(DateHit(m.start(), m.end(), today, today + dt.timedelta(days=span - 1)))
    hits.sort(key=lambda h: h.start)
    hits = carry_next_week(refuse_past(dangling(relate(hits, text), text), text), text, today)
    merged: list[DateHit] = []
    i = 0
    while i < len(hits):
        hit = hits[i]
        if i + 1 < len(hits) and CONNECT.match(text[hit.end : hits[i + 1].start]):
            between_and = text[hit.end : hits[i + 1].start].strip().lower() == "and"
            if not between_and or re.search(r"between\s+$", text[: hit.start], re.IGNORECASE):
                nxt = re_resolve_second(hit, hits[i + 1], text, today)
                error = hit.error or nxt.error
                past = hit.past if hit.error else nxt.past
                if hit.first and nxt.last and nxt.last < hit.first and not error:
                    error = f"'{text[hit.start : nxt.end]}' ends before it starts"
                merged.append(DateHit(hit.start, nxt.end, hit.first, nxt.last, error, past=past))
                i += 2
                continue
        if (
            (not merged or merged[-1].end <= hit.start)
            and hit.first
            and UNTIL.search(text[: hit.start])
        ):
            until = UNTIL.search(text[: hit.start])
            assert until is not None
            preceding = [h for h in merged if h.end <= until.start()]
            if not preceding or text[preceding[-1].end : until.start()].strip(" ,"):
                start = today if today <= hit.first else hit.first
                hit = DateHit(until.start(), hit.end, start, hit.last, hit.error, past=hit.past)
        merged.append(hit)
        i += 1
    result: list[DateHit] = []
    for hit in merged:
        extra = FOR_SPAN.match(text[hit.end :])
        if lead := FOR_BEFORE.search(text[: hit.start]):
            hit = _lasting_from(hit, lead, text)
        elif extra and hit.first is not None and hit.single:
            n = number(extra.group("n")) or 1
            span = n * (7 if extra.group("unit").lower().startswith("week") else 1)
            hit = DateHit(
                hit.start,
                hit.end + extra.end(),
                hit.first,
                hit.first + dt.timedelta(days=span - 1),
                hit.error,
                past=hit.past,
            )
        result.append(hit)
    return result


def _lasting_from(hit: DateHit, lead: re.Match[str], text: str) -> DateHit:
    """ "for 3 days from tomorrow" → tomorrow and the two days after; a length in weeks, or
    without "for" ("3 days from Monday": Thursday?), is asked about."""
    phrase = text[lead.start() : hit.end]
    days = lead.group("unit").lower()[:1] in "dns"
    if hit.error or hit.first is None or not hit.single or not (lead.group("for") and days):
        return error_hit(
            lead.start(),
            hit.end,
            hit.error or f"'{phrase}': give the first and last day",
            past=hit.past,
        )
    n = number(lead.group("n")) or 1
    return DateHit(lead.start(), hit.end, hit.first, hit.first + days_delta(n - 1))
