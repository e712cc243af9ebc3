"""The published schedule as the baseline of a case re-plan: started cases kept,
set-up notes and a warm start."""

from __future__ import annotations

from typing import Any

from dashboards.optional import feature
from dashboards.whatif.case_wording import case_names, case_words, in_words
from optimizer.errors import InputError
from optimizer.model.result import Result


def published_schedule(problem: Any, result: Result) -> Any:
    """``result``'s schedule restricted to the cases ``problem`` still has."""
    if result.schedule is None:
        raise InputError("there is no schedule to keep close to: solve the cases first")
    return result.schedule.model_copy(
        update={"tasks": tuple(t for t in result.schedule.tasks if t.task in problem.task_index)}
    )


def baseline_cases(
    problem: Any, result: Result, now: int | None = None
) -> tuple[Any, list[str], dict[str, str]]:
    """The re-planning problem of ``optimizer.replan``: ``result``'s schedule as the
    published baseline, cases it started before ``now`` pinned (start, room, team), no
    other case starting before ``now``, and optional cases that can no longer be placed
    taken out. Returns the problem, the pinned case ids and the left-out ids -> reason.
    """
    from optimizer.explain.case_time import when
    from optimizer.replan import replan_problem

    schedule = published_schedule(problem, result)
    if now:
        _check_started_teams(problem, schedule, now)
    try:
        return replan_problem(problem, schedule, now=now)
    except InputError as exc:
        if now:
            exc = InputError(f"with Now at {when(problem, now)}, {exc.message}", field="Now")
        raise in_words(problem, exc) from None


def _check_started_teams(problem: Any, schedule: Any, now: int) -> None:
    """Refuse, in the planner's words, a case started before ``now`` (so kept where it
    is, with its team) whose team has someone no longer on duty for the whole of it,
    such as a surgeon now off sick that day."""
    from optimizer.explain.case_time import time_span, when

    for placed in sorted(schedule.tasks, key=lambda t: (t.start, t.task)):
        if placed.start >= now or placed.end <= placed.start:
            continue
        for name in placed.staff:
            if name not in problem.staff_index:
                continue
            windows = problem.merged_work_windows_of(problem.person(name))
            length = placed.end - placed.start
            if any(min(w.end, placed.end) - max(w.start, placed.start) >= length for w in windows):
                continue
            case = case_words(problem.task(placed.task))
            raise InputError(
                f"{case[0].upper()}{case[1:]} started {when(problem, placed.start)}, before Now "
                f"({when(problem, now)}), with {problem.person(name).label}, who is not on "
                f"duty for the whole of it ({time_span(problem, placed.start, placed.end)}) "
                f"after the changes. A started case keeps its team: set Now to "
                f"{when(problem, placed.start)} or earlier to re-plan the case too, or start "
                f"the absence after the case ends ({when(problem, placed.end)})",
                field="Now",
            )


def case_replan_notes(
    problem: Any, fixed: list[str], dropped: dict[str, str], now: int | None
) -> list[str]:
    """What the re-planning set-up did, in words (``problem``: before it was applied)."""
    from optimizer.explain.case_time import when

    notes = []
    if now:
        notes.append(f"Now is {when(problem, now)}: no case starts earlier.")
    if fixed:
        started = case_names([problem.task(t) for t in fixed])
        notes.append(f"Started before now, so kept where they are: {started}.")
    for task_id, why in dropped.items():
        notes.append(f"Left out: {problem.task(task_id).label}: {why}.")
    return notes


def case_hint(planned: Any, result: Result) -> Any:
    """A warm start for the re-plan: a repair of the published schedule if available."""
    repair = feature("optimizer.replan", "repair")
    if repair is None or result.schedule is None:
        return result.schedule
    try:
        return repair(planned, result.schedule)
    except Exception:  # a warm start is optional
        return result.schedule
