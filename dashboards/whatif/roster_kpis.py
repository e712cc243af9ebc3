"""The KPIs of a roster what-if: the published roster under the changes against the
re-plan."""

from __future__ import annotations

import pandas as pd

from dashboards.whatif.kpi_table import side_by_side
from dashboards.whatif.roster_baseline import published_under_changes
from dashboards.whatif.roster_moves import roster_changes
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem


def roster_kpi_table(problem: RosterProblem, before: Result, after: Result) -> pd.DataFrame:
    """Baseline and scenario KPIs side by side with the difference.

    The baseline is the published roster ``before`` as it stands under the changes
    (``published_under_changes``: an absent person's shifts left open), so the Δ column
    shows what the changes cost and what the re-plan wins back. Both rosters are
    measured against ``problem`` (the scenario's) by the checker. The cost rows are the
    objective's terms and add up to "Total penalty" (the scenario's objective).
    "Changed assignments" counts the staff-days that differ from the published roster
    (``roster_changes``): in the baseline those the changes force, so Δ counts the
    re-plan's own moves; their penalty is "Cost of changes".
    """
    from optimizer.explain.roster import roster_kpis

    def measures(result: Result) -> dict[str, float]:
        if result.roster is None:
            return {}
        k = roster_kpis(problem, result.roster)
        costs = k.cost_by_rule
        return {
            "Coverage met %": k.coverage_met_pct,
            "Requests granted %": k.requests_granted_pct,
            "Shifts worked": k.shifts_worked,
            "Nights max per person": k.nights.maximum,
            "Weekends max per person": k.weekends.maximum,
            "Changed assignments": len(roster_changes(problem, before, result)),
            "Understaffing cost": costs.get("under_cover", 0),
            "Overstaffing cost": costs.get("over_cover", 0),
            "Request cost": costs.get("shift_on_request", 0) + costs.get("shift_off_request", 0),
            "Cost of changes": costs.get("baseline_change", 0),
            "Total penalty": sum(costs.values()),
        }

    return side_by_side(measures(published_under_changes(problem, before)), measures(after))
