"""Fixes from the s16 case-model probe: staff overtime priced one way by the solver
and the checker (with a brute force over tiny instances), the seeded work clock,
overtime in the infeasibility diagnosis and bundle error locations."""

from __future__ import annotations

import io
import itertools
import random
import zipfile
from typing import Any

import pytest
from ortools.sat.python import cp_model

from optimizer import solve
from optimizer.check import check
from optimizer.construct import greedy_cases
from optimizer.demo.surgery import surgical_days
from optimizer.explain.diagnosis import case_conflict_hints
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import TableErrors
from optimizer.model import CaseProblem, CaseSchedule, ScheduledTask, SolveStatus
from optimizer.solvers.cpsat.cases import CASE_WORK_INTERVALS, CASE_WORK_MAX, _work_clock
from optimizer.solvers.messages import nothing_found
from optimizer.solvers.options import SolveOptions
from tests.verify import solve_verified, verify_result

GRID = 10


def _problem(data: dict[str, Any]) -> CaseProblem:
    return CaseProblem.model_validate({"kind": "cases", **data})


def _ot_minutes(problem: CaseProblem, schedule: CaseSchedule) -> int:
    report = check(problem, schedule)
    assert report.feasible, report.violations
    return sum(p.amount or 0 for p in report.penalties if p.rule == "staff_overtime")


# --- staff_overtime: one rule (minutes from a window's end to the latest end of
# --- the person's work past it, whichever window that work started in)

STAFF_OT = {
    "horizon": 80,
    "staff": [
        {
            "id": "P0",
            "available": [{"start": 0, "end": 30}, {"start": 40, "end": 60}],
            "overtime": 10,
        }
    ],
    "tasks": [{"id": "T1", "duration": 50, "staff": ["P0"]}],
    "pins": [{"task": "T1", "start": 20}],
    "weights": {"staff_overtime": 1},
}


