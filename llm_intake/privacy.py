"""Pseudonymise staff names before text leaves the machine, and map them back.

Every name of a known person found in the text (also misspelt, via the
resolver) is replaced by a neutral label such as ``Person 3``. The LLM sees only
labels; ``aliases`` maps each label back to the person id(s) it stands for — an
ambiguous mention keeps all its candidates, so it stays ambiguous after the
round trip instead of being guessed. Names the vocabulary does not know cannot
be detected and are sent as written (see docs/intake.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from llm_intake.resolver import Resolver


@dataclass
class Pseudonyms:
    """The label ↔ person-id table of one message."""

    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _by_ids: dict[tuple[str, ...], str] = field(default_factory=dict)

    def label(self, ids: tuple[str, ...]) -> str:
        if ids not in self._by_ids:
            label = f"Person {len(self._by_ids) + 1}"
            self._by_ids[ids] = label
            self.aliases[label] = ids
        return self._by_ids[ids]


def pseudonymise(text: str, resolver: Resolver) -> tuple[str, Pseudonyms]:
    """``text`` with every recognised person name replaced by a label, and the table."""
    table = Pseudonyms()
    for person in resolver.vocab.people:
        table.label((person.id,))
    mentions = resolver.find_people(text)
    out: list[str] = []
    pos = 0
    for mention in sorted(mentions, key=lambda m: m.start):
        out.append(text[pos : mention.start])
        out.append(table.label(mention.ids))
        pos = mention.end
    out.append(text[pos:])
    return "".join(out), table


_LABEL = re.compile(r"\bPerson \d+\b")


def restore(text: str, table: Pseudonyms, resolver: Resolver) -> str:
    """Labels in ``text`` back to names (for showing an LLM's words to the user).

    Whole labels only: "Person 99", a label never issued, stays as written rather
    than becoming the name behind "Person 9" followed by a 9.
    """

    def name(match: re.Match[str]) -> str:
        ids = table.aliases.get(match.group(0))
        if ids is None:
            return match.group(0)
        return " or ".join(resolver.vocab.label(i) for i in ids)

    return _LABEL.sub(name, text)
