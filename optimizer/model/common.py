"""Building blocks shared by both problem families."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

_ID_PATTERN = re.compile(r"^[A-Za-z0-9_.\-+/#@ ]+$")


def _check_id(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("an id must not be empty")
    if not _ID_PATTERN.match(value):
        raise ValueError(f"id '{value}' may only contain letters, digits, spaces and _ . - + / # @")
    return value


Id = Annotated[str, AfterValidator(_check_id)]
"""A string identifier as used at the edges (files, CLI, dashboard)."""


class Record(BaseModel):
    """Base of every model record: immutable, strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def parse_clock(value: str | int) -> int:
    """Minutes after midnight from ``"HH:MM"`` or an int already in minutes."""
    if isinstance(value, int):
        minutes = value
    else:
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value.strip())
        if not match:
            raise ValueError(f"time '{value}' must look like HH:MM")
        hours, mins = int(match.group(1)), int(match.group(2))
        if hours > 23 or mins > 59:
            raise ValueError(f"time '{value}' is not a clock time")
        minutes = hours * 60 + mins
    if not 0 <= minutes < 24 * 60:
        raise ValueError(f"time {value!r} must be within one day (0–1439 minutes)")
    return minutes


def format_clock(minutes: int) -> str:
    """``"HH:MM"`` for minutes after midnight (wraps past 24h)."""
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_date(date: dt.date) -> str:
    """A planner-friendly date such as ``"Tue 8 Dec"``."""
    return f"{date:%a} {date.day} {date:%b}"