def test_a_case_through_the_next_window_and_past_it_costs_both_overtimes() -> None:
    # T1 runs 20–70: 30–40 after the first window (10) and 60–70 after the second (10).
    result, report = solve_verified(_problem(STAFF_OT), time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 20 == report.objective
    assert [p.amount for p in report.penalties if p.rule == "staff_overtime"] == [10, 10]


def test_the_minutes_before_a_case_started_in_overtime_count() -> None:
    # P0 on duty 0–30 with 20 min overtime; a case 40–45 keeps P0 on until 45: 15 min.
    problem = _problem(
        {
            "horizon": 100,
            "staff": [{"id": "P0", "available": [{"start": 0, "end": 30}], "overtime": 20}],
            "tasks": [{"id": "A", "duration": 5, "staff": ["P0"]}],
            "pins": [{"task": "A", "start": 40}],
            "weights": {"staff_overtime": 1, "tardiness": 0},
        }
    )
    schedule = CaseSchedule(tasks=(ScheduledTask(task="A", start=40, end=45, staff=("P0",)),))
    assert _ot_minutes(problem, schedule) == 15
    result, _ = solve_verified(problem, time_limit=10)
    assert result.objective == 15


S847 = {
    "horizon": 100,
    "tasks": [
        {"id": "T0", "duration": 10, "release": 40, "staff": ["P0"]},
        {"id": "T1", "duration": 0, "release": 40, "optional": True, "staff": ["P0"]},
        {"id": "T2", "duration": 40, "release": 20, "due": 60, "team": [{"role": "x"}]},
    ],
    "rooms": [
        {
            "id": "R0",
            "openings": [
                {"start": 10, "end": 50, "overtime": 0},
                {"start": 60, "end": 90, "overtime": 10},
            ],
            "turnover": 0,
        }
    ],
    "staff": [
        {
            "id": "P0",
            "roles": ["x"],
            "available": [{"start": 20, "end": 50}, {"start": 70, "end": 90}],
            "overtime": 20,
        },
        {"id": "P1", "roles": ["x"], "available": [{"start": 0, "end": 30}], "overtime": 10},
    ],
    "weights": {
        "unscheduled": 50,
        "tardiness": 1,
        "overtime": 3,
        "staff_overtime": 2,
        "idle": 1,
        "makespan": 0,
    },
}


def test_probe_s847_solver_and_checker_agree() -> None:
    # P0 on T2 60–100: 50–70 after the first window (20) and 90–100 after the second (10).
    problem = _problem(S847)
    t2 = ScheduledTask(task="T2", start=60, end=100, room="R0", staff=("P0",))
    t0 = ScheduledTask(task="T0", start=40, end=50, room="R0", staff=("P0",))
    assert _ot_minutes(problem, CaseSchedule(tasks=(t0, t2))) == 30
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == report.objective == 130


S137 = {
    "horizon": 80,
    "tasks": [
        {"id": "T0", "duration": 30, "release": 10, "optional": True, "staff": ["P0"]},
        {"id": "T1", "duration": 40, "release": 10, "staff": ["P0"], "needs_room": False},
    ],
    "rooms": [{"id": "R0", "openings": [{"start": 10, "end": 50, "overtime": 20}], "turnover": 0}],
    "staff": [
        {
            "id": "P0",
            "roles": ["x"],
            "available": [{"start": 10, "end": 40}, {"start": 50, "end": 70}],
            "overtime": 10,
        }
    ],
    "precedences": [{"before": "T0", "after": "T1", "min_lag": 0, "max_lag": 20}],
    "weights": {
        "unscheduled": 50,
        "tardiness": 0,
        "overtime": 1,
        "staff_overtime": 5,
        "idle": 1,
        "makespan": 1,
    },
}


def test_probe_s137_optimal_is_the_brute_force_optimum() -> None:
    # The probe's "better" schedule (T0 10–40, T1 40–80) keeps P0 on 40–50 and 70–80:
    # 20 min × 5 + makespan 80 = 180. Leaving T0 out (50) with T1 10–50 (10 min × 5,
    # makespan 50) costs 150, the optimum.
    problem = _problem(S137)
    better = CaseSchedule(
        tasks=(
            ScheduledTask(task="T0", start=10, end=40, room="R0", staff=("P0",)),
            ScheduledTask(task="T1", start=40, end=80, staff=("P0",)),
        )
    )
    assert check(problem, better).objective == 180
    result, report = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == report.objective == 150 == _brute_force(problem, grid=5)


def _options(problem: CaseProblem, task_id: str, grid: int) -> list[ScheduledTask | None]:
    task = problem.task(task_id)
    options: list[ScheduledTask | None] = [] if problem.must_schedule(task) else [None]
    rooms = [r.id for r in problem.eligible_rooms(task)] if problem.needs_room(task) else [None]
    names = [p.id for p in problem.candidates(task)]
    teams = [
        team
        for team in itertools.combinations(names, task.team_size)
        if set(task.staff) <= set(team)
    ]
    first = -(-task.release // grid) * grid
    for start in range(first, problem.latest_end(task) - task.duration + 1, grid):
        for room, team in itertools.product(rooms, teams):
            item = ScheduledTask(
                task=task.id, start=start, end=start + task.duration, room=room, staff=team
            )
            if _fine_alone(problem, item):
                options.append(item)
    return options


def _fine_alone(problem: CaseProblem, item: ScheduledTask) -> bool:
    """``item`` breaks no rule but leaving the other tasks out."""
    report = check(problem, CaseSchedule(tasks=(item,)))
    return all(v.rule == "unscheduled" for v in report.violations)


def _brute_force(problem: CaseProblem, grid: int = GRID) -> int | None:
    """Least checker objective over every placement on a ``grid``-minute grid."""
    choices = [_options(problem, task.id, grid) for task in problem.tasks]
    best: int | None = None
    for combo in itertools.product(*choices):
        schedule = CaseSchedule(tasks=tuple(item for item in combo if item is not None))
        report = check(problem, schedule)
        if report.feasible and (best is None or report.objective < best):
            best = report.objective
    return best


def _tiny(seed: int) -> dict[str, Any]:
    """1–2 people with split windows and overtime, 1–3 cases, every time a multiple of 10."""
    rng = random.Random(seed)
    horizon = rng.choice([80, 100])
    staff = []
    for k in range(rng.choice([1, 2])):
        start = rng.choice([0, 10, 20])
        end = start + rng.choice([20, 30])
        windows = [{"start": start, "end": end}]
        if rng.random() < 0.8:
            later = end + rng.choice([10, 20, 30])
            windows.append({"start": later, "end": min(horizon, later + rng.choice([10, 20]))})
        person: dict[str, Any] = {
            "id": f"P{k}",
            "roles": ["x"],
            "available": windows,
            "overtime": rng.choice([10, 20, 30]),
        }
        if rng.random() < 0.15:
            off = rng.choice([40, 50, 60])
            person["unavailable"] = [{"start": off, "end": off + 10}]
        staff.append(person)
    tasks = []
    for i in range(rng.choice([1, 2, 3])):
        task: dict[str, Any] = {
            "id": f"T{i}",
            "duration": rng.choice([0, 10, 20, 30, 40, 50]),
            "release": rng.choice([0, 10, 20, 40]),
        }
        if rng.random() < 0.7:
            task["staff"] = [rng.choice(staff)["id"]]
        else:
            task["team"] = [{"role": "x"}]
        if rng.random() < 0.3:
            task["optional"] = True
        if rng.random() < 0.3:
            task["due"] = rng.choice([30, 50, 70])
        tasks.append(task)
    data: dict[str, Any] = {"horizon": horizon, "staff": staff, "tasks": tasks}
    if rng.random() < 0.4:
        data["rooms"] = [
            {"id": "R0", "openings": [{"start": 0, "end": 60, "overtime": rng.choice([0, 20])}]}
        ]
    if len(tasks) >= 2 and rng.random() < 0.3:
        data["precedences"] = [{"before": "T0", "after": "T1", "min_lag": rng.choice([-10, 0])}]
    data["weights"] = {
        "unscheduled": rng.choice([40, 200]),
        "tardiness": rng.choice([0, 1]),
        "overtime": 1,
        "staff_overtime": rng.choice([1, 2, 5]),
        "idle": rng.choice([0, 1]),
        "makespan": rng.choice([0, 1]),
    }
    return data


def _valid_tiny(seeds: range) -> list[tuple[int, CaseProblem]]:
    problems = []
    for seed in seeds:
        try:
            problems.append((seed, _problem(_tiny(seed))))
        except ValueError:  # pydantic: a case that can fit nowhere, etc.
            continue
    return problems


TINY = _valid_tiny(range(80))


def test_the_tiny_instances_exercise_overtime() -> None:
    assert len(TINY) >= 40
    through = 0
    for _, problem in TINY:
        for person in problem.staff:
            windows = problem.work_windows_of(person)
            through += any(a[1] == b[0] for a, b in itertools.pairwise(windows))
    assert through >= 5  # overtime reaching the next window: work may run through it


@pytest.mark.parametrize(("seed", "problem"), TINY, ids=[str(seed) for seed, _ in TINY])
def test_cpsat_optimum_equals_the_brute_force_optimum(seed: int, problem: CaseProblem) -> None:
    # Every time in the data is a multiple of 10, so a 10-minute grid holds an optimum.
    best = _brute_force(problem)
    result = solve(problem, time_limit=10, workers=1, seed=0)
    if best is None:
        assert result.status is SolveStatus.INFEASIBLE, (seed, result.status, result.objective)
        return
    assert result.status is SolveStatus.OPTIMAL, (seed, result.status)
    verify_result(problem, result)  # solver objective == checker objective
    assert result.objective == best, (seed, result.objective, best)


# --- the work clock of a reproducible run, and what it says when nothing is found


def _interval_model(intervals: int, extra_bools: int = 0) -> cp_model.CpModel:
    model = cp_model.CpModel()
    for i in range(intervals):
        start = model.new_int_var(0, 100, f"s{i}")
        model.new_optional_interval_var(start, 5, start + 5, model.new_bool_var(f"p{i}"), "iv")
    for i in range(extra_bools):
        model.new_bool_var(f"x{i}")
    return model


def test_the_work_rate_is_read_from_the_interval_count() -> None:
    # Two models of equal size, four times the intervals: a quarter of the rate (the
    # variable count told the 186-case probe model and the demo week apart by 2 %).
    options = SolveOptions(time_limit=60, workers=1, seed=0)
    few = _work_clock(_interval_model(1_000, extra_bools=6_000), options)
    many = _work_clock(_interval_model(4_000), options)
    assert few is not None and many is not None
    assert few.work_per_second == CASE_WORK_INTERVALS / 1_000
    assert many.work_per_second == CASE_WORK_INTERVALS / 4_000
    small = _work_clock(_interval_model(20), options)
    assert small is not None and small.work_per_second == CASE_WORK_MAX


def test_a_reproducible_run_says_it_stopped_at_the_work_budget() -> None:
    text = nothing_found("schedule", "186 tasks, 10 staff, 2 rooms", 60, 8.6, work_clock=True)
    assert text.startswith("no schedule found within the work budget of the 60 s time limit")
    assert "stopped after 8.6 s" in text and "spent" not in text
    assert "leave out the seed" in text
    wall = nothing_found("schedule", "186 tasks, 10 staff, 2 rooms", 60, 60.2)
    assert wall.startswith("no schedule found within the 60 s time limit (60.2 s spent")


def test_a_seeded_solve_with_nothing_found_names_the_work_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No warm start and almost no work allowed: CP-SAT stops before a first schedule.
    import optimizer.solvers.cpsat.cases as cases

    monkeypatch.setattr(cases, "heuristic_schedule", lambda *args: None)
    monkeypatch.setattr(greedy_cases, "greedy_schedule", lambda problem, **_: None)
    problem = surgical_days(0, 1)
    seeded = solve(problem, time_limit=0.05, workers=1, seed=0)
    assert seeded.status is SolveStatus.UNKNOWN
    assert "within the work budget of the 0.05 s time limit" in seeded.message
    assert "s spent" not in seeded.message


# --- the infeasibility hint counts overtime

DIAG_OT: dict[str, Any] = {
    "horizon": 200,
    "staff": [
        {"id": "S1", "roles": ["surg"], "available": [{"start": 0, "end": 60}], "overtime": 30}
    ],
    "resources": [{"id": "XRAY", "capacity": 1}],
    "tasks": [
        {"id": "C1", "duration": 80, "staff": ["S1"]},
        {"id": "C2", "duration": 50, "deadline": 60, "resources": {"XRAY": 1}},
        {"id": "C3", "duration": 50, "deadline": 60, "resources": {"XRAY": 1}},
    ],
}


def _with(data: dict[str, Any], **changes: Any) -> CaseProblem:
    return _problem({**data, **changes})


def test_a_case_that_fits_with_overtime_is_not_blamed_on_the_person() -> None:
    # C1 (80 min) fits in S1's 60 on-duty minutes plus 30 of overtime; the X-ray is
    # what cannot hold C2 and C3 both before 60.
    problem = _problem(DIAG_OT)
    assert not any("S1" in hint for hint in case_conflict_hints(problem))
    assert solve(problem, time_limit=10, workers=1, seed=0).status is SolveStatus.INFEASIBLE
    alone = _with(DIAG_OT, tasks=DIAG_OT["tasks"][:1], resources=[])
    result, report = solve_verified(alone, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 20  # 60–80 overtime


def _two_cases_for_s1(overtime: int) -> CaseProblem:
    """S1 on duty 0–60 with ``overtime``, named on cases of 50 and 40 minutes."""
    staff = [{**DIAG_OT["staff"][0], "overtime": overtime}]
    tasks = [
        {"id": "C1", "duration": 50, "staff": ["S1"]},
        {"id": "C4", "duration": 40, "staff": ["S1"]},
    ]
    return _with(DIAG_OT, staff=staff, tasks=tasks, resources=[])


def test_a_person_short_even_with_overtime_is_named_with_it() -> None:
    # 90 minutes of cases: 60 on duty + 30 of overtime hold them (cost 30), 60 + 10 do not.
    short = "S1 is named on 90 minutes of mandatory cases but is on duty"
    assert case_conflict_hints(_two_cases_for_s1(30)) == []
    result, report = solve_verified(_two_cases_for_s1(30), time_limit=10)
    assert result.status is SolveStatus.OPTIMAL and report.objective == 30
    assert case_conflict_hints(_two_cases_for_s1(10)) == [
        f"{short} (overtime included) only 70 minutes"
    ]
    assert case_conflict_hints(_two_cases_for_s1(0)) == [f"{short} only 60 minutes"]


# --- bundle errors on a setting or a precedence cycle name their row

_SHEETS = {
    "settings.csv": "key,value\nkind,cases\nstart,2026-03-28 00:00\nhorizon,{horizon}\n"
    "turnover,{turnover}\n",
    "rooms.csv": "id\nOR1\n",
    "staff.csv": "id,roles\nS1,surg\n",
    "tasks.csv": "id,duration,staff\nC1,60,S1\nC2,30,S1\nC3,30,\n",
}


def _bundle(precedences: str = "", horizon: str = "2880", turnover: str = "0") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in _SHEETS.items():
            archive.writestr(name, text.format(horizon=horizon, turnover=turnover))
        if precedences:
            archive.writestr("precedences.csv", "before,after\n" + precedences)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("changes", "line", "field", "rule"),
    [
        ({"horizon": "99999999"}, 4, "horizon", "less than or equal to 1581120"),
        ({"horizon": "0"}, 4, "horizon", "greater than 0"),
        ({"turnover": "-5"}, 5, "turnover", "greater than or equal to 0"),
    ],
)
def test_a_bad_setting_is_named_on_its_row(
    changes: dict[str, str], line: int, field: str, rule: str
) -> None:
    with pytest.raises(TableErrors) as caught:
        read_bundle("b.zip", _bundle(**changes))
    error = caught.value
    assert (error.file, error.line, error.field) == ("b.zip/settings.csv", line, field)
    assert rule in str(error)


def test_a_precedence_cycle_is_named_on_the_precedence_rows() -> None:
    with pytest.raises(TableErrors) as caught:
        read_bundle("b.zip", _bundle("C3,C1\nC1,C2\nC2,C1\n"))
    error = caught.value
    assert (error.file, error.line) == ("b.zip/precedences.csv", 3)
    assert "cyclic precedences: 'C1' → 'C2' → 'C1' (rows 3, 4)" in str(error)


def test_a_good_bundle_with_precedences_solves() -> None:
    problem = read_bundle("b.zip", _bundle("C1,C2\nC2,C3\n"))
    assert isinstance(problem, CaseProblem)
    result, _ = solve_verified(problem, time_limit=10)
    assert result.status is SolveStatus.OPTIMAL
    ends = {item.task: item.end for item in result.schedule.tasks} if result.schedule else {}
    assert ends == {"C1": 60, "C2": 90, "C3": 120}
