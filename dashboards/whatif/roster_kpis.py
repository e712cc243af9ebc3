"""The KPIs of a roster what-if: the published roster under the changes against the
re-plan, and what the page says about that baseline."""

from __future__ import annotations

import pandas as pd

from dashboards.whatif.kpi_table import broken_rules_note, side_by_side
from dashboards.whatif.leave_and_demand import added_demand
from dashboards.whatif.replan_notes import day_ranges
from dashboards.whatif.roster_baseline import baseline_breaks, checked_baseline, repaired_roster
from dashboards.whatif.roster_moves import roster_changes
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import RosterProblem

PENALTY_ROWS = (
    "Understaffing cost",
    "Overstaffing cost",
    "Request cost",
    "Cost of changes",
    "Total penalty",
)
"""The KPI rows that are penalty: no Δ against a baseline that breaks hard rules."""


def roster_kpi_table(
    problem: RosterProblem,
    before: Result,
    after: Result,
    *,
    baseline: tuple[Result, list[str]] | None = None,
) -> pd.DataFrame:
    """Baseline and scenario KPIs side by side with the difference.

    The baseline is the published roster ``before`` as it stands under the changes
    (``checked_baseline``: an absent person's shifts left open, pins taken), so
    the Δ column shows what the changes cost and what the re-plan wins back. Both rosters
    are measured against ``problem`` (the scenario's) by the checker. The cost rows are
    the objective's terms and add up to "Total penalty" (the scenario's objective).
    "Changed assignments" counts the staff-days that differ from the published roster
    (``roster_changes``): in the baseline those the changes force, so Δ counts the
    re-plan's own moves; their penalty is "Cost of changes".

    When that baseline breaks hard rules, keeping it is no option: its column is headed
    ``baseline_heading`` ("Baseline (breaks 2 hard rules)") and the penalty rows show
    no Δ ("—"). ``baseline``: ``checked_baseline(problem, before)`` when already
    computed (the page computes it once per run, ``scenario_baselines``).
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

    under_changes, broken = baseline or checked_baseline(problem, before)
    frame = side_by_side(measures(under_changes), measures(after))
    if under_changes.status is not SolveStatus.INFEASIBLE:
        return frame
    frame.loc[frame["Measure"].isin(PENALTY_ROWS), "Δ"] = "—"
    heading = baseline_heading(len(broken))
    return frame.rename(columns={"Baseline": heading})


def baseline_heading(broken: int) -> str:
    """The KPI table's baseline column: "Baseline", or "Baseline (breaks 2 hard rules)"."""
    if broken == 0:
        return "Baseline"
    return f"Baseline (breaks {broken} hard rule{'' if broken == 1 else 's'})"


BROKEN_BASELINE = (
    "The published roster no longer meets the hard rules under these changes, so keeping "
    "it is not an option: its penalty is shown for reference only, with no Δ. It breaks:"
)


def broken_baseline_note(
    problem: RosterProblem,
    published: Result,
    limit: int = 8,
    *,
    baseline: tuple[Result, list[str]] | None = None,
) -> str:
    """Markdown for under the KPI table when the published roster under the changes of
    ``problem`` breaks hard rules: ``BROKEN_BASELINE`` and the checker's words, one a
    line (the first ``limit``, then how many more); "" when it is a usable baseline.
    ``baseline``: ``checked_baseline(problem, published)`` when already computed."""
    broken = baseline[1] if baseline is not None else baseline_breaks(problem, published)
    return broken_rules_note(BROKEN_BASELINE, list(broken), limit)


BASELINE_CAPTION = (
    "Baseline: the published roster under the changes ({done}), costed by the checker; {delta} "
    "{forced}"
)
DELTA = {
    True: "Δ shows what the changes cost and what the re-plan wins back.",
    False: "it breaks hard rules, so the penalty rows show no Δ.",
}


def baseline_caption(
    base: RosterProblem, changed: RosterProblem, published: Result, *, usable: bool = True
) -> str:
    """The KPI table's caption, naming what the baseline did to the published roster for
    this scenario (shifts left open, people put on, added demand unfilled); ``usable``:
    False when that baseline breaks hard rules (``broken_baseline_note``)."""
    done = _baseline_steps(changed, published)
    if added_demand(base, changed):
        done.append("the added demand left unfilled")
    forced = (
        "Its changed assignments are those the changes force."
        if any(not step.startswith("the added") for step in done)
        else "The changes force no changed assignment."
    )
    what = "; ".join(done) or "nothing to change"
    return BASELINE_CAPTION.format(done=what, delta=DELTA[usable], forced=forced)


def _baseline_steps(problem: RosterProblem, published: Result, limit: int = 4) -> list[str]:
    """What the repair of ``published`` for ``problem`` changed, per person and kind:
    "Ann's shifts on Wed 04 Mar left open", "Bo put on Early on Thu 05 Mar"."""
    repaired = repaired_roster(problem, published)
    old = published.roster.by_staff_day() if published.roster else {}
    new = repaired.by_staff_day() if repaired else {}
    names = {s.id: s.label for s in problem.shifts}
    grouped: dict[tuple[str, str], list[int]] = {}
    for staff, day in sorted(set(old) | set(new), key=lambda k: (k[0], k[1])):
        was, now = old.get((staff, day)), new.get((staff, day))
        if was == now:
            continue
        kind = "open" if now is None else f"on {names.get(now, now)}"
        grouped.setdefault((staff, kind), []).append(day)
    steps = []
    for (staff, kind), days in grouped.items():
        who = problem.person(staff).label if staff in problem.staff_index else staff
        when = day_ranges(problem, days)
        if kind == "open":
            noun = "shift" if len(days) == 1 else "shifts"
            steps.append(f"{who}'s {noun} on {when} left open")
        else:
            steps.append(f"{who} put {kind} on {when}")
    if len(steps) > limit:
        steps = [*steps[:limit], f"{len(steps) - limit} more"]
    return steps
