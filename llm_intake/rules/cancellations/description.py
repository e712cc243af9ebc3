"""What a cancelling sentence says of its cases besides their ids: procedure words,
people, days, rooms and times (``CaseDescription``)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from llm_intake.refusals import RefusalKind
from llm_intake.resolver import Mention, Resolver
from llm_intake.rules.cancellations.detect import CASE_CANCEL, CASE_ID_LIKE
from llm_intake.rules.case_words import (
    CASE_PARTS,
    CASE_TIME,
    ROOM_LIKE,
    phrase_words,
    procedure_vocabulary,
)
from llm_intake.rules.clause import NotUnderstood, blank
from llm_intake.rules.days import fmt_days
from llm_intake.rules.patterns import clock_time

_I = re.IGNORECASE


@dataclass(frozen=True)
class CaseDescription:
    """What a cancelling sentence says of its cases besides their ids."""

    words: frozenset[str]
    """Procedure words (short forms expanded)."""
    shown: tuple[str, ...]
    """The case phrase as written ("hip replacement"), for the question."""
    unknown: tuple[str, ...]
    """Content words in no procedure of the problem ("shoulder"): no case can fit."""
    people: frozenset[str]
    days: frozenset[dt.date]
    rooms: frozenset[str]
    minutes: frozenset[int]
    """Clock times (minutes after midnight) a case starts at ("the 11:05 case")."""
    part: str | None
    """"morning" (starts before 13:00) or "afternoon" (starts at 12:00 or later)."""

    def placed(self) -> bool:
        """Whether only a schedule can tell which cases fit (a day, room or time)."""
        return bool(self.days or self.rooms or self.minutes or self.part)

    def parts(self, resolver: Resolver) -> list[str]:
        """The description in words: "'hip replacement', with Mr Tom Whitfield, on …"."""
        parts = [f"'{' '.join(self.shown)}'"] if self.shown else []
        parts += [f"with {resolver.vocab.label(p)}" for p in sorted(self.people)]
        parts += [f"on {fmt_days(sorted(self.days))}"] if self.days else []
        parts += [f"in {', '.join(sorted(self.rooms))}"] if self.rooms else []
        parts += [f"at {m // 60:02d}:{m % 60:02d}" for m in sorted(self.minutes)]
        parts += [f"in the {self.part}"] if self.part else []
        return parts


def procedure_of(task: Any) -> str:
    """A case's procedure (its name when it has none)."""
    return str(getattr(task, "procedure", "") or getattr(task, "name", "") or "")


def named_cases(text: str, problem: Any) -> list[str]:
    """The ids of the cases of ``problem`` that ``text`` names by id."""
    return [
        t.id for t in problem.tasks if re.search(rf"(?<![\w-]){re.escape(t.id)}(?![\w-])", text, _I)
    ]


def describe_cases(
    sentence: str, problem: Any, resolver: Resolver, hits: list[Any]
) -> CaseDescription:
    """What ``sentence`` says of its cases: procedure words, people, days, rooms, times."""
    spans = [(h.start, h.end) for h in hits]
    people: set[str] = set()
    for mention in resolver.find_people(sentence):
        people.add(_person(mention, resolver))
        spans.append((mention.start, mention.end))
    rooms = _rooms(sentence, resolver, spans)
    minutes: set[int] = set()
    for m in CASE_TIME.finditer(sentence):
        if (minute := _minute_of_day(m.group(0))) is not None:
            minutes.add(minute)
            spans.append(m.span())
    spans += [m.span() for m in (*CASE_CANCEL.finditer(sentence), *CASE_ID_LIKE.finditer(sentence))]
    rest = blank(sentence, spans)
    part = next((name for name, pattern in CASE_PARTS if pattern.search(rest)), None)
    for _name, pattern in CASE_PARTS:
        rest = pattern.sub(" ", rest)
    vocabulary = procedure_vocabulary([procedure_of(t) for t in problem.tasks])
    words, shown, unknown = phrase_words(rest, vocabulary)
    return CaseDescription(
        frozenset(words),
        tuple(shown),
        tuple(unknown),
        frozenset(people),
        frozenset(d for h in hits for d in h.days()),
        frozenset(rooms),
        frozenset(minutes),
        part,
    )


def _person(mention: Mention, resolver: Resolver) -> str:
    """The one person of the case schedule a name stands for; ``NotUnderstood`` when it
    is ambiguous or only close to a name (a cancellation never goes on a guess)."""
    ids = tuple(i for i in mention.ids if resolver.vocab.family_of(i) == "cases") or mention.ids
    if len(ids) > 1:
        raise NotUnderstood(resolver.which_one(mention.text, ids), RefusalKind.AMBIGUOUS_NAME)
    if not ids:
        raise NotUnderstood(
            f"no one called '{mention.text}' is in the case schedule", RefusalKind.UNREADABLE
        )
    if mention.fuzzy:
        raise NotUnderstood(
            f"'{mention.text}' is no name in the case schedule (did you mean "
            f"{resolver.vocab.label(ids[0])}?); name the case by its id",
            RefusalKind.UNREADABLE,
        )
    return ids[0]


def _rooms(sentence: str, resolver: Resolver, spans: list[tuple[int, int]]) -> set[str]:
    """The rooms ``sentence`` names (their spans added to ``spans``); ``NotUnderstood``
    for a room-like phrase that is no room of the problem ("theatre 9")."""
    found = resolver.find_rooms(sentence)
    spans += [(r.start, r.end) for r in found]
    for m in ROOM_LIKE.finditer(sentence):
        if not any(r.start < m.end() and m.start() < r.end for r in found):
            raise NotUnderstood(
                f"there is no room '{m.group(0).strip()}' in the case problem; name the case "
                "by its id",
                RefusalKind.UNREADABLE,
            )
    return {r.id for r in found}


def _minute_of_day(text: str) -> int | None:
    """Minutes after midnight of a clock time ("11:05", "9.30am", "2 pm", "noon")."""
    time = clock_time(text, bare_hour=False)
    return None if time is None else time.hour * 60 + time.minute
