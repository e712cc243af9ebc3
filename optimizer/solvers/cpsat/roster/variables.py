"""Decision variables of the CP-SAT roster model.

``x[e, d, s]`` is 1 when staff ``e`` works shift ``s`` on day ``d``. Triples that
a hard rule fixes to 0 before any search (whole-day unavailability, a contract
limit of 0 for that shift type, a pin to another shift or a day off) get no
variable at all: this keeps the 364-day instances small. ``work[e][d]`` is 1 when
``e`` works any shift on day ``d``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from optimizer.solvers.cpsat.roster.indexing import RosterIndex


@dataclass
class RosterVars:
    """The model and its variables."""

    model: cp_model.CpModel
    index: RosterIndex
    x: dict[tuple[int, int, int], cp_model.IntVar] = field(default_factory=dict)
    work: list[list[cp_model.IntVar]] = field(default_factory=list)
    by_staff_day: list[list[list[tuple[int, cp_model.IntVar]]]] = field(default_factory=list)
    """For each staff and day: the (shift, variable) pairs that exist."""

    def shift_var(self, e: int, d: int, s: int) -> cp_model.IntVar | None:
        return self.x.get((e, d, s))

    def staff_on(self, d: int, s: int, skill: str | None) -> list[cp_model.IntVar]:
        """Variables of the qualified staff who could work shift ``s`` on day ``d``."""
        return [
            var
            for e in range(self.index.num_staff)
            if self.index.qualified(e, skill) and (var := self.x.get((e, d, s))) is not None
        ]


def build_variables(model: cp_model.CpModel, index: RosterIndex) -> RosterVars:
    """Create ``x`` and ``work`` (linked by the one-shift-per-day rule in constraints)."""
    rv = RosterVars(model, index)
    pins = index.pins
    for e in range(index.num_staff):
        work_row: list[cp_model.IntVar] = []
        day_rows: list[list[tuple[int, cp_model.IntVar]]] = []
        allowed = [s for s in range(index.num_shifts) if (e, s) not in index.zero_types]
        for d in range(index.num_days):
            pairs = []
            pinned = pins.get((e, d), -1)
            for s in allowed:
                if (e, d, s) in index.blocked or (pinned != -1 and pinned != s):
                    continue
                var = model.new_bool_var("")  # unnamed: names cost time on 1M-variable models
                rv.x[(e, d, s)] = var
                pairs.append((s, var))
            work_row.append(model.new_bool_var(""))
            day_rows.append(pairs)
        rv.work.append(work_row)
        rv.by_staff_day.append(day_rows)
    return rv
