"""Changes / what-if page: apply changes, re-plan with minimal disruption, compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.jobs import Snapshot, SolveJob
from dashboards.optional import feature
from dashboards.state import (
    LABELS,
    NOUNS,
    Family,
    Scenario,
    Workspace,
    diagnosis_shown,
    workspace,
)
from dashboards.widgets import kept
from optimizer.errors import InputError
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import RosterProblem

# Notes here are comments, not docstrings: Streamlit shows a page script's bare strings.

# What a re-plan that finds no plan says, per family.
NO_PLAN = {
    "roster": "No roster satisfies every hard rule after these changes.",
    "cases": "No case schedule keeps every mandatory and pinned case after these changes.",
}


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
                _add_change(ws, "roster", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))


def _case_forms(ws: Workspace, problem: Any, published: Result) -> None:
    days: list[dt.date | None] = [None]
    if problem.start is not None:
        days += [
            (problem.start + dt.timedelta(days=d)).date()
            for d in range(max(1, problem.horizon // (24 * 60)))
        ]
    case_tab, cancel_tab, room_tab, overrun_tab = st.tabs(
        ["Added case", "Cancelled case", "Closed room", "Case ran long"]
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
        st.caption(
            "Optional cases that only this room can take then are left out of the plan; "
            "the change lists them."
        )
        if st.form_submit_button("Close room"):
            try:
                new, text = whatif.with_closed_room(problem, str(room), day)
                _add_change(ws, "cases", new, [text])
                st.rerun()
            except InputError as exc:
                st.error(str(exc))
    with cancel_tab:
        _cancel_form(ws, problem, published)
    with overrun_tab:
        _overrun_form(ws, problem, published)


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
                _add_change(ws, "cases", new, [text])
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
    key = f"free_text_{family.kind}"
    if st.session_state.pop(f"clear_{key}", False):  # confirmed: the box starts empty
        st.session_state[key] = ""
    text = st.text_area(
        "For example: “Priya Patel is off sick Tuesday and Wednesday”", key=key, height=80
    )
    start = getattr(problem, "start_date", None) or getattr(problem, "start", None)
    default_today = start.date() if isinstance(start, dt.datetime) else start or dt.date.today()
    today = st.date_input(
        "Relative dates (“tomorrow”, “next Tuesday”) count from",
        default_today,
        key=f"today_{family.kind}",
    )
    if st.button("Understand", key=f"understand_{family.kind}"):
        ws.proposal = None
        if not text.strip():
            st.warning("Type a change in the box first, e.g. “Jo Park is off sick on Tuesday”.")
        else:
            try:
                proposal = propose(text, [problem], today)
                found = _with_cancellations(family, problem, proposal, text, today)
                ws.proposal = (family.kind, *found)
            except Exception as exc:  # the intake fails closed; show why
                st.error(f"Could not understand the text: {exc}")
    if ws.proposal is None or ws.proposal[0] != family.kind:
        return
    _, proposal, unparsed, cancelled = ws.proposal
    understood = [*_understood(problem, proposal.requests), *_cancel_texts(problem, cancelled)]
    if understood:
        st.info("I understood: " + "; ".join(understood) + ".")
    for item in unparsed:
        st.warning(f"Not understood: “{item.text}” — {item.reason}")
    if not understood and not unparsed:
        st.info("I did not find a change I can apply.")
    cols = st.columns(2)
    if understood and cols[0].button("Confirm and add", key=f"confirm_{family.kind}"):
        try:
            new, texts = _apply_proposal(problem, proposal, cancelled, family.result)
            _add_change(ws, family.kind, new, texts)
            ws.proposal = None
            st.session_state[f"clear_{key}"] = True
            st.rerun()
        except InputError as exc:
            st.error(str(exc))
    if cols[1].button("Discard", key=f"discard_{family.kind}"):
        ws.proposal = None
        st.rerun()


def _with_cancellations(
    family: Family, problem: Any, proposal: Any, text: str, today: dt.date
) -> tuple[Any, list[Any], list[str]]:
    """The proposal, what is left not understood, and the ids of the cases the text
    cancels (a case problem only): sentences that cancel a case are understood by
    ``llm_intake.rules.case_cancellations`` against the published plan, in place of the
    proposal's ``cancel_case`` requests."""
    find = feature("llm_intake.rules", "case_cancellations")
    if family.kind != "cases" or find is None or family.result is None:
        return proposal, list(proposal.unparsed), []
    kept = [r for r in proposal.requests if getattr(r, "kind", "") != "cancel_case"]
    proposal = proposal.model_copy(update={"requests": kept})
    found, unsettled = find(text, problem, family.result.schedule, today)
    handled = {c.text for c in found} | {u.text for u in unsettled}
    unparsed = [u for u in proposal.unparsed if u.text not in handled] + list(unsettled)
    return proposal, unparsed, list(dict.fromkeys(c.task for c in found))


def _cancel_texts(problem: Any, cancelled: list[str]) -> list[str]:
    return [f"{whatif.case_words(problem.task(t))} is cancelled" for t in cancelled]


def _apply_proposal(
    problem: Any, proposal: Any, cancelled: list[str], published: Result | None
) -> tuple[Any, list[str]]:
    """The confirmed requests applied, then the cancelled cases taken out."""
    texts: list[str] = []
    if proposal.requests:
        apply_requests = feature("llm_intake.apply", "apply_requests")
        assert apply_requests is not None  # the box is only drawn when the intake is there
        applied = apply_requests(problem, list(proposal.requests))
        texts += _with_reasons(problem, list(applied.changes), proposal.requests)
        problem = applied.problem
    for task_id in cancelled:
        assert published is not None
        problem, text = whatif.with_cancelled_case(problem, published, task_id)
        texts.append(text)
    return problem, texts


