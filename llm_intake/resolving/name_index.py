"""Person ids by folded name word: exactly, by a short form ("Sam"), or fuzzily."""

from __future__ import annotations

from functools import cached_property

from rapidfuzz import fuzz, process

from llm_intake.resolving.name_words import NICKNAMES, STOP_WORDS
from llm_intake.resolving.shifts import ShiftWords
from llm_intake.resolving.skills_and_roles import WordIndex
from llm_intake.vocabulary import Vocabulary, fold

FUZZY_CUTOFF = 80.0
"""Minimum rapidfuzz ratio for a misspelt name token."""
FUZZY_MARGIN = 8.0
"""A runner-up this close to the best fuzzy score makes the match ambiguous."""


class NameIndex:
    """The people of one vocabulary by the words of their names and ids.

    The vocabulary's shift, skill and role words (and months, weekdays) are never read
    as misspelt names.
    """

    def __init__(
        self, vocab: Vocabulary, shifts: ShiftWords, skills: WordIndex, roles: WordIndex
    ) -> None:
        self.vocab = vocab
        self._shifts = shifts
        self._skills = skills
        self._roles = roles
        self._cache: dict[tuple[str, bool, bool], tuple[set[str], bool] | None] = {}

    def warm(self) -> None:
        """Build every lookup table now (else the first message pays for it)."""
        for table in (self._tokens, self._fuzzy_choices, self.vocab_words):
            assert table is not None

    @cached_property
    def _tokens(self) -> dict[str, dict[str, set[str]]]:
        """folded name token → {"first"|"last"|"other"|"id": person ids}."""
        index: dict[str, dict[str, set[str]]] = {}
        for person in self.vocab.people:
            tokens = person.tokens
            for pos, token in enumerate(tokens):
                if pos == 0:
                    role = "first"
                elif pos == len(tokens) - 1:
                    role = "last"
                else:
                    role = "other"
                index.setdefault(token, {}).setdefault(role, set()).add(person.id)
                if " " in token:
                    index.setdefault(token.replace(" ", ""), {}).setdefault(role, set()).add(
                        person.id
                    )
            index.setdefault(fold(person.id), {}).setdefault("id", set()).add(person.id)
        for short, longs in NICKNAMES.items():
            for long in longs:
                ids = index.get(long, {}).get("first", set())
                if ids:
                    index.setdefault(short, {}).setdefault("first", set()).update(ids)
        return index

    def knows(self, token: str) -> bool:
        """Whether a folded token is a word of someone's name or id (or a short form)."""
        return token in self._tokens

    def ids(self, token: str) -> set[str]:
        """Everyone a known folded token denotes, in any position of the name."""
        return set().union(*self._tokens[token].values())

    @cached_property
    def _fuzzy_choices(self) -> list[str]:
        return [t for t in self._tokens if len(t) >= 4]

    @cached_property
    def vocab_words(self) -> frozenset[str]:
        """Shift, skill, role, month and weekday words: never read as misspelt names."""
        words = set(self._shifts.words) | set(self._skills.words) | set(self._roles.words)
        from llm_intake.dates import MONTHS, WEEKDAYS

        return frozenset(words | set(MONTHS) | set(WEEKDAYS))

    @cached_property
    def full_names(self) -> frozenset[tuple[str, ...]]:
        """The folded words of every name of more than one word."""
        return frozenset(p.tokens for p in self.vocab.people if len(p.tokens) > 1)

    def candidates(self, token: str, raw: str, after_name: bool) -> tuple[set[str], bool] | None:
        """Person ids a single folded token may denote, and whether fuzzily.

        A misspelt (fuzzy) token must be capitalised or follow an exactly matched name,
        so that ordinary words ("chole", "later") never become people.
        """
        key = (token, raw[:1].isupper(), after_name)
        if key not in self._cache:
            self._cache[key] = self._lookup(token, raw, after_name)
        found = self._cache[key]
        return (set(found[0]), found[1]) if found is not None else None

    def _lookup(self, token: str, raw: str, after_name: bool) -> tuple[set[str], bool] | None:
        entry = self._tokens.get(token)
        if entry is not None and (token not in STOP_WORDS or raw[:1].isupper()):
            return set().union(*entry.values()), False
        if len(token) < 4 or token in STOP_WORDS or token in self.vocab_words:
            return None
        if not (raw[:1].isupper() or after_name):
            return None
        found = process.extract(
            token, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=4
        )
        if not found:
            return None
        best = found[0][1]
        ids: set[str] = set()
        for choice, score, _ in found:
            if score >= best - FUZZY_MARGIN:
                ids |= self.ids(choice)
        return ids, True
