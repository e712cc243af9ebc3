"""The date phrases the scanner reads: one regular expression per kind, in scan order,
and the words that join, lengthen or loosen them."""

from __future__ import annotations

import re

from llm_intake.dates.names import MONTHS, NUMBER_WORDS, WEEKDAYS

WD = "(?:" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?"
MON = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ORD = r"(?:st|nd|rd|th)"
DASH = r"(?:-|–|—|to|till|til|until|thru|through)"
NUM = r"(?:\d+|" + "|".join(k.replace(" ", r"\s+") for k in NUMBER_WORDS) + ")"
TOMORROW = r"(?:tomorrow|tomorow|tommorow|tommorrow|tmrw|tmr|tmw)"

_ITEM = rf"\d{{1,2}}{ORD}?(?:\s*{DASH}\s*(?:the\s+)?\d{{1,2}}{ORD}?)?"
"""One item of a day list: a day ("14th") or a run of days ("14-16")."""
_LIST_SEP = r"\s*(?:,\s*(?:and\b|&)?|and\b|&)\s*(?:the\s+)?"
_NOT_A_COUNT = (
    r"(?![\w:/]|\.\d)(?!\s*(?:am|pm|a\.m|p\.m|h|hrs?|hours?|mins?|minutes?|%|x|more|extra|"
    r"fewer|less|additional|other|rns?|hcas?|nurses?|staff|people|persons?|members?|of)\b)"
)
"""After a bare number: it is not a time, a duration or a head count."""

# (name, pattern): scanned in this order; earlier matches win over overlapping later ones.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("iso", rf"\b(?:(?P<wd>{WD}),?\s+)?(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
        (
            "day_list_month",
            rf"\b(?P<days>{_ITEM}(?:{_LIST_SEP}{_ITEM})+)\s+(?:of\s+)?"
            rf"(?P<mon>{MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day_list",
            rf"\b(?P<mon>{MON})\s+(?P<days>{_ITEM}(?:{_LIST_SEP}{_ITEM})+)"
            rf"(?:,?\s+(?P<y>\d{{4}}))?{_NOT_A_COUNT}",
        ),
        (
            "day_range_month",
            rf"\b(?:(?P<wd1>{WD}),?\s+)?(?P<d1>\d{{1,2}}){ORD}?\s*{DASH}\s*"
            rf"(?:(?P<wd2>{WD}),?\s+)?(?:the\s+)?(?P<d2>\d{{1,2}}){ORD}?"
            rf"\s+(?:of\s+)?(?P<mon>{MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day_range",
            rf"\b(?P<mon>{MON})\s+(?P<d1>\d{{1,2}}){ORD}?\s*{DASH}\s*(?P<d2>\d{{1,2}}){ORD}?\b",
        ),
        (
            "day_month",
            rf"\b(?:(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){ORD}?\s*(?:of\s+)?"
            rf"(?P<mon>{MON})(?:,?\s+(?P<y>\d{{4}}))?(?![a-z])",
        ),
        (
            "month_day",
            rf"\b(?:(?P<wd>{WD}),?\s+)?(?P<mon>{MON})\s+(?:the\s+)?(?P<d>\d{{1,2}}){ORD}?"
            rf"(?:,?\s+(?P<y>\d{{4}}))?\b",
        ),
        (
            "numeric",
            rf"\b(?:(?P<wd>{WD}),?\s+(?:the\s+)?)?"
            r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})(?:[/.](?P<y>\d{2}|\d{4}))?\b"
            r"(?!\s*(?:h|hrs?|hours?|m|mins?|minutes?|%|x|kg|mg|ml|l)\b)",
        ),
        (
            "ordinal_range",
            rf"\b(?:the\s+)?(?P<d1>\d{{1,2}}){ORD}\s*{DASH}\s*(?:the\s+)?(?P<d2>\d{{1,2}}){ORD}\b",
        ),
        ("ordinal", rf"\b(?:(?P<wd>{WD}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}}){ORD}\b"),
        (
            "weekday_day",
            rf"\b(?P<wd>{WD}),?\s+(?:the\s+)?(?P<d>\d{{1,2}})(?![\w:/]|\.\d)"
            rf"(?=\s*(?:$|[,.;!?)]|{DASH}|(?:and|or|&|for|on|off|at|please|as|but|so)\b))",
        ),
        (
            "holiday",
            r"\b(?P<hol>christmas\s+eve|christmas\s+day|xmas\s+eve|xmas\s+day|christmas|xmas|"
            r"boxing\s+day|new\s+year'?s\s+eve|nye|new\s+year'?s\s+day|new\s+year'?s)\b",
        ),
        (
            "week_on",
            rf"\b(?:(?P<wd>{WD})\s+week\b|(?:today|tomorrow)\s+week\b|"
            rf"a\s+week\s+(?:on\s+|from\s+)?(?:(?P<wd2>{WD})(?![a-z])|today\b|{TOMORROW}\b))",
        ),
        ("after_next", rf"\b(?:the\s+)?(?P<what>weekend|week|{WD})\s+after\s+next\b"),
        ("past_weekday", rf"\b(?:this\s+past\s+(?P<wd>{WD})|(?P<wd2>{WD})\s+just\s+gone)\b"),
        ("after_tomorrow", rf"\b(?:the\s+)?day\s+after\s+{TOMORROW}\b"),
        ("tomorrow", rf"\b{TOMORROW}\b"),
        ("today", r"\b(?:today|tonight|this\s+evening|this\s+morning)\b"),
        (
            "weekend",
            r"\b(?P<which>this|next|the|this\s+coming|coming)\s+weekend\b"
            r"(?!\s+(?:of|after|before)\b)",
        ),
        ("wd_next_week", rf"\b(?P<wd>{WD})\s+(?:of\s+)?next\s+week\b"),
        ("next_week_wd", rf"\bnext\s+week(?:'s)?\s+(?:on\s+)?(?P<wd>{WD})(?![a-z])"),
        ("week", r"\b(?P<which>this|next|the\s+whole\s+of\s+next|all\s+(?:of\s+)?next)\s+week\b"),
        ("in_days", rf"\bin\s+(?P<n>{NUM})\s+days?\b"),
        ("weekday", rf"\b(?:(?P<which>this|next|coming|this\s+coming)\s+)?(?P<wd>{WD})(?![a-z])"),
    )
]
LIST_PATTERNS = ("day_list_month", "month_day_list")
"""Patterns that are lists of several days (each item becomes its own hit)."""

