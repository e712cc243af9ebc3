"""Changes / what-if page: apply changes, re-plan with minimal disruption, compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.jobs import SolveJob
from dashboards.optional import feature
from dashboards.state import LABELS, NOUNS, Family, Scenario, Workspace, workspace
from optimizer.errors import InputError
from optimizer.model.roster import RosterProblem


def _pending(ws: Workspace, family: Family) -> tuple[Any, list[str]]:
    """The what-if problem under construction (starts as the current problem)."""
    current = ws.pending.get(family.kind)
    if current is None:
        current = (family.problem, [])
        ws.pending[family.kind] = current
    return current


def _add_change(ws: Workspace, kind: str, problem: Any, descriptions: list[str]) -> None:
    """Add confirmed changes to the what-if under construction (one undo step)."""
    _, changes = ws.pending[kind]
    action = (
        f"what-if change '{descriptions[0]}'"
        if len(descriptions) == 1
        else f"{len(descriptions) or 'the'} what-if changes"
    )
    ws.record(action, [kind])
    ws.pending[kind] = (problem, [*changes, *descriptions])


def _roster_forms(ws: Workspace, problem: RosterProblem) -> None:
    first_day, last_day = problem.start_date, problem.date_of(problem.num_days - 1)
    people = {p.id: f"{p.label} ({p.grade or p.id})" for p in problem.staff}
    leave_tab, demand_tab = st.tabs(["Leave / sickness", "Extra demand"])
    with leave_tab, st.form("leave_form"):
        staff = st.selectbox("Who", list(people), format_func=people.__getitem__)
        cols = st.columns(3)
        first = cols[0].date_input("From", first_day, min_value=first_day, max_value=last_day)
        last = cols[1].date_input("To", first_day, min_value=first_day, max_value=last_day)
        reason = cols[2].selectbox("Reason", ["sickness", "annual leave", "training", "other"])
        if st.form_submit_button("Add leave"):
            try:
                new, text = whatif.with_leave(problem, str(staff), first, last, str(reason))
                _add_change(ws, "roster", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    with demand_tab, st.form("demand_form"):
        pair = st.columns(2)
        first = pair[0].date_input("From", first_day, min_value=first_day, max_value=last_day)
        last = pair[1].date_input("To", first_day, min_value=first_day, max_value=last_day)
        cols = st.columns(3)
        shift = cols[0].selectbox("Shift", [s.id for s in problem.shifts])
        skill = cols[1].selectbox("Skill", ["(any)", *problem.skills])
        delta = cols[2].number_input("Extra staff", min_value=-10, max_value=20, value=1)
        if st.form_submit_button("Add demand"):
            try:
                new, text = whatif.with_extra_demand(
                    problem,
                    first,
                    last,
                    str(shift),
                    None if skill == "(any)" else str(skill),
                    int(delta),
                )
                _add_change(ws, "roster", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))


def _case_forms(ws: Workspace, problem: Any) -> None:
    days: list[dt.date | None] = [None]
    if problem.start is not None:
        days += [
            (problem.start + dt.timedelta(days=d)).date()
            for d in range(max(1, problem.horizon // (24 * 60)))
        ]
    case_tab, room_tab = st.tabs(["Added case", "Closed room"])
    with case_tab, st.form("case_form"):
        cols = st.columns(3)
        case_id = cols[0].text_input("Case id", f"X{len(problem.tasks) + 1:03d}")
        procedure = cols[1].text_input("Procedure", "Appendicectomy")
        duration = cols[2].number_input("Minutes", min_value=5, max_value=720, value=60)
        surgeons = {p.id: p.label for p in problem.staff}
        cols = st.columns(3)
        surgeon = cols[0].selectbox(
            "Named surgeon", ["", *surgeons], format_func=lambda s: surgeons.get(s, "(none)")
        )
        day = cols[1].selectbox(
            "Day", days, format_func=lambda d: "any day" if d is None else f"{d:%a %d %b}"
        )
        priority = cols[2].number_input("Priority", min_value=1, max_value=10, value=3)
        roles_text = st.text_input("Team (role=count; …)", "anaesthetist=1;scrub_nurse=2")
        if st.form_submit_button("Add case"):
            try:
                roles = _parse_roles(roles_text)
                new, text = whatif.with_added_case(
                    problem,
                    case_id.strip(),
                    procedure.strip() or "case",
                    int(duration),
                    surgeon or None,
                    roles,
                    day,
                    int(priority),
                )
                _add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    with room_tab, st.form("room_form"):
        rooms = {r.id: r.label for r in problem.rooms}
        pair = st.columns(2)
        room = pair[0].selectbox("Room", list(rooms), format_func=rooms.__getitem__)
        day = pair[1].selectbox(
            "Closed on", days, format_func=lambda d: "all week" if d is None else f"{d:%a %d %b}"
        )
        if st.form_submit_button("Close room"):
            try:
                new, text = whatif.with_closed_room(problem, str(room), day)
                _add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))


def _parse_roles(text: str) -> dict[str, int]:
    """``role=count; …`` into a dict; InputError naming the Team field otherwise."""
    roles: dict[str, int] = {}
    for part in text.replace(",", ";").split(";"):
        entry = part.strip()
        if not entry:
            continue
        role, sep, count = (piece.strip() for piece in entry.partition("="))
        if not sep or not role or not (count.isascii() and count.isdigit()):
            raise InputError(
                f"entry '{entry}' must be role=count, with a role id and a whole number "
                "of people (0-9 digits), e.g. scrub_nurse=2",
                field="Team",
            )
        roles[role] = roles.get(role, 0) + int(count)
    return roles


def _free_text(ws: Workspace, family: Family) -> None:
    """Free-text intake: understand, show the proposal, apply only on confirmation."""
    propose = feature("llm_intake.intake", "propose")
    apply_requests = feature("llm_intake.apply", "apply_requests")
    if propose is None or apply_requests is None:
        return
    st.subheader("Describe a change in words")
    problem, _ = _pending(ws, family)
    text = st.text_area(
        "For example: “Priya Patel is off sick Tuesday and Wednesday”",
        key=f"free_text_{family.kind}",
        height=80,
    )
    start = getattr(problem, "start_date", None) or getattr(problem, "start", None)
    default_today = start.date() if isinstance(start, dt.datetime) else start or dt.date.today()
    today = st.date_input(
        "Relative dates (“tomorrow”, “next Tuesday”) count from",
        default_today,
        key=f"today_{family.kind}",
    )
    if st.button("Understand", key=f"understand_{family.kind}") and text.strip():
        try:
            ws.proposal = (family.kind, propose(text, [problem], today))
        except Exception as exc:  # the intake fails closed; show why
            ws.proposal = None
            st.error(f"Could not understand the text: {exc}")
    if ws.proposal is None or ws.proposal[0] != family.kind:
        return
    proposal = ws.proposal[1]
    st.info(proposal.summary or "I did not find a change I can apply.")
    for item in proposal.unparsed:
        st.warning(f"Not understood: “{item.text}” — {item.reason}")
    cols = st.columns(2)
    if proposal.requests and cols[0].button("Confirm and add", key=f"confirm_{family.kind}"):
        try:
            applied = apply_requests(problem, list(proposal.requests))
            _add_change(ws, family.kind, applied.problem, list(applied.changes))
            ws.proposal = None
            st.rerun()
        except InputError as exc:
            st.error(str(exc))
    if cols[1].button("Discard", key=f"discard_{family.kind}"):
        ws.proposal = None
        st.rerun()


def _start_scenario(ws: Workspace, family: Family, limit: float) -> None:
    problem, changes = ws.pending[family.kind]
    assert family.result is not None
    try:
        if family.kind == "roster":
            planned = whatif.baseline_roster(problem, family.result)
            hint: Any = family.result.roster
        else:
            planned = whatif.baseline_cases(problem, family.result)
            hint = whatif.case_hint(planned, family.result)
    except InputError as exc:
        st.error(str(exc))
        return
    scenario = Scenario(
        name=ws.next_scenario_name(),
        kind=family.kind,
        changes=list(changes),
        base_problem=family.problem,
        base_result=family.result,
        problem=planned,
    )
    scenario.job = SolveJob.start_for(planned, time_limit=limit, workers=None, seed=0, hint=hint)
    ws.record(f"re-plan the changes as {scenario.name}", [family.kind], scenario)
    ws.scenarios.append(scenario)
    ws.pending.pop(family.kind, None)
    st.session_state["scenario_choice"] = scenario.name


def _scenario_progress(name: str) -> None:
    """Fragment: poll a scenario's solve until it ends."""
    ws = workspace()
    scenario = next((s for s in ws.scenarios if s.name == name), None)
    if scenario is None or scenario.job is None:
        return
    snap = scenario.job.snapshot()
    if not snap.running:
        scenario.job = None
        if snap.result is not None and snap.result.status.has_solution:
            scenario.result = snap.result
        else:
            scenario.error = snap.error or "no solution within the time limit"
        st.rerun(scope="app")
    best = snap.points[-1].objective if snap.points else "—"
    cols = st.columns([4, 1])
    cols[0].info(f"Re-planning {name}… {snap.seconds:.0f} s · penalty {best}")
    if cols[1].button("Cancel", key=f"cancel_{name}"):
        scenario.job.cancel()


