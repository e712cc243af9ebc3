"""The case change forms: an added case, a cancelled case, a closed room, a case
that ran long, a member of staff away."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.state import Workspace
from dashboards.views.changes_page.pending import add_change
from optimizer.errors import InputError
from optimizer.model.result import Result


def case_forms(ws: Workspace, problem: Any, published: Result) -> None:
    days: list[dt.date | None] = [None]
    if problem.start is not None:
        days += [
            (problem.start + dt.timedelta(days=d)).date()
            for d in range(max(1, problem.horizon // (24 * 60)))
        ]
    case_tab, cancel_tab, room_tab, overrun_tab, absence_tab = st.tabs(
        ["Added case", "Cancelled case", "Closed room", "Case ran long", "Staff away"]
    )
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
                add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    with room_tab, st.form("room_form"):
        rooms = {r.id: r.label for r in problem.rooms}
        parts = st.columns([2, 2, 1, 1])
        room = parts[0].selectbox("Room", list(rooms), format_func=rooms.__getitem__)
        day = parts[1].selectbox(
            "Closed on", days, format_func=lambda d: "all week" if d is None else f"{d:%a %d %b}"
        )
        opens = parts[2].time_input("From", value=None, step=300, key="closed_from")
        closes = parts[3].time_input("To", value=None, step=300, key="closed_to")
        st.caption(
            "From/To (optional) close the room for part of the day. Optional cases that "
            "only this room can take then are left out of the plan; the change lists them."
        )
        if st.form_submit_button("Close room"):
            try:
                new, text = whatif.with_closed_room(problem, str(room), day, opens, closes)
                add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(exc.message)
    with cancel_tab:
        _cancel_form(ws, problem, published)
    with overrun_tab:
        _overrun_form(ws, problem, published)
    with absence_tab:
        _absence_form(ws, problem, published, [d for d in days if d is not None])


def _case_choices(problem: Any, published: Result) -> dict[str, str]:
    """Case id -> "Tue 08 Dec 09:35 · Theatre 2 · C013 …" (unplaced cases last)."""
    from optimizer.explain.case_time import when

    placed = published.schedule.by_task() if published.schedule else {}
    rooms = {r.id: r.label for r in problem.rooms}
    far = problem.horizon + 1

    def shown(task: Any) -> str:
        item = placed.get(task.id)
        if item is None:
            return f"not scheduled · {task.label}"
        room = rooms.get(item.room or "", item.room or "no room")
        return f"{when(problem, item.start)} · {room} · {task.label}"

    tasks = sorted(
        problem.tasks, key=lambda t: (placed[t.id].start if t.id in placed else far, t.id)
    )
    return {t.id: shown(t) for t in tasks}


def _cancel_form(ws: Workspace, problem: Any, published: Result) -> None:
    """A case will not happen: it leaves the plan (its people's calendars cancel it once
    the scenario is adopted)."""
    choices = _case_choices(problem, published)
    if not choices:
        st.caption("The plan has no case left to cancel.")
        return
    with st.form("cancel_form"):
        task = st.selectbox(
            "Case", list(choices), format_func=choices.__getitem__, key="cancel_case"
        )
        st.caption(
            "The case leaves the plan with its pin and its order with other cases. Once "
            "the scenario is adopted, the calendar export cancels it for its team."
        )
        if st.form_submit_button("Add cancellation"):
            try:
                new, text = whatif.with_cancelled_case(problem, published, str(task))
                add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))


def _overrun_form(ws: Workspace, problem: Any, published: Result) -> None:
    """A published case ran long: it stays where it ran, with its actual end."""
    from optimizer.explain.case_time import when

    placed = sorted(
        (t for t in published.schedule.tasks if t.task in problem.task_index)
        if published.schedule
        else (),
        key=lambda t: (t.start, t.task),
    )
    if not placed:
        st.caption("The published schedule has no case that could have run long.")
        return
    rooms = {r.id: r.label for r in problem.rooms}
    shown = {
        t.task: f"{when(problem, t.start)} · {rooms.get(t.room or '', t.room or 'no room')} · "
        f"{problem.task(t.task).label}"
        for t in placed
    }
    with st.form("overrun_form"):
        cols = st.columns([3, 1])
        task = cols[0].selectbox("Case", list(shown), format_func=shown.__getitem__)
        minutes = cols[1].number_input("Minutes over", min_value=1, max_value=720, value=30)
        st.caption(
            "The case stays where it ran, with its room and team kept on until it ends; "
            "the cases after it are re-planned."
        )
        if st.form_submit_button("Add overrun"):
            try:
                new, text = whatif.with_case_overrun(problem, published, str(task), int(minutes))
                add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))


def _absence_form(ws: Workspace, problem: Any, published: Result, days: list[dt.date]) -> None:
    """A member of case staff is away for a day, or part of one (From / To)."""
    from dashboards.whatif import ABSENCE_REASONS, with_case_absence

    if not days:
        st.caption("This case problem has no calendar dates, so no day can be picked.")
        return
    people = {p.id: p.label for p in problem.staff}
    with st.form("absence_form"):
        top = st.columns(2)
        person = top[0].selectbox(
            "Person", list(people), format_func=people.__getitem__, key="absence_person"
        )
        reason = top[1].selectbox("Reason", ABSENCE_REASONS, key="absence_reason")
        cols = st.columns(3)
        day = cols[0].selectbox(
            "Day", days, format_func=lambda d: f"{d:%a %d %b}", key="absence_day"
        )
        start = cols[1].time_input("From", None, step=dt.timedelta(minutes=15), key="absence_from")
        end = cols[2].time_input("To", None, step=dt.timedelta(minutes=15), key="absence_to")
        st.caption(
            "Leave From and To empty for the whole day (From alone: the rest of the day). "
            "Their cases then are re-planned; optional cases only they can do are left out. "
            "A case fixed with them then (started, ran long or pinned) refuses the absence."
        )
        if st.form_submit_button("Add absence"):
            try:
                new, text = with_case_absence(
                    problem, published, str(person), day, start, end, str(reason)
                )
                add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(exc.message)


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
