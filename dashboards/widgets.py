"""Page parts shared by several views: solve panel with live progress, running-solve
notes, settings kept across pages, undo / redo."""

from __future__ import annotations

import math
import os
from typing import Any

import streamlit as st

from dashboards.jobs import Snapshot, SolveJob
from dashboards.state import FAMILIES, NOUNS, Family, Workspace, workspace
from optimizer.model.result import Result, SolveStatus
from optimizer.plotting import progress_chart

REFRESH_SECONDS = 0.5
MAX_SEED = 2**31 - 1  # the solvers take a 32-bit signed seed
PAGES = {"roster": "Roster", "cases": "Cases"}
"""The page that solves each family (and shows its progress)."""
USES_PREVIOUS = {
    "changes": "re-plans use the previous {noun} as their baseline",
    "export": "the downloads hold the previous {noun}",
}
"""What a page does with a plan while a new solve of it runs elsewhere."""
SEED_HELP = (
    "Empty (the default): the time limit is seconds on the clock. A seed with Workers = 1 "
    "makes the run reproducible (the same plan every time); the limit then counts solver "
    "work, not seconds, so on a busy machine the run can take up to 3 times as long."
)
KEPT = "kept_widget_values"
"""Session key: widget key -> the planner's last value for that widget (see ``kept``)."""


def solve_controls(family: Family, default_limit: int = 20) -> None:
    """Time limit / workers / seed inputs, the Solve button and the live progress."""
    kind = family.kind
    running = family.job is not None
    cols = st.columns([1, 1, 1, 1])
    cores = max(1, os.cpu_count() or 1)
    limit = cols[0].number_input(
        "Time limit (s)", min_value=1, max_value=3600, **kept(f"limit_{kind}", default_limit)
    )
    workers = cols[1].number_input(
        "Workers", min_value=1, max_value=max(cores, 8), **kept(f"workers_{kind}", cores)
    )
    seed = cols[2].number_input(
        "Seed",
        min_value=0,
        max_value=MAX_SEED,
        value=None,  # the kept value is drawn; None lets the box stay empty
        placeholder="none",
        help=SEED_HELP,
        **kept(f"seed_{kind}", None),
    )
    cols[3].write("")
    if cols[3].button(
        "Solve", type="primary", disabled=running or family.problem is None, key=f"solve_{kind}"
    ):
        start_solve(family, float(limit), int(workers), None if seed is None else int(seed))
        st.rerun()
    if family.job is not None:
        st.fragment(_live_progress, run_every=REFRESH_SECONDS)(kind)
    elif family.message:
        st.warning(family.message)


def kept(key: str, default: Any) -> dict[str, Any]:
    """The ``key`` / ``on_change`` arguments of a widget whose value survives page switches.

    Streamlit drops the state of a widget that a run does not draw, and the browser forgets
    it when the page changes. So the planner's value lives under a plain session key
    (``KEPT``), is copied there by ``on_change``, and is written to the widget's key right
    before the widget is drawn, which makes Streamlit send it to the browser (the pattern
    of Streamlit's "Working with widgets in multipage apps", option 2). Call it right
    before the widget and give the widget no default of its own.
    """
    store: dict[str, Any] = st.session_state.setdefault(KEPT, {})
    st.session_state[key] = store.setdefault(key, default)
    return {"key": key, "on_change": _store, "args": (key,)}


def _store(key: str) -> None:
    """``on_change`` of a kept widget: remember the planner's new value."""
    set_kept(key, st.session_state[key])


def set_kept(key: str, value: Any) -> None:
    """Set a kept widget's value from code (drawn with it by ``kept`` on its next draw)."""
    st.session_state.setdefault(KEPT, {})[key] = value


def start_solve(family: Family, limit: float, workers: int, seed: int | None) -> None:
    """Start a background solve, warm-started from the current solution if any; with no
    seed the time limit is wall-clock seconds whatever the workers."""
    # the input is bounded; this guards direct calls
    if seed is not None and not 0 <= seed <= MAX_SEED:
        family.message = f"field 'Seed': must be a whole number from 0 to {MAX_SEED}"
        return
    hint: Any = None
    if family.result is not None:
        hint = family.result.roster if family.kind == "roster" else family.result.schedule
    family.message = ""
    family.job = SolveJob.start_for(
        family.problem, time_limit=limit, workers=workers, seed=seed, hint=hint
    )


def _live_progress(kind: str) -> None:
    """Fragment re-run every REFRESH_SECONDS while a solve runs: chart, status, cancel."""
    family = workspace().family(kind)
    job = family.job
    if job is None:
        return
    snap = job.snapshot()
    if family.collect():  # ended (or its problem was replaced): redraw the whole page
        st.rerun(scope="app")
    diagnosing = _diagnosing(snap)
    cols = st.columns([4, 1])
    cols[0].info(_progress_text(snap))
    if cols[1].button("Cancel", key=f"cancel_{kind}", disabled=snap.cancelled):
        job.cancel()
        st.toast(
            "Stopping the diagnosis."
            if diagnosing
            else "Stopping the solver; the best solution so far will be kept."
        )
    if snap.points:
        st.plotly_chart(progress_chart(snap.points), key=f"progress_{kind}")
    elif not diagnosing:
        st.caption("Waiting for the first solution…")