def _show_scenario(ws: Workspace, scenario: Scenario) -> None:
    st.markdown("**Changes:** " + "; ".join(scenario.changes))
    if scenario.job is not None:
        st.fragment(_scenario_progress, run_every=0.5)(scenario.name)
        return
    if scenario.result is None:
        st.error(f"{scenario.name}: {scenario.error}")
        return
    if scenario.kind == "roster":
        kpis = whatif.roster_kpi_table(scenario.problem, scenario.base_result, scenario.result)
        moved = whatif.roster_changes(scenario.problem, scenario.base_result, scenario.result)
        noun = "changed assignments"
    else:
        kpis = whatif.case_kpi_table(scenario.problem, scenario.base_result, scenario.result)
        moved = whatif.case_changes(scenario.problem, scenario.base_result, scenario.result)
        noun = "changed cases"
    cols = st.columns([2, 3])
    with cols[0]:
        st.markdown("**KPIs: baseline vs scenario**")
        st.dataframe(kpis, hide_index=True, width="stretch")
    with cols[1]:
        st.markdown(f"**{len(moved)} {noun}**")
        st.dataframe(moved, hide_index=True, width="stretch", height=300)
    st.button(
        "Adopt this scenario as the current plan",
        key=f"adopt_{scenario.name}",
        on_click=adopt,
        args=(ws, scenario),
    )


