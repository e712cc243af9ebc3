"""The closed vocabulary of the loaded problems: people, shifts, skills, rooms, roles.

Both parsers and the resolver only ever produce ids that appear here. Case
problems are read through their attributes (``rooms``, ``staff``, ``roles`` …)
so this module imports no case-model internals.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from optimizer.model.roster import RosterProblem

TITLES = frozenset(
    {"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "nurse", "sister", "sr"}
)


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case ASCII form used for every comparison (accents and punctuation removed)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass(frozen=True)
class Person:
    """Someone a request can name (roster staff, surgeons, case staff)."""

    id: str
    name: str
    roles: tuple[str, ...] = ()
    family: str = "roster"
    skills: tuple[str, ...] = ()
    duty: tuple[tuple[int, int], ...] | None = None
    """Case staff: on-duty windows in minutes from the case plan's start (None: always)."""

    @property
    def tokens(self) -> tuple[str, ...]:
        """Folded name words ("O'Connor" stays one word: "o connor"), titles left out."""
        words = (fold(w) for w in (self.name or self.id).split())
        return tuple(w for w in words if w and w not in TITLES)

    @property
    def first(self) -> str:
        return self.tokens[0] if self.tokens else ""

    @property
    def last(self) -> str:
        return self.tokens[-1] if len(self.tokens) > 1 else ""


@dataclass(frozen=True)
class Shift:
    """A shift type with the facts synonyms are derived from."""

    id: str
    name: str
    start: int
    is_night: bool

    @property
    def period(self) -> str:
        """``early``, ``late`` or ``night`` from the times (for words like "AM", "evening")."""
        if self.is_night:
            return "night"
        return "early" if self.start < 12 * 60 else "late"


@dataclass(frozen=True)
class Room:
    id: str
    name: str

    @property
    def number(self) -> str | None:
        match = re.search(r"(\d+)\s*$", self.name or self.id) or re.search(r"(\d+)\s*$", self.id)
        return str(int(match.group(1))) if match else None


@dataclass(frozen=True)
class Case:
    """A case of a loaded case schedule (a request may cancel it by its id)."""

    id: str
    procedure: str


@dataclass
class Vocabulary:
    """Everything a request may refer to, from every loaded problem."""

    people: list[Person] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    procedures: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    roster_start: dt.date | None = None
    roster_days: int = 0
    case_start: dt.date | None = None
    case_days: int = 0

    def case(self, case_id: str) -> Case | None:
        """The loaded case with this id (exactly, else in any letter case), or None."""
        wanted = case_id.strip()
        exact = next((c for c in self.cases if c.id == wanted), None)
        return exact or next((c for c in self.cases if c.id.casefold() == wanted.casefold()), None)

    def person(self, person_id: str) -> Person:
        return next(p for p in self.people if p.id == person_id)

    def label(self, person_id: str) -> str:
        found = [p for p in self.people if p.id == person_id]
        return found[0].name or person_id if found else person_id

    @property
    def roster_staff(self) -> list[Person]:
        return [p for p in self.people if p.family == "roster"]

    @property
    def case_staff(self) -> list[Person]:
        return [p for p in self.people if p.family == "cases"]

    def window(self, family: str) -> tuple[dt.date, dt.date] | None:
        """First and last date of the roster or case plan (None if it has no dates)."""
        start = self.case_start if family == "cases" else self.roster_start
        days = self.case_days if family == "cases" else self.roster_days
        if start is None or days <= 0:
            return None
        return start, start + dt.timedelta(days=days - 1)

    def family_of(self, person_id: str) -> str:
        """``roster`` or ``cases``: which kind of problem the person belongs to."""
        found = [p.family for p in self.people if p.id == person_id]
        return found[0] if found else "roster"

    def on_duty(self, person_id: str, first: dt.date, last: dt.date) -> bool:
        """Whether the person may work on some day ``first``–``last`` (ward staff: always)."""
        person = self.person(person_id)
        if person.family != "cases" or person.duty is None or self.case_start is None:
            return True
        low = (first - self.case_start).days * 24 * 60
        high = ((last - self.case_start).days + 1) * 24 * 60
        return any(start < high and low < end for start, end in person.duty)

    def ward_size(self, skill: str | None) -> int:
        """Roster staff holding ``skill`` (everyone if None)."""
        return sum(1 for p in self.roster_staff if skill is None or skill in p.skills)


def _attr(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default


def _add_roster(vocab: Vocabulary, problem: RosterProblem) -> None:
    known = {p.id for p in vocab.people}
    for person in problem.staff:
        if person.id not in known:
            roles = (person.grade,) if person.grade else ()
            vocab.people.append(
                Person(person.id, person.name or person.id, roles, "roster", tuple(person.skills))
            )
    for shift in problem.shifts:
        if shift.id not in {s.id for s in vocab.shifts}:
            vocab.shifts.append(Shift(shift.id, shift.name, shift.start, shift.is_night))
    for skill in problem.skills:
        if skill not in vocab.skills:
            vocab.skills.append(skill)
    vocab.roster_start = problem.start_date
    vocab.roster_days = problem.num_days


def _duty(person: Any) -> tuple[tuple[int, int], ...] | None:
    windows = _attr(person, "available")
    if windows is None:
        return None
    return tuple((int(_attr(w, "start")), int(_attr(w, "end"))) for w in windows)


def _add_cases(vocab: Vocabulary, problem: Any) -> None:
    known = {p.id for p in vocab.people}
    for person in _attr(problem, "staff", default=()) or ():
        pid = str(_attr(person, "id"))
        roles = tuple(str(r) for r in _attr(person, "roles", default=()) or ())
        role = _attr(person, "role")
        if role and str(role) not in roles:
            roles = (str(role), *roles)
        if pid not in known:
            name = str(_attr(person, "name", default="") or pid)
            vocab.people.append(Person(pid, name, roles, "cases", duty=_duty(person)))
            known.add(pid)
        for r in roles:
            if r not in vocab.roles:
                vocab.roles.append(r)
    for role in _attr(problem, "roles", default=()) or ():
        role_id = str(_attr(role, "id", default=role))
        if role_id not in vocab.roles:
            vocab.roles.append(role_id)
    for room in _attr(problem, "rooms", default=()) or ():
        room_id = str(_attr(room, "id"))
        vocab.rooms.append(Room(room_id, str(_attr(room, "name", default="") or room_id)))
    for task in _attr(problem, "tasks", "cases", default=()) or ():
        proc = _attr(task, "procedure", "name")
        if proc and str(proc) not in vocab.procedures:
            vocab.procedures.append(str(proc))
        vocab.cases.append(Case(str(_attr(task, "id")), str(proc or "")))
    start = _attr(problem, "start", "start_date")
    offset = 0  # minutes from midnight to the start: a plan from 07:00 reaches 07:00 later
    if isinstance(start, dt.datetime):
        offset = start.hour * 60 + start.minute
        start = start.date()
    if isinstance(start, dt.date):
        vocab.case_start = start
        horizon = int(_attr(problem, "horizon", default=0) or 0)
        vocab.case_days = -(-(offset + horizon) // (24 * 60))  # calendar days it touches


def build_vocabulary(problems: list[Any]) -> Vocabulary:
    """The combined vocabulary of roster and case problems (in the given order)."""
    vocab = Vocabulary()
    for problem in problems:
        if isinstance(problem, RosterProblem):
            _add_roster(vocab, problem)
        else:
            _add_cases(vocab, problem)
    return vocab
