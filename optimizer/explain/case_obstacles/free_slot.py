"""Why the solver left a free slot unused: what using it would cost, by rule."""

from __future__ import annotations

from optimizer.check.cases import check_cases
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import CaseSchedule, ScheduledTask

RULE_WORDS = {
    "unscheduled": "left-out cases",
    "tardiness": "lateness",
    "overtime": "room overtime",
    "staff_overtime": "staff overtime",
    "idle": "idle room time",
    "makespan": "last finish",
    "baseline_move": "moved cases",
    "baseline_staff": "people moved",
}
"""The planner's words for the case penalty rules."""


def why_unused(
    problem: CaseProblem, schedule: CaseSchedule, task: Task, slot: ScheduledTask | None
) -> str:
    """Why the solver left a free slot unused: what using it would cost, by rule, as
    the checker scores the schedule with the task moved there."""
    unclear = "the solver did not use it (time limit or a costlier trade-off elsewhere)"
    before = check_cases(problem, schedule)
    if slot is None or not before.feasible:
        return unclear
    others = tuple(item for item in schedule.tasks if item.task != task.id)
    moved = CaseSchedule(
        tasks=(*others, slot),
        unscheduled=tuple(t for t in schedule.unscheduled if t != task.id),
    )
    after = check_cases(problem, moved)
    if not after.feasible:
        return unclear
    before_costs, after_costs = before.cost_by_rule(), after.cost_by_rule()
    changes = {
        rule: after_costs.get(rule, 0) - before_costs.get(rule, 0)
        for rule in dict.fromkeys([*before_costs, *after_costs])
    }
    delta = sum(changes.values())
    if delta < 0:
        return "the solver did not use it (time limit)"
    if delta == 0:
        return "using it would cost the same (a tie)"
    parts = ", ".join(
        f"{RULE_WORDS.get(rule, rule)} {change:+d}"
        for rule, change in sorted(changes.items(), key=lambda kv: -abs(kv[1]))
        if change
    )
    return f"using it would cost {delta} more ({parts})"
