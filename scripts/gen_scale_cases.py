"""Case-scheduling scale benchmark: the demo surgical week and generated large instances.

Generated instances reuse the demo week's procedure catalogue, rooms and duty
patterns, scaled up: 500 tasks over 5 weekdays in 22 theatres, or 2,000 tasks over
20 weekdays (four weeks) in 22 theatres, always with 200 staff (40 surgeons, 55
anaesthetists, 105 scrub nurses in four specialty teams, each case drawing its scrub nurses from
its specialty's team; specialist orthopaedic/robotic scrub roles cut across teams;
surgeons operate three all-day lists a week). Each case is booked into its surgeon's
week (release/deadline = that Monday 00:00 to Friday 24:00).

For each instance the table gives the wall time to the first feasible schedule
(from the call to ``solve``, model building included), and the objective, bound and
gap at the time limit. ``--hint greedy`` passes the greedy list-insertion schedule
(``optimizer.construct.greedy_cases.greedy_schedule``) as hint, its checked objective
shown and its time included; with ``--hint none`` the backend builds its own start
(above 250 tasks: greedy, then the large neighbourhood search of
``optimizer.solvers.cpsat.cases.lns``; ``--param case_lns=false`` forces the full model).

    .venv/bin/python scripts/gen_scale_cases.py --time-limit 60 --workers 2
    .venv/bin/python scripts/gen_scale_cases.py --time-limit 60 --workers 2 --hint none
"""

from __future__ import annotations

import argparse
import math
import os
import random
import time
from pathlib import Path
from typing import Any

from optimizer import solve
from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.demo.surgery import (
    ANAESTHETISTS,
    DAY,
    DEMO_START,
    EQUIPMENT,
    NURSE_SHIFTS,
    ROOM_FEATURES,
    SCRUB_NURSES,
    SPECIALTIES,
    SURGEONS,
    Procedure,
    _duration,
    _team,
    generate_surgical_week,
)
from optimizer.io.project import save_project
from optimizer.model.cases import (
    CaseProblem,
    CaseWeights,
    Opening,
    Resource,
    Room,
    StaffMember,
    Task,
    Window,
)
from optimizer.model.result import CaseSchedule, ProgressPoint

LIST_MINUTES = 540
"""Case + turnover minutes booked per surgeon list day (90 % of a 10-hour list)."""
ROOM_KINDS = ("orthopaedic", "orthopaedic", "robotic", "general", "general", "day_surgery")
SPECS = tuple(SPECIALTIES)


