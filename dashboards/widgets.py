"""Page parts shared by several views: the solve panel with live progress, undo / redo."""

from __future__ import annotations

import os
from typing import Any

import streamlit as st

from dashboards.jobs import SolveJob
from dashboards.state import NOUNS, Family, Workspace, workspace
from optimizer.model.result import SolveStatus
from optimizer.plotting import progress_chart

REFRESH_SECONDS = 0.5
MAX_SEED = 2**31 - 1  # the solvers take a 32-bit signed seed


def solve_controls(family: Family, default_limit: int = 20) -> None:
    """Time limit / workers / seed inputs, the Solve button and the live progress."""
    kind = family.kind
    running = family.job is not None
    cols = st.columns([1, 1, 1, 1])
    limit = cols[0].number_input(
        "Time limit (s)", min_value=1, max_value=3600, value=default_limit, key=f"limit_{kind}"
    )
    cores = max(1, os.cpu_count() or 1)
    workers = cols[1].number_input(
        "Workers", min_value=1, max_value=max(cores, 8), value=cores, key=f"workers_{kind}"
    )
    seed = cols[2].number_input(
        "Seed", min_value=0, max_value=MAX_SEED, value=0, key=f"seed_{kind}"
    )
    cols[3].write("")
    if cols[3].button(
        "Solve", type="primary", disabled=running or family.problem is None, key=f"solve_{kind}"
    ):
        start_solve(family, float(limit), int(workers), int(seed))
        st.rerun()
    if family.job is not None:
        st.fragment(_live_progress, run_every=REFRESH_SECONDS)(kind)
    elif family.message:
        st.warning(family.message)


def start_solve(family: Family, limit: float, workers: int, seed: int) -> None:
    """Start a background solve, warm-started from the current solution if any."""
    if not 0 <= seed <= MAX_SEED:  # the input is bounded; this guards direct calls
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
    if job.problem is not None and job.problem is not family.problem:
        family.job = None  # solving a problem that is no longer current: never shown
        job.cancel()
        st.rerun(scope="app")
    if not snap.running:
        family.job = None
        result = snap.result
        if result is not None and (
            result.status.has_solution or result.status is SolveStatus.INFEASIBLE
        ):
            if family.result is not None:
                family.remember(f"new {NOUNS[kind]} solve")
            family.set_result(result, snap.diagnosis)
            family.message = (
                "Stopped early: showing the best solution found." if (snap.cancelled) else ""
            )
        else:
            family.message = snap.error or (
                "No solution within the time limit: try a longer limit."
                if not snap.cancelled
                else "Cancelled before a solution was found; the previous result is kept."
            )
        st.rerun(scope="app")
    best = snap.points[-1] if snap.points else None
    status = f"Solving… {snap.seconds:.0f} s · {len(snap.points)} improving solutions"
    if snap.result is not None:  # solved; the child is diagnosing an infeasible roster
        status = f"No roster satisfies every hard rule; finding out why… {snap.seconds:.0f} s"
    if best is not None:
        status += f" · penalty {best.objective} · bound {best.bound}"
    cols = st.columns([4, 1])
    cols[0].info(status)
    if cols[1].button("Cancel", key=f"cancel_{kind}", disabled=snap.cancelled):
        job.cancel()
        st.toast("Stopping the solver; the best solution so far will be kept.")
    if snap.points:
        st.plotly_chart(progress_chart(snap.points), key=f"progress_{kind}")
    else:
        st.caption("Waiting for the first solution…")


def status_line(family: Family) -> None:
    """One line on the last result: status, penalty, bound, gap, time."""
    result = family.result
    if result is None:
        if family.job is None:
            st.info("Not solved yet: press Solve.")
        return
    gap = "—" if result.gap is None else f"{100 * result.gap:.1f} %"
    st.caption(
        f"Status **{result.status.value}** · penalty {result.objective} · bound "
        f"{result.bound} · gap {gap} · {result.seconds:.1f} s ({result.backend})"
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
