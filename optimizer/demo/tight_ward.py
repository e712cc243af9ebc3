"""A seeded ward whose hard rules cannot all hold, for the infeasibility diagnosis.

Fourteen nurses over 28 days, three shifts, hard cover floors and tight contracts (at
least 120–144 h, at most 160 h, runs of 2–5 days, 2 days off in a row, few nights): the
shape of a real ward that the conflict search alone does not untangle in time (seed 0:
``solve()`` proves it infeasible in about 11 s on 2 workers).
"""

from __future__ import annotations

import datetime as dt
import random

from optimizer.model.roster import Contract, CoverDemand, RosterProblem, ShiftType, Staff


def tight_ward(seed: int = 0, days: int = 28, people: int = 14) -> RosterProblem:
    """The ward for ``seed`` (deterministic); every third nurse holds ICU."""
    rng = random.Random(seed)
    shifts = (
        ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
        ShiftType(id="L", name="Late", start="14:00", length_minutes=480, min_rest_hours=11),
        ShiftType(
            id="N", name="Night", start="22:00", length_minutes=600, forbidden_next=("E", "L")
        ),
    )
    staff = tuple(
        Staff(
            id=f"s{i}",
            name=f"Nurse {i}",
            skills=("ICU",) if i % 3 == 0 else (),
            contract=Contract(
                min_minutes=rng.choice([7200, 8160, 8640]),
                max_minutes=9600,
                max_consecutive_work=rng.choice([3, 4, 5]),
                min_consecutive_work=2,
                min_consecutive_off=2,
                max_weekends=2,
                max_shifts_per_type={"N": rng.choice([4, 6, 8])},
            ),
        )
        for i in range(people)
    )
    cover = []
    for d in range(days):
        for shift, k in (("E", 3), ("L", 3), ("N", 2)):
            floor = k - rng.choice([0, 1, 1])
            cover.append(CoverDemand(day=d, shift=shift, required=k, min_required=floor))
        cover.append(CoverDemand(day=d, shift="N", skill="ICU", required=1, min_required=1))
    return RosterProblem(
        name=f"Tight ward (seed {seed})",
        start_date=dt.date(2026, 12, 7),
        num_days=days,
        shifts=shifts,
        staff=staff,
        cover=tuple(cover),
    )
