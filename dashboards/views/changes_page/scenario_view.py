"""A scenario shown: its notes, KPIs and changes, or why it has no plan; adopting it."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboards import whatif
from dashboards.state import NOUNS, Scenario, Workspace
from dashboards.views.changes_page.running import NO_PLAN, scenario_progress
from optimizer.model.result import Result


def _show_infeasible(scenario: Scenario) -> None:
    """Why an infeasible re-plan has no plan: the roster diagnosis, or the likely causes."""
    if scenario.kind == "roster":
        from dashboards.views.roster import show_diagnosis

        show_diagnosis(scenario.diagnosis)
        return
    st.error(NO_PLAN["cases"])
    for hint in scenario.hints:
        st.markdown(f"- Likely cause: {hint}")
    if not scenario.hints:
        st.markdown(
            "No single case is impossible on its own: the cases that must be scheduled "
            "compete for the same rooms, people, equipment or time after these changes. "
            "Revisit the changes, or make some cases optional (Data page, tasks)."
        )


STOPPED_EARLY = (
    "Stopped early: the re-plan was cancelled, so this is the best plan found until then; "
    "re-plan with a longer time limit for a better one."
)

CASE_CHANGE_COLUMNS = {
    "Case": st.column_config.TextColumn(width=60),
    "Name": st.column_config.TextColumn(width=200),
    "Before": st.column_config.TextColumn(width=270, help="time, room [team]"),
    "After": st.column_config.TextColumn(width=270, help="time, room [team]"),
}
# Widths that add up to less than the page at 1280 px: the After column stays in view
# (the team lists would otherwise make Before as wide as the page).


def show_scenario(
    ws: Workspace, scenario: Scenario, baseline: tuple[Result, list[str]] | None = None
) -> None:
    """The scenario's notes, KPIs and changes; ``baseline``: its
    ``whatif.scenario_baseline`` when the page computed it already."""
    st.markdown("**Changes:** " + "; ".join(scenario.changes))
    for note in scenario.notes:
        st.caption(note)
    if scenario.job is not None:
        st.fragment(scenario_progress, run_every=0.5)(scenario.name)
        return
    if scenario.result is None:
        if scenario.infeasible:
            _show_infeasible(scenario)
        else:
            st.error(f"{scenario.name}: {scenario.error}")
        return
    if scenario.stopped_early:
        st.warning(STOPPED_EARLY)
    if scenario.kept_note:
        st.info(scenario.kept_note)
    base = scenario.base_result
    baseline = baseline or whatif.scenario_baseline(scenario)
    if scenario.kind == "roster":
        kpis = whatif.roster_kpi_table(scenario.problem, base, scenario.result, baseline=baseline)
        why = _reasons(scenario)
        moved = whatif.roster_changes(scenario.problem, base, scenario.result, why)
        heading, config = whatif.changes_summary(moved), None
    else:
        gone = whatif.cancelled(scenario.changes)
        before = scenario.base_problem
        kpis = whatif.case_kpi_table(
            scenario.problem, base, scenario.result, before, gone, baseline=baseline
        )
        moved = whatif.case_changes(scenario.problem, base, scenario.result, before, gone)
        heading, config = f"{len(moved)} changed cases", CASE_CHANGE_COLUMNS
    cols = st.columns([3, 2])
    with cols[0]:
        st.markdown("**KPIs: baseline vs scenario**")
        st.dataframe(kpis, hide_index=True, width="stretch")
        if scenario.kind == "roster":
            broken = whatif.broken_baseline_note(scenario.problem, base, baseline=baseline)
            if broken:
                st.warning(broken)
            caption = whatif.baseline_caption(
                scenario.base_problem, scenario.problem, base, usable=not broken
            )
            st.caption(caption)
        else:
            _case_baseline_notes(scenario, baseline)
    with cols[1]:
        st.markdown(f"**Status:** {scenario.result.status.value}")
        st.button(
            "Adopt this scenario as the current plan",
            key=f"adopt_{scenario.name}",
            on_click=adopt,
            args=(ws, scenario),
        )
    st.markdown(f"**{heading}**")
    height = min(300, 38 + 35 * max(1, len(moved)))  # no empty rows below a short list
    st.dataframe(moved, hide_index=True, width="stretch", height=height, column_config=config)


def _case_baseline_notes(scenario: Scenario, baseline: tuple[Result, list[str]] | None) -> None:
    """Under a case scenario's KPIs: the hard rules its baseline breaks, and what it is."""
    broken = whatif.broken_case_baseline_note(
        scenario.problem, scenario.base_result, baseline=baseline
    )
    if broken:
        st.warning(broken)
    st.caption(
        whatif.case_baseline_caption(
            scenario.base_problem, scenario.problem, scenario.base_result, usable=not broken
        )
    )


def replan_scope(scenario: Scenario) -> str:
    """The scope a roster scenario was re-planned in (``whatif.SCOPES``): "whole" when
    every day was free on the full cover targets (no kept days, no stand-in solved)."""
    return "whole" if not scenario.kept_days and scenario.solved_on is None else "around"


def _reasons(scenario: Scenario) -> Callable[[str, int], str]:
    """Why each staff-day of a roster scenario moved (``whatif.change_reasons``); after
    a re-plan started again without its kept days, those days changed for the rules."""
    assert scenario.result is not None
    changed = scenario.problem if scenario.adopt is None else scenario.adopt
    unkept = scenario.kept_days if scenario.adopt is None else ()
    return whatif.change_reasons(
        scenario.base_problem,
        changed,
        scenario.base_result,
        scenario.result,
        scope=replan_scope(scenario),
        unkept=unkept,
    )


def adopt(ws: Workspace, scenario: Scenario) -> None:
    """Make the scenario the current plan (one undo step); refused if it is stale.

    A roster re-plan that kept the published days before the changes adopts the
    scenario's problem without those pins.
    """
    family = ws.family(scenario.kind)
    notes = ws.notes.setdefault(scenario.kind, [])
    if scenario.base_problem is not family.problem or scenario.result is None:
        notes.append(
            f"{scenario.name} was not adopted: it was built on an earlier {NOUNS[scenario.kind]} "
            "problem than the one in use."
        )
        return
    ws.record(f"adopt {scenario.name}", [scenario.kind])
    problem = scenario.adopt or scenario.problem
    adopted, result = whatif.adopted_plan(problem, scenario.result)
    family.set_problem(adopted, record=False)
    family.set_result(result)
    # for the calendars' cancellations only: never a baseline of later solves
    family.previous_plan = (scenario.base_problem, scenario.base_result)
    ws.notes.setdefault(scenario.kind, []).append(f"{scenario.name} is now the current plan.")
