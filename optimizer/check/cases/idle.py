"""Idle cost: minutes a room stands empty between consecutive cases of one opening."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from optimizer.check.cases.common import Placed, opening_of, when
from optimizer.check.report import CheckReport, Penalty
from optimizer.model.cases import CaseProblem
from optimizer.model.result import ScheduledTask


def idle_penalties(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Per room opening: minutes empty between consecutive cases beyond the turnover."""
    by_opening: dict[tuple[str, int], list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if item.room not in problem.room_index or problem.task(item.task).duration == 0:
            continue
        opening = opening_of(problem, item.room, item)
        if opening is not None:
            by_opening[(item.room, opening.start)].append(item)
    for (room_id, opened), items in sorted(by_opening.items()):
        turnover = problem.turnover_of(problem.room(room_id))
        items.sort(key=lambda it: (it.start, it.end))
        minutes = sum(max(0, b.start - a.end - turnover) for a, b in pairwise(items))
        if not minutes:
            continue
        cost = problem.weights.idle * minutes
        report.penalties.append(
            Penalty(
                rule="idle",
                cost=cost,
                amount=minutes,
                message=f"room '{room_id}': {minutes} min idle between cases in the opening "
                f"from {when(problem, opened)} ({cost})",
            )
        )
