"""Absences that keep people off duty for a case, and their wording with the reason."""

from __future__ import annotations

from optimizer.explain.case_time import when
from optimizer.model.cases import Absence, CaseProblem, StaffMember, Task, Window


def blocking_absences(problem: CaseProblem, task: Task, people: list[StaffMember], count: int,
                      starts: list[int]) -> dict[str, list[Window]]:  # fmt: skip
    """Per person of ``people``, their absences within ``starts``' reach, when these
    absences are what keeps fewer than ``count`` on duty at every one of ``starts``
    (without them enough would be on duty at one); else empty."""
    minutes = task.duration
    if minutes == 0 or not starts or not any(p.unavailable for p in people):
        return {}
    present = {
        p.id: problem.merged_work_windows_of(p.model_copy(update={"unavailable": ()}))
        for p in people
    }

    def may_work(name: str, start: int) -> bool:
        return any(w.start <= start and start + minutes <= w.end for w in present[name])

    if not any(sum(may_work(p.id, t) for p in people) >= count for t in starts):
        return {}
    low, high = starts[0], starts[-1] + minutes
    found = {p.id: [u for u in p.unavailable if u.start < high and low < u.end] for p in people}
    return {name: away for name, away in found.items() if away}


def absence_words(
    problem: CaseProblem, person: StaffMember, away: list[Window], who: str | None = None
) -> str:
    """The person's absences with their reasons (if any): "Ms Jones is unavailable
    (sick) from Mon 07 Dec 09:10 to 20:00" (``who`` in place of the name if given)."""
    parts = []
    for window in away:
        reason = window.reason if isinstance(window, Absence) else ""
        why = f"({reason}) " if reason and reason != "unavailable" else ""
        parts.append(f"{why}{_from_to(problem, window.start, window.end)}")
    return f"{who or person.label} is unavailable {' and '.join(parts)}"


def _from_to(problem: CaseProblem, start: int, end: int) -> str:
    """``from Mon 07 Dec 09:10 to 20:00``, ``... to Tue 08 Dec 06:00`` or ``from t=70 to t=720``."""
    first, last = problem.datetime_of(start), problem.datetime_of(end)
    if first is None or last is None:
        return f"from t={start} to t={end}"
    if first.date() == last.date():
        return f"from {when(problem, start)} to {last:%H:%M}"
    return f"from {when(problem, start)} to {when(problem, end)}"
