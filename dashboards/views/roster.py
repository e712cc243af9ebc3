"""Roster page: solve in the background, then grid, coverage, hours, penalties (and why
shifts are short and requests not granted), diagnosis."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from dashboards.state import Family, workspace
from dashboards.widgets import solve_controls, status_line
from optimizer.explain.roster import WHY_AT_MOST
from optimizer.model.result import RosterSolution, SolveStatus
from optimizer.model.roster import RosterProblem


def roster_kpis(family: Family) -> Any:
    """The explain module's KPIs for the current roster (cached per result)."""
    from optimizer.explain.roster import roster_kpis as compute

    assert family.result is not None and family.result.roster is not None
    roster = family.result.roster
    return family.cached("kpis", lambda: compute(family.problem, roster))


def penalty_table(problem: RosterProblem, penalties: list[Any]) -> pd.DataFrame:
    """Who/what/when of every penalty, most expensive first."""
    from optimizer.explain.roster import RULE_LABELS

    rows = [
        {
            "Cost": p.cost,
            "Rule": RULE_LABELS.get(p.rule, p.rule),
            "Date": "" if p.day is None else problem.date_of(p.day).strftime("%a %d %b"),
            "Shift": p.shift or "",
            "Who": ""
            if p.staff is None
            else (problem.person(p.staff).label if p.staff in problem.staff_index else p.staff),
            "What": p.message,
        }
        for p in penalties
    ]
    return pd.DataFrame(rows, columns=["Cost", "Rule", "Date", "Shift", "Who", "What"])


def why_short_table(problem: RosterProblem, roster: RosterSolution) -> pd.DataFrame:
    """Every understaffed shift and why nobody else could fill it (``why_short``)."""
    from optimizer.explain.shortfalls import why_short

    rows = [
        {
            "Date": problem.date_of(f.day).strftime("%a %d %b"),
            "Shift": problem.shift(f.shift).label,
            "Skill": f.skill or "any",
            "Short": f.short,
            "Why": f.why,
        }
        for f in why_short(problem, roster, most=WHY_AT_MOST)
    ]
    return pd.DataFrame(rows, columns=["Date", "Shift", "Skill", "Short", "Why"])


def why_short_section(table: pd.DataFrame) -> None:
    """The "Why short?" expander: one row per understaffed shift, with the reasons."""
    shifts = "shift" if len(table) == 1 else "shifts"
    _why_expander(
        f"Why short? ({len(table)} understaffed {shifts})",
        "Everybody qualified who is not on the shift, in the first group that fits: "
        "away, pinned elsewhere, on another shift, stopped by a hard rule (the "
        "checker's words), or free (what adding them would cost). At most the "
        f"{WHY_AT_MOST} costliest shortfalls are explained.",
        table,
    )


def _why_expander(title: str, caption: str, table: pd.DataFrame) -> None:
    """An expander holding ``caption`` and ``table`` with its wide Why column (nothing
    when the table is empty)."""
    if table.empty:
        return
    with st.expander(title):
        st.caption(caption)
        st.dataframe(
            table,
            hide_index=True,
            width="stretch",
            column_config={"Why": st.column_config.TextColumn("Why", width="large")},
        )


def why_not_granted_table(problem: RosterProblem, roster: RosterSolution) -> pd.DataFrame:
    """Every request the roster does not grant and why (``why_not_granted``)."""
    from optimizer.explain.refusals import why_not_granted

    def asked(shift: str | None, want: bool) -> str:
        label = "any shift" if shift is None else problem.shift(shift).label
        if want:
            return label
        return "day off" if shift is None else f"no {label}"

    rows = [
        {
            "Date": problem.date_of(r.day).strftime("%a %d %b"),
            "Staff": r.name,
            "Request": asked(r.shift, r.want),
            "Weight": r.weight,
            "Why": r.why,
        }
        for r in why_not_granted(problem, roster, most=WHY_AT_MOST)
    ]
    return pd.DataFrame(rows, columns=["Date", "Staff", "Request", "Weight", "Why"])


def why_not_granted_section(table: pd.DataFrame) -> None:
    """The "Why not granted?" expander: one row per ungranted request, with the reason."""
    requests = "request" if len(table) == 1 else "requests"
    _why_expander(
        f"Why not granted? ({len(table)} {requests})",
        "For each request the roster does not grant, the one change that would grant "
        "it (the person off that day, or on the wanted shift), checked in this order: "
        "away, pinned, a hard rule (the checker's words), or what that change alone "
        "would cost against the request's weight. Others could be moved too: the "
        f"solver weighed that. At most the {WHY_AT_MOST} heaviest requests are explained.",
        table,
    )