def _progress_text(snap: Snapshot) -> str:
    """The one-line status of a running solve (or of the diagnosis that follows it)."""
    if _diagnosing(snap):
        text = f"No roster satisfies every hard rule; finding out why… {snap.seconds:.0f} s"
        return text + (" · stopping" if snap.cancelled else "")
    text = f"Solving… {snap.seconds:.0f} s · {len(snap.points)} improving solutions"
    if snap.points:
        best = snap.points[-1]
        text += f" · penalty {best.objective} · " + _bound(best.bound)
    return text + (" · stopping" if snap.cancelled else "")


def _diagnosing(snap: Snapshot) -> bool:
    """True while the child diagnoses an infeasible roster (the solve itself has ended)."""
    return snap.result is not None and snap.result.status is SolveStatus.INFEASIBLE


def _bound(bound: int | None) -> str:
    return "no bound yet" if bound is None else f"bound {bound}"


def running_notes(ws: Workspace, page: str) -> None:
    """A small note per background solve whose own page is not ``page`` (a url path).

    Drawn as a fragment that polls, so the page redraws itself with the new plan when
    the solve ends.
    """
    kinds = tuple(k for k in FAMILIES if k != page and ws.family(k).job is not None)
    if kinds:
        st.fragment(_running_notes, run_every=REFRESH_SECONDS * 2)(kinds, page)


def _running_notes(kinds: tuple[str, ...], page: str) -> None:
    ws = workspace()
    if any(ws.family(kind).collect() for kind in kinds):
        st.rerun(scope="app")
    for kind in kinds:
        family = ws.family(kind)
        if family.job is None:
            continue
        text = f"A {NOUNS[kind]} solve is running (see the {PAGES[kind]} page)"
        if family.result is not None and family.result.status.has_solution:
            uses = USES_PREVIOUS.get(page, "this page shows the previous {noun}")
            text += f". Until it ends, {uses.format(noun=NOUNS[kind])}"
        st.caption(f":material/hourglass_top: {text}; this page updates when it ends.")


def status_line(family: Family) -> None:
    """One line on the last result: status, penalty, bound, gap, time (unknowns left out);
    under it, in plain words, when the time limit stopped the search far from the best."""
    result = family.result
    if result is None:
        if family.job is None:
            st.info("Not solved yet: press Solve.")
        return
    parts = [f"Status **{result.status.value}**"]
    if result.objective is not None:
        parts.append(f"penalty {result.objective}")
    if result.bound is not None:
        parts.append(f"bound {result.bound}")
    if result.gap is not None:
        parts.append(f"gap {100 * result.gap:.1f} %")
    parts.append(f"{result.seconds:.1f} s ({result.backend})")
    st.caption(" · ".join(parts))
    advice = time_limit_advice(result, NOUNS[family.kind], stopped_early=bool(family.message))
    if advice:
        st.warning(advice)


LARGE_GAP = 0.1
"""A FEASIBLE result whose penalty may be this share (or more) above the best possible
is explained in words (``time_limit_advice``)."""


def time_limit_advice(result: Result, noun: str = "roster", stopped_early: bool = False) -> str:
    """One plain sentence for a FEASIBLE result that the time limit stopped far from the
    best possible (objective - bound at least ``LARGE_GAP`` of the penalty): how many
    penalty points it may be above the best, and a longer limit to try. "" otherwise,
    and for a solve the planner cancelled (``stopped_early``: the page says so)."""
    gap = result.gap
    if result.status is not SolveStatus.FEASIBLE or gap is None or gap < LARGE_GAP:
        return ""
    if stopped_early or result.objective is None or result.bound is None:
        return ""
    points = result.objective - result.bound
    longer = max(60, 30 * math.ceil(3 * result.seconds / 30))
    return (
        f"The time limit stopped the search before the best {noun} was found: this one may "
        f"be up to {points} penalty points worse than the best possible. Solve again with a "
        f"longer time limit (try {longer} s) for a better one."
    )


def history_controls(ws: Workspace) -> None:
    """Undo / Redo of the last plan changes, with a one-line confirmation."""
    history = ws.history
    for name, steps, act in (
        ("Undo", history.undo_steps, ws.undo),
        ("Redo", history.redo_steps, ws.redo),
    ):
        st.button(
            f"{name}: {_short(steps[-1].action)}" if steps else name,
            key=name.lower(),
            icon=f":material/{name.lower()}:",
            disabled=not steps,
            on_click=act,
            help=f"{name} the last plan change" if steps else f"Nothing to {name.lower()}",
            width="stretch",
        )
    if ws.notice:
        st.success(ws.notice)
        ws.notice = ""


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
