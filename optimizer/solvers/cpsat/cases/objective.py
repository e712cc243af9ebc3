"""Soft rules of the case model as exact cost expressions, and the objective.

Every cost expression equals the checker's cost for the solution (no slack
left to the optimiser), so FEASIBLE results report the true objective too.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence

from ortools.sat.python import cp_model

from optimizer.model.cases import CASE_PENALTY_RULES, Window
from optimizer.solvers.cpsat.cases.variables import CaseVariables, TaskVars

Expr = cp_model.LinearExprT


def build_costs(cv: CaseVariables) -> dict[str, Expr]:
    """One cost expression per rule of ``CASE_PENALTY_RULES``."""
    costs: dict[str, Expr] = {
        "unscheduled": _unscheduled(cv),
        "tardiness": _tardiness(cv),
        "overtime": _overtime(cv),
        "staff_overtime": _staff_overtime(cv),
        "idle": _idle(cv),
        "makespan": _makespan(cv),
        "baseline_move": 0,
        "baseline_staff": 0,
    }
    if cv.problem.baseline is not None:
        costs["baseline_move"], costs["baseline_staff"] = _baseline(cv)
    assert set(costs) == set(CASE_PENALTY_RULES)
    return costs


def _value_if_present(
    cv: CaseVariables, tv: TaskVars, expr: Expr, lo: int, hi: int, name: str
) -> Expr:
    """``expr`` when the task is placed, else 0 (exactly)."""
    if tv.mandatory:
        return expr
    var = cv.model.new_int_var(min(0, lo), max(0, hi), name)
    cv.model.add(var == expr).only_enforce_if(tv.present)
    cv.model.add(var == 0).only_enforce_if(~tv.present)
    return var


def _unscheduled(cv: CaseVariables) -> Expr:
    terms = []
    for tv in cv.tasks:
        cost = cv.problem.unscheduled_cost(tv.task)
        if not tv.mandatory and cost:
            terms.append(cost * (1 - tv.present))
    return sum(terms)


def _tardiness(cv: CaseVariables) -> Expr:
    weight = cv.problem.weights.tardiness
    terms = []
    for i, tv in enumerate(cv.tasks):
        task = tv.task
        if task.due is None or not weight * task.priority or cv.latest_end[i] <= task.due:
            continue
        if cv.earliest[i] + task.duration > cv.latest_end[i]:
            continue  # never placed (``_impossible_tasks``); its end lies past latest_end
        most = cv.latest_end[i] - task.due
        late = cv.model.new_int_var(0, most, f"late_{i}")
        cv.model.add_max_equality(late, [tv.end - task.due, 0])
        terms.append(weight * task.priority * _value_if_present(cv, tv, late, 0, most, f"lt_{i}"))
    return sum(terms)


def _overtime(cv: CaseVariables) -> Expr:
    weight = cv.problem.weights.overtime
    if not weight:
        return 0
    per_opening: dict[tuple[int, int], list[tuple[TaskVars, cp_model.IntVar]]] = {}
    for tv in cv.tasks:
        for (r, o), lit in tv.openings.items():
            if cv.openings[r][o].overtime:
                per_opening.setdefault((r, o), []).append((tv, lit))
    terms = []
    for (r, o), users in per_opening.items():
        opening = cv.openings[r][o]
        overrun = []
        for tv, lit in users:
            lo = tv.task.duration + opening.start - opening.end
            var = cv.model.new_int_var(min(0, lo), opening.overtime, f"run_{r}_{o}")
            cv.model.add(var == tv.end - opening.end).only_enforce_if(lit)
            cv.model.add(var == 0).only_enforce_if(~lit)
            overrun.append(var)
        overtime = cv.model.new_int_var(0, opening.overtime, f"overtime_{r}_{o}")
        cv.model.add_max_equality(overtime, [0, *overrun])
        terms.append(weight * overtime)
    return sum(terms)


def _staff_overtime(cv: CaseVariables) -> Expr:
    """Per person and on-duty window: minutes from the window's end to the latest end of
    the person's work past it, whichever window that work started in (up to the
    window's overtime end: beyond it the next window is on duty)."""
    weight = cv.problem.weights.staff_overtime
    if not weight:
        return 0
    by_person: dict[int, list[tuple[int, TaskVars]]] = {}
    for i, tv in enumerate(cv.tasks):
        for s in tv.staff_intervals:
            by_person.setdefault(s, []).append((i, tv))
    terms = []
    last = max(cv.latest_end, default=0)
    for s, jobs in sorted(by_person.items()):
        person = cv.problem.staff[s]
        if not person.overtime:
            continue
        duty = cv.problem.windows_of(person)
        work = cv.problem.work_windows_of(person)
        for w, jobs_past in _jobs_past_windows(cv, jobs, duty, work):
            work_end = work[w][1]
            found = (_run_past(cv, i, tv, s, duty[w].end, work_end) for i, tv in jobs_past)
            runs = [run for run in found if run is not None]
            if runs:
                most = last - duty[w].end
                overtime = cv.model.new_int_var(0, max(0, most), f"staff_ot_{s}_{duty[w].start}")
                cv.model.add_max_equality(overtime, [0, *runs])
                terms.append(weight * overtime)
    return sum(terms)


