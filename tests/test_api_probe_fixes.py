"""Fixes from a probe of the Python API and ``carealloc bench``: time-zone-aware case
starts, time limits of any real type, hints of the wrong kind, callback options,
batches from generators, early bench parameter checks, foreign JSON files."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from typer.testing import CliRunner

from optimizer import solve, solve_many
from optimizer.availability import roster_to_availability, with_roster_availability
from optimizer.bench import BenchRow, run_bench
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.io.load import load_problem
from optimizer.model.cases import CaseProblem, Room, StaffMember, Task, TeamRequirement, Window
from optimizer.model.result import (
    Assignment,
    CaseSchedule,
    ProgressPoint,
    Result,
    RosterSolution,
    ScheduledTask,
    SolveStatus,
)
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff
from optimizer.solve import check_hint
from optimizer.solvers.options import check_run_options
from tests.test_curtois import TINY
from tests.verify import solve_verified, verify_result

MONDAY = dt.date(2026, 12, 7)
PLUS_ONE = dt.timezone(dt.timedelta(hours=1))


def _ward(required: int = 2) -> RosterProblem:
    """Three nurses, one early shift (07:00, 8 h) on Monday needing ``required``.

    Optimum: 100 per nurse missing beyond the three, so 0 for ``required <= 3``.
    """
    return RosterProblem(
        start_date=MONDAY,
        num_days=1,
        shifts=(ShiftType(id="E", start="07:00", length_minutes=480),),
        staff=tuple(Staff(id=f"S{i}") for i in range(3)),
        cover=(CoverDemand(day=0, shift="E", required=required),),
    )


def _cases(start: dt.datetime | None = None) -> CaseProblem:
    """Two 60-minute cases in one room, each needing nurse S0, over one day.

    Optimum 0: S0 is on duty all day, so both fit back to back.
    """
    return CaseProblem(
        start=start,
        horizon=1440,
        tasks=(
            Task(id="a", duration=60, team=(TeamRequirement(role="nurse"),)),
            Task(id="b", duration=60, team=(TeamRequirement(role="nurse"),)),
        ),
        rooms=(Room(id="R1"),),
        staff=(StaffMember(id="S0", roles=("nurse",), available=(Window(start=0, end=1440),)),),
    )


# -- 1. a case start with a UTC offset -----------------------------------------------


@pytest.mark.parametrize("zone", [PLUS_ONE, dt.UTC, ZoneInfo("Europe/London")])
def test_an_aware_start_reads_the_roster_on_its_own_wall_clock(zone: dt.tzinfo) -> None:
    roster = RosterSolution(assignments=(Assignment(staff="S0", day=0, shift="E"),))
    naive = roster_to_availability(_ward(), roster, start=dt.datetime(2026, 12, 7, 6))
    aware = roster_to_availability(_ward(), roster, start=dt.datetime(2026, 12, 7, 6, tzinfo=zone))
    assert naive == aware == {"S0": [(60, 540)], "S1": [], "S2": []}  # 07:00–15:00 from 06:00


def test_with_roster_availability_takes_a_case_start_with_an_offset() -> None:
    # Was: TypeError "can't subtract offset-naive and offset-aware datetimes".
    roster = RosterSolution(assignments=(Assignment(staff="S0", day=0, shift="E"),))
    week = with_roster_availability(
        _cases(dt.datetime(2026, 12, 7, tzinfo=PLUS_ONE)), _ward(), roster
    )
    assert week.start == dt.datetime(2026, 12, 7, tzinfo=PLUS_ONE)
    assert week.staff[0].available == (Window(start=420, end=900),)
    result, _ = solve_verified(week, time_limit=10)
    assert result.objective == 0
    assert result.schedule is not None
    assert all(t.start >= 420 and t.end <= 900 for t in result.schedule.tasks)


# -- 2. time limits of any real type --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (np.int64(5), 5.0),
        (np.float32(2.5), 2.5),
        (Fraction(3, 2), 1.5),
        (Decimal("2.5"), 2.5),
        (7, 7.0),
        (0.25, 0.25),
    ],
)
def test_any_positive_real_number_is_a_time_limit(value: object, seconds: float) -> None:
    limit, _, _ = check_run_options(value, None, None)
    assert limit == seconds and type(limit) is float


@pytest.mark.parametrize(
    "value",
    [
        True,
        False,
        float("nan"),
        float("inf"),
        -1,
        0,
        "5",
        np.float64("nan"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("-Infinity"),
        Fraction(10**400),
        Fraction(-1, 2),
        [5],
    ],
)
def test_other_time_limits_are_refused_by_name(value: object) -> None:
    with pytest.raises(InputError, match="positive, finite number of seconds") as info:
        check_run_options(value, None, None)
    assert info.value.field == "time_limit"


def test_a_numpy_time_limit_solves() -> None:
    result, _ = solve_verified(_ward(4), time_limit=np.int64(10))
    assert result.objective == 100  # one nurse short


# -- 4. hints of the wrong kind, empty hints ------------------------------------------


@pytest.mark.parametrize(
    ("problem", "hint", "expected"),
    [
        (_ward(), CaseSchedule(), "RosterSolution"),
        (_ward(), {"assignments": []}, "RosterSolution"),
        (
            _ward(),
            Result(status=SolveStatus.OPTIMAL, schedule=CaseSchedule(unscheduled=("a",))),
            "RosterSolution",
        ),
        (_cases(), RosterSolution(), "CaseSchedule"),
        (_cases(), "schedule.json", "CaseSchedule"),
    ],
)
def test_a_hint_of_the_wrong_kind_is_refused(problem: Any, hint: object, expected: str) -> None:
    with pytest.raises(InputError, match=f"takes a {expected}") as info:
        solve(problem, time_limit=1, hint=hint)  # type: ignore[arg-type]
    assert info.value.field == "hint"


def test_an_empty_hint_counts_as_no_hint() -> None:
    assert check_hint(CaseSchedule(), "cases") is None
    assert check_hint(RosterSolution(), "roster") is None
    assert check_hint(Result(status=SolveStatus.INFEASIBLE), "roster") is None
    left_out = CaseSchedule(unscheduled=("a",))
    assert check_hint(left_out, "cases") is left_out  # says something: a is left out
    placed = CaseSchedule(tasks=(ScheduledTask(task="a", start=0, end=60, room="R1"),))
    assert check_hint(Result(status=SolveStatus.FEASIBLE, schedule=placed), "cases") is placed


def test_an_empty_case_hint_solves_like_no_hint() -> None:
    # The empty hint used to replace the greedy warm start (177000 instead of 2740 on
    # the demo week at 3 s); with one worker and a seed the two runs are now the same.
    plain, _ = solve_verified(_cases(), time_limit=10)
    hinted, _ = solve_verified(_cases(), time_limit=10, hint=CaseSchedule())
    assert plain.objective == hinted.objective == 0
    assert plain.schedule == hinted.schedule


# -- 5. on_solution and log -----------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"on_solution": 5}, "on_solution", "must be a function"),
        ({"on_solution": "print"}, "on_solution", "must be a function"),
        ({"log": "yes"}, "log", "True or False"),
        ({"log": 1}, "log", "True or False"),
        ({"log": None}, "log", "True or False"),
    ],
)
def test_callback_options_are_checked_before_solving(
    kwargs: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as info:
        solve(_ward(), time_limit=1, **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_a_callable_on_solution_is_still_called() -> None:
    seen: list[ProgressPoint] = []
    result, _ = solve_verified(_ward(4), time_limit=10, on_solution=seen.append, log=False)
    assert seen and seen[-1].objective == result.objective == 100


# -- 7. solve_many given any iterable ------------------------------------------------


def test_solve_many_takes_a_generator_and_keeps_its_order() -> None:
    problems = [_ward(r) for r in (5, 1, 4)]

    def batch() -> Iterator[RosterProblem]:
        yield from problems

    results = solve_many(batch(), processes=2, show_progress=False, seed=0, time_limit=10)
    assert [r.objective for r in results] == [200, 0, 100]
    for problem, result in zip(problems, results, strict=True):
        verify_result(problem, result)


@pytest.mark.parametrize(("batch", "got"), [(_ward(), "one RosterProblem"), (5, "int")])
def test_solve_many_refuses_what_is_not_a_batch(batch: object, got: str) -> None:
    with pytest.raises(InputError, match=f"list \\(or other iterable\\) of problems, got {got}"):
        solve_many(batch, show_progress=False)  # type: ignore[arg-type]


def test_solve_many_names_a_bad_item_of_a_generator_and_a_misfit_hint() -> None:
    with pytest.raises(InputError) as info:
        solve_many((p for p in [_ward(), "x.json"]), show_progress=False)  # type: ignore[misc]
    assert info.value.field == "problems[1]"
    with pytest.raises(InputError, match="takes a CaseSchedule") as info:
        solve_many([_ward(), _cases()], hint=RosterSolution(), show_progress=False)
    assert info.value.field == "problems[1]"


# -- 8. carealloc bench checks --param before any output ------------------------------


def _suite(tmp_path: Path) -> Path:
    suite = tmp_path / "suite"
    (suite / "instances").mkdir(parents=True)
    (suite / "instances" / "Tiny1.txt").write_text(TINY, encoding="utf-8")
    (suite / "best_known.csv").write_text("instance,best_ub\nTiny1,0\n", encoding="utf-8")
    return suite


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--param", "bogus=1"], "field 'bogus': unknown CP-SAT parameter 'bogus'"),
        (["--backend", "milp", "--param", "bogus=1"], "unknown MILP parameter 'bogus'"),
        (["--param", "seed=-1"], "the seed must be a whole number from 0"),
        (["--param", "log=yes"], "field 'log': log must be True or False"),
    ],
)
def test_cli_bench_refuses_a_bad_param_before_the_table(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = CliRunner().invoke(app, ["bench", str(_suite(tmp_path)), *args])
    assert result.exit_code == 2
    text = " ".join(result.output.split())
    assert message in text
    assert text.startswith("error:")  # no table (not even its header) before the error
    assert "Tiny1" not in result.output


def test_run_bench_checks_params_before_loading_anything(tmp_path: Path) -> None:
    loaded: list[Path] = []
    rows: list[BenchRow] = []

    def loader(path: Path) -> Any:
        loaded.append(path)
        return load_problem(path)

    with pytest.raises(InputError, match="unknown CP-SAT parameter 'bogus'"):
        run_bench(_suite(tmp_path), time_limit=5, loader=loader, on_row=rows.append, bogus=1)
    assert loaded == [] and rows == []


def test_bench_still_takes_switches_and_solve_arguments(tmp_path: Path) -> None:
    # our model switches and solve()'s own arguments are not CP-SAT parameters
    params: dict[str, Any] = {"roster_staffwise": False, "seed": 3, "linearization_level": 2}
    rows = run_bench(_suite(tmp_path), time_limit=20, workers=1, **params)
    assert [(r.instance, r.status, r.objective) for r in rows] == [("Tiny1", "OPTIMAL", 0)]


# -- 10. a JSON file that is not a carealloc project ---------------------------------


def test_a_foreign_json_is_named_as_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "i01.json"  # the shape of an IHTC 2024 instance
    keys = ["days", "skill_levels", "shift_types", "age_groups", "weights", "occupants"]
    path.write_text(json.dumps({k: 1 for k in [*keys, "patients", "rooms"]}), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_problem(path)
    text = str(info.value)
    assert text.startswith(f"{path}: not a carealloc project")
    assert "start_date, num_days, shifts, staff" in text and "horizon, tasks" in text
    assert "its keys are days, skill_levels" in text and "and 2 more" in text
    assert '"kind": "roster"' in text and "Field required" not in text


def test_a_case_project_without_kind_is_told_to_add_it(tmp_path: Path) -> None:
    data = _cases().model_dump(mode="json", exclude_defaults=True)
    data.pop("kind", None)
    path = tmp_path / "cases.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match='add "kind": "cases"') as info:
        load_problem(path)
    assert info.value.field == "kind" and info.value.file == str(path)
    data["kind"] = "cases"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_problem(path).model_dump() == _cases().model_dump()


def test_a_roster_without_kind_still_loads_and_bad_ones_keep_their_message(
    tmp_path: Path,
) -> None:
    data = _ward().model_dump(mode="json", exclude_defaults=True)
    data.pop("kind", None)
    path = tmp_path / "ward.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_problem(path).model_dump() == _ward().model_dump()
    del data["num_days"]  # one roster key missing: the field is named, as before
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError, match="Field required") as info:
        load_problem(path)
    assert info.value.field == "num_days"