def _understood(problem: Any, requests: list[Any]) -> list[str]:
    """Each understood request in words; an absence with its reason ("sickness")."""
    summarize = feature("llm_intake.proposal", "summarize")
    vocabulary = feature("llm_intake.vocabulary", "build_vocabulary")
    if summarize is None or vocabulary is None:
        return [str(r) for r in requests]
    vocab = vocabulary([problem])
    texts = []
    for request in requests:
        text = str(summarize([request], [], vocab)).removeprefix("I understood: ")
        text = text.removesuffix(".")
        reason = _reason(request)
        if reason and reason not in text:
            text = text.replace(" unavailable", f": {reason},", 1)
        texts.append(text)
    return texts


def _reason(request: Any) -> str | None:
    """Why someone is away (``Unavailable.reason``), for an absence request."""
    if getattr(request, "kind", "") != "unavailable":
        return None
    reason = getattr(request, "reason", None)
    return str(reason) if reason else None


def _with_reasons(problem: Any, changes: list[str], requests: list[Any]) -> list[str]:
    """The applied changes with "unavailable" replaced by each absence's reason."""
    texts = list(changes)
    for request in requests:
        reason = _reason(request)
        if reason is None or request.staff not in problem.staff_index:
            continue
        head = f"{problem.person(request.staff).label}: unavailable"
        index = next((i for i, t in enumerate(texts) if t.startswith(head)), None)
        if index is not None:
            label = problem.person(request.staff).label
            texts[index] = f"{label}: {reason}" + texts[index][len(head) :]
    return texts


def _start_scenario(
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
        st.error(str(exc))
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


SCOPE_HELP = (
    "Only around the changes: the re-plan fills what the changes leave short (an absent "
    "person's shifts, added demand) and leaves the published roster's other shortfalls as "
    "they are; only the changed days and the few days either side that the rest and run "
    "rules reach may move (if keeping the other days leaves no roster, the re-plan widens "
    "and says so). The whole roster: any day may move where that lowers the penalty by "
    "more than the cost of the change, so a poor published roster can change a lot."
)


def _scope_input() -> str:
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


def _now_input(family: Family) -> int | None:
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


def _scenario_progress(name: str) -> None:
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
        _finish(scenario, snap.result, snap.diagnosis, snap.cancelled, snap.error)
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


def _finish(
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


BASELINE_CAPTION = (
    "Baseline: the published roster under the changes (an absent person's shifts left "
    "open), costed by the checker; Δ shows what the changes cost and what the re-plan wins "
    "back. Its changed assignments are those the changes force."
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


def _show_scenario(ws: Workspace, scenario: Scenario) -> None:
    st.markdown("**Changes:** " + "; ".join(scenario.changes))
    for note in scenario.notes:
        st.caption(note)
    if scenario.job is not None:
        st.fragment(_scenario_progress, run_every=0.5)(scenario.name)
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
    if scenario.kind == "roster":
        kpis = whatif.roster_kpi_table(scenario.problem, base, scenario.result)
        changed = scenario.problem if scenario.adopt is None else scenario.adopt
        why = whatif.change_reasons(scenario.base_problem, changed, base)
        moved = whatif.roster_changes(scenario.problem, base, scenario.result, why)
        heading, config = whatif.changes_summary(moved), None
    else:
        gone = whatif.cancelled(scenario.changes)
        before = scenario.base_problem
        kpis = whatif.case_kpi_table(scenario.problem, base, scenario.result, before, gone)
        moved = whatif.case_changes(scenario.problem, base, scenario.result, before, gone)
        heading, config = f"{len(moved)} changed cases", CASE_CHANGE_COLUMNS
    cols = st.columns([3, 2])
    with cols[0]:
        st.markdown("**KPIs: baseline vs scenario**")
        st.dataframe(kpis, hide_index=True, width="stretch")
        if scenario.kind == "roster":
            st.caption(BASELINE_CAPTION)
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
    if len(scenarios) > 1:
        st.dataframe(
            whatif.compare(scenarios),
            hide_index=True,
            width="stretch",
            column_order=COMPARED,
            column_config={"Status": st.column_config.TextColumn(width=175)},
        )
    names = [s.name for s in scenarios]
    chosen = st.radio("Scenario", names, horizontal=True, key="scenario_choice")
    scenario = next(s for s in scenarios if s.name == chosen)
    _show_scenario(ws, scenario)


def _new_scenario(ws: Workspace, family: Family) -> None:
    """The forms, the free-text box and the changes being built, with Re-plan."""
    assert family.result is not None
    problem, changes = _pending(ws, family)
    st.subheader("New scenario")
    if family.kind == "roster":
        _roster_forms(ws, problem)
    else:
        _case_forms(ws, problem, family.result)
    _free_text(ws, family)
    if not changes:
        return
    st.markdown("**Changes in this scenario:**")
    for change in changes:
        st.markdown(f"- {change}")
    now = _now_input(family) if family.kind == "cases" else None
    scope = _scope_input() if family.kind == "roster" else "around"
    cols = st.columns([1, 2, 1], vertical_alignment="bottom")
    limit = cols[0].number_input("Time limit (s)", 1, 600, **kept("scenario_limit", 15))
    replan = cols[1].button("Re-plan with minimal disruption", type="primary")
    if replan and _start_scenario(ws, family, float(limit), now, scope):
        st.rerun()
    if cols[2].button("Discard changes"):
        ws.record(f"discard {len(changes)} what-if change(s)", [family.kind])
        ws.pending.pop(family.kind, None)
        st.rerun()


if __name__ == "__main__":  # run as a page by st.navigation
    render()
