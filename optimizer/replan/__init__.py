"""Re-planning a published case schedule with minimal disruption.

``replan(problem, published, changes, now=...)`` applies changes (a case added or
cancelled, a person unavailable for an interval, a room closed for an interval, a
case that ran long), fixes what cannot move, re-solves, and reports exactly what
moved.

* Tasks the published schedule started before ``now`` are pinned (start, room and
  whole team); every other task may not start before ``now``.
* The published schedule becomes the problem's ``baseline``: each moved or dropped
  case costs ``move_weight``, each person taken off a case ``staff_weight``
  (penalty rules ``baseline_move`` / ``baseline_staff``).
* A case that ran long is pinned where it ran with its actual duration (facts beat
  plans); the room opening it started in gets overtime up to the actual end. Each
  person on its team keeps their duty windows while the case stays within their reach
  (on duty plus overtime): the overrun is charged as staff overtime, per on-duty
  window it reaches, from the window's end to the case's end, up to the end of the
  window's overtime. Only beyond the reach is a window stretched: the on-duty window
  whose overtime ends where a stretch past the reach begins runs on until its
  overtime ends where the stretch ends (with no such window, the stretch itself is on
  duty), so every window the case reaches still charges its overtime in full and the
  minutes beyond are not charged.
* An optional case that can no longer be placed at all (e.g. its surgeon is away for
  the rest of the horizon) is taken out and reported as dropped, with the reason; a
  mandatory one makes the change invalid (``InputError``). When no case is left at
  all, the outcome lists every case as dropped and holds an empty schedule
  (``replan_problem`` refuses: there is no problem left to build).
* A room closed for all its opening time stays in the problem (the published plan
  names it) but leaves every case's eligible rooms: its cases move to other rooms or,
  when optional and the room was their only one, are dropped.
* Facts beat limits too: when a person's started cases (one ran long) already pass
  their ``max_minutes``, the limit is raised to those minutes (a note says so) and no
  other case can have them: an optional case naming them is dropped with the reason,
  a mandatory one makes the change invalid (``InputError``).
* A later opening of the room a long case ran into starts when the case ends (the
  afternoon list waits; turnover follows); one whose regular hours it ran past goes,
  its overtime kept as overtime of the case's opening.
* ``now`` must lie within ``[0, horizon]``; a mandatory case (an added one included)
  whose deadline leaves no room for it after ``now`` is refused (``InputError``).
* Changes that contradict each other or the facts (a closure or an absence over a
  started case, an overrun into a case that has started, a case cancelled twice, a
  change that breaks a planner's pin) are refused, naming both, whatever their order.
* The solve warm-starts from a repaired schedule: the published placements that
  still fit, then the rest inserted at their earliest free slot, then the cases the
  published plan left out, highest penalty first, each at its earliest free slot
  when that lowers the checker's objective (a cancellation frees a slot to backfill).
* The outcome lists every case out of the new schedule with the reason (an added
  case that could not be placed included); with no new schedule at all (e.g. the
  mandatory cases no longer fit), its ``notes`` say so and name the likely causes.
* A case taken out (cancelled, or dropped as unplaceable) takes its precedences with
  it, both ways: for a chain A → B → C with B cancelled, A → B and B → C go and A and
  C are no longer ordered (the lags were measured from B, so no A → C link is made
  up); the ``notes`` name each dropped precedence, to be re-added by hand if needed.
* Moves name a case by its name, with its id when it has no name or shares it
  (``case_label``), so two "Hernia repair" cases are told apart.

Modules, one concept each: ``changes`` (the change records, the ``Change`` union,
``Move`` and ``ReplanOutcome``); ``prepare`` (the re-planning problem built: runs the
steps below on a ``draft``, the mutable copy of the problem, and sets the baseline);
``now`` (started cases fixed and pinned, the rest released at ``now``);
``apply_change`` (one change applied) with ``overrun`` (a case that ran long);
``started_clashes`` and ``pin_clashes`` (contradictions refused, naming both);
``unplaceable`` (closed rooms and cases that can no longer be placed);
``work_limits`` (``max_minutes`` raised by started cases); ``intervals`` (arithmetic
on openings and spans); ``warm_start`` (``repair``: the published schedule repaired,
then backfilled); ``moves`` (``diff_schedules``, case labels, move messages, why a
case is out, notes on no schedule and dropped precedences); here ``replan`` and
``replan_problem``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem
from optimizer.model.result import CaseSchedule, Result, SolveStatus
from optimizer.replan.changes import (
    AddCase,
    CancelCase,
    CaseOverrun,
    Change,
    Move,
    MoveKind,
    ReplanOutcome,
    RoomClosed,
    StaffUnavailable,
)
from optimizer.replan.moves import (
    describe,
    diff_schedules,
    dropped_precedences,
    no_schedule_notes,
    outcome_moves,
)
from optimizer.replan.prepare import new_baseline, prepare, schedule_of
from optimizer.replan.warm_start import repair
from optimizer.replan.work_limits import limit_notes
from optimizer.solve import solve

__all__ = [
    "AddCase",
    "CancelCase",
    "CaseOverrun",
    "Change",
    "Move",
    "MoveKind",
    "ReplanOutcome",
    "RoomClosed",
    "StaffUnavailable",
    "diff_schedules",
    "repair",
    "replan",
    "replan_problem",
]


def replan_problem(
    problem: CaseProblem,
    published: Result | CaseSchedule,
    changes: Sequence[Change] = (),
    now: int | None = None,
    move_weight: int = 100,
    staff_weight: int = 10,
) -> tuple[CaseProblem, list[str], dict[str, str]]:
    """The re-planning problem: changes applied, started tasks pinned, baseline set.

    Returns the problem, the ids of tasks pinned as started (or overrun), and the
    optional tasks taken out because they can no longer be placed (id -> reason).
    With no case left there is no problem to return: ``InputError`` (``replan``
    reports every case as dropped instead).
    """
    schedule = schedule_of(published)
    draft, dropped = prepare(problem, schedule, changes, now)
    if not draft.tasks:
        raise InputError(
            "after the changes no case is left that can be scheduled: "
            + "; ".join(f"{t}: {why}" for t, why in dropped.items()),
            field="changes",
        )
    baseline = new_baseline(draft, schedule, dropped, move_weight, staff_weight)
    return draft.build(baseline), list(draft.fixed), dropped


def replan(
    problem: CaseProblem,
    published: Result | CaseSchedule,
    changes: Sequence[Change] = (),
    now: int | None = None,
    move_weight: int = 100,
    staff_weight: int = 10,
    **solve_kwargs: Any,
) -> ReplanOutcome:
    """Apply ``changes``, re-solve with minimal disruption and list exactly what moved.

    ``solve_kwargs`` go to ``optimizer.solve.solve`` (backend, time_limit, workers,
    seed, ...); the warm start defaults to a repair of the published schedule. Every
    case that ends up out of the schedule (dropped, or added and not placed) is listed
    with the reason; without any new schedule the ``notes`` say why.
    """
    schedule = schedule_of(published)
    draft, dropped = prepare(problem, schedule, changes, now)
    baseline = new_baseline(draft, schedule, dropped, move_weight, staff_weight)
    fixed = list(draft.fixed)
    if not draft.tasks:
        empty = draft.build(baseline, validate=False)
        return _nothing_left(problem, schedule, empty, changes, dropped)
    new_problem = draft.build(baseline)
    if "hint" not in solve_kwargs:
        solve_kwargs["hint"] = repair(new_problem, schedule)
    result = solve(new_problem, **solve_kwargs)
    outcome = ReplanOutcome(problem=new_problem, result=result, fixed=fixed, dropped=dropped)
    links = [*limit_notes(draft), *dropped_precedences(problem, new_problem, changes)]
    if result.schedule is None:
        done = [describe(problem, change) for change in changes]
        notes = no_schedule_notes(new_problem, result, done)
        return outcome.model_copy(update={"notes": [*notes, *links]})
    moves = outcome_moves(problem, new_problem, schedule, result.schedule, changes, dropped)
    return outcome.model_copy(update={"moves": moves, "notes": links})


def _nothing_left(
    problem: CaseProblem,
    schedule: CaseSchedule,
    empty: CaseProblem,
    changes: Sequence[Change],
    dropped: dict[str, str],
) -> ReplanOutcome:
    """No case can be placed any more (e.g. a one-surgeon list whose surgeon is off):
    every case is dropped with its reason; the new problem holds no case (``empty``
    is not validated: a problem needs a case) and the schedule is empty."""
    result = Result(
        status=SolveStatus.OPTIMAL,
        objective=0,
        bound=0,
        backend="none",
        schedule=CaseSchedule(),
        message="no case is left to schedule after the changes",
    )
    moves = outcome_moves(problem, empty, schedule, CaseSchedule(), changes, dropped)
    note = "re-plan: no case is left that can be scheduled after the changes; all are dropped"
    return ReplanOutcome(problem=empty, result=result, moves=moves, dropped=dropped, notes=[note])
