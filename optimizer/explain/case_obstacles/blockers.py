"""What blocks a case's candidate (start, room) pairs in a schedule: the tally, and
each blocker in the planner's words with the share of times it rules out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from optimizer.explain.case_obstacles.precedences import precedence_message
from optimizer.explain.case_obstacles.words import role_holders
from optimizer.model.cases import CaseProblem, Task
from optimizer.model.result import CaseSchedule


@dataclass
class BlockerTally:
    """What blocks the candidate (start, room) pairs; busy rooms also per room and per
    start (a start is room-blocked only when every room is busy then)."""

    codes: Counter[str] = field(default_factory=Counter)
    pairs: int = 0
    room_seen: Counter[str] = field(default_factory=Counter)  # room -> candidate starts
    room_busy: Counter[str] = field(default_factory=Counter)  # room -> starts it is busy
    starts: int = 0  # candidate starts with a room
    all_busy: int = 0  # ... at which every room is busy

    def rooms_message(self, names: str, pct: str) -> str:
        if len(self.room_seen) <= 1:
            return f"its eligible rooms ({names}) are booked at {pct}"
        each = ", ".join(
            f"{room} at {self.room_busy[room] / seen:.0%}" for room, seen in self.room_seen.items()
        )
        return (
            f"its eligible rooms ({names}) are all booked at once at "
            f"{self.all_busy / max(1, self.starts):.0%} of the possible times ({each})"
        )


def blocker_message(
    problem: CaseProblem,
    task: Task,
    code: str,
    share: float,
    schedule: CaseSchedule,
    tally: BlockerTally,
) -> str:
    """The blocker ``code`` in the planner's words, with the ``share`` of times it rules out."""
    pct = f"{share:.0%} of the possible times"
    kind, _, what = code.partition(":")
    if kind == "room_busy":
        return tally.rooms_message(", ".join(r.id for r in problem.eligible_rooms(task)), pct)
    if kind == "staff_busy":
        return f"{problem.person(what).label} is on other cases at {pct}"
    if kind == "max_minutes":
        person = problem.person(what)
        return f"{person.label} would exceed max {person.max_minutes} working minutes"
    if kind == "role_max_minutes":
        return _role_limit_words(problem, task, what, share)
    if kind == "role_short":
        return f"no free qualified {what.replace('_', ' ')} at {pct}"
    if kind == "equipment":
        resource = problem.resource(what)
        return f"{resource.name or resource.id} at capacity ({resource.capacity}) at {pct}"
    if kind == "precedence" and what:
        prec = problem.precedences[int(what)]
        return f"{precedence_message(problem, task, prec, schedule)}, which rules out {pct}"
    if kind == "precedence":
        return f"its precedences with placed tasks rule out {pct}"
    return f"{code} at {pct}"


def _role_limit_words(problem: CaseProblem, task: Task, role_id: str, share: float) -> str:
    """The role's free holders would all pass their ``max_minutes`` (worded as for
    named staff; the share only when some times are free of it)."""
    people = problem.qualified(task, role_id)
    role = role_id.replace("_", " ")
    times = "" if share >= 1 else f" at {share:.0%} of the possible times"
    if len(people) == 1:
        limit = people[0].max_minutes
        return f"{role_holders(people, role)} would exceed max {limit} working minutes{times}"
    limits = ", ".join(f"{p.label} {p.max_minutes}" for p in people if p.max_minutes is not None)
    return f"every free {role} would exceed their max working minutes ({limits}){times}"
