"""Each person's work: one task at a time, on duty (or in overtime), within max minutes."""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

from optimizer.check.cases.common import Placed, violate, when
from optimizer.check.report import CheckReport
from optimizer.model.cases import CaseProblem
from optimizer.model.result import ScheduledTask


def check_staff(problem: CaseProblem, placed: Placed, report: CheckReport) -> None:
    """Rules ``staff_overlap``, ``availability`` and ``max_minutes`` (milestones take no
    staff time)."""
    by_person: dict[str, list[ScheduledTask]] = defaultdict(list)
    for item in placed.values():
        if problem.task(item.task).duration == 0:
            continue
        for name in dict.fromkeys(item.staff):
            if name in problem.staff_index:
                by_person[name].append(item)
    for name, items in by_person.items():
        person = problem.person(name)
        windows = problem.merged_work_windows_of(person)  # on duty or in overtime
        items.sort(key=lambda it: (it.start, it.end))
        for prev, nxt in pairwise(items):
            if nxt.start < prev.end:
                violate(
                    report,
                    "staff_overlap",
                    f"{person.label} is on '{prev.task}' and '{nxt.task}' at "
                    f"{when(problem, nxt.start)}",
                    staff=name,
                    task=nxt.task,
                )
        for item in items:
            if not any(w.start <= item.start and item.end <= w.end for w in windows):
                violate(
                    report,
                    "availability",
                    f"{person.label} is off duty during '{item.task}' "
                    f"({when(problem, item.start)}–{when(problem, item.end)})",
                    staff=name,
                    task=item.task,
                )
        total = sum(item.end - item.start for item in items)
        if person.max_minutes is not None and total > person.max_minutes:
            violate(
                report,
                "max_minutes",
                f"{person.label} works {total} minutes, more than {person.max_minutes}",
                staff=name,
                amount=total - person.max_minutes,
            )