def _jobs_past_windows(
    cv: CaseVariables,
    jobs: list[tuple[int, TaskVars]],
    duty: list[Window],
    work: list[tuple[int, int]],
) -> list[tuple[int, list[tuple[int, TaskVars]]]]:
    """Per on-duty window with overtime (by index, in order): the jobs (in order) that
    can run into that overtime, i.e. may end after the window's end and start before its
    work end. Found by bisection: both ends grow with the index."""
    ends = [w.end for w in duty]
    work_ends = [end for _, end in work]
    reached: dict[int, list[tuple[int, TaskVars]]] = {}
    for i, tv in jobs:
        first = bisect_right(work_ends, cv.earliest[i])
        for w in range(first, bisect_left(ends, cv.latest_end[i])):
            if work_ends[w] > ends[w]:
                reached.setdefault(w, []).append((i, tv))
    return sorted(reached.items())


def _run_past(
    cv: CaseVariables, i: int, tv: TaskVars, s: int, end: int, work_end: int
) -> cp_model.IntVar | None:
    """``min(tv.end, work_end) - end`` if person ``s`` is on the task and it starts
    before ``work_end`` (in this window, its overtime or any earlier window: a task
    ending before ``end`` gives a negative value), else 0 (a task started in a later
    window); None when the task can never count past ``end``."""
    duration = tv.task.duration
    if cv.latest_end[i] <= end or cv.earliest[i] >= work_end:
        return None
    model, on_task = cv.model, tv.staff[s]
    counted = on_task
    if cv.latest_end[i] - duration >= work_end:  # it may also start in a later window
        early = model.new_bool_var(f"early_{i}_{s}_{end}")
        model.add(tv.start < work_end).only_enforce_if(early)
        model.add(tv.start >= work_end).only_enforce_if(~early)
        counted = model.new_bool_var(f"past_{i}_{s}_{end}")
        model.add_bool_and([on_task, early]).only_enforce_if(counted)
        model.add_bool_or([~on_task, ~early]).only_enforce_if(~counted)
    lo, hi = cv.earliest[i] + duration - end, min(cv.latest_end[i], work_end) - end
    finish: cp_model.LinearExprT = tv.end
    if cv.latest_end[i] > work_end:  # it may run on into the next window (on duty)
        least = min(cv.earliest[i] + duration, work_end)
        capped = model.new_int_var(least, work_end, f"cap_{i}_{s}_{end}")
        model.add_min_equality(capped, [tv.end, work_end])
        finish = capped
        lo = least - end
    run = model.new_int_var(min(0, lo), max(0, hi), f"run_{i}_{s}_{end}")
    model.add(run == finish - end).only_enforce_if(counted)
    model.add(run == 0).only_enforce_if(~counted)
    return run


