"""The warm start of a re-plan: the published schedule repaired to fit the new problem,
then the cases it left out backfilled where that pays."""

from __future__ import annotations

from collections.abc import Iterable

from optimizer.check.cases import check_cases
from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import find_slot, placement_fits
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import CaseSchedule


def repair(problem: CaseProblem, published: CaseSchedule) -> CaseSchedule:
    """A feasible start for the new problem: pinned tasks, then published placements
    that still fit, then every other task at its earliest free slot; last, the cases
    the published plan left out, each at its earliest free slot when that lowers the
    checker's objective (a cancellation frees a slot one of them may fill)."""
    occ = Occupancy(problem)
    old = published.by_task()
    for pin in problem.pins:
        task = problem.task(pin.task)
        item = old.get(pin.task)
        if item is not None and pin.start == item.start:
            occ.add(item.model_copy(update={"end": item.start + task.duration}))
    rest = []
    for item in sorted(published.tasks, key=lambda it: it.start):
        if item.task not in problem.task_index or item.task in occ.placed:
            continue
        if placement_fits(problem, item, occ):
            occ.add(item)
        else:
            rest.append(item.task)
    left_out = set(published.unscheduled)  # placed last, only when that pays
    rest += [
        t.id
        for t in problem.tasks
        if t.id not in occ.placed
        and t.id not in rest
        and (t.id not in left_out or problem.must_schedule(t))
    ]
    for task_id in rest:
        slot = find_slot(problem, problem.task(task_id), occ)
        if slot is not None:
            occ.add(slot)
    waiting = [t for t in problem.tasks if t.id in left_out and t.id not in occ.placed]
    _backfill(problem, occ, waiting)
    return _schedule(problem, occ)


def _schedule(problem: CaseProblem, occ: Occupancy) -> CaseSchedule:
    placed = sorted(occ.placed.values(), key=lambda it: (it.start, it.task))
    left = tuple(t.id for t in problem.tasks if t.id not in occ.placed)
    return CaseSchedule(tasks=tuple(placed), unscheduled=left)


def _backfill(problem: CaseProblem, occ: Occupancy, waiting: Iterable[Task]) -> None:
    """Insert waiting optional cases, highest penalty first, each at its earliest free
    slot (regular hours first) when the checker's objective drops and no rule breaks."""
    order = sorted(waiting, key=lambda t: (-problem.unscheduled_cost(t), problem.task_index[t.id]))
    if not order:
        return
    before = check_cases(problem, _schedule(problem, occ))
    for task in order:
        slot = find_slot(problem, task, occ, regular_first=True)
        if slot is None:
            continue
        current = _schedule(problem, occ)
        left = tuple(t for t in current.unscheduled if t != task.id)
        after = check_cases(problem, CaseSchedule(tasks=(*current.tasks, slot), unscheduled=left))
        if len(after.violations) <= len(before.violations) and after.objective < before.objective:
            occ.add(slot)
            before = after
