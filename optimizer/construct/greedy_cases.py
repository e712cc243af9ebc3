"""Greedy list insertion for case scheduling: a quick feasible schedule.

Useful as a warm start (``solve(..., hint=greedy_schedule(problem))``); the CP-SAT
case backend uses it itself for problems with rooms or staff.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import find_slot
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule


def greedy_schedule(
    problem: CaseProblem,
    order: Iterable[str] | None = None,
    variants: int | None = None,
    deadline: float | None = None,
) -> CaseSchedule:
    """A feasible schedule by list insertion: pinned and mandatory tasks first, then
    tasks with a due time (earliest first), then by priority and length; each at its
    earliest free placement. Tasks that find no slot stay unscheduled (so mandatory
    ones may be missing: check before use).

    ``variants`` (default: 2 for up to 300 tasks, else 1) insertion rules are tried —
    earliest start, then regular hours before overtime — and the schedule with the
    lowest checker objective is returned.

    ``deadline`` (a ``time.perf_counter()`` reading; None: none) bounds the time:
    once it has passed, no further variant is tried and no further optional task is
    placed (they stay unscheduled, which breaks no rule) unless a mandatory one waits
    for it (a precedence). Pinned and mandatory tasks are always tried: a schedule
    without them would break a hard rule. The default order puts them first, so the
    deadline cuts optional tasks late in the order. Until it passes, the result is the
    same as without one.
    """
    if variants is None:
        variants = 2 if len(problem.tasks) <= 300 else 1
    from optimizer.check import check

    best: tuple[int, CaseSchedule] | None = None
    for regular_first in (False, True)[: max(1, variants)]:
        if best is not None and _passed(deadline):
            break
        schedule = _insert_all(problem, order, regular_first, deadline)
        report = check(problem, schedule)
        cost = report.objective if report.feasible else 1 << 62
        if best is None or cost < best[0]:
            best = (cost, schedule)
    assert best is not None
    return best[1]


def _passed(deadline: float | None) -> bool:
    return deadline is not None and time.perf_counter() >= deadline


def _insert_all(
    problem: CaseProblem,
    order: Iterable[str] | None,
    regular_first: bool,
    deadline: float | None = None,
) -> CaseSchedule:
    if order is None:
        ranked = sorted(
            problem.tasks,
            key=lambda t: (
                problem.pin_of(t.id) is None,
                not problem.must_schedule(t),
                t.due is None,
                t.due or 0,
                -problem.unscheduled_cost(t),
                -t.duration,
                t.id,
            ),
        )
        ids = [t.id for t in ranked]
    else:
        ids = list(order)
    occ = Occupancy(problem)
    needed = _needed(problem) if deadline is not None else set()
    pending = list(ids)
    for _ in range(2):  # a second pass picks up tasks waiting for predecessors
        waiting = []
        for task_id in pending:
            task = problem.task(task_id)
            if _passed(deadline) and task_id not in needed:
                continue  # out of time: an optional task stays unscheduled
            preds = [p.before for p in problem.precedences if p.after == task_id]
            if any(p not in occ.placed for p in preds):
                waiting.append(task_id)
                continue
            slot = find_slot(problem, task, occ, regular_first=regular_first)
            if slot is not None:
                occ.add(slot)
        pending = waiting
    placed = sorted(occ.placed.values(), key=lambda it: (it.start, it.task))
    left = tuple(t.id for t in problem.tasks if t.id not in occ.placed)
    return CaseSchedule(tasks=tuple(placed), unscheduled=left)


def _needed(problem: CaseProblem) -> set[str]:
    """Pinned and mandatory tasks, and every task one of them waits for (precedences)."""
    before: dict[str, list[str]] = {}
    for prec in problem.precedences:
        before.setdefault(prec.after, []).append(prec.before)
    needed = {t.id for t in problem.tasks if problem.must_schedule(t)}
    stack = list(needed)
    while stack:
        for task_id in before.get(stack.pop(), ()):
            if task_id not in needed:
                needed.add(task_id)
                stack.append(task_id)
    return needed
