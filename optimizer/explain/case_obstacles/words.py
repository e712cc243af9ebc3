"""Phrases shared by the reasons: the end of the stretch examined, duty stretches,
the holders of a role."""

from __future__ import annotations

from optimizer.explain.case_time import day_list, time_span, when
from optimizer.model.cases import CaseProblem, StaffMember


def examined_until(problem: CaseProblem, latest: int, late: bool) -> str:
    """The end of the stretch examined: the due time of a late task, else its latest end."""
    return f"its due time {when(problem, latest)}" if late else when(problem, latest)


def duty_spans(problem: CaseProblem, spans: list[tuple[int, int]], most: int = 3) -> str:
    """Duty stretches as times (as days for abstract time, which has no clock)."""
    if problem.start is None:
        return day_list(problem, [a for a, _ in spans])
    shown = [time_span(problem, a, b) for a, b in spans[:most]]
    if len(spans) > most:
        shown.append(f"{len(spans) - most} more")
    return ", ".join(shown)


def role_holders(people: list[StaffMember], role: str) -> str:
    """The holders of a role: "Dr A (the only anaesthetist)", "the anaesthetists (Dr A,
    Dr B)" or "the 5 anaesthetists"."""
    if len(people) == 1:
        return f"{people[0].label} (the only {role})"
    if len(people) <= 3:
        return f"the {role}s ({', '.join(p.label for p in people)})"
    return f"the {len(people)} {role}s"
