"""The records of a shortfall explanation: one person not on the shift, and one short
shift with everybody qualified sorted into why they are not on it."""

from __future__ import annotations

from pydantic import Field, computed_field

from optimizer.model.common import Record


class Candidate(Record):
    """A qualified person not on the short shift, and why (in the planner's words)."""

    staff: str
    name: str
    reason: str
    rule: str | None = Field(
        default=None, description="blocked people only: the checker's rule, e.g. 'max_minutes'"
    )
    cost_change: int | None = Field(
        default=None,
        description="free people only: the objective after adding them minus before "
        "(negative: adding them would lower the penalty)",
    )


class Shortfall(Record):
    """One cover demand left short, and every qualified person not counted towards it,
    each in exactly one group, checked in this order: ``away`` (an absence covers the
    shift), ``pinned`` (pinned to another shift or a day off), ``other_shift`` (works
    another shift that day), ``blocked`` (adding the shift breaks a hard rule: the
    checker's message) and ``free`` (nothing stops it: what adding them would cost)."""

    day: int
    shift: str
    skill: str | None = Field(description="None: a demand for any staff")
    short: int
    cost: int = Field(description="the under-cover penalty this shortfall pays")
    away: tuple[Candidate, ...] = ()
    pinned: tuple[Candidate, ...] = ()
    other_shift: tuple[Candidate, ...] = ()
    blocked: tuple[Candidate, ...] = ()
    free: tuple[Candidate, ...] = ()
    headline: str = Field(
        default="", description="the checker's words: 'Night shift Sat 12 Dec: 2 RN short'"
    )
    why: str = Field(default="", description="who is not on it and why, in one sentence")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def message(self) -> str:
        """The planner's sentence: the headline, then why."""
        return f"{self.headline}. {self.why}" if self.why else self.headline

    @property
    def considered(self) -> int:
        """How many qualified people are not counted towards the demand."""
        return sum(len(group) for group in self.groups.values())

    @property
    def groups(self) -> dict[str, tuple[Candidate, ...]]:
        """The groups by name, in the order they are checked."""
        return {
            "away": self.away,
            "pinned": self.pinned,
            "other_shift": self.other_shift,
            "blocked": self.blocked,
            "free": self.free,
        }
