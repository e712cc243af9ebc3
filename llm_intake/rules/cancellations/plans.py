"""The loaded case problems a cancelled case is looked up in, each with its schedule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CasePlan:
    """A loaded case problem and its published schedule (None when there is none)."""

    problem: Any
    schedule: Any = None


def case_plans(problems: Sequence[Any], published: Any = None) -> list[CasePlan]:
    """The case problems among ``problems``, each with the schedule to find cases in:
    ``published`` (a ``Result`` or ``CaseSchedule``) if given, else the problem's own
    baseline schedule (the last schedule an earlier intake kept), else none."""
    from optimizer.model.roster import RosterProblem

    given = getattr(published, "schedule", published)
    plans = []
    for problem in problems:
        if isinstance(problem, RosterProblem):
            continue
        own = getattr(getattr(problem, "baseline", None), "schedule", None)
        plans.append(CasePlan(problem, given if given is not None else own))
    return plans
