"""The case-scheduling soft rules: their names, their weights, and a baseline to stay close to.

Soft rules (``CASE_PENALTY_RULES``; ``Result.terms`` keys), each an integer cost:

* ``unscheduled``: ``problem.unscheduled_cost(task)`` per optional task left out;
* ``tardiness``: ``weights.tardiness * priority * max(0, end - due)`` per task;
* ``overtime``: ``weights.overtime`` per minute a room's last task in an opening
  ends after that opening's ``end``;
* ``staff_overtime``: ``weights.staff_overtime`` per minute, per person and on-duty
  window, from that window's ``end`` to the latest end of the person's work running
  past it, whichever window that task started in (up to where the overtime stops: a
  task running on into the next window is on duty there);
* ``idle``: ``weights.idle`` per minute a room stands empty between two consecutive
  cases of one opening, beyond the room's turnover (milestones do not count);
* ``makespan``: ``weights.makespan * max(end of placed tasks)`` (0 if none);
* ``baseline_move``: ``baseline.move_weight`` per baseline task now unscheduled
  or placed at another start or room;
* ``baseline_staff``: ``baseline.staff_weight`` per person of a baseline task no
  longer on that task.
"""

from __future__ import annotations

from pydantic import Field

from optimizer.model.common import MAX_WEIGHT, Int, Record
from optimizer.model.result import CaseSchedule

CASE_PENALTY_RULES = (
    "unscheduled",
    "tardiness",
    "overtime",
    "staff_overtime",
    "idle",
    "makespan",
    "baseline_move",
    "baseline_staff",
)
"""Names of the case-scheduling soft rules; ``Result.terms`` and stages use them."""


class CaseBaseline(Record):
    """A published schedule to stay close to when re-planning.

    Baseline tasks that no longer exist in the problem (cancelled) are ignored.
    """

    schedule: CaseSchedule
    move_weight: Int = Field(default=100, ge=0, le=MAX_WEIGHT, description="per moved/dropped task")
    staff_weight: Int = Field(
        default=10, ge=0, le=MAX_WEIGHT, description="per person taken off a task"
    )


class CaseWeights(Record):
    """Weights of the soft rules (see the module docstring)."""

    unscheduled: Int = Field(
        default=1000, ge=0, le=MAX_WEIGHT, description="per priority unit, if no penalty"
    )
    tardiness: Int = Field(default=1, ge=0, le=MAX_WEIGHT, description="per minute late × priority")
    overtime: Int = Field(
        default=1, ge=0, le=MAX_WEIGHT, description="per room-minute past opening end"
    )
    staff_overtime: Int = Field(
        default=1, ge=0, le=MAX_WEIGHT, description="per person-minute past an on-duty window"
    )
    idle: Int = Field(
        default=0, ge=0, le=MAX_WEIGHT, description="per minute a room stands empty between cases"
    )
    makespan: Int = Field(default=0, ge=0, le=MAX_WEIGHT, description="per minute of the last end")
