"""The case-scheduling problem: which task runs when, in which room, with whom.

Time is integer minutes from the horizon start (``CaseProblem.start``; ``None``
means abstract time units, as in PSPLIB). Every interval is half-open
``[start, end)``. A placed task occupies ``[start, start + duration)``.

Semantics (the contract shared by every backend and the checker):

* **Tasks** run non-preemptively inside ``[release, deadline or horizon]``. A
  mandatory task must be placed; an ``optional`` one may stay unscheduled at
  ``unscheduled_cost``. Validation refuses a mandatory (or pinned) task that no
  room, opening or team could ever hold; an optional one that can never run is
  valid: it stays out at its cost, and the explanation says why.
* **Team**: each task needs exactly ``len(staff) + sum(team counts)`` distinct people:
  every named person in ``Task.staff`` (no role needed) plus, for each
  ``TeamRequirement``, ``count`` other people who hold that role (a person fills at
  most one slot of a task).
* **Rooms**: a task needs one room iff ``CaseProblem.needs_room(task)`` (its
  ``needs_room``, default: the problem has rooms). The room must be in
  ``Task.rooms`` (if given) and have every capability in ``Task.room_needs``. It
  runs wholly inside one opening of the room, possibly into that opening's
  ``overtime`` minutes. Consecutive tasks in a room are at least the room's
  turnover apart.
* **Staff** work one task at a time, wholly inside one of their (merged)
  availability windows, possibly into the person's ``overtime`` minutes after a
  window's end (the extension stops at the next window's start and at the person's
  ``unavailable`` times), and at most ``max_minutes`` task minutes in total.
* **Resources** (equipment, PSPLIB renewable resources): at every minute the
  units used by running tasks are at most the capacity.
* **Precedences** apply when both tasks are placed:
  ``end(before) + min_lag <= start(after) <= end(before) + max_lag``.
* Tasks of duration 0 are milestones: they use no room time, staff time or
  resources (they still need their room/staff assignment if asked for).
* **Pins** fix a task's start, room and/or people (a pinned task must be placed).

Soft rules, their costs and weights: ``optimizer.model.cases.costs``.

This package is the public import point of the case model; its modules hold one part
each: ``windows``, ``tasks``, ``resources``, ``staff``, ``costs``, ``problem`` and the
problem's cross-checks (``checks``, ``task_checks``, ``pin_checks``).
"""

from optimizer.model.cases.costs import CASE_PENALTY_RULES, CaseBaseline, CaseWeights
from optimizer.model.cases.problem import CaseProblem
from optimizer.model.cases.resources import Equipment, Opening, Resource, Room
from optimizer.model.cases.staff import Absence, StaffMember
from optimizer.model.cases.tasks import CasePin, Precedence, Task, TeamRequirement
from optimizer.model.cases.windows import Window, merge_windows

__all__ = [
    "CASE_PENALTY_RULES",
    "Absence",
    "CaseBaseline",
    "CasePin",
    "CaseProblem",
    "CaseWeights",
    "Equipment",
    "Opening",
    "Precedence",
    "Resource",
    "Room",
    "StaffMember",
    "Task",
    "TeamRequirement",
    "Window",
    "merge_windows",
]