def _idle(cv: CaseVariables) -> Expr:
    """Per room opening: its span from first start to last end, less the cases and
    the turnovers between them (0 when the opening is unused)."""
    weight = cv.problem.weights.idle
    if not weight:
        return 0
    problem, model = cv.problem, cv.model
    users: dict[tuple[int, int], list[tuple[TaskVars, cp_model.IntVar]]] = {}
    for tv in cv.tasks:
        if tv.task.duration == 0:
            continue
        for r, lit in tv.rooms.items():
            if not problem.rooms[r].openings:
                users.setdefault((r, 0), []).append((tv, lit))
        for (r, o), lit in tv.openings.items():
            users.setdefault((r, o), []).append((tv, lit))
    terms = []
    for (r, o), cases in sorted(users.items(), key=lambda item: item[0]):
        if len(cases) < 2:
            continue
        room = problem.rooms[r]
        opening = cv.openings[r][o]
        turnover = problem.turnover_of(room)
        first, last = opening.start, opening.hard_end + turnover  # "none" sentinels
        starts, ends = [], []
        for k, (tv, lit) in enumerate(cases):
            start = model.new_int_var(first, last, f"idle_s_{r}_{o}_{k}")
            model.add(start == tv.start).only_enforce_if(lit)
            model.add(start == last).only_enforce_if(~lit)
            end = model.new_int_var(first, last, f"idle_e_{r}_{o}_{k}")
            model.add(end == tv.end).only_enforce_if(lit)
            model.add(end == first).only_enforce_if(~lit)
            starts.append(start)
            ends.append(end)
        span_start = model.new_int_var(first, last, f"idle_first_{r}_{o}")
        model.add_min_equality(span_start, starts)
        span_end = model.new_int_var(first, last, f"idle_last_{r}_{o}")
        model.add_max_equality(span_end, ends)
        busy = sum((tv.task.duration + turnover) * lit for tv, lit in cases)
        idle = model.new_int_var(0, opening.hard_end - opening.start, f"idle_{r}_{o}")
        model.add_max_equality(idle, [0, span_end - span_start + turnover - busy])
        terms.append(weight * idle)
    return sum(terms)


def _makespan(cv: CaseVariables) -> Expr:
    """``weights.makespan × makespan``; the variable may exceed the last end in a
    non-final solution, so reported costs come from ``evaluate``."""
    weight = cv.problem.weights.makespan
    if not weight or cv.makespan is None:
        return 0
    for resource in cv.problem.resources:
        energy = sum(
            t.duration * t.resources.get(resource.id, 0)
            for t in cv.problem.tasks
            if cv.problem.must_schedule(t)
        )
        if resource.capacity and energy:
            cv.model.add(cv.makespan * resource.capacity >= energy)
    return weight * cv.makespan


def _baseline(cv: CaseVariables) -> tuple[Expr, Expr]:
    problem = cv.problem
    assert problem.baseline is not None
    baseline = problem.baseline
    moves: list[Expr] = []
    dropped: list[Expr] = []
    for old in baseline.schedule.tasks:
        if old.task not in problem.task_index:
            continue
        i = problem.task_index[old.task]
        tv = cv.tasks[i]
        kept_lits = [tv.present]
        same_start = cv.model.new_bool_var(f"same_start_{i}")
        cv.model.add(tv.start == old.start).only_enforce_if(same_start)
        cv.model.add(tv.start != old.start).only_enforce_if(~same_start)
        kept_lits.append(same_start)
        if problem.needs_room(tv.task):
            r = problem.room_index.get(old.room) if old.room is not None else None
            if r is None or r not in tv.rooms:
                kept_lits = []
            else:
                kept_lits.append(tv.rooms[r])
        elif old.room is not None:
            kept_lits = []
        if kept_lits:
            kept = cv.model.new_bool_var(f"kept_{i}")
            cv.model.add_bool_and(kept_lits).only_enforce_if(kept)
            cv.model.add_bool_or([~lit for lit in kept_lits]).only_enforce_if(~kept)
            moves.append(baseline.move_weight * (1 - kept))
        else:
            moves.append(baseline.move_weight)
        for name in dict.fromkeys(old.staff):
            s = problem.staff_index[name]
            if s in tv.staff:
                dropped.append(baseline.staff_weight * (1 - tv.staff[s]))
            else:
                dropped.append(baseline.staff_weight)
    return sum(moves), sum(dropped)


def weighted(values: Mapping[str, Expr], weights: Mapping[str, int] | None) -> Expr:
    """Sum of the costs, or the stage objective ``Σ weights[rule] · cost(rule)``."""
    if weights is None:
        return sum(values.values())
    return sum(weights.get(rule, 0) * cost for rule, cost in values.items())


def add_objective(
    cv: CaseVariables,
    costs: dict[str, Expr],
    stage_weights: dict[str, int] | None,
    stage_caps: Sequence[tuple[dict[str, int], int]],
) -> None:
    """Minimise the (stage) objective under the earlier stages' caps."""
    for weights, cap in stage_caps:
        cv.model.add(weighted(costs, weights) <= cap)
    cv.model.minimize(weighted(costs, stage_weights))
