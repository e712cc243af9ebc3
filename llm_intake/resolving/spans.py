"""What the resolver finds in text: spans naming people, and spans naming one id."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    """A span of text naming people: ``ids`` has one id if resolved, several if ambiguous."""

    start: int
    end: int
    text: str
    ids: tuple[str, ...]
    fuzzy: bool = False
    near: tuple[str, ...] = ()
    """No one (``ids`` empty) but a known word in it fits these people ("Tom Baker": Tom)."""

    @property
    def resolved(self) -> str | None:
        return self.ids[0] if len(self.ids) == 1 else None


@dataclass(frozen=True)
class Span:
    """A span of text that resolved to one id (shift, skill, room, role)."""

    start: int
    end: int
    id: str
