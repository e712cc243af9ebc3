"""The sentences of a text, each with what it names and the rule parser's reading."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from llm_intake.grounding.targets import request_days, request_people, same_target
from llm_intake.requests import AbsenceReason, Request, Unavailable, Unparsed
from llm_intake.resolver import Mention, Resolver
from llm_intake.rules import CasePlan, RuleParser
from llm_intake.rules.absence import absence_reason
from llm_intake.rules.sentences import split_sentences


def names_id(text: str, some_id: str) -> bool:
    """Whether ``text`` names ``some_id`` as a whole word."""
    return bool(re.search(rf"(?<![\w-]){re.escape(some_id)}(?![\w-])", text, re.IGNORECASE))


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text, what it names and the rule parser's reading of it."""

    text: str
    question: bool
    mentions: tuple[Mention, ...]
    requests: tuple[Request, ...]
    unparsed: tuple[Unparsed, ...]

    def denotes(self, person_id: str) -> bool:
        """Whether some mention (or the id) in the sentence may denote the person."""
        return names_id(self.text, person_id) or any(
            person_id in (*m.ids, *m.near) for m in self.mentions
        )

    def names_alone(self, person_id: str, allowed: set[str]) -> bool:
        """Whether a mention denotes the person alone among ``allowed`` (or the id is given),
        or the rule parser's reading settles it to them."""
        if names_id(self.text, person_id):
            return True
        if any(set(m.ids) & allowed == {person_id} for m in self.mentions):
            return True
        return any(person_id in request_people(r) for r in self.requests)

    @property
    def complete(self) -> bool:
        """Whether the rule parser read the whole sentence into requests."""
        return bool(self.requests) and not self.unparsed


def read_sentences(
    text: str, resolver: Resolver, today: dt.date, plans: Sequence[CasePlan]
) -> list[Sentence]:
    """The sentences of ``text``, each read by the rule parser on its own."""
    parser = RuleParser(resolver, today, plans)
    found: list[Sentence] = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip(" ,")
        if not sentence:
            continue
        reading = parser.parse(sentence)
        found.append(
            Sentence(
                text=sentence,
                question=text[end : end + 1] == "?",
                mentions=tuple(resolver.find_people(sentence)),
                requests=tuple(reading.requests),
                unparsed=tuple(reading.unparsed),
            )
        )
    return found


def sentence_reason(request: Unavailable, sentence: Sentence) -> AbsenceReason | None:
    """Why the person of ``request`` is away, by ``sentence``: the reason of the rule
    parser's own absences of them on those days, else the sentence's reason words when it
    names no one else (None when it gives none, or two)."""
    days = set(request_days(request))
    read = {
        r.reason
        for r in sentence.requests
        if isinstance(r, Unavailable) and same_target(r, request) and days & set(request_days(r))
    }
    if read:
        return read.pop() if len(read) == 1 else None
    named_alone = all(request.staff in (*m.ids, *m.near) for m in sentence.mentions)
    return absence_reason(sentence.text) if named_alone else None
