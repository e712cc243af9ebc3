"""CP-SAT case backend: paired per-rule optima on tiny instances, all checker-verified."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from optimizer import solve
from optimizer.errors import InputError
from optimizer.model import (
    CaseBaseline,
    CasePin,
    CaseProblem,
    CaseSchedule,
    CaseWeights,
    Opening,
    Precedence,
    ProgressPoint,
    Resource,
    Room,
    ScheduledTask,
    SolveStatus,
    StaffMember,
    Task,
    TeamRequirement,
    Window,
)
from tests.verify import solve_verified

BACKENDS = ["cpsat"]
MAKESPAN = CaseWeights(unscheduled=0, tardiness=0, overtime=0, makespan=1)
ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(os.environ.get("CAREALLOC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))


def tasks(n: int, duration: int = 10, **kw: Any) -> list[Task]:
    return [Task(id=f"t{i}", duration=duration, **kw) for i in range(n)]


def optimum(backend: str, **kw: Any) -> int:
    kw.setdefault("horizon", 200)
    kw.setdefault("weights", MAKESPAN)
    result, _ = solve_verified(CaseProblem(**kw), backend=backend, time_limit=20)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective is not None
    return result.objective


@pytest.mark.parametrize("backend", BACKENDS)
def test_equipment_capacity_pair(backend: str) -> None:
    # 3 tasks of 10 each need 1 C-arm: capacity 2 → two waves, makespan 20; capacity 3 → 10.
    need = tasks(3, resources={"carm": 1})
    assert optimum(backend, tasks=need, resources=[Resource(id="carm", capacity=2)]) == 20
    assert optimum(backend, tasks=need, resources=[Resource(id="carm", capacity=3)]) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_room_turnover_pair(backend: str) -> None:
    # Two 10-minute cases in the only room: back to back 20; with 5 min turnover 25.
    assert optimum(backend, tasks=tasks(2), rooms=[Room(id="R1")]) == 20
    assert optimum(backend, tasks=tasks(2), rooms=[Room(id="R1", turnover=5)]) == 25


@pytest.mark.parametrize("backend", BACKENDS)
def test_staff_no_overlap_pair(backend: str) -> None:
    # Each task needs one RN: one RN → sequential (20); two RNs → parallel (10).
    need = tasks(2, team=[TeamRequirement(role="rn")])
    one = [StaffMember(id="x", roles=["rn"])]
    two = [*one, StaffMember(id="y", roles=["rn"])]
    assert optimum(backend, tasks=need, staff=one) == 20
    assert optimum(backend, tasks=need, staff=two) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_availability_pair(backend: str) -> None:
    # x is on duty from 30 (gap 10–30 when windows split): the task can start at 30 at best.
    need = [Task(id="a", duration=10, staff=["x"])]
    late = [StaffMember(id="x", available=[Window(start=30, end=100)])]
    split = [StaffMember(id="x", available=[Window(start=0, end=5), Window(start=8, end=100)])]
    assert optimum(backend, tasks=need, staff=late) == 40
    assert optimum(backend, tasks=need, staff=split) == 18


@pytest.mark.parametrize("backend", BACKENDS)
def test_multi_role_person_fills_one_slot(backend: str) -> None:
    # a needs 1 md + 1 rn; y holds both, x only rn → {x, y}; with 2 such tasks they go in turn.
    people = [StaffMember(id="x", roles=["rn"]), StaffMember(id="y", roles=["md", "rn"])]
    team = [TeamRequirement(role="md"), TeamRequirement(role="rn")]
    result, _ = solve_verified(
        CaseProblem(horizon=100, tasks=tasks(2, team=team), staff=people, weights=MAKESPAN)
    )
    assert result.objective == 20
    assert result.schedule is not None
    assert all(item.staff == ("x", "y") for item in result.schedule.tasks)


@pytest.mark.parametrize("backend", BACKENDS)
def test_room_hours_overtime_pair(backend: str) -> None:
    # One room open 0–30 (+20 overtime), weight 1 per minute: 3 cases of 10 fit (0);
    # 4 cases need 10 minutes of overtime (10).
    room = [Room(id="R1", openings=[Opening(start=0, end=30, overtime=20)])]
    weights = CaseWeights(overtime=1, tardiness=0)
    assert optimum(backend, tasks=tasks(3), rooms=room, weights=weights) == 0
    assert optimum(backend, tasks=tasks(4), rooms=room, weights=weights) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_room_openings_pick_one_session(backend: str) -> None:
    # Two sessions 0–15 and 40–60: a 10 + 10 pair must split across them (makespan 50).
    room = [Room(id="R1", openings=[Opening(start=0, end=15), Opening(start=40, end=60)])]
    assert optimum(backend, tasks=tasks(2), rooms=room) == 50


@pytest.mark.parametrize("backend", BACKENDS)
def test_precedence_lag_pair(backend: str) -> None:
    # a → b: no lag 20; min lag 5 → 25. Max lag 2 with b released at 30 forces a late too.
    two = tasks(2)
    plain = [Precedence(before="t0", after="t1")]
    lag = [Precedence(before="t0", after="t1", min_lag=5)]
    assert optimum(backend, tasks=two, precedences=plain) == 20
    assert optimum(backend, tasks=two, precedences=lag) == 25
    result, _ = solve_verified(
        CaseProblem(
            horizon=100,
            tasks=[Task(id="a", duration=10), Task(id="b", duration=10, release=30)],
            precedences=[Precedence(before="a", after="b", max_lag=2)],
            weights=MAKESPAN,
        ),
        backend=backend,
    )
    assert result.schedule is not None
    assert result.schedule.by_task()["a"].start >= 18


@pytest.mark.parametrize("backend", BACKENDS)
def test_tardiness_orders_by_priority(backend: str) -> None:
    # One room, both due at 10: the priority-3 case goes first; the other is 10 late (10).
    two = [Task(id="lo", duration=10, due=10), Task(id="hi", duration=10, due=10, priority=3)]
    weights = CaseWeights(tardiness=1, overtime=0)
    assert optimum(backend, tasks=two, rooms=[Room(id="R1")], weights=weights) == 10


@pytest.mark.parametrize("backend", BACKENDS)
def test_optional_tasks_drop_the_cheapest(backend: str) -> None:
    # y may work 15 minutes: only one of the two 10-minute cases fits; dropping the
    # priority-1 case costs 10, the priority-2 one 20 → 10.
    two = [
        Task(id="p1", duration=10, staff=["y"], optional=True),
        Task(id="p2", duration=10, staff=["y"], optional=True, priority=2),
    ]
    weights = CaseWeights(unscheduled=10, tardiness=0, overtime=0)
    result, _ = solve_verified(
        CaseProblem(
            horizon=100,
            tasks=two,
            staff=[StaffMember(id="y", max_minutes=15)],
            weights=weights,
        ),
        backend=backend,
    )
    assert result.objective == 10
    assert result.schedule is not None
    assert result.schedule.unscheduled == ("p1",)


@pytest.mark.parametrize("backend", BACKENDS)
def test_pins_fix_start_room_and_people(backend: str) -> None:
    # Pinned at 50 in R2 with y: makespan 60 although 10 was possible.
    prob = CaseProblem(
        horizon=100,
        tasks=[Task(id="a", duration=10, team=[TeamRequirement(role="rn")])],
        rooms=[Room(id="R1"), Room(id="R2")],
        staff=[StaffMember(id="x", roles=["rn"]), StaffMember(id="y", roles=["rn"])],
        pins=[CasePin(task="a", start=50, room="R2", staff=("y",))],
        weights=MAKESPAN,
    )
    result, _ = solve_verified(prob, backend=backend)
    assert result.objective == 60
    assert result.schedule is not None
    assert result.schedule.tasks[0] == ScheduledTask(
        task="a", start=50, end=60, room="R2", staff=("y",)
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_baseline_minimal_disruption(backend: str) -> None:
    # Published: a 0–10 R1 with x, b 10–20 R1 with x. x is now off duty until 10: keeping
    # a at 0 with y instead costs one person change (10); moving a costs 100 → 10.
    old = CaseSchedule(
        tasks=(
            ScheduledTask(task="a", start=0, end=10, room="R1", staff=("x",)),
            ScheduledTask(task="b", start=10, end=20, room="R1", staff=("x",)),
        )
    )
    prob = CaseProblem(
        horizon=100,
        tasks=[Task(id=t, duration=10, team=[TeamRequirement(role="rn")]) for t in "ab"],
        rooms=[Room(id="R1")],
        staff=[
            StaffMember(id="x", roles=["rn"], available=[Window(start=10, end=100)]),
            StaffMember(id="y", roles=["rn"]),
        ],
        weights=CaseWeights(tardiness=0, overtime=0),
        baseline=CaseBaseline(schedule=old, move_weight=100, staff_weight=10),
    )
    result, report = solve_verified(prob, backend=backend)
    assert result.objective == 10
    assert result.terms["baseline_staff"] == 10 and result.terms["baseline_move"] == 0
    assert [(p.task, p.staff) for p in report.penalties] == [("a", "x")]


@pytest.mark.parametrize("backend", BACKENDS)
def test_lexicographic_stage_weights_and_caps(backend: str) -> None:
    # Stage objective counts only tardiness (10 as in the priority test); capping
    # tardiness at 0 makes the one-room problem infeasible.
    two = [Task(id="lo", duration=10, due=10), Task(id="hi", duration=10, due=10, priority=3)]
    prob = CaseProblem(
        horizon=100,
        tasks=two,
        rooms=[Room(id="R1")],
        weights=CaseWeights(tardiness=1, overtime=0, makespan=1),
    )
    result = solve(prob, backend=backend, workers=1, seed=0, stage_weights={"tardiness": 1})
    assert result.objective == 10
    assert result.terms["tardiness"] == 10 and result.terms["makespan"] == 20
    capped = solve(prob, backend=backend, workers=1, seed=0, stage_caps=[({"tardiness": 1}, 0)])
    assert capped.status is SolveStatus.INFEASIBLE


@pytest.mark.parametrize("backend", BACKENDS)
def test_infeasible_reports_status_and_message(backend: str) -> None:
    # Two mandatory 10-minute cases for x, who is on duty 0–15 only.
    prob = CaseProblem(
        horizon=100,
        tasks=[Task(id=t, duration=10, staff=["x"]) for t in "ab"],
        staff=[StaffMember(id="x", available=[Window(start=0, end=15)])],
    )
    result = solve(prob, backend=backend, workers=1, seed=0, time_limit=10)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.schedule is None and "infeasible" in result.message


@pytest.mark.parametrize("backend", BACKENDS)
def test_hint_progress_and_determinism(backend: str) -> None:
    need = tasks(4, resources={"carm": 1})
    prob = CaseProblem(
        horizon=200, tasks=need, resources=[Resource(id="carm", capacity=2)], weights=MAKESPAN
    )
    seen: list[ProgressPoint] = []
    first, _ = solve_verified(prob, backend=backend, on_solution=seen.append)
    again, _ = solve_verified(prob, backend=backend, hint=first)
    assert first.objective == again.objective == 20
    assert seen and seen[-1].objective >= 20
    assert first.progress
    assert first.schedule == again.schedule  # seed 0, one worker: reproducible


@pytest.mark.parametrize("backend", BACKENDS)
def test_psplib_j30_instance_reaches_known_optimum(backend: str) -> None:
    path = BENCHMARKS / "rcpsp-psplib" / "instances" / "j30" / "j301_1.sm"
    if not path.is_file():
        pytest.skip(f"PSPLIB benchmarks not found at {path} (set CAREALLOC_BENCHMARKS)")
    from optimizer.io.psplib import read_psplib

    # j301_1: proven optimum 43 (PSPLIB j30opt.sm).
    result, _ = solve_verified(read_psplib(path), backend=backend, time_limit=30)
    assert result.objective == 43
    assert result.status is SolveStatus.OPTIMAL


@pytest.mark.parametrize("backend", BACKENDS)
def test_warm_start_returned_when_search_finds_nothing(backend: str) -> None:
    # CP-SAT stops after presolve (UNKNOWN); the best checked warm start comes back as
    # FEASIBLE with the checker's costs. The hint leaves b out (1000) and has a 5 minutes
    # late (5); the greedy start competes with it and wins: a at 0, b at 10, cost 0.
    prob = CaseProblem(
        horizon=100,
        tasks=[Task(id="a", duration=10, due=10), Task(id="b", duration=10, optional=True)],
        rooms=[Room(id="R1")],
    )
    hint = CaseSchedule(tasks=(ScheduledTask(task="a", start=5, end=15, room="R1"),))
    result, _ = solve_verified(prob, backend=backend, hint=hint, stop_after_presolve=True)
    assert result.status is SolveStatus.FEASIBLE and "warm start" in result.message
    assert result.objective == 0 and result.bound is None
    assert result.schedule is not None and result.schedule.unscheduled == ()


def test_milp_backend_is_refused_for_case_scheduling() -> None:
    prob = CaseProblem(horizon=100, tasks=tasks(1))
    with pytest.raises(InputError, match="backend 'milp' does not do case scheduling; use cpsat"):
        solve(prob, backend="milp")


def test_a_precedence_chain_through_a_task_left_out_does_not_keep_its_ends_apart() -> None:
    # A -> B -> C with B optional (free to leave out): left out, B binds nothing, so A and
    # C may run side by side, both on time (the redundant cliques once assumed otherwise
    # and proved 10 "optimal").
    problem = CaseProblem(
        horizon=100,
        weights=CaseWeights(unscheduled=0, tardiness=1, overtime=0, makespan=0),
        tasks=[
            Task(id="A", duration=10, due=10, resources={"X": 1}),
            Task(id="B", duration=10, optional=True, unscheduled_penalty=0),
            Task(id="C", duration=10, due=10),
        ],
        resources=[Resource(id="X", capacity=5)],
        precedences=[Precedence(before="A", after="B"), Precedence(before="B", after="C")],
    )
    result, _ = solve_verified(problem, time_limit=20)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == 0
    assert result.schedule is not None and result.schedule.unscheduled == ("B",)
