"""Precedences between two placed tasks: the gap is within the minimum and maximum lag."""

from __future__ import annotations

from optimizer.check.cases.common import Placed, violate
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem


def check_precedences(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Rule ``precedence``; a precedence with a task left out holds."""
    for prec in problem.precedences:
        first, second = placed.get(prec.before), placed.get(prec.after)
        if first is None or second is None:
            continue
        gap = second.start - first.end
        if gap < prec.min_lag:
            violate(
                report,
                "precedence",
                f"'{prec.after}' starts {gap} minutes after '{prec.before}' ends; "
                f"needs at least {prec.min_lag}",
                task=prec.after,
            )
        if prec.max_lag is not None and gap > prec.max_lag:
            violate(
                report,
                "precedence",
                f"'{prec.after}' starts {gap} minutes after '{prec.before}' ends; "
                f"allows at most {prec.max_lag}",
                task=prec.after,
            )
