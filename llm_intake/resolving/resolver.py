"""``Resolver``: one object for both parsers over the lookups of one vocabulary."""

from __future__ import annotations

from llm_intake.resolving.name_index import NameIndex
from llm_intake.resolving.people import PeopleFinder
from llm_intake.resolving.rooms import find_rooms, room_id
from llm_intake.resolving.shifts import ShiftWords
from llm_intake.resolving.skills_and_roles import WordIndex
from llm_intake.resolving.spans import Mention, Span
from llm_intake.vocabulary import Vocabulary


class Resolver:
    """Maps names, shift words, skills, rooms and roles to ids of one vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._shifts = ShiftWords(vocab)
        self._skills = WordIndex(vocab.skills)
        self._roles = WordIndex(vocab.roles)
        self._names = NameIndex(vocab, self._shifts, self._skills, self._roles)
        self._people = PeopleFinder(vocab, self._names)

    def warm(self) -> Resolver:
        """Build every lookup table now (else the first message pays for it)."""
        self._names.warm()
        return self

    # -- people --------------------------------------------------------------------

    def find_people(self, text: str, family: str | None = None) -> list[Mention]:
        """Every run of name tokens in ``text`` with the people it may denote."""
        return self._people.find_people(text, family)

    def staff(self, name: str, family: str | None = None) -> tuple[str, ...]:
        """People a whole name (or id) may denote: one id, several (ambiguous) or none."""
        return self._people.staff(name, family)

    def describe(self, ids: tuple[str, ...]) -> str:
        return self._people.describe(ids)

    def which_one(self, name: str, ids: tuple[str, ...]) -> str:
        """The question for an ambiguous name; names each candidate's problem if they differ."""
        return self._people.which_one(name, ids)

    # -- shifts ----------------------------------------------------------------------

    def shift(self, word: str) -> str | None:
        """The shift id a word denotes ("nights", "Early", "N", "late shift", "nigths")."""
        return self._shifts.shift(word)

    def find_shifts(self, text: str) -> list[Span]:
        return self._shifts.find(text)

    # -- skills, roles, rooms ------------------------------------------------------

    def skill(self, word: str) -> str | None:
        return self._skills.get(word)

    def role(self, word: str) -> str | None:
        return self._roles.get(word)

    def find_skills(self, text: str) -> list[Span]:
        return self._skills.find(text)

    def find_roles(self, text: str) -> list[Span]:
        return self._roles.find(text)

    def room(self, phrase: str) -> str | None:
        """Room id for "OR 2", "theatre 2", "Theater #2", a room id or name; None if unknown."""
        return room_id(self.vocab, phrase)

    def find_rooms(self, text: str) -> list[Span]:
        return find_rooms(self.vocab, text)
