"""The infeasibility diagnosis follows the solve's workers and seed: with a seed and one
worker it runs on a work clock (``runner.Clock``) and says the same every run.

A planted conflict (found and relaxed) and the tight 14-nurse ward (the fallback, whose
changes are re-checked with the independent checker) are each diagnosed twice; the CLI
and the dashboard's solver process pass their solve's workers and seed on.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from ortools.sat.python import cp_model
from typer.testing import CliRunner

import optimizer.explain.diagnosis as diagnosis_module
import optimizer.explain.diagnosis.relaxations as relaxations_module
import optimizer.solvers.cpsat.correction as correction_module
import optimizer.solvers.cpsat.diagnose as diagnose_module
from dashboards import solver_child
from optimizer.check import check
from optimizer.cli import app
from optimizer.demo.tight_ward import tight_ward
from optimizer.explain.diagnosis import Diagnosis, diagnose_roster, relaxed_for
from optimizer.io.project import save_project
from optimizer.model.roster import Contract, RosterProblem, Staff
from optimizer.solvers.cpsat.correction import CorrectionResult
from optimizer.solvers.cpsat.diagnose import CoreResult
from optimizer.solvers.cpsat.runner import Clock
from tests.correction_spy import install_spy
from tests.test_diagnosis import _min_minutes_vs_leave, _pins_break_succession
from tests.verify import solve_verified

runner = CliRunner()


def _small_solve(clock: Clock) -> None:
    """One CP-SAT solve of a little model, bounded and charged on ``clock``."""
    model = cp_model.CpModel()
    x = [model.new_int_var(0, 9, f"x{i}") for i in range(6)]
    model.add(sum(x) == 27)
    model.add_all_different(x)
    model.maximize(x[0] - x[1])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    clock.limit(solver, 5.0)
    solver.solve(model)
    clock.charge(solver, model)


def test_a_clock_made_inside_another_ones_block_charges_it_too() -> None:
    outer = Clock(deterministic=True, limit=60)
    assert not Clock.current().deterministic  # outside every block: the wall clock
    with outer.spending():
        assert Clock.current() is outer
        inner = Clock(deterministic=True, limit=60)  # as a nested solve() makes its own
        _small_solve(inner)
    spent = inner.now() - inner.start
    assert spent > 0
    assert outer.now() - outer.start == pytest.approx(spent)
    assert Clock.current() is not outer
    alone = Clock(deterministic=True, limit=60)  # made outside: charges nobody else
    _small_solve(alone)
    assert outer.now() - outer.start == pytest.approx(spent)


def test_a_found_conflict_is_diagnosed_the_same_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the whole-roster checks are nested solve()s on their own work clocks: each one's
    # work must move the diagnosis's clock on
    real = relaxations_module._has_roster
    charged: list[float] = []

    def measured(problem: RosterProblem, time_limit: float) -> bool | None:
        clock = Clock.current()
        before = clock.now()
        verdict = real(problem, time_limit)
        charged.append(clock.now() - before)
        return verdict

    monkeypatch.setattr(relaxations_module, "_has_roster", measured)
    problem = _min_minutes_vs_leave()
    first = diagnose_roster(problem, 10, workers=1, seed=3)
    assert charged and all(work > 0 for work in charged)
    second = diagnose_roster(problem, 10, workers=1, seed=3)
    assert first == second
    assert first.feasible is False and first.minimal
    assert sorted((c.rule, c.days) for c in first.conflicts) == [
        ("min_minutes", ()),
        ("unavailable", (0, 1, 2, 3)),
    ]
    assert first.relaxations[0] == "lower Jo Park's minimum hours from 32 h to 30 h"
    relaxed = problem.model_copy(
        update={"staff": (Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=1800)),)}
    )
    solve_verified(relaxed, time_limit=10)


def test_the_fallback_on_a_tight_ward_gives_the_same_checked_changes_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the conflict search gets 5 % of 4 s and finds nothing; the correction search then
    # runs on one worker on the work clock, so both runs stop at the same point
    spy = install_spy(monkeypatch)
    problem = tight_ward(0)
    runs = [
        diagnose_roster(problem, 4, proven_infeasible=True, core_share=0.05, workers=1, seed=3)
        for _ in range(2)
    ]
    assert runs[0].relax_together, runs[0].summary
    assert runs[0].relax_together == runs[1].relax_together
    assert runs[0].messages() == runs[1].messages()
    assert runs[0].summary.startswith("No smallest conflict could be isolated within ")
    assert len(spy.found) == 2
    for diagnosis, found in zip(runs, spy.found, strict=True):
        assert found.roster is not None and found.broken
        relaxed, texts = relaxed_for(problem, found.roster, found.broken)
        assert texts == diagnosis.relax_together
        # relaxed as the words say, the roster breaks nothing but the waived successions
        waived = {(m.staff, m.days) for m in found.broken if m.rule == "succession"}
        left = check(relaxed, found.roster).violations
        assert all(v.rule == "succession" for v in left)
        assert {(v.staff, v.days) for v in left} == waived
        assert not check(problem, found.roster).feasible


@pytest.mark.parametrize(
    ("workers", "seed", "deterministic", "fallback_workers"),
    [(None, None, False, 2), (1, None, False, 1), (4, 3, False, 4), (1, 3, True, 1)],
)
def test_only_one_seeded_worker_puts_the_diagnosis_on_the_work_clock(
    monkeypatch: pytest.MonkeyPatch,
    workers: int | None,
    seed: int | None,
    deterministic: bool,
    fallback_workers: int,
) -> None:
    seen: list[tuple[bool, int]] = []

    def recording(*args: Any, **kwargs: Any) -> CorrectionResult:
        seen.append((Clock.current().deterministic, kwargs["workers"]))
        return CorrectionResult()

    monkeypatch.setattr(
        diagnose_module, "find_core", lambda problem, time_limit=20.0: CoreResult(feasible=None)
    )
    monkeypatch.setattr(correction_module, "find_correction", recording)
    diagnosis = diagnose_roster(_pins_break_succession(), 5, workers=workers, seed=seed)
    assert diagnosis.feasible is None
    assert seen == [(deterministic, fallback_workers)]


def test_cli_gives_the_diagnosis_the_solves_workers_and_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ward.json"
    save_project(_pins_break_succession(), path)
    seen: list[dict[str, Any]] = []

    def recording(problem: RosterProblem, time_limit: float = 20.0, **kwargs: Any) -> Diagnosis:
        seen.append(kwargs)
        return Diagnosis(feasible=False, summary="planted")

    monkeypatch.setattr(diagnosis_module, "diagnose_roster", recording)
    for args in (["--workers", "1", "--seed", "5"], ["--workers", "2"]):
        outcome = runner.invoke(app, ["solve", str(path), "--time-limit", "5", "--quiet", *args])
        assert outcome.exit_code == 1
        assert "  • planted" in outcome.output
    assert [(kw["workers"], kw["seed"]) for kw in seen] == [(1, 5), (2, None)]


def test_the_dashboards_solver_process_gives_the_diagnosis_its_workers_and_seed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[dict[str, Any]] = []

    def recording(problem: RosterProblem, time_limit: float = 20.0, **kwargs: Any) -> Diagnosis:
        seen.append({"time_limit": time_limit, **kwargs})
        return Diagnosis(feasible=False, summary="planted")

    monkeypatch.setattr(diagnosis_module, "diagnose_roster", recording)
    out = io.StringIO()
    job = {
        "kind": "roster",
        "problem": _pins_break_succession().model_dump_json(),
        "hint": None,
        "options": {"time_limit": 5, "workers": 1, "seed": 4},
        "diagnosis_time_limit": 6,
    }
    solver_child.run(job, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["type"] for line in lines] == ["result", "diagnosis"]
    assert lines[0]["result"]["status"] == "INFEASIBLE"
    assert lines[1]["diagnosis"]["summary"] == "planted"
    assert [(kw["time_limit"], kw["workers"], kw["seed"]) for kw in seen] == [(6.0, 1, 4)]
