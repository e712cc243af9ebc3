"""The published schedule as the baseline of a case re-plan: started cases kept,
set-up notes and a warm start."""

from __future__ import annotations

from typing import Any

from dashboards.optional import feature
from dashboards.whatif.case_wording import case_names, case_words, in_words
from dashboards.whatif.closed_room import CLOSED
from optimizer.errors import InputError
from optimizer.model.result import Result, SolveStatus


def published_schedule(problem: Any, result: Result) -> Any:
    """``result``'s schedule restricted to the cases ``problem`` still has."""
    if result.schedule is None:
        raise InputError("there is no schedule to keep close to: solve the cases first")
    return result.schedule.model_copy(
        update={"tasks": tuple(t for t in result.schedule.tasks if t.task in problem.task_index)}
    )


def published_under_case_changes(problem: Any, published: Result) -> tuple[Result, list[str]]:
    """The published schedule under the changes of ``problem`` (the scenario's: cases it
    no longer has taken out, cases it adds unscheduled, everything else where it was),
    costed by the checker, and the hard rules it breaks there in the planner's words
    (each once; none when the planner could keep it). Its status is INFEASIBLE when it
    breaks any."""
    from optimizer.check import check

    schedule = published_schedule(problem, published)
    placed = {t.task for t in schedule.tasks}
    schedule = schedule.model_copy(
        update={"unscheduled": tuple(t.id for t in problem.tasks if t.id not in placed)}
    )
    report = check(problem, schedule)
    broken = [in_words(problem, InputError(v.message)).message for v in report.violations]
    status = SolveStatus.INFEASIBLE if broken else SolveStatus.FEASIBLE
    result = Result(
        status=status,
        objective=report.objective,
        schedule=schedule,
        terms=report.cost_by_rule(),
    )
    return result, list(dict.fromkeys(broken))


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
        _check_started_rooms(problem, schedule, now)
        _check_started_teams(problem, schedule, now)
    try:
        return replan_problem(problem, schedule, now=now)
    except InputError as exc:
        if now:
            exc = InputError(f"with Now at {when(problem, now)}, {exc.message}", field="Now")
        raise in_words(problem, exc) from None


def _check_started_rooms(problem: Any, schedule: Any, now: int) -> None:
    """Refuse, in the planner's words, a case started before ``now`` (so kept where it
    is) whose room is closed during it after the changes, such as a theatre closed for
    the day the case started on."""
    from optimizer.explain.case_time import when

    for placed in sorted(schedule.tasks, key=lambda t: (t.start, t.task)):
        if placed.start >= now or placed.end <= placed.start or placed.room is None:
            continue
        if placed.room not in problem.room_index:
            continue
        room = problem.room(placed.room)
        openings = problem.openings_of(room)
        if not openings or _covered(openings, placed.start, placed.end):
            continue
        case = case_words(problem.task(placed.task))
        raise InputError(
            f"{case[0].upper()}{case[1:]} started in {room.label} "
            f"{when(problem, placed.start)}, before Now ({when(problem, now)}), but "
            f"{room.label} is {_closed_span(problem, openings, placed.start, placed.end)} "
            f"in this scenario. A started case stays where it is: set Now to "
            f"{when(problem, placed.start)} or earlier to re-plan it too, or discard the "
            f"changes and close {room.label} from {_clock(problem, placed.end)} (the Closed "
            "room form's From time)",
            field="Now",
        )


def _clock(problem: Any, minute: int) -> str:
    """``09:30`` (or ``t=570`` for abstract time)."""
    moment = problem.datetime_of(minute)
    return f"t={minute}" if moment is None else f"{moment:%H:%M}"


def _covered(openings: Any, start: int, end: int) -> bool:
    """Whether every minute of ``[start, end)`` is in some opening (overtime included)."""
    return all(any(o.start <= m < o.hard_end for o in openings) for m in range(start, end))


def _closed_span(problem: Any, openings: Any, start: int, end: int) -> str:
    """The closure around ``[start, end)`` in words: "closed all of Tue 08 Dec" when it
    covers that calendar day, else "closed Tue 08 Dec 08:00–12:00"."""
    from optimizer.explain.case_time import time_span

    real = [o for o in openings if o.model_dump() != CLOSED]  # the closed-all-plan stand-in
    gap = next(m for m in range(start, end) if not any(o.start <= m < o.hard_end for o in real))
    gap_start = max([o.hard_end for o in real if o.hard_end <= gap], default=0)
    gap_end = min([o.start for o in real if o.start > gap], default=problem.horizon)
    moment = problem.datetime_of(start)
    if moment is not None:
        midnight = problem.minute_of(moment.replace(hour=0, minute=0))
        if gap_start <= midnight and midnight + 24 * 60 <= gap_end:
            return f"closed all of {moment:%a %d %b}"
    return f"closed {time_span(problem, gap_start, gap_end)}"


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
