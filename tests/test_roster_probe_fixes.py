"""Fixes from the roster-explanations probe: a re-plan leaves the days just before the
first change free (run and rest rules look back, so the only fix may lie there) and keeps
the ward's change weight; the CLI summary labels costs as costs; a duplicate demand
without a skill reads "any skill"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from dashboards import whatif
from optimizer.cli import app
from optimizer.io.project import load_result, save_project
from optimizer.model.result import Result
from optimizer.model.roster import Baseline, Contract, CoverDemand, RosterProblem, ShiftType, Staff
from tests.verify import solve_verified, verify_result

WEDNESDAY = dt.date(2026, 12, 9)


def _tiny_ward(**contract: int) -> RosterProblem:
    """Ann, Bob and Cat; 12-hour Day and Night shifts (11 h rest, so no Day right after a
    Night); one of each every day for a week starting on a Wednesday."""
    shifts = (
        ShiftType(id="D", name="Day", start="07:00", length_minutes=720, min_rest_hours=11),
        ShiftType(id="N", name="Night", start="19:00", length_minutes=720, min_rest_hours=11),
    )
    terms = {"max_shifts": 5, "max_consecutive_work": 4, "max_weekends": 1, **contract}
    staff = tuple(
        Staff(id=f"A{i}", name=name, skills=("RN",), contract=Contract(**terms))
        for i, name in enumerate(("Ann", "Bob", "Cat"), start=1)
    )
    cover = tuple(
        CoverDemand(day=d, shift=s, required=1, over_weight=3) for d in range(7) for s in "DN"
    )
    return RosterProblem(
        name="Tiny ward", start_date=WEDNESDAY, num_days=7, shifts=shifts, staff=staff, cover=cover
    )


def _replan(problem: RosterProblem, changed: RosterProblem, published: Result) -> Result:
    """What the Changes page does: baseline, pins before the first change less the reach."""
    planned = whatif.baseline_roster(changed, published)
    first = whatif.first_changed_day(problem, changed)
    assert first is not None
    kept_until = first - whatif.rule_reach(changed)
    if kept_until > 0:
        planned = whatif.keep_published_before(planned, published, kept_until)
    result, _ = solve_verified(planned, time_limit=20)
    return result


def test_the_reach_is_the_longest_run_or_rest_rule() -> None:
    assert whatif.rule_reach(_tiny_ward()) == 4  # at most 4 working days in a row
    assert whatif.rule_reach(_tiny_ward(max_consecutive_work=2, min_consecutive_off=3)) == 3


def test_extra_cover_can_move_the_night_before() -> None:
    problem = _tiny_ward()
    published, _ = solve_verified(problem, time_limit=20)
    changed, _ = whatif.with_extra_demand(
        problem, dt.date(2026, 12, 15), dt.date(2026, 12, 15), "D", None, 1
    )
    free, _ = solve_verified(whatif.baseline_roster(changed, published), time_limit=20)
    assert _replan(problem, changed, published).objective == free.objective


def test_the_ward_keeps_its_own_change_weight() -> None:
    problem = _tiny_ward()
    published, _ = solve_verified(problem, time_limit=20)
    weighted = problem.model_copy(update={"baseline": Baseline(change_weight=500)})
    for ward, weight in ((weighted, 500), (problem, 10)):
        baseline = whatif.baseline_roster(ward, published).baseline
        assert baseline is not None and baseline.change_weight == weight


def test_the_cli_summary_labels_costs_as_costs(tmp_path: Path) -> None:
    ward = _tiny_ward()  # two of each shift every day: three nurses cannot cover it
    cover = tuple(c.model_copy(update={"required": 2}) for c in ward.cover)
    problem = ward.model_copy(update={"cover": cover})
    path = tmp_path / "tiny.json"
    save_project(problem, path)
    out = tmp_path / "result.json"
    args = ["solve", str(path), "--time-limit", "20", "--workers", "1", "--seed", "0"]
    outcome = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    verify_result(problem, load_result(out))
    costs = [line for line in outcome.output.splitlines() if "cost: " in line]
    assert costs and all(line.split("│")[1].strip().startswith("cost: ") for line in costs)
    assert not any("Understaffed shifts" in line for line in outcome.output.splitlines())


def test_a_duplicate_demand_without_a_skill_reads_any_skill() -> None:
    ward = _tiny_ward()
    twice = (*ward.cover, CoverDemand(day=0, shift="D", required=1))
    with pytest.raises(ValidationError, match="duplicate demand for any skill"):
        RosterProblem.model_validate(
            {**ward.model_dump(), "cover": [c.model_dump() for c in twice]}
        )
