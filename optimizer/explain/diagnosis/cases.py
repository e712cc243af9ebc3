"""Likely reasons a case problem has no schedule, read from the data alone (no solve)."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, StaffMember, Task, merge_windows


def case_conflict_hints(problem: CaseProblem, limit: int = 5) -> list[str]:
    """Likely reasons a case problem has no schedule, read from the data (no solve).

    The rule-by-rule diagnosis (``diagnose_roster``) covers rosters only. For case
    problems this names mandatory cases that fit nowhere whatever the others do, people
    named on more mandatory minutes than their ``max_minutes`` or than they may work (on
    duty or in overtime, while their cases' rooms are open), and pinned cases that
    overlap in one room or for one person; at most ``limit`` lines. Empty when no single
    cause shows: the mandatory cases then compete for rooms, people, equipment or time
    together.
    """
    from optimizer.explain.case_reasons import static_reasons

    must = [task for task in problem.tasks if problem.must_schedule(task)]
    impossible = {task.id: static_reasons(problem, task) for task in must}
    hints = [f"{task.label}: {reason.message}" for task in must for reason in impossible[task.id]]
    hints += _overbooked_people(problem, must)
    hints += _duty_shortfalls(problem, must, {name for name, why in impossible.items() if why})
    hints += _overlapping_pins(problem)
    if len(hints) > limit:
        hints = [*hints[: limit - 1], f"… and {len(hints) - limit + 1} more"]
    return hints


def _people_on(problem: CaseProblem, task: Task) -> set[str]:
    """Named staff of the task plus those pinned to it."""
    pin = problem.pin_of(task.id)
    return set(task.staff) | set(pin.staff if pin is not None else ())


def _overbooked_people(problem: CaseProblem, must: Sequence[Task]) -> list[str]:
    hints = []
    for person in problem.staff:
        if person.max_minutes is None:
            continue
        minutes = sum(task.duration for task in must if person.id in _people_on(problem, task))
        if minutes > person.max_minutes:
            hints.append(
                f"{person.label} is named on {minutes} minutes of mandatory cases but may "
                f"work at most {person.max_minutes} (max_minutes)"
            )
    return hints


def _duty_shortfalls(problem: CaseProblem, must: Sequence[Task], impossible: set[str]) -> list[str]:
    """People named on more mandatory case minutes than they may work (on duty or in
    overtime) while a room for those cases is open (each case needs both for its whole
    length).

    A person with a case in ``impossible`` (already named as fitting nowhere) is left out."""
    hints = []
    for person in problem.staff:
        theirs = [task for task in must if person.id in _people_on(problem, task)]
        if not theirs or any(task.id in impossible for task in theirs):
            continue
        named = sum(task.duration for task in theirs)
        rooms = all(problem.needs_room(task) for task in theirs)
        usable = _usable_minutes(problem, person, theirs if rooms else [])
        if named > usable:
            duty = "on duty (overtime included)" if person.overtime else "on duty"
            hints.append(
                f"{person.label} is named on {named} minutes of mandatory cases but is {duty} "
                f"only {usable} minutes" + (" while their rooms are open" if rooms else "")
            )
    return hints


def _usable_minutes(problem: CaseProblem, person: StaffMember, tasks: Sequence[Task]) -> int:
    """The minutes the person may work (on duty or in their overtime after it), within
    the openings (overtime included) of the ``tasks``' eligible rooms if any are given."""
    duty = [(w.start, min(w.end, problem.horizon)) for w in problem.merged_work_windows_of(person)]
    if not tasks:
        return sum(max(0, b - a) for a, b in duty)
    spans = {
        (o.start, min(o.hard_end, problem.horizon))
        for task in tasks
        for room in problem.eligible_rooms(task)
        for o in problem.openings_of(room)
        if o.start < problem.horizon
    }
    return sum(
        max(0, min(b, w.end) - max(a, w.start)) for a, b in duty for w in merge_windows(list(spans))
    )


def _overlapping_pins(problem: CaseProblem) -> list[str]:
    """Pairs of cases pinned to start times that collide in one room or for one person."""
    timed = [
        (problem.task(pin.task), pin, pin.start)
        for pin in problem.pins
        if pin.start is not None and problem.task(pin.task).duration > 0
    ]
    hints = []
    for i, (first, first_pin, a) in enumerate(timed):
        for second, second_pin, b in timed[i + 1 :]:
            room = first_pin.room if first_pin.room == second_pin.room else None
            gap = problem.turnover_of(problem.room(room)) if room is not None else 0
            if not (a < b + second.duration + gap and b < a + first.duration + gap):
                continue
            shared = sorted(_people_on(problem, first) & _people_on(problem, second))
            if room is not None:
                where = f"room {problem.room(room).label}"
            elif shared:
                where = ", ".join(problem.person(name).label for name in shared)
            else:
                continue
            hints.append(
                f"{first.label} and {second.label} are pinned to overlapping times "
                f"({when(problem, a)} and {when(problem, b)}) for {where}"
            )
    return hints
