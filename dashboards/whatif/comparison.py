"""What-if scenarios compared: one row each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from dashboards.whatif.case_baseline import published_under_case_changes
from dashboards.whatif.case_edits import cancelled
from dashboards.whatif.case_kpis import case_changes
from dashboards.whatif.roster_baseline import checked_baseline
from dashboards.whatif.roster_moves import roster_changes
from optimizer.model.result import Result, SolveStatus

PENALTY = "Penalty (with cost of changes)"
BASELINE_PENALTY = "Published penalty under the changes"
"""The comparison's penalty columns: both include the cost of changes (the published
roster's own: the staff-days the changes force), both measured on the scenario's problem."""


def scenario_baseline(scenario: Any) -> tuple[Result, list[str]] | None:
    """The published plan under ``scenario``'s changes, costed by the checker on the
    scenario's problem, and the hard rules it breaks there: the baseline of its KPI
    table, of the note under it and of its comparison row (a roster:
    ``checked_baseline``; cases: ``published_under_case_changes``); None for cases
    without a published schedule."""
    if scenario.kind == "roster":
        return checked_baseline(scenario.problem, scenario.base_result)
    if scenario.base_result.schedule is None:
        return None
    return published_under_case_changes(scenario.problem, scenario.base_result)


def scenario_baselines(scenarios: list[Any]) -> dict[str, tuple[Result, list[str]]]:
    """``scenario_baseline`` of each re-planned scenario, by name: the page computes
    them once per run for ``compare`` and the scenario shown (each runs the checker)."""
    baselines = {}
    for scenario in scenarios:
        if scenario.result is not None:
            baseline = scenario_baseline(scenario)
            if baseline is not None:
                baselines[scenario.name] = baseline
    return baselines


def baseline_penalty(
    scenario: Any, baseline: tuple[Result, list[str]] | None = None
) -> int | str | None:
    """The penalty of the published plan under ``scenario``'s changes, costed by the
    checker on the scenario's problem: the "Penalty" baseline of its KPI table
    (``baseline``: its ``scenario_baseline`` when already computed). A published plan
    that breaks hard rules under the changes is no option and has no penalty to
    compare: "none (breaks 2 hard rules)"."""
    if baseline is None:
        baseline = scenario_baseline(scenario)
    if baseline is None:
        return None
    under_changes, broken = baseline
    if under_changes.status is SolveStatus.INFEASIBLE:
        return _none_breaks(len(broken))
    return under_changes.objective


def _none_breaks(broken: int) -> str:
    """``"none (breaks 2 hard rules)"``: no baseline penalty to compare."""
    return f"none (breaks {broken} hard rule{'' if broken == 1 else 's'})"


def compare(
    scenarios: list[Any], baselines: Mapping[str, tuple[Result, list[str]]] | None = None
) -> pd.DataFrame:
    """One row per scenario: its changes, status, penalty, the published plan's penalty
    under the same changes (as its KPI table's baseline) and how much it moved.
    ``baselines``: ``scenario_baselines(scenarios)`` when already computed."""
    if baselines is None:
        baselines = scenario_baselines(scenarios)
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
                BASELINE_PENALTY: baseline_penalty(sc, baselines.get(sc.name)),
                "Changed": moved,
            }
        )
    columns = ["Scenario", "Changes", "Status", PENALTY, BASELINE_PENALTY, "Changed"]
    frame = pd.DataFrame(rows, columns=columns)
    if any(isinstance(v, str) for v in frame[BASELINE_PENALTY]):  # one text: all text
        frame[BASELINE_PENALTY] = [_shown(v) for v in frame[BASELINE_PENALTY]]
    return frame


def _shown(value: object) -> str:
    """A baseline penalty as text: ``"8055"``, ``"none (breaks 2 hard rules)"`` or ``""``."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and value == value:  # NaN (a running row) is not
        return str(int(value))
    return ""
