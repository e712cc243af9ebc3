"""The demo ward: a 28-bed medical-surgical ward rostered for 4 weeks.

Seeded and deterministic: ``generate_ward(seed)`` always returns the same problem for
the same seed; ``python -m optimizer.demo.ward`` rewrites ``data/demo_ward.json``.

The ward has about 30 staff: senior/charge RNs, RNs and healthcare assistants (HCAs)
on early, late and night shifts. Coverage is asked per skill (every RN, a charge nurse,
IV-certified nurses, HCAs); staff count towards every demand whose skill they hold.
Leave is credited against the contract's minimum hours (7.5 h a day), as wards do.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from optimizer.io.project import save_project
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Unavailability,
)

DEMO_START = dt.date(2026, 12, 7)
"""A Monday: the demo roster covers 7 Dec 2026 – 3 Jan 2027."""
DEMO_DAYS = 28
DEMO_SEED = 2026
LEAVE_CREDIT_MINUTES = 450
FILE_NAME = "demo_ward.json"

SHIFTS = (
    ShiftType(id="E", name="Early", start=7 * 60, length_minutes=480, min_rest_hours=11),
    ShiftType(id="L", name="Late", start=14 * 60, length_minutes=480, min_rest_hours=11),
    ShiftType(
        id="N", name="Night", start=21 * 60 + 30, length_minutes=600, min_rest_hours=11, night=True
    ),
)


@dataclass(frozen=True)
class _Role:
    grade: str
    skills: tuple[str, ...]
    names: tuple[str, ...]


_ROLES = (
    _Role(
        "Senior RN",
        ("RN", "charge", "IV"),
        ("Ana Silva", "Grace Okafor", "Tomasz Nowak", "Helen Murray", "Kwame Mensah"),
    ),
    _Role(
        "RN",
        ("RN",),
        (
            "Priya Patel",
            "Jo Park",
            "Sam Lee",
            "Fatima Hassan",
            "Liam O'Connor",
            "Mei Chen",
            "Raj Patel",
            "Sofia Rossi",
            "Daniel Byrne",
            "Aisha Bello",
            "Ewan Fraser",
            "Chloe Martin",
            "Samuel Adeyemi",
            "Nadia Kowalski",
            "Oliver Hughes",
            "Maria Garcia",
        ),
    ),
    _Role(
        "HCA",
        ("HCA",),
        (
            "Beth Taylor",
            "Yusuf Ali",
            "Karen Walsh",
            "Diego Fernandez",
            "Hannah Scott",
            "Ibrahim Diallo",
            "Lucy Evans",
            "Marek Zielinski",
            "Joy Adebayo",
        ),
    ),
)

# Required staff per (shift, skill) on weekdays and at weekends.
_WEEKDAY_COVER = {
    ("E", "RN"): 5,
    ("L", "RN"): 4,
    ("N", "RN"): 3,
    ("E", "charge"): 1,
    ("L", "charge"): 1,
    ("N", "charge"): 1,
    ("E", "IV"): 2,
    ("L", "IV"): 2,
    ("N", "IV"): 1,
    ("E", "HCA"): 2,
    ("L", "HCA"): 2,
    ("N", "HCA"): 1,
}
_WEEKEND_COVER = {
    **_WEEKDAY_COVER,
    ("E", "RN"): 4,
    ("L", "RN"): 3,
    ("E", "HCA"): 2,
    ("L", "HCA"): 1,
}
_HOLIDAYS = {dt.date(2026, 12, 25): 12, dt.date(2027, 1, 1): 8}
"""Bank holidays in the horizon and how many staff ask for them off."""
_UNDER_WEIGHT = {"RN": 100, "charge": 80, "IV": 40, "HCA": 60}
_OVER_WEIGHT = {"RN": 5, "charge": 0, "IV": 0, "HCA": 5}


def _contract(rng: random.Random, full_time: bool, no_nights: bool, leave_days: int) -> Contract:
    shifts = 18 if full_time else 10
    credit = leave_days * LEAVE_CREDIT_MINUTES
    return Contract(
        min_minutes=max(0, (shifts - 3) * 480 - credit),
        max_minutes=(shifts + 2) * 480,
        max_shifts_per_type={"N": 0} if no_nights else {"N": rng.choice((6, 7, 8))},
        min_consecutive_work=2,
        max_consecutive_work=5,
        min_consecutive_off=2,
        max_weekends=2,
    )


def generate_ward(seed: int = DEMO_SEED) -> RosterProblem:
    """The demo ward roster problem; the same seed gives the same problem."""
    rng = random.Random(seed)
    people: list[tuple[str, str, _Role]] = []
    for role in _ROLES:
        for name in role.names:
            people.append((f"N{len(people) + 1:02d}", name, role))

    leave: list[Unavailability] = []
    leave_days: dict[str, int] = {}
    on_leave = rng.sample([pid for pid, _, _ in people], 6)
    for i, pid in enumerate(on_leave):
        if i < 4:  # a week or so of annual leave
            first = rng.randrange(0, DEMO_DAYS - 7)
            last = first + rng.choice((4, 6, 6))
            reason = "annual leave"
        else:  # a study or training day
            first = last = rng.randrange(0, DEMO_DAYS)
            reason = "training"
        leave.append(Unavailability(staff=pid, first_day=first, last_day=last, reason=reason))
        leave_days[pid] = leave_days.get(pid, 0) + last - first + 1

    no_nights = set(rng.sample([pid for pid, _, r in people if r.grade != "Senior RN"], 3))
    part_time = set(rng.sample([pid for pid, _, r in people if r.grade != "Senior RN"], 6))
    staff = []
    for pid, name, role in people:
        skills = role.skills
        if role.grade == "RN" and rng.random() < 0.45:
            skills = (*skills, "IV")
        if role.grade == "RN" and pid in ("N06", "N07", "N14"):
            skills = (*skills, "charge")
        contract = _contract(rng, pid not in part_time, pid in no_nights, leave_days.get(pid, 0))
        staff.append(Staff(id=pid, name=name, grade=role.grade, skills=skills, contract=contract))

    cover = []
    for day in range(DEMO_DAYS):
        weekend = (DEMO_START + dt.timedelta(days=day)).weekday() >= 5
        table = _WEEKEND_COVER if weekend else _WEEKDAY_COVER
        for (shift, skill), required in table.items():
            cover.append(
                CoverDemand(
                    day=day,
                    shift=shift,
                    skill=skill,
                    required=required,
                    min_required=0,
                    under_weight=_UNDER_WEIGHT[skill],
                    over_weight=_OVER_WEIGHT[skill],
                )
            )

    pins = [Pin(staff="N01", day=0, shift="E")]  # the ward manager opens the new roster
    requests: list[ShiftRequest] = []
    taken = {(u.staff, d) for u in leave for d in range(u.first_day, u.last_day + 1)}
    taken |= {(p.staff, p.day) for p in pins}
    for holiday, count in _HOLIDAYS.items():
        day = (holiday - DEMO_START).days
        for pid in rng.sample([pid for pid, _, _ in people], count):
            if (pid, day) not in taken:
                taken.add((pid, day))
                requests.append(ShiftRequest(staff=pid, day=day, want=False, weight=3))
    while len(requests) < 60:
        pid = rng.choice(people)[0]
        day = rng.randrange(DEMO_DAYS)
        if (pid, day) in taken:
            continue
        taken.add((pid, day))
        if rng.random() < 0.7:  # a day off (birthday, school run, appointment)
            requests.append(ShiftRequest(staff=pid, day=day, want=False, weight=rng.choice((2, 3))))
        else:
            shift = rng.choice(("E", "L")) if pid in no_nights else rng.choice(("E", "L", "N"))
            requests.append(
                ShiftRequest(staff=pid, day=day, shift=shift, want=True, weight=rng.choice((1, 2)))
            )

    return RosterProblem(
        name="Ward 7B medical-surgical (28 beds)",
        start_date=DEMO_START,
        num_days=DEMO_DAYS,
        shifts=SHIFTS,
        staff=tuple(staff),
        cover=tuple(cover),
        unavailability=tuple(leave),
        requests=tuple(requests),
        pins=tuple(pins),
    )


def default_path() -> Path:
    """``data/demo_ward.json`` in the repository."""
    return Path(__file__).resolve().parents[2] / "data" / FILE_NAME


def main() -> None:
    """Regenerate ``data/demo_ward.json``."""
    path = default_path()
    save_project(generate_ward(), path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