FOR_SPAN = re.compile(
    rf"^\s*,?\s*(?:for\s+(?:the\s+)?(?:next\s+)?)(?P<n>{NUM})\s+(?P<unit>days?|nights?|shifts?|weeks?)\b",
    re.IGNORECASE,
)
_STARTING = r"(?:from|starting|beginning|commencing|as\s+(?:of|from))"
NEXT_DAYS = re.compile(
    rf"\b(?:for\s+)?the\s+next\s+(?P<n>{NUM})\s+(?P<unit>days?|weeks?)\b"
    rf"(?!\s+{_STARTING}\b)",
    re.IGNORECASE,
)
FOR_BEFORE = re.compile(
    rf"(?P<for>\bfor\s+)?\b(?:the\s+)?(?:next\s+)?(?P<n>{NUM})\s+"
    rf"(?P<unit>days?|nights?|shifts?|weeks?)\s+{_STARTING}(?:\s+(?:from|on))?\s+$",
    re.IGNORECASE,
)
"""A length before its first day: "for 3 days from tomorrow", "for 5 days starting 21 Dec"."""
_END_OF = r"(?:\s+the)?\s+end\s+of(?:\s+the)?"
CONNECT = re.compile(
    rf"^\s*(?:-|–|—|(?:to|till|til|until|thru|through)(?:{_END_OF})?|and)\s*$", re.IGNORECASE
)
UNTIL = re.compile(rf"(?:until|till|til|up\s+to)(?:{_END_OF})?\s*$", re.IGNORECASE)
END_OF_BEFORE = re.compile(r"(?:\bthe\s+)?\bend\s+of\s+(?:the\s+)?$", re.IGNORECASE)
UNTIL_WORD = re.compile(r"\b(?:until|till|til|up\s+to|to|thru|through)\s+$", re.IGNORECASE)
LOOSE = re.compile(
    rf"(?:\b(?:the\s+)?(?:end|start|beginning|middle|rest)\s+of\s+)?"
    rf"(?:\b(?:the|this|that|a|following|other|previous)\s+)*"
    rf"(?:\b(?!(?:an?|one|1)\s){NUM}\s+(?:days?|nights?|shifts?)\b|"
    rf"\b{NUM}\s+(?:weeks?|fortnights?|months?)(?:['’]s?)?|"
    r"\b(?:weekends?|weeks?|fortnights?|months?)(?:['’]s?)?)"
    r"(?:\s+(?:after|before|following))?\b|"
    r"\b(?:and|or|&)\s+(?:the\s+)?(?:next|following|after)\b(?=\s*(?:$|[,.;!?)]))",
    re.IGNORECASE,
)
"""Periods no date pattern read ("3 days", "the weekend after", "this week and next"):
asked about, never dropped."""
