"""The demo surgical week: seeded, realistic in shape, stored, and schedulable."""

from __future__ import annotations

from collections import Counter

from optimizer.check import check
from optimizer.construct.greedy_cases import greedy_schedule
from optimizer.demo.surgery import default_path, generate_surgical_week, surgical_days
from optimizer.explain.case_reasons import static_reasons
from optimizer.explain.case_utilisation import room_summary
from optimizer.explain.cases import explain_schedule
from optimizer.io.project import load_project
from optimizer.solve import solve
from tests.verify import solve_verified


def test_generator_is_deterministic_per_seed() -> None:
    assert generate_surgical_week(7) == generate_surgical_week(7)
    assert generate_surgical_week(7) != generate_surgical_week(8)


def test_week_has_the_promised_shape() -> None:
    week = generate_surgical_week()
    assert len(week.rooms) == 6
    assert 110 <= len(week.tasks) <= 130
    assert week.horizon == 5 * 1440 and week.start is not None and week.start.weekday() == 0
    for room in week.rooms:  # Mon–Fri openings from 08:00
        assert [o.start % 1440 for o in room.openings] == [480] * 5
    surgeons = {t.staff[0] for t in week.tasks}
    specialties = {s.rstrip("0123456789") for s in surgeons}
    assert specialties == {"GS", "ORTH", "URO", "GYN"}
    roles = Counter(r for p in week.staff for r in p.roles)
    assert roles["anaesthetist"] >= 8 and roles["scrub_nurse"] >= 15
    assert week.resource("c_arm").capacity == 2
    assert all(" " in p.name for p in week.staff)  # human names
    durations = [t.duration for t in week.tasks]
    assert min(durations) >= 15 and max(durations) <= 480
    assert 60 <= sum(durations) / len(durations) <= 120
    # every case fits somewhere when nothing else is booked
    assert all(not static_reasons(week, t) for t in week.tasks)


def test_stored_file_is_the_generator_output() -> None:
    assert load_project(default_path()) == generate_surgical_week()


def test_greedy_schedule_of_the_week_is_feasible() -> None:
    week = generate_surgical_week()
    schedule = greedy_schedule(week)
    report = check(week, schedule)
    assert report.feasible, report.violations[:3]
    assert len(schedule.tasks) >= 0.95 * len(week.tasks)
    explanation = explain_schedule(week, schedule)
    assert {t.task for t in explanation.tasks if t.status == "unscheduled"} == set(
        schedule.unscheduled
    )
    assert all(t.reasons for t in explanation.tasks)


def test_a_demo_morning_schedules_every_case() -> None:
    # Monday's first 6 cases: Mr Okafor's 410 and Ms Marsh's 450 case minutes fit
    # in their 08:00–19:00 days and the 08:00–18:00 openings of the laparoscopic
    # rooms (3) and general rooms, so every case is placed on time: the optimum is 0.
    problem = surgical_days(0, 1, max_cases=6)
    result, report = solve_verified(problem, time_limit=20)
    assert result.objective == 0 and report.feasible
    assert result.schedule is not None and not result.schedule.unscheduled
    rows = room_summary(problem, result)
    assert sum(r.cases for r in rows) == 6


def test_solving_the_week_always_returns_a_checked_schedule() -> None:
    # A 1-second limit on one worker is too short for CP-SAT to report a schedule of
    # the whole week here, so this exercises the backend's own greedy warm start and
    # its fallback to it (or CP-SAT's own schedule).
    week = generate_surgical_week()
    result = solve(week, time_limit=1, workers=1, seed=0)
    assert result.status.has_solution and result.schedule is not None
    report = check(week, result)
    assert report.feasible and report.objective == result.objective
    assert result.backend == "cpsat"
    assert len(result.schedule.tasks) >= 0.95 * len(week.tasks)
