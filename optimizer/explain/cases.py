"""Why cases are unscheduled or late, and how busy rooms and people are.

``explain_schedule`` combines the per-task reasons (``optimizer.explain.case_reasons``)
with the utilisation of rooms and people (``optimizer.explain.case_utilisation``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from optimizer.explain.case_reasons import TaskExplanation, explain_task
from optimizer.explain.case_utilisation import (
    RoomUtilisation,
    StaffUtilisation,
    room_utilisation,
    schedule_of,
    staff_utilisation,
)
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, Result


class CaseExplanation(BaseModel):
    """Every unscheduled/late task with its reasons, and utilisation KPIs."""

    model_config = ConfigDict(extra="forbid")

    tasks: list[TaskExplanation] = Field(default_factory=list)
    rooms: list[RoomUtilisation] = Field(default_factory=list)
    staff: list[StaffUtilisation] = Field(default_factory=list)

    def messages(self) -> list[str]:
        """Plain-language lines: one per unscheduled or late task."""
        return [t.message for t in self.tasks]


def explain_schedule(problem: CaseProblem, solution: Result | CaseSchedule) -> CaseExplanation:
    """Reasons for every unscheduled or late task, and utilisation per room and person."""
    schedule = schedule_of(solution)
    placed = schedule.by_task()
    explained = []
    for task in problem.tasks:
        item = placed.get(task.id)
        late = item is not None and task.due is not None and item.end > task.due
        if item is None or late:
            found = explain_task(problem, schedule, task.id)
            if found is not None:
                explained.append(found)
    return CaseExplanation(
        tasks=explained,
        rooms=room_utilisation(problem, schedule),
        staff=staff_utilisation(problem, schedule),
    )
