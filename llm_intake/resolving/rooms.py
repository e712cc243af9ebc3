"""Room words → room ids: "OR 2", "theatre 2", "Theater #2", a room's id or name."""

from __future__ import annotations

import re

from llm_intake.resolving.spans import Span
from llm_intake.vocabulary import Vocabulary, fold


def room_id(vocab: Vocabulary, phrase: str) -> str | None:
    """Room id for "OR 2", "theatre 2", "Theater #2", a room id or name; None if unknown."""
    key = fold(phrase)
    for room in vocab.rooms:
        if key in (fold(room.id), fold(room.name)):
            return room.id
    m = re.fullmatch(
        r"(?:or|o r|theatre|theater|theatres|room|operating (?:room|theatre|theater)|th)"
        r"\s*(?:no\s*)?(\d+)",
        key,
    )
    if m:
        number = str(int(m.group(1)))
        found = [r.id for r in vocab.rooms if r.number == number]
        if len(found) == 1:
            return found[0]
    return None


def find_rooms(vocab: Vocabulary, text: str) -> list[Span]:
    """Every room named in ``text``: by a room word and number, or by a room's id or name."""
    spans: list[Span] = []
    pattern = (
        r"\b(?:OR|Or|or(?=\d)|[Tt]heat(?:re|er)s?|[Rr]oom|[Oo]perating\s+(?:[Rr]oom|"
        r"[Tt]heat(?:re|er)))\s*(?:#|[Nn]o\.?)?\s*\d+\b"
    )
    for m in re.finditer(pattern, text):
        found = room_id(vocab, m.group(0).replace("#", " "))
        if found is not None:
            spans.append(Span(m.start(), m.end(), found))
    for room in vocab.rooms:
        for label in {room.id, room.name}:
            if len(label) > 3 and not re.search(r"\d$", label):
                for hit in re.finditer(rf"\b{re.escape(label)}\b", text, re.IGNORECASE):
                    spans.append(Span(hit.start(), hit.end(), room.id))
    return spans
