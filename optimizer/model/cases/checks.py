"""Cross-reference checks of a case problem: ids unique and known, openings apart,
precedences free of cycles. Each returns its error messages (empty: none)."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING

from optimizer.model.common import near_miss

if TYPE_CHECKING:
    from optimizer.model.cases.problem import CaseProblem
    from optimizer.model.cases.resources import Room
    from optimizer.model.cases.tasks import Task


def duplicate_id_errors(problem: CaseProblem) -> list[str]:
    """Every task, room, staff and resource id is used once."""
    errors: list[str] = []
    for kind, ids in (
        ("task", [t.id for t in problem.tasks]),
        ("room", [r.id for r in problem.rooms]),
        ("staff", [p.id for p in problem.staff]),
        ("resource", [r.id for r in problem.resources]),
    ):
        for dup, count in Counter(ids).items():
            if count > 1:
                errors.append(f"{kind} id '{dup}' is used {count} times")
    return errors


def room_resource_id_errors(problem: CaseProblem) -> list[str]:
    """A room and a resource may not share an id (a schedule lists both by id)."""
    resources = {resource.id for resource in problem.resources}
    return [
        f"room '{room.id}' and resource '{room.id}' share an id: give one of them another "
        "id (schedules list rooms and resources by id)"
        for room in problem.rooms
        if room.id in resources
    ]


def opening_overlap_errors(problem: CaseProblem, room: Room) -> list[str]:
    """The room's openings, overtime included, do not overlap."""
    errors = []
    openings = problem.openings_of(room)
    for first, second in pairwise(openings):
        if second.start < first.hard_end:
            errors.append(
                f"room '{room.id}': openings starting at {first.start} and {second.start} "
                f"overlap (including overtime)"
            )
    return errors


def task_id_errors(problem: CaseProblem, task: Task) -> list[str]:
    """The staff, rooms and resources a task names exist."""
    where = f"task '{task.id}'"
    errors = [
        f"{where}: unknown staff '{name}'{near_staff(problem, name)}"
        for name in task.staff
        if name not in problem.staff_index
    ]
    errors += [
        f"{where}: unknown room '{room_id}'{near_room(problem, room_id)}"
        for room_id in task.rooms or ()
        if room_id not in problem.room_index
    ]
    errors += [
        f"{where}: unknown resource '{resource_id}'"
        for resource_id in task.resources
        if resource_id not in problem.resource_index
    ]
    return errors


def near_staff(problem: CaseProblem, unknown: str) -> str:
    """What an unknown staff id was probably meant to be (``near_miss``)."""
    return near_miss(unknown, problem.staff_index, {p.id: p.name for p in problem.staff}, "staff")


def near_room(problem: CaseProblem, unknown: str) -> str:
    """What an unknown room id was probably meant to be (``near_miss``)."""
    return near_miss(unknown, problem.room_index, {r.id: r.name for r in problem.rooms}, "room")


def near_task(problem: CaseProblem, unknown: str) -> str:
    """What an unknown task id was probably meant to be (``near_miss``)."""
    return near_miss(unknown, problem.task_index, {t.id: t.name for t in problem.tasks}, "task")


def precedence_errors(problem: CaseProblem) -> list[str]:
    """Precedences name known tasks and form no cycle."""
    errors: list[str] = []
    successors: dict[str, list[str]] = {}
    for i, prec in enumerate(problem.precedences):
        where = f"precedences[{i}] ('{prec.before}' → '{prec.after}')"
        unknown = [t for t in (prec.before, prec.after) if t not in problem.task_index]
        for task_id in unknown:
            errors.append(f"{where}: unknown task '{task_id}'{near_task(problem, task_id)}")
        if not unknown:
            successors.setdefault(prec.before, []).append(prec.after)
    cycle = _find_cycle(successors)
    if cycle:
        errors.append("cyclic precedences: " + " → ".join(f"'{t}'" for t in cycle))
    return errors


def baseline_errors(problem: CaseProblem) -> list[str]:
    """The baseline's rooms and staff exist (its cancelled tasks are ignored)."""
    errors: list[str] = []
    if problem.baseline is None:
        return errors
    for placed in problem.baseline.schedule.tasks:
        where = f"baseline task '{placed.task}'"
        if placed.room is not None and placed.room not in problem.room_index:
            errors.append(f"{where}: unknown room '{placed.room}'")
        for name in placed.staff:
            if name not in problem.staff_index:
                errors.append(f"{where}: unknown staff '{name}'")
    return errors


def _find_cycle(successors: dict[str, list[str]]) -> list[str]:
    """One cycle (first node repeated at the end) in a directed graph, or []."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in successors:
        if state.get(root):
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        state[root] = 1
        while stack:
            node, i = stack[-1]
            nexts = successors.get(node, [])
            if i < len(nexts):
                stack[-1] = (node, i + 1)
                nxt = nexts[i]
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt) :], nxt]
                if not state.get(nxt):
                    state[nxt] = 1
                    stack.append((nxt, 0))
                    path.append(nxt)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    return []
