"""The demo surgical week: 6 operating rooms, about 120 elective cases, Mon–Fri.

Seeded and deterministic: ``generate_surgical_week(seed)`` always returns the same
problem for the same seed; ``python -m optimizer.demo.surgery`` rewrites
``data/demo_surgery.json``.

The week (Mon 7 Dec – Fri 11 Dec 2026, the demo ward's first week) has:

* six theatres open 08:00–18:00 (day-surgery theatre to 17:00) with up to an hour
  of overtime: two laminar-flow orthopaedic theatres, a robotic/urology theatre, two
  general theatres with laparoscopic stacks, and a day-surgery theatre;
  turnover is 30 minutes after joint replacements' theatres, 15 in day surgery and
  20 elsewhere;
* four specialties (general surgery, orthopaedics, urology, gynaecology), four
  consultant surgeons each operating on their own list days (all-day lists);
* in-room times drawn from a lognormal around each procedure's typical mean
  (anaesthesia, positioning and surgery included), rounded to 5 minutes;
* 10 consultant anaesthetists (each has one non-clinical weekday; one is on leave
  from Wednesday) and 20 scrub nurses on rostered long days, early and late shifts;
  joint replacements need an orthopaedic-trained scrub nurse, robotic cases a
  robot-trained one; local-anaesthetic cases need no anaesthetist;
* shared equipment: 2 mobile C-arms, 1 holmium laser, 2 arthroscopy towers;
* every case is optional (a cancelled case costs 1000 × priority); cancer and
  urgent cases have priority 3, long waiters 2, others 1; about one case in eight
  reaches its breach date this week and is due by the end of its surgeon's first
  list day (each minute late costs its priority); overtime costs 2 a minute.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from optimizer.io.project import save_project
from optimizer.model.cases import (
    CaseProblem,
    CaseWeights,
    Opening,
    Resource,
    Room,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)

DEMO_START = dt.datetime(2026, 12, 7)
"""Monday 00:00 of the demo week (the demo ward's first week)."""
DEMO_SEED = 7
DAYS = 5
DAY = 24 * 60
FILE_NAME = "demo_surgery.json"
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri")
LIST_MINUTES = 510
"""Minutes (cases + turnover) booked per surgeon list day: 85 % of a 10-hour list."""


def _clock(hours: int, minutes: int = 0) -> int:
    return hours * 60 + minutes


@dataclass(frozen=True)
class Procedure:
    """A procedure type: typical in-room minutes and what it needs."""

    name: str
    mean: int
    weight: int
    room_needs: tuple[str, ...] = ("general",)
    equipment: tuple[str, ...] = ()
    local: bool = False
    """Local anaesthetic: no anaesthetist, one scrub nurse."""
    scrub_role: str | None = None
    """Specialist scrub role needed besides a second scrub nurse."""
    cancer: bool = False
    robotic: bool = False


SPECIALTIES: dict[str, tuple[str, int, tuple[Procedure, ...]]] = {
    "GS": (
        "General surgery",
        32,
        (
            Procedure("Laparoscopic cholecystectomy", 85, 6, ("laparoscopic",)),
            Procedure("Open inguinal hernia repair", 65, 4),
            Procedure("Laparoscopic inguinal hernia repair (TEP)", 80, 2, ("laparoscopic",)),
            Procedure("Umbilical hernia repair", 50, 2),
            Procedure("Excision of lipoma", 35, 1, local=True),
            Procedure("Laparoscopic right hemicolectomy", 200, 2, ("laparoscopic",), cancer=True),
            Procedure("Laparoscopic anterior resection", 255, 2, ("laparoscopic",), cancer=True),
            Procedure("Total thyroidectomy", 150, 2),
            Procedure("Laparoscopic fundoplication", 140, 2, ("laparoscopic",)),
        ),
    ),
    "ORTH": (
        "Orthopaedics",
        30,
        (
            Procedure("Total hip replacement", 125, 5, ("laminar_flow",), scrub_role="scrub_ortho"),
            Procedure(
                "Total knee replacement", 130, 5, ("laminar_flow",), scrub_role="scrub_ortho"
            ),
            Procedure("Arthroscopic ACL reconstruction", 105, 2, equipment=("arthroscopy",)),
            Procedure("Knee arthroscopy and meniscectomy", 45, 3, equipment=("arthroscopy",)),
            Procedure("Carpal tunnel release", 30, 2, local=True),
            Procedure("Arthroscopic subacromial decompression", 70, 2, equipment=("arthroscopy",)),
            Procedure("Removal of metalwork", 50, 2, equipment=("c_arm",)),
            Procedure("Hallux valgus correction", 75, 2, equipment=("c_arm",)),
        ),
    ),
    "URO": (
        "Urology",
        30,
        (
            Procedure("Transurethral resection of prostate (TURP)", 75, 3, ("cystoscopy",)),
            Procedure(
                "Transurethral resection of bladder tumour (TURBT)",
                45,
                3,
                ("cystoscopy",),
                cancer=True,
            ),
            Procedure(
                "Ureteroscopy and laser lithotripsy",
                70,
                3,
                ("cystoscopy",),
                equipment=("c_arm", "laser"),
            ),
            Procedure(
                "Robotic-assisted radical prostatectomy",
                230,
                3,
                ("robot",),
                scrub_role="scrub_robotic",
                cancer=True,
                robotic=True,
            ),
            Procedure("Laparoscopic nephrectomy", 190, 2, ("laparoscopic",), cancer=True),
            Procedure("Rigid cystoscopy", 25, 1, ("cystoscopy",)),
            Procedure("Circumcision", 35, 1),
            Procedure("Percutaneous nephrolithotomy", 150, 2, equipment=("c_arm",)),
        ),
    ),
    "GYN": (
        "Gynaecology",
        28,
        (
            Procedure("Total laparoscopic hysterectomy", 150, 4, ("laparoscopic",)),
            Procedure("Hysteroscopy", 25, 3, ("hysteroscopy",)),
            Procedure("Diagnostic laparoscopy", 45, 2, ("laparoscopic",)),
            Procedure("Laparoscopic ovarian cystectomy", 90, 2, ("laparoscopic",)),
            Procedure("Total abdominal hysterectomy", 120, 2, cancer=True),
            Procedure("Vaginal hysterectomy and pelvic floor repair", 110, 2),
            Procedure("Large loop excision of the transformation zone", 25, 1, local=True),
        ),
    ),
}
"""Specialty code -> (name, number of cases, procedures with relative weights)."""

ROOMS = (
    ("OR1", "Theatre 1 (orthopaedic, laminar flow)", "orthopaedic", 30),
    ("OR2", "Theatre 2 (orthopaedic, laminar flow)", "orthopaedic", 30),
    ("OR3", "Theatre 3 (robotic / urology)", "robotic", 20),
    ("OR4", "Theatre 4 (general)", "general", 20),
    ("OR5", "Theatre 5 (general)", "general", 20),
    ("OR6", "Theatre 6 (day surgery)", "day_surgery", 15),
)
ROOM_FEATURES = {
    "orthopaedic": ("laminar_flow", "general"),
    "robotic": ("robot", "laparoscopic", "cystoscopy", "general"),
    "general": ("laparoscopic", "cystoscopy", "general"),
    "day_surgery": ("cystoscopy", "hysteroscopy", "general"),
}

EQUIPMENT = (
    Resource(id="c_arm", name="Mobile C-arm (image intensifier)", capacity=2),
    Resource(id="laser", name="Holmium laser", capacity=1),
    Resource(id="arthroscopy", name="Arthroscopy tower", capacity=2),
)

SURGEONS = {
    "GS": ("Mr Daniel Okafor", "Ms Helen Marsh", "Mr Rajesh Iyer", "Ms Claire Donnelly"),
    "ORTH": ("Mr Tom Whitfield", "Ms Amira Haddad", "Mr Gareth Lloyd", "Mr Kenji Sato"),
    "URO": ("Mr Samuel Adeyemi", "Ms Fiona Grant", "Mr Pawel Nowak", "Ms Leila Farahani"),
    "GYN": ("Ms Rachel Bennett", "Ms Ngozi Eze", "Mr Oliver Hughes", "Ms Sofia Russo"),
}
LIST_DAYS: dict[str, tuple[tuple[int, ...], ...]] = {
    "GS": ((0, 2), (0, 3), (1, 3), (1, 4)),
    "ORTH": ((0, 2), (0, 3), (1, 3), (2, 4)),
    "URO": ((0, 3), (1, 2), (2, 4), (1, 4)),
    "GYN": ((1, 3), (0, 2), (2, 4), (3, 4)),
}
"""Weekdays (0 = Mon) of each surgeon's all-day operating lists."""
ROBOTIC_UROLOGISTS = (0, 1)
"""Urologists (indices into SURGEONS['URO']) trained on the robot."""

ANAESTHETISTS = (
    "Dr Priya Raman",
    "Dr Mark Stevens",
    "Dr Joanna Kowalska",
    "Dr Ahmed Hassan",
    "Dr Emily Carter",
    "Dr Lucas Moreau",
    "Dr Grace Obi",
    "Dr Ben Fletcher",
    "Dr Hannah Cole",
    "Dr Vikram Desai",
)
SCRUB_NURSES = (
    "Ana Silva",
    "Jo Park",
    "Sam Lee",
    "Maria Santos",
    "Kate O'Neill",
    "Tunde Bakare",
    "Lucy Evans",
    "Rosa Martinez",
    "Ewa Zielinska",
    "Chloe Burns",
    "Imran Qureshi",
    "Aoife Byrne",
    "Femi Adebayo",
    "Sarah Mitchell",
    "Nadia Petrova",
    "James Wright",
    "Mei Chen",
    "Hollie Price",
    "Carlos Rivera",
    "Bethany Shaw",
)
ORTHO_SCRUB = (0, 3, 5, 8, 12, 16)
ROBOTIC_SCRUB = (1, 6, 10, 14)
NURSE_SHIFTS = {
    "LD": (_clock(7, 30), _clock(20, 0)),
    "E": (_clock(7, 30), _clock(15, 30)),
    "L": (_clock(12, 0), _clock(20, 0)),
}
"""Scrub nurse shifts: long day, early, late (minutes after midnight)."""


def _rooms() -> tuple[Room, ...]:
    rooms = []
    for room_id, name, kind, turnover in ROOMS:
        close = _clock(17) if kind == "day_surgery" else _clock(18)
        overtime = 30 if kind == "day_surgery" else 60
        openings = tuple(
            Opening(start=d * DAY + _clock(8), end=d * DAY + close, overtime=overtime)
            for d in range(DAYS)
        )
        rooms.append(
            Room(
                id=room_id,
                name=name,
                type=kind,
                capabilities=ROOM_FEATURES[kind],
                openings=openings,
                turnover=turnover,
            )
        )
    return tuple(rooms)


def _day_window(day: int, start: int, end: int) -> Window:
    return Window(start=day * DAY + start, end=day * DAY + end)


def _surgeons() -> list[tuple[StaffMember, str, tuple[int, ...]]]:
    people: list[tuple[StaffMember, str, tuple[int, ...]]] = []
    for spec, names in SURGEONS.items():
        for k, name in enumerate(names):
            days = LIST_DAYS[spec][k]
            roles = [f"surgeon_{spec.lower()}"]
            if spec == "URO" and k in ROBOTIC_UROLOGISTS:
                roles.append("robotic_surgeon")
            person = StaffMember(
                id=f"{spec}{k + 1}",
                name=name,
                roles=tuple(roles),
                available=tuple(_day_window(d, _clock(8), _clock(19)) for d in days),
            )
            people.append((person, spec, days))
    return people


def _anaesthetists(rng: random.Random) -> list[StaffMember]:
    people = []
    for k, name in enumerate(ANAESTHETISTS):
        off_day = k % DAYS
        days = [d for d in range(DAYS) if d != off_day]
        if k == 9:  # annual leave from Wednesday
            days = [d for d in days if d < 2]
        start = _clock(7, 45) if rng.random() < 0.5 else _clock(8)
        people.append(
            StaffMember(
                id=f"AN{k + 1:02d}",
                name=name,
                roles=("anaesthetist",),
                available=tuple(_day_window(d, start, _clock(19)) for d in days),
            )
        )
    return people


def _nurse_duty() -> dict[int, list[tuple[int, str]]]:
    """Nurse index -> (day, shift) pairs: each day 9 long days, 3 earlies, 3 lates."""
    duty: dict[int, list[tuple[int, str]]] = {k: [] for k in range(len(SCRUB_NURSES))}
    for day in range(DAYS):
        rotation = [(day * 5 + k) % len(SCRUB_NURSES) for k in range(len(SCRUB_NURSES))]
        working = rotation[:15]  # five nurses are off each day (75 nurse-days a week)
        for position, nurse in enumerate(working):
            shift = "LD" if position < 9 else ("E" if position < 12 else "L")
            duty[nurse].append((day, shift))
    return duty


def _scrub_nurses() -> list[StaffMember]:
    people = []
    duty = _nurse_duty()
    for k, name in enumerate(SCRUB_NURSES):
        roles = ["scrub_nurse"]
        if k in ORTHO_SCRUB:
            roles.append("scrub_ortho")
        if k in ROBOTIC_SCRUB:
            roles.append("scrub_robotic")
        windows = tuple(_day_window(day, *NURSE_SHIFTS[shift]) for day, shift in sorted(duty[k]))
        people.append(
            StaffMember(id=f"SN{k + 1:02d}", name=name, roles=tuple(roles), available=windows)
        )
    return people


def _duration(rng: random.Random, mean: int) -> int:
    """Lognormal in-room minutes with the given mean (CV 0.25), rounded to 5 minutes."""
    sigma = 0.25
    mu = math.log(mean) - sigma**2 / 2
    value = rng.lognormvariate(mu, sigma)
    return max(15, 5 * round(value / 5))


def _team(procedure: Procedure) -> tuple[TeamRequirement, ...]:
    if procedure.local:
        return (TeamRequirement(role="scrub_nurse", count=1),)
    team = [TeamRequirement(role="anaesthetist", count=1)]
    if procedure.scrub_role is not None:
        team.append(TeamRequirement(role=procedure.scrub_role, count=1))
        team.append(TeamRequirement(role="scrub_nurse", count=1))
    else:
        team.append(TeamRequirement(role="scrub_nurse", count=2 if procedure.mean >= 60 else 1))
    return tuple(team)


def _cases(
    rng: random.Random, surgeons: list[tuple[StaffMember, str, tuple[int, ...]]]
) -> list[Task]:
    """About 120 cases, each booked to a surgeon with list time left."""
    tasks: list[Task] = []
    booked: dict[str, int] = {person.id: 0 for person, _, _ in surgeons}
    for spec, (_, count, procedures) in SPECIALTIES.items():
        team = [(p, days) for p, s, days in surgeons if s == spec]
        weights = [proc.weight for proc in procedures]
        made = 0
        for _attempt in range(50 * count):
            if made == count:
                break
            procedure = rng.choices(procedures, weights)[0]
            duration = _duration(rng, procedure.mean)
            choices = [
                (person, days)
                for k, (person, days) in enumerate(team)
                if not procedure.robotic or k in ROBOTIC_UROLOGISTS
            ]
            # book to the surgeon with the most list time left (list minutes a day)
            person, days = max(
                choices, key=lambda c: len(c[1]) * LIST_MINUTES - booked[c[0].id] + rng.random()
            )
            if booked[person.id] + duration + 20 > len(days) * LIST_MINUTES:
                continue
            booked[person.id] += duration + 20
            made += 1
            tasks.append(_task(rng, len(tasks) + 1, procedure, duration, person, days))
    return tasks


def _task(
    rng: random.Random,
    number: int,
    procedure: Procedure,
    duration: int,
    surgeon: StaffMember,
    days: tuple[int, ...],
) -> Task:
    urgent = procedure.cancer or rng.random() < 0.05
    long_waiter = not urgent and rng.random() < 0.15
    priority = 3 if urgent else (2 if long_waiter else 1)
    # a few cases reach their breach date this week: due by the end of the first list
    breach = len(days) > 1 and rng.random() < 0.12
    due = days[0] * DAY + _clock(18) if breach else None
    return Task(
        id=f"C{number:03d}",
        name=f"C{number:03d} {procedure.name}",
        procedure=procedure.name,
        duration=duration,
        due=due,
        priority=priority,
        optional=True,
        staff=(surgeon.id,),
        team=_team(procedure),
        room_needs=procedure.room_needs,
        resources=dict.fromkeys(procedure.equipment, 1),
    )


def generate_surgical_week(seed: int = DEMO_SEED) -> CaseProblem:
    """The demo surgical week (deterministic for a given seed)."""
    rng = random.Random(seed)
    surgeons = _surgeons()
    staff = [p for p, _, _ in surgeons] + _anaesthetists(rng) + _scrub_nurses()
    tasks = _cases(rng, surgeons)
    return CaseProblem(
        name=f"Demo surgical week {DEMO_START:%d %b %Y} (seed {seed})",
        start=DEMO_START,
        horizon=DAYS * DAY,
        tasks=tuple(tasks),
        rooms=_rooms(),
        staff=tuple(staff),
        resources=EQUIPMENT,
        turnover=20,
        weights=CaseWeights(unscheduled=1000, tardiness=1, overtime=2, makespan=0),
    )


def surgical_days(
    first_day: int = 0,
    num_days: int = 1,
    max_cases: int | None = None,
    seed: int = DEMO_SEED,
) -> CaseProblem:
    """A small slice of the demo week (for tests and what-ifs): days
    ``first_day .. first_day + num_days - 1``, re-based to minute 0, with the cases
    whose surgeon operates on one of those days (the first ``max_cases`` of them)."""
    week = generate_surgical_week(seed)
    if not (first_day >= 0 and num_days >= 1 and first_day + num_days <= DAYS):
        raise ValueError(f"days {first_day}..{first_day + num_days - 1} are not in Mon–Fri")
    shift, horizon = first_day * DAY, num_days * DAY

    def clip(start: int, end: int) -> tuple[int, int] | None:
        a, b = max(start - shift, 0), min(end - shift, horizon)
        return (a, b) if b > a else None

    staff = []
    for person in week.staff:
        windows = [clip(w.start, w.end) for w in person.available or ()]
        kept = tuple(Window(start=w[0], end=w[1]) for w in windows if w is not None)
        staff.append(person.model_copy(update={"available": kept}))
    on_duty = {p.id for p in staff if p.available}
    rooms = []
    for room in week.rooms:
        openings = tuple(
            o.model_copy(update={"start": o.start - shift, "end": o.end - shift})
            for o in room.openings
            if shift <= o.start and o.hard_end <= shift + horizon
        )
        rooms.append(room.model_copy(update={"openings": openings}))
    tasks = []
    for task in week.tasks:
        if not set(task.staff) <= on_duty:
            continue
        due = None if task.due is None else max(task.duration, task.due - shift)
        tasks.append(task.model_copy(update={"due": due if due is None or due < horizon else None}))
    if max_cases is not None:
        tasks = tasks[:max_cases]
    return CaseProblem(
        name=f"{week.name}, days {first_day + 1}–{first_day + num_days}",
        start=DEMO_START + dt.timedelta(days=first_day),
        horizon=horizon,
        tasks=tuple(tasks),
        rooms=tuple(rooms),
        staff=tuple(staff),
        resources=week.resources,
        turnover=week.turnover,
        weights=week.weights,
    )


def default_path() -> Path:
    """``data/demo_surgery.json`` in the repository."""
    return Path(__file__).resolve().parents[2] / "data" / FILE_NAME


def main() -> None:
    """Regenerate ``data/demo_surgery.json``."""
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    save_project(generate_surgical_week(), path)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
