"""Why a person named on a case is never on duty for a whole start that is left."""

from __future__ import annotations

from optimizer.construct.slots import on_duty
from optimizer.explain.case_obstacles.absences import absence_words, blocking_absences
from optimizer.explain.case_obstacles.words import duty_spans, examined_until
from optimizer.explain.case_time import when
from optimizer.model.cases import CaseProblem, Task, Window


def named_off_duty(problem: CaseProblem, task: Task, name: str, latest: int, late: bool,
                   room_starts: list[int], before: tuple[str, ...]) -> str:  # fmt: skip
    """Why ``name`` is never on duty for a whole start left by the earlier stages.

    ``room_starts``: the starts the window and rooms allow; ``before``: the named
    people already checked (on duty at some of those starts)."""
    person = problem.person(name)
    away = blocking_absences(problem, task, [person], 1, room_starts)
    if away:
        return absence_words(problem, person, away[person.id])
    windows = problem.windows_of(person)
    if not windows:
        return f"{person.label} is not on duty at all"
    minutes = task.duration
    if before and any(on_duty(problem, name, t, t + minutes) for t in room_starts):
        others = ", ".join(problem.person(n).label for n in before)
        room = " while a room is open" if problem.needs_room(task) else ""
        scope = f" before {examined_until(problem, latest, late)}" if late else ""
        return (
            f"{person.label} and {others} are never on duty together{room} for the "
            f"{minutes}-minute case{scope}"
        )
    inside = [
        (max(w.start, task.release), min(w.end, latest))
        for w in windows
        if w.end > task.release and w.start < latest
    ]
    if not inside:
        return _outside(problem, task, person.label, windows, latest, late)
    if all(b - a < minutes for a, b in inside):
        scope = f"before {examined_until(problem, latest, late)}" if late else "within its window"
        return (
            f"{person.label} is on duty for less than {minutes} minutes {scope} "
            f"({duty_spans(problem, inside)})"
        )
    long = [(a, b) for a, b in inside if b - a >= minutes]
    if late:
        return (
            f"before {examined_until(problem, latest, late)}, {person.label} is on duty only "
            f"{duty_spans(problem, long)}, and no room opening then holds the {minutes}-minute case"
        )
    return (
        f"{person.label} is on duty only {duty_spans(problem, long)}, and no room opening then "
        f"holds the {minutes}-minute case within its window"
    )


def _outside(problem: CaseProblem, task: Task, label: str, windows: list[Window],
             latest: int, late: bool) -> str:  # fmt: skip
    """A person on duty only before the task's release and/or after its latest end."""
    limit = (
        examined_until(problem, latest, late)
        if late
        else f"its latest end ({when(problem, latest)})"
    )
    earlier = [w for w in windows if w.end <= task.release]
    later = [w for w in windows if w.start >= latest]
    if later and not earlier:
        return f"{label} is on duty only from {when(problem, later[0].start)}, after {limit}"
    release = when(problem, task.release)
    if earlier and not later:
        return (
            f"{label} is on duty only until {when(problem, earlier[-1].end)}, before the case "
            f"may start ({release})"
        )
    return f"{label} is not on duty between {release} and {limit}"
