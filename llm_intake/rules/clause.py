"""A clause (a piece of one sentence with what was found in it) and the text helpers
the parser applies to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TypeVar

from llm_intake.dates import DateHit
from llm_intake.refusals import RefusalKind
from llm_intake.requests import Unparsed
from llm_intake.resolver import Mention, Span

_I = re.IGNORECASE

_S = TypeVar("_S", Mention, DateHit, Span)


@dataclass
class Clause:
    """A piece of one sentence with what was found in it."""

    text: str
    people: list[Mention] = field(default_factory=list)
    dates: list[DateHit] = field(default_factory=list)
    shifts: list[Span] = field(default_factory=list)
    intent: str | None = None
    inherited: str = ""
    family: str = "roster"


class NotUnderstood(Exception):
    """A clause that must be returned as unparsed, with the reason as message and the
    kind of refusal (what the grounding checks decide on, never the message's words)."""

    def __init__(self, reason: str, kind: RefusalKind) -> None:
        super().__init__(reason)
        self.kind = kind

    def unparsed(self, text: str) -> Unparsed:
        """The refusal of ``text`` for this reason."""
        return Unparsed(text=text, reason=str(self), kind=self.kind)


NEGATED = "a negated statement; say what should change instead"


def hedged(word: str) -> NotUnderstood:
    """The refusal of a change made tentative by ``word`` ("maybe", "tbc")."""
    return NotUnderstood(
        f"'{word}' is not a firm change; confirm it and say it again", RefusalKind.HEDGED
    )


def date_refusal(hit: DateHit) -> NotUnderstood:
    """The refusal of a date that must not be guessed (``hit.error`` set)."""
    kind = RefusalKind.PAST if hit.past else RefusalKind.UNREADABLE
    return NotUnderstood(str(hit.error), kind)


FILLERS = frozenset(
    """
    and also too as well on the a an for plus same then both shift shifts is are please pls
    of to
    """.split()  # noqa: SIM905
)


def only_fillers(clause: Clause) -> bool:
    """Whether a clause holds nothing but names, dates, shift words and filler words."""
    spans = [(p.start, p.end) for p in clause.people]
    spans += [(d.start, d.end) for d in clause.dates] + [(s.start, s.end) for s in clause.shifts]
    text = clause.text
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return all(w in FILLERS for w in re.findall(r"[a-z']+", text.lower()))


def is_night_word(word: str) -> bool:
    return bool(re.match(r"(?:nights?|nites?|overnights?)$", word.strip(), _I))


def blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces (the other positions kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def shifted(spans: list[_S], offset: int) -> list[_S]:
    """Spans moved ``offset`` characters on (a fragment joined after other text)."""
    return [replace(s, start=s.start + offset, end=s.end + offset) for s in spans]


def without_names(text: str, people: list[Mention]) -> str:
    for mention in sorted(people, key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    return text
