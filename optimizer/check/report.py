"""What the independent checker reports: broken hard rules and soft penalties."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from optimizer.model.common import Record


class Violation(Record):
    """A broken hard rule, in the planner's terms."""

    rule: str
    message: str
    staff: str | None = None
    task: str | None = None
    days: tuple[int, ...] = ()
    shift: str | None = None
    amount: int = 1


class Penalty(Record):
    """One soft-rule cost term: who/what/when and how much it costs."""

    rule: str
    cost: int
    message: str
    staff: str | None = None
    task: str | None = None
    day: int | None = None
    shift: str | None = None
    skill: str | None = None
    amount: int = 1


class CheckReport(BaseModel):
    """The checker's verdict: feasible iff no violations; objective recomputed."""

    model_config = ConfigDict(extra="forbid")

    violations: list[Violation] = Field(default_factory=list)
    penalties: list[Penalty] = Field(default_factory=list)

    @property
    def feasible(self) -> bool:
        return not self.violations

    @property
    def objective(self) -> int:
        return sum(p.cost for p in self.penalties)

    def cost_by_rule(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for penalty in self.penalties:
            totals[penalty.rule] = totals.get(penalty.rule, 0) + penalty.cost
        return totals
