"""Integer view of a :class:`RosterProblem` for the CP-SAT builders.

String ids stay at the edges; inside the backend staff, days and shifts are
indices ``e``, ``d``, ``s``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from optimizer.model.roster import RosterProblem


@dataclass
class RosterIndex:
    """Index tables derived once from the problem."""

    problem: RosterProblem
    num_staff: int = 0
    num_days: int = 0
    num_shifts: int = 0
    lengths: list[int] = field(default_factory=list)
    blocked: set[tuple[int, int, int]] = field(default_factory=set)
    """(staff, day, shift) triples ruled out by unavailability."""
    zero_types: set[tuple[int, int]] = field(default_factory=set)
    """(staff, shift) pairs a contract forbids (max shifts of that type is 0)."""
    pins: dict[tuple[int, int], int | None] = field(default_factory=dict)
    successions: list[tuple[int, int]] = field(default_factory=list)
    later_successions: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """k -> (first, second) shift pairs that may not be worked k >= 2 days apart (rest)."""
    skills: list[set[str]] = field(default_factory=list)

    @classmethod
    def build(cls, problem: RosterProblem) -> RosterIndex:
        index = cls(problem)
        index.num_staff = len(problem.staff)
        index.num_days = problem.num_days
        index.num_shifts = len(problem.shifts)
        index.lengths = [s.length_minutes for s in problem.shifts]
        shift_of = problem.shift_index
        staff_of = problem.staff_index
        for unav in problem.unavailability:
            e = staff_of[unav.staff]
            shifts = (
                range(index.num_shifts)
                if unav.shifts is None
                else [shift_of[s] for s in unav.shifts]
            )
            for d in range(unav.first_day, min(unav.last_day, index.num_days - 1) + 1):
                index.blocked.update((e, d, s) for s in shifts)
        for e, person in enumerate(problem.staff):
            for shift_id, limit in person.contract.max_shifts_per_type.items():
                if limit == 0:
                    index.zero_types.add((e, shift_of[shift_id]))
            index.skills.append(set(person.skills))
        for pin in problem.pins:
            index.pins[(staff_of[pin.staff], pin.day)] = (
                None if pin.shift is None else shift_of[pin.shift]
            )
        index.successions = sorted(
            (shift_of[a], shift_of[b]) for a, b in problem.forbidden_successions()
        )
        for a, b, k in sorted(problem.forbidden_later_successions()):
            index.later_successions.setdefault(k, []).append((shift_of[a], shift_of[b]))
        return index

    def may_work(self, e: int, d: int, s: int) -> bool:
        """False when a hard rule fixes this triple to 0 without any search."""
        if (e, d, s) in self.blocked or (e, s) in self.zero_types:
            return False
        pinned = self.pins.get((e, d), -1)
        return pinned == -1 or pinned == s

    def qualified(self, e: int, skill: str | None) -> bool:
        return skill is None or skill in self.skills[e]