def kpi_row(family: Family) -> None:
    """Headline metrics: coverage, requests, penalty, fairness."""
    kpis = roster_kpis(family)
    result = family.result
    assert result is not None
    cols = st.columns(5)
    cols[0].metric("Coverage met", f"{kpis.coverage_met_pct:.1f} %")
    cols[1].metric("Requests granted", f"{kpis.requests_granted_pct:.1f} %")
    cols[2].metric("Penalty", f"{result.objective}")
    cols[3].metric(
        "Nights per person",
        f"{kpis.nights.minimum}–{kpis.nights.maximum}",
        help=f"mean {kpis.nights.mean}, standard deviation {kpis.nights.stdev}",
    )
    cols[4].metric(
        "Weekends per person",
        f"{kpis.weekends.minimum}–{kpis.weekends.maximum}",
        help=f"mean {kpis.weekends.mean}, standard deviation {kpis.weekends.stdev}",
    )


# Planner's headings for diagnosis fields whose names do not read as one (a comment:
# Streamlit shows a page script's bare strings as page text).
_HEADINGS = {"relax_together": "Changes that together give a roster"}


def show_diagnosis(diagnosis: Any) -> None:
    """The infeasibility diagnosis: summary, conflicting rules and suggested relaxations."""
    st.error("No roster satisfies every hard rule.")
    if diagnosis is None:
        st.write("The diagnosis is not available: press Solve again to find out why.")
        return
    if not isinstance(diagnosis, dict):
        st.write(str(diagnosis))
        return
    summary = diagnosis.get("summary") or diagnosis.get("message")
    if summary:
        st.markdown(str(summary))
    for key, value in diagnosis.items():
        if key in ("summary", "message") or not isinstance(value, list) or not value:
            continue
        st.markdown(f"**{_HEADINGS.get(key, key.replace('_', ' ').capitalize())}**")
        for item in value:
            text = (
                item.get("message") or item.get("text") or item if isinstance(item, dict) else item
            )
            st.markdown(f"- {text}")


def render() -> None:
    """Draw the roster page."""
    st.title("Roster")
    family = workspace().roster
    problem = family.problem
    if problem is None:
        st.info("No roster problem loaded: use the Data page to load the demo or upload one.")
        return
    st.caption(
        f"{problem.name} · {len(problem.staff)} staff · {problem.num_days} days from "
        f"{problem.start_date:%a %d %b %Y} · shifts {', '.join(s.id for s in problem.shifts)}"
    )
    solve_controls(family)
    status_line(family)
    result = family.result
    if result is None:
        return
    if result.status is SolveStatus.INFEASIBLE:
        show_diagnosis(family.diagnosis)
        return
    if result.roster is None:
        return
    kpi_row(family)
    from optimizer.explain.roster import penalty_breakdown
    from optimizer.plotting import coverage_heatmap, minutes_vs_contract, roster_grid

    roster = result.roster
    grid, coverage, hours, penalties = st.tabs(
        ["Roster grid", "Coverage", "Hours vs contract", "Penalties"]
    )
    with grid:
        st.plotly_chart(
            family.cached("grid", lambda: roster_grid(problem, roster)),
            key="roster_grid",
        )
        st.caption("Grey: leave. ✓ request granted, ✗ request not granted (hover for details).")
    with coverage:
        st.plotly_chart(
            family.cached("coverage", lambda: coverage_heatmap(problem, roster)),
            key="coverage_heatmap",
        )
    with hours:
        st.plotly_chart(
            family.cached("hours", lambda: minutes_vs_contract(problem, roster)),
            key="minutes_vs_contract",
        )
    with penalties:
        table = family.cached(
            "penalties", lambda: penalty_table(problem, penalty_breakdown(problem, roster))
        )
        penalty_list(table, f"penalty_rules_{family.revision}")
        why_short_section(family.cached("why_short", lambda: why_short_table(problem, roster)))
        why_not_granted_section(
            family.cached("why_not_granted", lambda: why_not_granted_table(problem, roster))
        )


def penalty_list(table: pd.DataFrame, key: str) -> None:
    """The penalty table filtered by rule; the heading counts what the table shows.

    ``key`` changes with the result, so a new result starts with every rule shown.
    """
    heading = st.empty()  # above the filter, filled in once the filter is known
    rules = sorted(table["Rule"].unique())
    chosen = st.multiselect("Rules", rules, default=rules, key=key)
    shown = table[table["Rule"].isin(chosen)]
    count, total = f"{len(table)} items", f"total {int(table['Cost'].sum())}"
    if len(shown) < len(table):
        count = f"{len(shown)} of {len(table)} items"
        total = f"total {int(shown['Cost'].sum())} of {int(table['Cost'].sum())}"
    heading.subheader(f"Penalty list ({count}, {total})")
    st.dataframe(shown, hide_index=True, width="stretch", height=420)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