def adopt(ws: Workspace, scenario: Scenario) -> None:
    """Make the scenario the current plan (one undo step); refused if it is stale."""
    family = ws.family(scenario.kind)
    notes = ws.notes.setdefault(scenario.kind, [])
    if scenario.base_problem is not family.problem or scenario.result is None:
        notes.append(
            f"{scenario.name} was not adopted: it was built on an earlier {NOUNS[scenario.kind]} "
            "problem than the one in use."
        )
        return
    ws.record(f"adopt {scenario.name}", [scenario.kind])
    adopted, result = whatif.adopted_plan(scenario.problem, scenario.result)
    family.set_problem(adopted, record=False)
    family.set_result(result)
    ws.notes.setdefault(scenario.kind, []).append(f"{scenario.name} is now the current plan.")


def render() -> None:
    """Draw the changes / what-if page."""
    ws = workspace()
    st.title("Changes / what-if")
    choice = st.radio("Plan", [LABELS["roster"], LABELS["cases"]], horizontal=True)
    family = ws.roster if choice == LABELS["roster"] else ws.cases
    for note in ws.notes.pop(family.kind, []):
        st.info(note)
    if family.problem is None or family.result is None or not family.result.status.has_solution:
        st.info("Solve this plan first (Roster or Cases page): changes are made against it.")
    else:
        problem, changes = _pending(ws, family)
        st.subheader("New scenario")
        if family.kind == "roster":
            _roster_forms(ws, problem)
        else:
            _case_forms(ws, problem)
        _free_text(ws, family)
        if changes:
            st.markdown("**Changes in this scenario:**")
            for change in changes:
                st.markdown(f"- {change}")
            cols = st.columns([1, 1, 2])
            limit = cols[0].number_input("Time limit (s)", 1, 600, 15, key="scenario_limit")
            if cols[1].button("Re-plan with minimal disruption", type="primary"):
                _start_scenario(ws, family, float(limit))
                st.rerun()
            if cols[2].button("Discard changes"):
                ws.record(f"discard {len(changes)} what-if change(s)", [family.kind])
                ws.pending.pop(family.kind, None)
                st.rerun()
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
    if len(scenarios) > 1:
        st.dataframe(whatif.compare(scenarios), hide_index=True, width="stretch")
    names = [s.name for s in scenarios]
    chosen = st.radio("Scenario", names, horizontal=True, key="scenario_choice")
    scenario = next(s for s in scenarios if s.name == chosen)
    _show_scenario(ws, scenario)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
