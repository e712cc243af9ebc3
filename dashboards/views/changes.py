"""Changes / what-if page: apply changes, re-plan with minimal disruption, compare.

The page's parts live in ``dashboards.views.changes_page``: the change forms
(``roster_forms``, ``case_forms``), the free-text box (``free_text``), the changes being
built (``pending``), the re-plan's settings (``replan_inputs``), its solve
(``running``) and a scenario shown and adopted (``scenario_view``).
"""

from __future__ import annotations

import streamlit as st

from dashboards import whatif
from dashboards.state import LABELS, NOUNS, Family, Workspace, workspace
from dashboards.views.changes_page.case_forms import case_forms
from dashboards.views.changes_page.free_text import free_text
from dashboards.views.changes_page.pending import pending_changes
from dashboards.views.changes_page.replan_inputs import now_input, scope_input
from dashboards.views.changes_page.roster_forms import roster_forms
from dashboards.views.changes_page.running import finish, start_scenario
from dashboards.views.changes_page.scenario_view import adopt, show_scenario
from dashboards.widgets import kept

# Notes here are comments, not docstrings: Streamlit shows a page script's bare strings.

_finish = finish  # the name tests call (``changes._finish``)
__all__ = ["adopt", "render"]


COMPARED = ("Scenario", "Status", whatif.PENALTY, whatif.BASELINE_PENALTY, "Changed", "Changes")
# The long list of changes goes last: first, it pushed "Changed" out of view at 1280 px.


def render() -> None:
    """Draw the changes / what-if page."""
    ws = workspace()
    st.title("Changes / what-if")
    choice = st.radio(
        "Plan",
        [LABELS["roster"], LABELS["cases"]],
        horizontal=True,
        **kept("plan_choice", LABELS["roster"]),
    )
    family = ws.roster if choice == LABELS["roster"] else ws.cases
    for note in ws.notes.pop(family.kind, []):
        st.info(note)
    if family.problem is None or family.result is None or not family.result.status.has_solution:
        st.info("Solve this plan first (Roster or Cases page): changes are made against it.")
    else:
        _new_scenario(ws, family)
    scenarios = ws.usable_scenarios(family.kind)
    hidden = len(ws.stale_scenarios(family.kind))
    if hidden:
        st.caption(
            f"{hidden} scenario(s) built on an earlier {NOUNS[family.kind]} problem are hidden; "
            "Undo back to that problem to see them again."
        )
    if not scenarios:
        return
    st.subheader("Scenarios")
    baselines = whatif.scenario_baselines(scenarios)  # once: the comparison and the one shown
    if len(scenarios) > 1:
        st.dataframe(
            whatif.compare(scenarios, baselines),
            hide_index=True,
            width="stretch",
            column_order=COMPARED,
            column_config={"Status": st.column_config.TextColumn(width=175)},
        )
    names = [s.name for s in scenarios]
    chosen = st.radio("Scenario", names, horizontal=True, key="scenario_choice")
    scenario = next(s for s in scenarios if s.name == chosen)
    show_scenario(ws, scenario, baselines.get(scenario.name))


def _new_scenario(ws: Workspace, family: Family) -> None:
    """The forms, the free-text box and the changes being built, with Re-plan."""
    assert family.result is not None
    problem, changes = pending_changes(ws, family)
    st.subheader("New scenario")
    if family.kind == "roster":
        roster_forms(ws, problem)
    else:
        case_forms(ws, problem, family.result)
    free_text(ws, family)
    if not changes:
        return
    st.markdown("**Changes in this scenario:**")
    for change in changes:
        st.markdown(f"- {change}")
    now = now_input(family) if family.kind == "cases" else None
    scope = scope_input() if family.kind == "roster" else "around"
    cols = st.columns([1, 2, 1], vertical_alignment="bottom")
    limit = cols[0].number_input("Time limit (s)", 1, 600, **kept("scenario_limit", 15))
    replan = cols[1].button("Re-plan with minimal disruption", type="primary")
    if replan and start_scenario(ws, family, float(limit), now, scope):
        st.rerun()
    if cols[2].button("Discard changes"):
        ws.record(f"discard {len(changes)} what-if change(s)", [family.kind])
        ws.pending.pop(family.kind, None)
        st.rerun()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
