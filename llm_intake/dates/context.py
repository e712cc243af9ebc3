"""The words in front of a date that change or question it: "w/c", "the weekend of",
"the day after", "since", "was off", and "the day after" with no date of its own."""

from __future__ import annotations

import datetime as dt
import re

from llm_intake.dates.calendar import PAST, DateHit, days_delta, error_hit
from llm_intake.dates.names import weekday_number
from llm_intake.dates.patterns import END_OF_BEFORE, PATTERNS, UNTIL_WORD, WD

# Words just before a single date that change which days it means.
_WEEK_OF = re.compile(
    r"(?:\bthe\s+)?(?:\bw\s*/\s*[cb]\.?|\bw\.[cb]\.?|\bw[cb]|\bweek\s+(?:of|commencing|"
    r"beginning|starting)(?:\s+on)?)\s*$",
    re.IGNORECASE,
)
_WEEKEND_OF = re.compile(r"(?:\bthe\s+)?\bweekend\s+of\s+$", re.IGNORECASE)
_DAY_REL = re.compile(r"(?:\bthe\s+)?\bday\s+(?P<rel>after|before)\s+$", re.IGNORECASE)
_WD_REL = re.compile(rf"(?:\bthe\s+)?\b(?P<wd>{WD})\s+(?P<rel>after|before)\s+$", re.IGNORECASE)
_REL = re.compile(r"\b(?:after|before|following|preceding)\s+$", re.IGNORECASE)
_SINCE = re.compile(r"\bsince\s+(?:on\s+)?$", re.IGNORECASE)
_FOR = re.compile(r"\bfor\s+$", re.IGNORECASE)
_PAST_VERB = re.compile(
    r"\b(?:(?:was|were)\s+(?:(?:also|still|already|then|just)\s+)?(?:off|sick|ill|unwell|absent|"
    r"away|out|on|in|at|working|covering|there)|worked|covered|went)\b",
    re.IGNORECASE,
)
# "the day after" with no date after it: which day?
_DANGLING = re.compile(
    r"\b(?:the\s+)?(?:day|night)\s+(?:after|before)\b|\bthe\s+(?:following|previous|next)\s+"
    r"(?:day|night)\b",
    re.IGNORECASE,
)


def pattern_kind(fragment: str) -> tuple[str, re.Match[str]] | None:
    """The pattern that reads all of ``fragment``, with its match."""
    for name, pattern in PATTERNS:
        if m := pattern.fullmatch(fragment):
            return name, m
    return None


def is_bare_weekday(fragment: str) -> bool:
    """ "Monday", "this Monday": a weekday counted forward from today."""
    kind = pattern_kind(fragment)
    return (
        kind is not None
        and kind[0] == "weekday"
        and (kind[1].group("which") or "this").lower() in ("this", "coming", "this coming")
    )


def relate(hits: list[DateHit], text: str) -> list[DateHit]:
    """Apply the words in front of each date: "w/c", "the weekend of", "the day after",
    "the Monday after"; "since", a bare "after" or "before" are asked about."""
    out: list[DateHit] = []
    for hit in hits:
        before = text[: hit.start]
        fragment = text[hit.start : hit.end]
        if hit.error or hit.first is None or hit.last is None:
            out.append(hit)
        elif m := _SINCE.search(before):
            out.append(
                error_hit(m.start(), hit.end, f"'{text[m.start() : hit.end]}': {PAST}", past=True)
            )
        elif fragment.lower().startswith("a week") and (m := _FOR.search(before)):
            phrase = text[m.start() : hit.end]
            out.append(error_hit(m.start(), hit.end, f"'{phrase}': give the first and last day"))
        elif (m := END_OF_BEFORE.search(before)) and not UNTIL_WORD.search(before[: m.start()]):
            phrase = text[m.start() : hit.end]
            out.append(error_hit(m.start(), hit.end, f"'{phrase}': which days?"))
        elif m := _WEEK_OF.search(before):
            out.append(_week_of(hit, m.start(), text[m.start() : hit.end]))
        elif m := _WEEKEND_OF.search(before):
            out.append(_weekend_of(hit, m.start(), text[m.start() : hit.end]))
        elif (m := _DAY_REL.search(before)) and hit.single:
            step = days_delta(1 if m.group("rel").lower() == "after" else -1)
            out.append(DateHit(m.start(), hit.end, hit.first + step, hit.first + step))
        elif (
            (m := _WD_REL.search(before))
            and hit.single
            and out
            and (out[-1].start, out[-1].end) == m.span("wd")
            and is_bare_weekday(m.group("wd"))
        ):
            out.pop()
            day = _weekday_beside(
                hit.first, weekday_number(m.group("wd")) or 0, m.group("rel").lower()
            )
            out.append(DateHit(m.start(), hit.end, day, day))
        elif m := _REL.search(before):
            phrase = text[m.start() : hit.end]
            out.append(error_hit(m.start(), hit.end, f"'{phrase}': which date is meant?"))
        else:
            out.append(hit)
    return out


def _week_of(hit: DateHit, start: int, phrase: str) -> DateHit:
    """ "w/c 14 Dec" → Monday 14 to Sunday 20 Dec; a start that is not a Monday is asked about."""
    if not hit.single or hit.first is None:
        return hit
    if hit.first.weekday() != 0:
        return error_hit(
            start, hit.end, f"'{phrase}': {hit.first:%a %d %b} is not a Monday; which days?"
        )
    return DateHit(start, hit.end, hit.first, hit.first + days_delta(6))


def _weekend_of(hit: DateHit, start: int, phrase: str) -> DateHit:
    """ "the weekend of the 19th" → that Saturday and Sunday; a weekday is asked about."""
    if not hit.single or hit.first is None:
        return hit
    if hit.first.weekday() < 5:
        return error_hit(
            start, hit.end, f"'{phrase}': {hit.first:%a %d %b} is not a weekend day; which days?"
        )
    saturday = hit.first - days_delta(hit.first.weekday() - 5)
    return DateHit(start, hit.end, saturday, saturday + days_delta(1))


def _weekday_beside(date: dt.date, weekday: int, rel: str) -> dt.date:
    """The first ``weekday`` strictly after (or before) ``date``."""
    if rel == "after":
        return date + days_delta((weekday - date.weekday() - 1) % 7 + 1)
    return date - days_delta((date.weekday() - weekday - 1) % 7 + 1)


def dangling(hits: list[DateHit], text: str) -> list[DateHit]:
    """ "the day after" with no date of its own is asked about, not dropped."""
    extra = [
        error_hit(m.start(), m.end(), f"'{m.group(0)}': which date is meant?")
        for m in _DANGLING.finditer(text)
        if not any(m.start() < h.end and h.start < m.end() for h in hits)
    ]
    return sorted(hits + extra, key=lambda h: h.start)


def refuse_past(hits: list[DateHit], text: str) -> list[DateHit]:
    """After "was off", "worked", a weekday or "the 7th" counted forward is refused, not
    guessed."""
    out = []
    for hit in hits:
        kind = pattern_kind(text[hit.start : hit.end])
        forward = kind is not None and (
            kind[0] in ("ordinal", "ordinal_range", "weekday_day")
            or (kind[0] == "weekday" and is_bare_weekday(kind[1].group(0)))
            or (kind[0] == "weekend" and kind[1].group("which").lower() != "next")
        )
        if forward and not hit.error and _PAST_VERB.search(text[: hit.start]):
            phrase = text[hit.start : hit.end]
            hit = error_hit(
                hit.start, hit.end, f"'{phrase}' reads as a past date; {PAST}", past=True
            )
        out.append(hit)
    return out
