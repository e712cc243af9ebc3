"""Why one case is unscheduled or ends late.

Every start time that could work (for a late task: every start that would end by
its due time) is examined in stages:

1. *static* — the task's window, the units it needs against each resource's capacity
   ("it needs 2 XRAY but only 1 exists"), its eligible rooms (an empty room list is
   said to be one) and their openings, named staff on duty, enough qualified people
   on duty: if a stage leaves no start time, that stage is the reason, told apart by
   cause: an absence with its reason ("Ms Jones is unavailable (sick) from ..."), a
   role nobody holds, role holders on duty only while no room opening holds the case,
   or off duty ("no qualified anaesthetist on duty on Tue when Mr Okafor operates");
2. *against the schedule* — with every other task where the schedule put it, each
   remaining (start, room) is blocked by a busy room, a busy named person, too few
   free qualified people (or free ones all past their max minutes), equipment at
   capacity, a person's max minutes, or a
   precedence (named with the other case and the lag). The reasons list each blocker
   with the share of candidate (start, room) pairs it blocks; busy rooms are told
   per room and as the share of start times at which every eligible room is booked
   (a free room elsewhere is not a booked room). If some start is blocked by nothing,
   the explanation says so: the slot was free and the solver did not use it: what
   using it would cost, by rule (the checker scores the schedule with the task moved
   there), or the time limit.

This module runs the stages (``explain_task``) and is the public import point: it
re-exports ``Reason`` and ``TaskExplanation``, ``static_reasons`` (the static stages
alone, pin included), ``RULE_WORDS`` and the case labels (``case_label``,
``label_among`` from ``optimizer.explain.case_labels``). Each stage's checks and
wording live in ``optimizer.explain.case_obstacles``.
"""

from __future__ import annotations

from typing import Literal

from optimizer.construct.occupancy import Occupancy
from optimizer.construct.slots import (
    blockers,
    candidate_starts,
    find_slot,
    precedence_range,
    room_candidates,
    static_ok,
)
from optimizer.explain.case_labels import case_label, label_among
from optimizer.explain.case_obstacles.blockers import BlockerTally, blocker_message
from optimizer.explain.case_obstacles.free_slot import RULE_WORDS, why_unused
from optimizer.explain.case_obstacles.precedences import precedence_codes
from optimizer.explain.case_obstacles.reason import Reason, TaskExplanation
from optimizer.explain.case_obstacles.static import static_reasons, static_stage_reasons
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule

__all__ = [
    "RULE_WORDS",
    "Reason",
    "TaskExplanation",
    "case_label",
    "explain_task",
    "label_among",
    "static_reasons",
]


def explain_task(
    problem: CaseProblem, schedule: CaseSchedule, task_id: str
) -> TaskExplanation | None:
    """Why ``task_id`` is unscheduled or late in ``schedule`` (None if neither)."""
    task = problem.task(task_id)
    placed = schedule.by_task().get(task_id)
    if placed is None:
        status: Literal["unscheduled", "late"] = "unscheduled"
        latest, late = problem.latest_end(task), 0
    elif task.due is not None and placed.end > task.due:
        status, latest, late = "late", task.due, placed.end - task.due
    else:
        return None
    occ = Occupancy.of(problem, schedule, skip=task_id)
    base = dict(task=task_id, label=task.label, status=status, minutes_late=late)
    starts = candidate_starts(problem, task, task.release, latest, occ)
    static = static_stage_reasons(problem, task, latest, starts, status == "late")
    if static:
        return TaskExplanation(**base, reasons=tuple(static))
    prec = precedence_range(problem, task, occ)
    tally = BlockerTally()
    for start in starts:
        if not static_ok(problem, task, start):
            continue
        busy: list[bool] = []  # per room candidate at this start
        for cand in room_candidates(problem, task, start):
            codes, _ = blockers(problem, task, cand, occ, prec)
            if not codes:
                slot = find_slot(problem, task, occ, latest)
                where = f"a slot was free at {when(problem, start)}" + (
                    f" in {cand.room}" if cand.room else ""
                )
                return TaskExplanation(
                    **base,
                    reasons=(
                        Reason(
                            code="free_slot",
                            message=f"{where} — {why_unused(problem, schedule, task, slot)}",
                            share=0.0,
                        ),
                    ),
                    free_slot=slot,
                )
            if "precedence" in codes:
                codes = [c for c in codes if c != "precedence"] + (
                    precedence_codes(problem, task, occ, start) or ["precedence"]
                )
            tally.pairs += 1
            tally.codes.update(set(codes))
            if cand.room is not None:
                busy.append("room_busy" in codes)
                tally.room_seen[cand.room] += 1
                tally.room_busy[cand.room] += "room_busy" in codes
        if busy:
            tally.starts += 1
            tally.all_busy += all(busy)
    reasons = [
        Reason(
            code=code,
            message=blocker_message(problem, task, code, n / tally.pairs, schedule, tally),
            share=n / tally.pairs,
        )
        for code, n in sorted(tally.codes.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return TaskExplanation(**base, reasons=tuple(reasons))