def _weekdays(days: int) -> list[int]:
    """Day offsets (from a Monday) of the first ``days`` weekdays."""
    return [7 * (d // 5) + d % 5 for d in range(days)]


def _name(rng: random.Random, pool: tuple[str, ...], k: int) -> str:
    base = pool[k % len(pool)]
    return base if k < len(pool) else f"{base} ({k // len(pool) + 1})"


def generate_scale(tasks: int, staff: int = 200, seed: int = 11) -> CaseProblem:
    """A large synthetic surgical department with ``tasks`` cases and ``staff`` people."""
    rng = random.Random(seed)
    days = 5 if tasks <= 600 else 20
    n_rooms = max(6, round(tasks / (days * 4.5)))
    weekdays = _weekdays(days)
    horizon = (weekdays[-1] + 1) * DAY
    rooms = []
    for r in range(n_rooms):
        kind = ROOM_KINDS[r % len(ROOM_KINDS)]
        close = 17 * 60 if kind == "day_surgery" else 18 * 60
        rooms.append(
            Room(
                id=f"OR{r + 1:02d}",
                name=f"Theatre {r + 1} ({kind.replace('_', ' ')})",
                type=kind,
                capabilities=ROOM_FEATURES[kind],
                openings=tuple(
                    Opening(start=d * DAY + 480, end=d * DAY + close, overtime=60) for d in weekdays
                ),
                turnover=30 if kind == "orthopaedic" else 20,
            )
        )
    n_surgeons = round(0.2 * staff)
    n_anaesth = round(0.275 * staff)
    n_nurses = staff - n_surgeons - n_anaesth
    people: list[StaffMember] = []
    surgeon_days: dict[str, list[int]] = {}
    surgeons_by_spec: dict[str, list[str]] = {s: [] for s in SPECS}
    for k in range(n_surgeons):
        spec = SPECS[k % len(SPECS)]
        sid = f"{spec}{len(surgeons_by_spec[spec]) + 1:02d}"
        lists = sorted(rng.sample(range(5), 3))
        own = [d for d in weekdays if d % 7 in lists]
        surgeon_days[sid] = own
        surgeons_by_spec[spec].append(sid)
        roles = [f"surgeon_{spec.lower()}"]
        if spec == "URO" and len(surgeons_by_spec[spec]) <= 3:
            roles.append("robotic_surgeon")
        names = SURGEONS[spec]
        people.append(
            StaffMember(
                id=sid,
                name=_name(rng, names, len(surgeons_by_spec[spec]) - 1),
                roles=tuple(roles),
                available=tuple(Window(start=d * DAY + 480, end=d * DAY + 1140) for d in own),
            )
        )
    for k in range(n_anaesth):
        off = k % 5
        people.append(
            StaffMember(
                id=f"AN{k + 1:03d}",
                name=_name(rng, ANAESTHETISTS, k),
                roles=("anaesthetist",),
                available=tuple(
                    Window(start=d * DAY + 465, end=d * DAY + 1140)
                    for d in weekdays
                    if d % 7 != off
                ),
            )
        )
    for k in range(n_nurses):
        roles = [f"scrub_{SPECS[k % len(SPECS)].lower()}"]
        if k % 4 == 1:
            roles.append("scrub_ortho")
        if k % 4 == 2 and k % 3 == 0:
            roles.append("scrub_robotic")
        windows = []
        for d in weekdays:
            if (d + k) % 5 == 0:
                continue  # one day off a week
            shift = ("LD", "LD", "E", "L")[(d + k) % 4]
            a, b = NURSE_SHIFTS[shift]
            windows.append(Window(start=d * DAY + a, end=d * DAY + b))
        people.append(
            StaffMember(
                id=f"SN{k + 1:03d}",
                name=_name(rng, SCRUB_NURSES, k),
                roles=tuple(roles),
                available=tuple(windows),
            )
        )
    booked = dict.fromkeys(surgeon_days, 0)
    robotic = {p.id for p in people if "robotic_surgeon" in p.roles}
    cases: list[Task] = []
    weights = {s: [p.weight for p in SPECIALTIES[s][2]] for s in SPECS}
    attempts = 0
    while len(cases) < tasks and attempts < 50 * tasks:
        attempts += 1
        spec = SPECS[len(cases) % len(SPECS)]
        procedure: Procedure = rng.choices(SPECIALTIES[spec][2], weights[spec])[0]
        eligible = [s for s in surgeons_by_spec[spec] if not procedure.robotic or s in robotic]
        sid = max(eligible, key=lambda s: len(surgeon_days[s]) * LIST_MINUTES - booked[s])
        duration = _duration(rng, procedure.mean)
        if booked[sid] + duration + 20 > len(surgeon_days[sid]) * LIST_MINUTES:
            continue
        booked[sid] += duration + 20
        week = rng.choice(sorted({d // 7 for d in surgeon_days[sid]}))
        team = [
            need.model_copy(update={"role": f"scrub_{spec.lower()}"})
            if need.role == "scrub_nurse"
            else need
            for need in _team(procedure)
        ]
        cases.append(
            Task(
                id=f"T{len(cases) + 1:04d}",
                name=f"T{len(cases) + 1:04d} {procedure.name}",
                procedure=procedure.name,
                duration=duration,
                release=week * 7 * DAY,
                deadline=min(horizon, week * 7 * DAY + 5 * DAY),
                priority=3 if procedure.cancer else 1,
                optional=True,
                staff=(sid,),
                team=tuple(team),
                room_needs=procedure.room_needs,
                resources=dict.fromkeys(procedure.equipment, 1),
            )
        )
    scale = math.ceil(n_rooms / 6)
    resources = tuple(
        Resource(id=r.id, name=r.name, capacity=r.capacity * scale) for r in EQUIPMENT
    )
    return CaseProblem(
        name=f"scale-{tasks}x{staff}",
        start=DEMO_START,
        horizon=horizon,
        tasks=tuple(cases),
        rooms=tuple(rooms),
        staff=tuple(people),
        resources=resources,
        turnover=20,
        weights=CaseWeights(unscheduled=1000, tardiness=1, overtime=2),
    )


def measure(
    label: str,
    problem: CaseProblem,
    time_limit: float,
    workers: int,
    hint: str,
    params: dict[str, Any],
) -> dict[str, str]:
    """Solve once; the row of the results table."""
    began = time.perf_counter()
    first: list[float] = []

    def seen(point: ProgressPoint) -> None:
        if not first:
            first.append(time.perf_counter() - began)

    start_hint: CaseSchedule | None = None
    hint_seconds = 0.0
    greedy = "-"
    if hint == "greedy":
        start_hint = greedy_schedule(problem)
        hint_seconds = time.perf_counter() - began
        greedy_report = check(problem, start_hint)
        assert greedy_report.feasible, greedy_report.violations[:3]
        greedy = f"{greedy_report.objective} ({len(start_hint.tasks)}/{len(problem.tasks)})"
    result = solve(
        problem,
        time_limit=time_limit,
        workers=workers,
        seed=0,
        hint=start_hint,
        on_solution=seen,
        **params,
    )
    wall = time.perf_counter() - began
    placed = "-"
    if result.schedule is not None:
        report = check(problem, result.schedule)
        assert report.feasible, report.violations[:3]
        assert report.objective == result.objective
        placed = f"{len(result.schedule.tasks)}/{len(problem.tasks)}"
    gap = "-" if result.gap is None else f"{100 * result.gap:.1f}"
    return {
        "instance": label,
        "tasks": str(len(problem.tasks)),
        "staff": str(len(problem.staff)),
        "rooms": str(len(problem.rooms)),
        "warm start": hint + (f" ({hint_seconds:.1f} s)" if hint == "greedy" else ""),
        "greedy objective (placed)": greedy,
        "first feasible s": f"{first[0]:.1f}" if first else "none",
        "status": result.status.value,
        "objective": "-" if result.objective is None else str(result.objective),
        "bound": "-" if result.bound is None else str(result.bound),
        "gap %": gap,
        "placed": placed,
        "wall s": f"{wall:.1f}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", choices=("all", "demo", "500", "2000"), default="all")
    parser.add_argument("--hint", choices=("none", "greedy", "both"), default="both")
    parser.add_argument("--write", type=Path, help="also save the generated instances here")
    parser.add_argument(
        "--param", action="append", default=[], help="CP-SAT parameter NAME=INT, repeatable"
    )
    args = parser.parse_args()
    params: dict[str, Any] = {k: int(v) for k, v in (p.split("=", 1) for p in args.param)}
    instances: list[tuple[str, CaseProblem]] = []
    if args.only in ("all", "demo"):
        instances.append(("demo week", generate_surgical_week()))
    for n in (500, 2000):
        if args.only in ("all", str(n)):
            problem = generate_scale(n)
            instances.append((problem.name, problem))
            if args.write:
                args.write.mkdir(parents=True, exist_ok=True)
                save_project(problem, args.write / f"{problem.name}.json")
    hints = ("none", "greedy") if args.hint == "both" else (args.hint,)
    rows = [
        measure(label, problem, args.time_limit, args.workers, hint, params)
        for label, problem in instances
        for hint in hints
    ]
    print(f"load average after: {os.getloadavg()}; params: {params or 'defaults'}")
    header = list(rows[0])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row[h] for h in header) + " |", flush=True)


if __name__ == "__main__":
    main()
