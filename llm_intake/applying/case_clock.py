"""Calendar days in a case problem's clock (minutes from its start, in its time zone)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def minute_of_day(problem: Any, date: dt.date) -> int:
    """The minute of a case problem at midnight starting ``date`` in the problem's clock
    (the start's time zone; the problem must have a start)."""
    minute: int = problem.minute_of(dt.datetime.combine(date, dt.time()))
    return minute


def date_at(problem: Any, minute: int) -> dt.date:
    """The calendar day of a minute in the problem's clock (the problem has a start)."""
    moment = problem.datetime_of(minute)
    assert moment is not None
    day: dt.date = moment.date()
    return day
