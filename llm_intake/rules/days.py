"""The days of a clause: the plan's horizon, and days written in messages."""

from __future__ import annotations

import datetime as dt

from llm_intake.dates import DateHit
from llm_intake.proposal import fmt_range
from llm_intake.refusals import RefusalKind
from llm_intake.rules.clause import NotUnderstood


def check_horizon(hits: list[DateHit], start: dt.date | None, days: int) -> None:
    if start is None:
        return
    end = start + dt.timedelta(days=days - 1)
    for hit in hits:
        assert hit.first is not None and hit.last is not None
        if hit.last < start or hit.first > end:
            raise NotUnderstood(
                f"{fmt_dated_range(hit.first, hit.last)} is outside the plan "
                f"({fmt_dated_range(start, end)})",
                RefusalKind.OUTSIDE_PLAN,
            )


def fmt_days(days: list[dt.date]) -> str:
    """ "Mon 4 Jan", or "4–6 Jan" for consecutive days, joined by commas."""
    spans: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if spans and day == spans[-1][1] + dt.timedelta(days=1):
            spans[-1][1] = day
        else:
            spans.append([day, day])
    return ", ".join(fmt_range(a, b) for a, b in spans)


def fmt_dated_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first:%a %d %b %Y}"
    return f"{first:%d %b %Y}–{last:%d %b %Y}"
