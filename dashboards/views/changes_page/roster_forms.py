"""The roster change forms: leave or sickness, extra demand."""

from __future__ import annotations

import streamlit as st

from dashboards import whatif
from dashboards.state import Workspace
from dashboards.views.changes_page.pending import add_change
from optimizer.errors import InputError
from optimizer.model.roster import RosterProblem


def roster_forms(ws: Workspace, problem: RosterProblem) -> None:
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
                add_change(ws, "roster", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    with demand_tab, st.form("demand_form"):
        pair = st.columns(2)
        first = pair[0].date_input("From", first_day, min_value=first_day, max_value=last_day)
        last = pair[1].date_input("To", first_day, min_value=first_day, max_value=last_day)
        cols = st.columns(3)
        shifts = {s.id: s.label for s in problem.shifts}
        shift = cols[0].selectbox("Shift", list(shifts), format_func=shifts.__getitem__)
        skill = cols[1].selectbox(
            "Skill",
            ["(any)", *problem.skills],
            help="(any): staff of any skill. Where a shift's cover is set per skill only, "
            "pick the skill that needs the change.",
        )
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
                add_change(ws, "roster", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
