"""The re-plan's settings: a roster's scope, a case plan's "now"."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboards import whatif
from dashboards.state import Family
from dashboards.widgets import kept

SCOPE_HELP = (
    "Only around the changes: the re-plan fills what the changes leave short (an absent "
    "person's shifts, added demand) and leaves the published roster's other shortfalls as "
    "they are; only the changed days and the few days either side that the rest and run "
    "rules reach may move (if keeping the other days leaves no roster, the re-plan widens "
    "and says so). The whole roster: any day may move where that lowers the penalty by "
    "more than the cost of the change, so a poor published roster can change a lot."
)


def scope_input() -> str:
    """Which days a roster re-plan may move (``whatif.SCOPES``)."""
    scope = st.radio(
        "Re-plan scope",
        list(whatif.SCOPES),
        format_func=whatif.SCOPES.__getitem__,
        horizontal=True,
        help=SCOPE_HELP,
        **kept("replan_scope", "around"),
    )
    return str(scope)


def now_input(family: Family) -> int | None:
    """The re-plan's "now" as a minute of the plan: cases started before it stay put."""
    problem = family.problem
    tip = (
        "Cases the published schedule started before this stay where they are (time, room "
        "and team); no other case starts earlier. The first minute of the plan re-plans "
        "everything."
    )
    if problem.start is None:
        minute = st.number_input(
            "Now (minute of the plan)",
            0,
            problem.horizon,
            help=tip,
            **kept(f"replan_now_minute_{family.version}", 0),
        )
        return int(minute)
    last = problem.datetime_of(problem.horizon)
    moment = st.datetime_input(
        "Now",
        None,  # the value comes from ``kept`` (the default "now" could be outside the plan)
        min_value=problem.start,
        max_value=last,
        step=dt.timedelta(minutes=5),
        help=tip,
        **kept(f"replan_now_{family.version}", problem.start),
    )
    if moment is None:
        return None
    return min(max(problem.minute_of(moment), 0), problem.horizon)
