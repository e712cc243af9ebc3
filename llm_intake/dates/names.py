"""Weekday, month, holiday and number words, and their values."""

from __future__ import annotations

import re

WEEKDAYS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "monday mon mondays",
        "tuesday tue tues tuesdays tusday teusday tuesdy tuseday",
        "wednesday wed weds wednesdays wednsday wendsday wensday wedensday wendesday",
        "thursday thu thur thurs thursdays thrusday thurday thursay",
        "friday fri fridays firday fryday",
        "saturday sat saturdays saterday satuday",
        "sunday sun sundays sundy",
    )
):
    for _n in _names.split():
        WEEKDAYS[_n] = _i

MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    (
        "january jan",
        "february feb febuary",
        "march mar",
        "april apr",
        "may",
        "june jun",
        "july jul",
        "august aug",
        "september sep sept septmber",
        "october oct",
        "november nov novmber novemeber",
        "december dec decmber dicember",
    ),
    start=1,
):
    for _n in _names.split():
        MONTHS[_n] = _i

HOLIDAYS = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "boxing day": (12, 26),
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "nye": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "new year's": (1, 1),
    "new years": (1, 1),
}

NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "couple of": 2,
}


def number(text: str) -> int | None:
    """An integer from digits or a small number word ("two", "a couple of")."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


def weekday_number(text: str | None) -> int | None:
    if not text:
        return None
    return WEEKDAYS.get(text.lower().rstrip("."))


def month_number(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]
