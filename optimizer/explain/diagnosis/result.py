"""What a roster diagnosis returns: the conflicting rules, the changes that would give a
roster, and the fixed phrases callers look for in them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

OTHERS_REMAIN = " (other conflicts remain; diagnose again after)"
"""Appended to a change that resolves the named conflict but, proven, not the whole roster."""

NOT_CONFIRMED = (
    " (not confirmed: it resolves the rules named here, but checking the whole roster ran "
    "out of time)"
)
"""Appended to a change whose whole-roster check ran out of time."""

FEASIBLE_BUT_NO_ROSTER = (
    "No roster was found, yet the hard rules can all hold together: the solver stopped "
    "without a roster, and its time limit may be too short. Solve again with a longer one."
)
"""Summary when the solver reported INFEASIBLE but the diagnosis finds a roster exists."""


class Conflict(BaseModel):
    """One member of the conflicting set, in the planner's terms."""

    model_config = ConfigDict(frozen=True)

    rule: str
    staff: str | None = None
    days: tuple[int, ...] = ()
    shift: str | None = None
    message: str


class Diagnosis(BaseModel):
    """Result of ``diagnose_roster``.

    ``feasible``: True if the hard rules can all hold, False if they cannot (then
    ``conflicts`` is a set of rules that cannot hold together and ``minimal`` says
    whether it was proven irreducible), None if the time ran out first. ``notes`` say
    what the time limit left unchecked.

    When no conflicting set was found in time, ``relax_together`` may instead list
    changes that *together* give a roster, each as far as a roster found needs it (that
    roster, checked, is the proof). They are not a proven conflict (``conflicts`` stays
    empty): other rules may serve as well. ``fewest`` says no roster breaks fewer rules.
    """

    model_config = ConfigDict(extra="forbid")

    feasible: bool | None
    conflicts: list[Conflict] = Field(default_factory=list)
    relaxations: list[str] = Field(default_factory=list)
    relax_together: list[str] = Field(default_factory=list)
    fewest: bool = False
    minimal: bool = False
    summary: str = ""
    notes: list[str] = Field(default_factory=list)

    def messages(self) -> list[str]:
        """The explanation as lines: summary, each conflicting rule, each option, each
        change of a set that works together, notes."""
        lines = [self.summary] if self.summary else []
        lines += [f"conflicting rule: {conflict.message}" for conflict in self.conflicts]
        lines += [f"option: {relaxation}" for relaxation in self.relaxations]
        lines += [f"change: {change}" for change in self.relax_together]
        lines += [f"note: {note}" for note in self.notes]
        return lines
