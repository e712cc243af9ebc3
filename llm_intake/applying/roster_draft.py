"""A roster problem being changed: its editable lists, the change lines so far, and the
day and name helpers the lines use; ``build`` makes the new version."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from llm_intake.applying.applied import revalidate
from llm_intake.applying.wording import day_text, label
from optimizer.errors import InputError
from optimizer.model.result import RosterSolution
from optimizer.model.roster import Baseline, BaselineShift, RosterProblem


class RosterDraft:
    """The lists of ``problem`` that requests change, and one line per change made."""

    def __init__(self, problem: RosterProblem) -> None:
        self.p = problem
        self.unavailability = list(problem.unavailability)
        self.requests = list(problem.requests)
        self.pins = list(problem.pins)
        self.cover = list(problem.cover)
        self.changes: list[str] = []
        weights = Counter(r.weight for r in problem.requests)
        self.request_weight = weights.most_common(1)[0][0] if weights else 1

    def day(self, date: dt.date) -> int:
        day = self.p.day_of(date)
        if not 0 <= day < self.p.num_days:
            raise InputError(
                f"{date} is outside the roster ({self.p.start_date} + {self.p.num_days} days)"
            )
        return day

    def span(self, first: dt.date, last: dt.date) -> tuple[int, int]:
        a, b = self.p.day_of(first), self.p.day_of(last)
        if b < 0 or a >= self.p.num_days:
            raise InputError(f"{first}–{last} is outside the roster")
        return max(a, 0), min(b, self.p.num_days - 1)

    def who(self, staff_id: str) -> str:
        return label(self.p.staff, staff_id)

    def shift_name(self, shift_id: str | None) -> str:
        return next((s.label for s in self.p.shifts if s.id == shift_id), shift_id or "any")

    def on(self, day: int) -> str:
        return day_text(self.p.date_of(day))

    def build(self, baseline: RosterSolution | None) -> RosterProblem:
        update: dict[str, Any] = {
            "unavailability": tuple(self.unavailability),
            "requests": tuple(self.requests),
            "pins": tuple(self.pins),
            "cover": tuple(self.cover),
        }
        if baseline is not None:
            weight = self.p.baseline.change_weight if self.p.baseline else 10
            update["baseline"] = Baseline(
                assignments=tuple(
                    BaselineShift(staff=a.staff, day=a.day, shift=a.shift)
                    for a in baseline.assignments
                ),
                change_weight=weight,
            )
            self.changes.append(f"baseline: {len(baseline.assignments)} shifts of the last roster")
        problem: RosterProblem = revalidate(self.p.model_copy(update=update), "roster")
        return problem
