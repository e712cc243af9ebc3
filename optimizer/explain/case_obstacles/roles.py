"""Why too few holders of a role the case needs are on duty at every start left."""

from __future__ import annotations

from dataclasses import dataclass

from optimizer.construct.slots import on_duty
from optimizer.explain.case_obstacles.absences import absence_words, blocking_absences
from optimizer.explain.case_obstacles.reason import Reason
from optimizer.explain.case_obstacles.words import duty_spans, examined_until, role_holders
from optimizer.explain.case_time import day_list
from optimizer.model.cases import CaseProblem, StaffMember, Task, TeamRequirement, merge_windows


@dataclass(frozen=True)
class StartsLeft:
    """The start times left after the static stages: within the task's window and its
    rooms' openings, and of those, with its named staff on duty."""

    rooms: list[int]
    named: list[int]


def role_reason(problem: CaseProblem, task: Task, need: TeamRequirement, left: StartsLeft,
                latest: int, late: bool) -> Reason:  # fmt: skip
    """Why too few holders of ``need.role`` are on duty at every start left: nobody (or
    too few) holds the role, they are away, they are on duty only when no room opening
    holds the case, or they are off duty (when the named staff operate)."""
    people = problem.qualified(task, need.role)
    role = need.role.replace("_", " ")
    if len(people) < need.count:
        return Reason(code=f"role_missing:{need.role}", message=_missing(problem, task, need))
    code = f"role_off_duty:{need.role}"
    away = blocking_absences(problem, task, people, need.count, left.rooms)
    if away:
        only = role_holders(people, role) if len(people) == 1 else None
        words = [absence_words(problem, problem.person(n), w, only) for n, w in away.items()]
        return Reason(code=code, message=" and ".join(words))
    limit = examined_until(problem, latest, late)
    together = _together(problem, people, need.count, task.release, latest, task.duration)
    if (
        problem.needs_room(task)
        and together
        and not _enough_at(problem, people, need.count, left.rooms, task.duration)
    ):
        who = role_holders(people, role)
        if need.count > 1:
            who = f"{need.count} of {who} are on duty together"
        else:
            who += " is on duty" if len(people) == 1 else " are on duty"
        scope = f"before {limit}, " if late else ""
        return Reason(
            code=code,
            message=f"{scope}{who} only {duty_spans(problem, together)}, and no room opening "
            f"then holds the {task.duration}-minute case",
        )
    named = ", ".join(problem.person(n).label for n in task.staff)
    when_named = f" when {named} operates" if named else ""
    count = "no" if need.count == 1 else f"fewer than {need.count}"
    plural = "" if need.count == 1 else "s"
    period = f"ending by {limit}" if late else f"on {day_list(problem, left.named)}"
    return Reason(
        code=code,
        message=f"{count} qualified {role}{plural} on duty for {task.duration} minutes "
        f"{period}{when_named}",
    )


def _missing(problem: CaseProblem, task: Task, need: TeamRequirement) -> str:
    """Nobody, or fewer people than the case needs, hold the role (besides its named staff)."""
    people = problem.qualified(task, need.role)
    role = need.role.replace("_", " ")
    named = [problem.person(n).label for n in task.staff if need.role in problem.person(n).roles]
    besides = f" besides {', '.join(named)} (named on the case)" if named else ""
    if not people:
        return f"no staff member{besides} holds the role {role}"
    holds = "holds" if len(people) == 1 else "hold"
    return (
        f"only {len(people)} staff member{'s' if len(people) > 1 else ''}{besides} {holds} "
        f"the role {role} ({', '.join(p.label for p in people)}), and the case needs "
        f"{need.count}"
    )


def _together(problem: CaseProblem, people: list[StaffMember], count: int, release: int,
              latest: int, minutes: int) -> list[tuple[int, int]]:  # fmt: skip
    """The stretches within ``[release, latest)`` made of whole ``minutes``-long cases
    that ``count`` of ``people`` may each work (on duty or in overtime)."""
    events: list[tuple[int, int]] = []
    for person in people:
        for w in problem.merged_work_windows_of(person):
            first, last = max(w.start, release), min(w.end, latest) - minutes
            if first <= last:
                events += [(first, 1), (last + 1, -1)]
    spans: list[tuple[int, int]] = []
    level, opened = 0, 0
    for time, step in sorted(events):
        if step > 0 and level + step >= count > level:
            opened = time
        elif step < 0 and level >= count > level + step:
            spans.append((opened, time - 1 + minutes))
        level += step
    return [(w.start, w.end) for w in merge_windows(spans)]


def _enough_at(problem: CaseProblem, people: list[StaffMember], count: int, starts: list[int],
               minutes: int) -> bool:  # fmt: skip
    """Whether ``count`` of ``people`` are on duty for a whole case at one of ``starts``."""
    return any(sum(on_duty(problem, p.id, t, t + minutes) for p in people) >= count for t in starts)
