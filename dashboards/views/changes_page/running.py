"""A scenario's re-plan: started, polled until it ends, started again without the
kept days when they left no roster, and its result kept."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.jobs import Snapshot, SolveJob
from dashboards.state import Family, Scenario, Workspace, diagnosis_shown, workspace
from optimizer.errors import InputError
from optimizer.model.result import Result, SolveStatus

# What a re-plan that finds no plan says, per family.
NO_PLAN = {
    "roster": "No roster satisfies every hard rule after these changes.",
    "cases": "No case schedule keeps every mandatory and pinned case after these changes.",
}


def start_scenario(
    ws: Workspace, family: Family, limit: float, now: int | None, scope: str = "around"
) -> bool:
    """Start re-planning the changes being built; False (with an error shown) if refused.

    A roster re-plan keeps the days outside its ``scope`` (``whatif.SCOPES``) as published.
    """
    problem, changes = ws.pending[family.kind]
    assert family.result is not None
    try:
        if family.kind == "roster":
            plan = whatif.roster_replan(family.problem, problem, family.result, scope)
            planned, hint, notes = plan.problem, plan.hint, plan.notes
        else:
            planned, fixed, dropped = whatif.baseline_cases(problem, family.result, now)
            notes = whatif.case_replan_notes(problem, fixed, dropped, now)
            hint = whatif.case_hint(planned, family.result)
    except InputError as exc:
        st.error(exc.message)  # in words: no raw "field 'Now':" prefix
        return False
    scenario = Scenario(
        name=ws.next_scenario_name(),
        kind=family.kind,
        changes=list(changes),
        base_problem=family.problem,
        base_result=family.result,
        problem=planned,
        notes=notes,
    )
    if family.kind == "roster":
        scenario.adopt, scenario.fallback = plan.adopt, plan.hint
        scenario.kept_days, scenario.solved_on = plan.kept, plan.solved_on
    solved = planned if scenario.solved_on is None else scenario.solved_on
    # no seed: a seed with one worker would make the limit count solver work, not seconds
    scenario.job = SolveJob.start_for(solved, time_limit=limit, workers=None, seed=None, hint=hint)
    ws.record(f"re-plan the changes as {scenario.name}", [family.kind], scenario)
    ws.scenarios.append(scenario)
    ws.pending.pop(family.kind, None)
    st.session_state["scenario_choice"] = scenario.name
    return True


def scenario_progress(name: str) -> None:
    """Fragment: poll a scenario's solve until it ends."""
    ws = workspace()
    scenario = next((s for s in ws.scenarios if s.name == name), None)
    if scenario is None or scenario.job is None:
        return
    snap = scenario.job.snapshot()
    if _replan_without_kept_days(scenario, snap):
        st.rerun(scope="app")
    if not snap.running:
        scenario.job = None
        finish(scenario, snap.result, snap.diagnosis, snap.cancelled, snap.error)
        st.rerun(scope="app")
    cols = st.columns([4, 1])
    if snap.result is not None:  # solved; the child is diagnosing an infeasible roster
        cols[0].info(f"{NO_PLAN[scenario.kind]} Finding out why… {snap.seconds:.0f} s")
    else:
        best = snap.points[-1].objective if snap.points else "—"
        # a re-plan around the changes solves a stand-in whose penalty is not the plan's
        found = f"penalty {best}" if scenario.solved_on is None else "filling the changes"
        cols[0].info(f"Re-planning {name}… {snap.seconds:.0f} s · {found}")
    if cols[1].button("Cancel", key=f"cancel_{name}", disabled=snap.cancelled):
        scenario.job.cancel()


def _replan_without_kept_days(scenario: Scenario, snap: Snapshot) -> bool:
    """Start the roster re-plan again without the kept published days when keeping them
    left no roster (INFEASIBLE, or no roster in time): horizon-wide totals such as a
    maximum of shifts can reach any day. The published roster stays the warm start and
    the baseline, so the kept days move only where they must. The rest of the
    time limit is used, at least half of it. True if started again."""
    if scenario.kind != "roster" or scenario.adopt is None or scenario.job is None:
        return False
    if not scenario.kept_days:
        return False
    if snap.result is None or snap.result.status.has_solution or snap.cancelled:
        return False
    result, _ = whatif.keep_better(scenario.problem, snap.result, scenario.fallback)
    if result is not None and result.status.has_solution:
        return False
    limit = float(scenario.job.job["options"]["time_limit"])
    scenario.job.cancel()  # stops the diagnosis of the problem with the kept days
    plan = whatif.roster_replan_unkept(
        scenario.base_problem, scenario.adopt, scenario.base_result, scenario.kept_days
    )
    scenario.problem, scenario.adopt, scenario.fallback = plan.problem, None, plan.hint
    scenario.solved_on, scenario.notes = plan.solved_on, plan.notes
    time_limit = max(limit - snap.result.seconds, limit / 2)
    scenario.job = SolveJob.start_for(
        plan.problem if plan.solved_on is None else plan.solved_on,
        time_limit=time_limit,
        workers=None,
        seed=None,
        hint=plan.hint,
    )
    return True


def finish(
    scenario: Scenario,
    result: Result | None,
    diagnosis: Any,
    cancelled: bool,
    error: str | None,
) -> None:
    """Keep a finished re-plan's result (or, for a roster, the repaired published
    roster when it is better), or say why there is none."""
    if scenario.kind == "roster":
        if scenario.solved_on is not None and result is not None:
            result = whatif.costed_for(scenario.problem, result)
        result, note = whatif.keep_better(scenario.problem, result, scenario.fallback)
        scenario.kept_note = note
    if result is not None and result.status.has_solution:
        scenario.result = result
        scenario.stopped_early = cancelled and result.status is SolveStatus.FEASIBLE
        if scenario.kind == "roster" and scenario.adopt is None and scenario.kept_days:
            _name_earlier_changes(scenario, result)
        return
    if result is not None and result.status is SolveStatus.INFEASIBLE:
        scenario.error = NO_PLAN[scenario.kind]
        scenario.infeasible = True
        if scenario.kind == "roster":
            scenario.diagnosis = diagnosis_shown(diagnosis, cancelled=cancelled)
        else:
            from optimizer.explain.diagnosis import case_conflict_hints

            scenario.hints = case_conflict_hints(scenario.problem)
        return
    if cancelled:
        scenario.error = "cancelled before a solution was found"
    else:
        scenario.error = error or "no solution within the time limit: try a longer limit"


def _name_earlier_changes(scenario: Scenario, result: Result) -> None:
    """After a re-plan without the kept days: the note names the kept days it changed."""
    kept = scenario.kept_days
    note = whatif.earlier_changes_note(scenario.problem, scenario.base_result, result, kept)
    if note:
        scenario.notes = [note]
