"""A placed task's team: known people, each once, the named staff, and the roles filled."""

from __future__ import annotations

from optimizer.check.cases.common import violate
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import ScheduledTask


def check_team(problem: CaseProblem, task: Task, item: ScheduledTask, report: CheckReport) -> None:
    """Rules ``team`` (who is on ``item``, how many) and ``qualification`` (roles)."""
    tid = task.id
    people = list(item.staff)
    if len(set(people)) != len(people):
        violate(report, "team", f"task '{tid}' lists a person twice", task=tid)
    unknown = [p for p in people if p not in problem.staff_index]
    for name in unknown:
        violate(report, "team", f"task '{tid}': unknown staff '{name}'", task=tid, staff=name)
    if unknown:
        return
    for name in task.staff:
        if name not in people:
            violate(
                report,
                "team",
                f"named staff '{name}' is not on task '{tid}'",
                task=tid,
                staff=name,
            )
    if len(set(people)) != task.team_size:
        violate(
            report,
            "team",
            f"task '{tid}' has {len(set(people))} people, needs {task.team_size}",
            task=tid,
        )
        return
    others = [p for p in dict.fromkeys(people) if p not in task.staff]
    slots = [need.role for need in task.team for _ in range(need.count)]
    if _max_matching(problem, others, slots) < len(slots):
        roles = ", ".join(f"{n.count} {n.role}" for n in task.team)
        violate(
            report,
            "qualification",
            f"task '{tid}': {', '.join(others)} cannot fill the roles ({roles})",
            task=tid,
        )


def _max_matching(problem: CaseProblem, people: list[str], slots: list[str]) -> int:
    """Size of a maximum matching of people to role slots they hold."""
    holder: dict[int, str] = {}

    def augment(person: str, seen: set[int]) -> bool:
        roles = problem.person(person).roles
        for j, role in enumerate(slots):
            if role in roles and j not in seen:
                seen.add(j)
                if j not in holder or augment(holder[j], seen):
                    holder[j] = person
                    return True
        return False

    return sum(augment(person, set()) for person in people)
