"""What-if scenarios compared: one row each."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dashboards.whatif.case_edits import cancelled
from dashboards.whatif.case_kpis import case_changes
from dashboards.whatif.roster_baseline import published_under_changes
from dashboards.whatif.roster_moves import roster_changes

PENALTY = "Penalty (with cost of changes)"
BASELINE_PENALTY = "Published penalty under the changes"
"""The comparison's penalty columns: both include the cost of changes (the published
roster's own: the staff-days the changes force), both measured on the scenario's problem."""


def baseline_penalty(scenario: Any) -> int | None:
    """The penalty of the published plan under ``scenario``'s changes: the "Total
    penalty" baseline of its KPI table (a roster: ``published_under_changes``; cases:
    the published schedule's own)."""
    if scenario.kind != "roster":
        objective: int | None = scenario.base_result.objective
        return objective
    return published_under_changes(scenario.problem, scenario.base_result).objective


def compare(scenarios: list[Any]) -> pd.DataFrame:
    """One row per scenario: its changes, status, penalty, the published plan's penalty
    under the same changes (as its KPI table's baseline) and how much it moved."""
    rows = []
    for sc in scenarios:
        result = sc.result
        if result is None:
            rows.append(
                {
                    "Scenario": sc.name,
                    "Changes": "; ".join(sc.changes),
                    "Status": "running" if sc.job is not None else sc.error,
                }
            )
            continue
        if sc.kind == "roster":
            moved = len(roster_changes(sc.problem, sc.base_result, result))
        else:
            gone = cancelled(sc.changes)
            moved = len(case_changes(sc.problem, sc.base_result, result, sc.base_problem, gone))
        rows.append(
            {
                "Scenario": sc.name,
                "Changes": "; ".join(sc.changes),
                "Status": result.status.value + (" (stopped early)" if sc.stopped_early else ""),
                PENALTY: result.objective,
                BASELINE_PENALTY: baseline_penalty(sc),
                "Changed": moved,
            }
        )
    columns = ["Scenario", "Changes", "Status", PENALTY, BASELINE_PENALTY, "Changed"]
    return pd.DataFrame(rows, columns=columns)
