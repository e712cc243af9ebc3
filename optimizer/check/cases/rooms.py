"""Room double booking and turnover between consecutive cases in a room."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from optimizer.check.cases.common import Placed, violate, when
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem
from optimizer.model.result import ScheduledTask


def check_rooms(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Rules ``room_overlap`` and ``turnover`` (milestones take no room time)."""
    by_room: dict[str, list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if item.room in problem.room_index and problem.task(item.task).duration > 0:
            by_room[item.room].append(item)
    for room_id, items in by_room.items():
        turnover = problem.turnover_of(problem.room(room_id))
        items.sort(key=lambda it: (it.start, it.end))
        for prev, nxt in pairwise(items):
            if nxt.start < prev.end:
                violate(
                    report,
                    "room_overlap",
                    f"room '{room_id}': tasks '{prev.task}' and '{nxt.task}' overlap at "
                    f"{when(problem, nxt.start)}",
                    task=nxt.task,
                )
            elif nxt.start < prev.end + turnover:
                violate(
                    report,
                    "turnover",
                    f"room '{room_id}': only {nxt.start - prev.end} minutes between "
                    f"'{prev.task}' and '{nxt.task}' (turnover {turnover})",
                    task=nxt.task,
                )
