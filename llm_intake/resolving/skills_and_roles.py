"""Skill and role words → ids: the id, its plurals, common synonyms, both spellings."""

from __future__ import annotations

import re
from functools import cached_property

from llm_intake.resolving.spans import Span
from llm_intake.vocabulary import fold

SKILL_SYNONYMS = {
    "rn": ("nurse", "registered nurse", "staff nurse", "qualified nurse", "trained nurse"),
    "hca": (
        "healthcare assistant",
        "health care assistant",
        "care assistant",
        "nursing assistant",
        "support worker",
        "healthcare support worker",
        "hcsw",
        "csw",
    ),
    "charge": ("charge nurse", "nurse in charge", "nic", "shift leader", "coordinator"),
    "iv": ("iv trained", "iv nurse", "iv trained nurse", "iv competent", "iv certified"),
}
"""Common words for skill ids (used only when the loaded problem has that skill id)."""


class WordIndex:
    """The skill (or role) ids of one vocabulary by the words that denote them."""

    def __init__(self, ids: list[str]) -> None:
        self._ids = ids

    @cached_property
    def words(self) -> dict[str, str]:
        """Folded word → id (built on first use)."""
        return _plural_index(self._ids)

    def get(self, word: str) -> str | None:
        """The id ``word`` denotes, or None."""
        return self.words.get(fold(word))

    def find(self, text: str) -> list[Span]:
        """Every longest run of words in ``text`` that denotes an id."""
        return _find_words(text, self.words)


def _plural_index(ids: list[str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in ids:
        for synonym in SKILL_SYNONYMS.get(fold(item), ()):
            index[synonym] = item
            index[synonym + "s"] = item
            index[synonym.replace("nurse", "nurses")] = item
    for item in ids:
        key = fold(item)
        if not key:
            continue
        index[key] = item
        index[key + "s"] = item
        index[key.replace(" ", "")] = item
        if key.endswith("y"):
            index[key[:-1] + "ies"] = item
        for a, b in (("anaesthet", "anesthet"), ("anesthet", "anaesthet")):
            if a in key:
                index[key.replace(a, b)] = item
                index[key.replace(a, b) + "s"] = item
    return index


def _find_words(text: str, index: dict[str, str]) -> list[Span]:
    spans: list[Span] = []
    if not index:
        return spans
    longest = max(len(k.split()) for k in index)
    tokens = list(re.finditer(r"[A-Za-z0-9]+", text))
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            start, end = tokens[i].start(), tokens[i + n - 1].end()
            key = fold(text[start:end])
            if key in index:
                spans.append(Span(start, end, index[key]))
                i += n
                break
        else:
            i += 1
    return spans
