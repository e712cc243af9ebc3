"""Upper bounds, no booleans for integers, finite floats, and solve-option ranges.

Every number a problem may hold is bounded (``optimizer.model.common``), so a huge
value fails validation with one message naming the field and the limit instead of
overflowing CP-SAT's 64-bit integers; the solve options are range-checked likewise.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from optimizer.errors import InputError
from optimizer.io.curtois import read_curtois
from optimizer.io.project import problem_from_data
from optimizer.io.psplib import read_psplib
from optimizer.model import (
    CaseProblem,
    CaseWeights,
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftRequest,
    ShiftType,
    Staff,
    Task,
)
from optimizer.model.common import (
    MAX_DAYS,
    MAX_MINUTES,
    MAX_PEOPLE,
    MAX_PRIORITY,
    MAX_REST_HOURS,
    MAX_UNITS,
    MAX_WEIGHT,
)
from optimizer.solve import solve
from optimizer.solvers.options import MAX_WORKERS, SEED_LIMIT
from tests.verify import solve_verified

DATA = Path(__file__).resolve().parents[1] / "data"
BENCHMARKS = Path(
    os.environ.get(
        "CAREALLOC_BENCHMARKS", Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
    )
)


def _roster() -> dict[str, Any]:
    return {
        "kind": "roster",
        "start_date": "2024-01-01",
        "num_days": 2,
        "shifts": [{"id": "D", "start": "08:00", "length_minutes": 480, "min_rest_hours": 11}],
        "staff": [{"id": "A", "contract": {"max_minutes": 960}}],
        "cover": [{"day": 0, "shift": "D", "required": 1}],
        "requests": [{"staff": "A", "day": 1, "shift": "D", "want": False}],
        "pins": [{"staff": "A", "day": 0, "shift": "D"}],
        "baseline": {"assignments": [{"staff": "A", "day": 0, "shift": "D"}]},
    }


def _cases() -> dict[str, Any]:
    return {
        "kind": "cases",
        "horizon": 600,
        "tasks": [
            {"id": "t1", "duration": 60, "team": [{"role": "nurse"}], "resources": {"scope": 1}},
            {"id": "t2", "duration": 30, "due": 100, "optional": True},
        ],
        "rooms": [{"id": "OR1", "openings": [{"start": 0, "end": 480, "overtime": 60}]}],
        "staff": [{"id": "N", "roles": ["nurse"], "available": [{"start": 0, "end": 600}]}],
        "resources": [{"id": "scope", "capacity": 1}],
        "precedences": [{"before": "t1", "after": "t2", "min_lag": 5}],
        "pins": [{"task": "t1", "start": 0}],
        "weights": {"unscheduled": 10, "tardiness": 1, "overtime": 1, "makespan": 0},
    }


def _set(data: dict[str, Any], path: str, value: object) -> dict[str, Any]:
    """A deep copy of ``data`` with the dotted ``path`` (list indices as numbers) set."""
    data = copy.deepcopy(data)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    node[int(last) if isinstance(node, list) else last] = value
    return data


def _error(data: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as info:
        problem_from_data(data, "p.json")
    return info.value


ROSTER_LIMITS = [
    ("num_days", MAX_DAYS),
    ("shifts.0.length_minutes", 24 * 60),
    ("shifts.0.min_rest_hours", MAX_REST_HOURS),
    ("staff.0.contract.min_minutes", MAX_MINUTES),
    ("staff.0.contract.max_minutes", MAX_MINUTES),
    ("staff.0.contract.max_shifts", MAX_DAYS),
    ("staff.0.contract.max_consecutive_work", MAX_DAYS),
    ("staff.0.contract.min_consecutive_off", MAX_DAYS),
    ("staff.0.contract.max_weekends", MAX_DAYS),
    ("cover.0.required", MAX_PEOPLE),
    ("cover.0.min_required", MAX_PEOPLE),
    ("cover.0.under_weight", MAX_WEIGHT),
    ("cover.0.over_weight", MAX_WEIGHT),
    ("requests.0.weight", MAX_WEIGHT),
    ("baseline.change_weight", MAX_WEIGHT),
]
"""(field, largest accepted value); one more is rejected."""

CASE_LIMITS = [
    ("horizon", MAX_MINUTES),
    ("turnover", MAX_MINUTES),
    ("weights.unscheduled", MAX_WEIGHT),
    ("weights.tardiness", MAX_WEIGHT),
    ("weights.overtime", MAX_WEIGHT),
    ("weights.makespan", MAX_WEIGHT),
    ("tasks.0.duration", MAX_MINUTES),
    ("tasks.0.release", MAX_MINUTES),
    ("tasks.1.due", MAX_MINUTES),
    ("tasks.0.priority", MAX_PRIORITY),
    ("tasks.1.unscheduled_penalty", MAX_WEIGHT * MAX_PRIORITY),
    ("tasks.0.team.0.count", MAX_PEOPLE),
    ("rooms.0.openings.0.end", MAX_MINUTES),
    ("rooms.0.openings.0.overtime", MAX_MINUTES),
    ("staff.0.max_minutes", MAX_MINUTES),
    ("staff.0.available.0.end", MAX_MINUTES),
    ("resources.0.capacity", MAX_UNITS),
    ("precedences.0.min_lag", MAX_MINUTES),
    ("pins.0.start", MAX_MINUTES),
]


@pytest.mark.parametrize(("field", "limit"), ROSTER_LIMITS)
@pytest.mark.parametrize("excess", [1, 10**30])
def test_roster_number_above_its_limit_names_field_and_limit(
    field: str, limit: int, excess: int
) -> None:
    error = _error(_set(_roster(), field, limit + excess))
    assert error.field == field
    assert error.file == "p.json"
    assert f"less than or equal to {limit}" in error.message
    assert "more problem" not in error.message  # one message, not a follow-on one


@pytest.mark.parametrize(("field", "limit"), CASE_LIMITS)
@pytest.mark.parametrize("excess", [1, 2**63])
def test_case_number_above_its_limit_names_field_and_limit(
    field: str, limit: int, excess: int
) -> None:
    error = _error(_set(_cases(), field, limit + excess))
    assert error.field == field
    assert f"less than or equal to {limit}" in error.message
    assert "more problem" not in error.message  # one message, not a follow-on one


@pytest.mark.parametrize(
    ("data", "field", "key", "phrase"),
    [
        (_roster, "staff.0.contract.max_shifts_per_type", "D", f"between 0 and {MAX_DAYS}"),
        (_cases, "tasks.0.resources", "scope", f"between 0 and {MAX_UNITS}"),
    ],
)
def test_mapping_values_are_bounded(data: Any, field: str, key: str, phrase: str) -> None:
    error = _error(_set(data(), field, {key: 10**20}))
    assert error.field == field
    assert f"'{key}'" in error.message and phrase in error.message


@pytest.mark.parametrize("field", ["cover.0.day", "requests.0.day", "pins.0.day"])
def test_day_index_is_bounded(field: str) -> None:
    error = _error(_set(_roster(), field, 10**30))
    assert error.field == field
    assert f"less than {MAX_DAYS}" in error.message


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (_roster, "shifts.0.length_minutes"),
        (_roster, "shifts.0.start"),
        (_roster, "num_days"),
        (_roster, "cover.0.required"),
        (_roster, "staff.0.contract.max_minutes"),
        (_roster, "shifts.0.min_rest_hours"),
        (_cases, "horizon"),
        (_cases, "tasks.0.duration"),
        (_cases, "tasks.0.priority"),
        (_cases, "weights.overtime"),
    ],
)
def test_booleans_are_not_numbers(make: Any, field: str) -> None:
    error = _error(_set(make(), field, True))
    assert error.field == field
    assert "not true" in error.message


def test_boolean_mapping_value_is_not_a_count() -> None:
    error = _error(_set(_roster(), "staff.0.contract.max_shifts_per_type", {"D": False}))
    assert error.field == "staff.0.contract.max_shifts_per_type.D"
    assert "not false" in error.message


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan")])
def test_rest_hours_must_be_finite(value: float) -> None:
    error = _error(_set(_roster(), "shifts.0.min_rest_hours", value))
    assert error.field == "shifts.0.min_rest_hours"
    assert "finite number" in error.message


def test_shift_start_given_as_a_number_is_a_clock_time() -> None:
    error = _error(_set(_roster(), "shifts.0.start", 5000.0))
    assert error.field == "shifts.0.start"
    assert "less than 1440" in error.message


def test_whole_numbers_in_other_spellings_still_validate() -> None:
    # Table readers hand over "3" or 3.0; both remain the integer 3.
    shift = ShiftType(id="D", start=480, length_minutes="480", min_rest_hours="11")
    assert shift.length_minutes == 480 and shift.min_rest_hours == 11.0
    assert CoverDemand(day=0, shift="D", required=3.0).required == 3


def test_roster_with_numbers_at_their_limits_solves() -> None:
    """One nurse, one day, one shift needing MAX_PEOPLE people at MAX_WEIGHT each.

    Optimum: she works (granting her MAX_WEIGHT on-request), MAX_PEOPLE - 1 are
    missing: (MAX_PEOPLE - 1) * MAX_WEIGHT = 9,999,000,000 — beyond 32 bits.
    """
    problem = RosterProblem(
        start_date=dt.date(2024, 1, 1),
        num_days=1,
        shifts=(
            ShiftType(id="D", start="08:00", length_minutes=480, min_rest_hours=MAX_REST_HOURS),
        ),
        staff=(Staff(id="A", contract=Contract(max_minutes=MAX_MINUTES, max_shifts=MAX_DAYS)),),
        cover=(
            CoverDemand(
                day=0,
                shift="D",
                required=MAX_PEOPLE,
                under_weight=MAX_WEIGHT,
                over_weight=MAX_WEIGHT,
            ),
        ),
        requests=(ShiftRequest(staff="A", day=0, shift="D", want=True, weight=MAX_WEIGHT),),
    )
    result, _ = solve_verified(problem, time_limit=20)
    assert result.objective == (MAX_PEOPLE - 1) * MAX_WEIGHT


def test_cases_with_numbers_at_their_limits_solve() -> None:
    """The longest horizon with the largest weights and priority.

    "end" (mandatory) can only run in the horizon's last hour; due at 0, it is
    MAX_MINUTES late: tardiness MAX_WEIGHT * MAX_PRIORITY * MAX_MINUTES ≈ 1.6e14, plus
    makespan MAX_WEIGHT * MAX_MINUTES. "extra" (optional) would be at least 60 late,
    costing MAX_WEIGHT * MAX_PRIORITY * 60, more than its unscheduled penalty
    MAX_WEIGHT * MAX_PRIORITY, so it is left out.
    """
    top = MAX_WEIGHT * MAX_PRIORITY
    problem = CaseProblem(
        horizon=MAX_MINUTES,
        tasks=(
            Task(id="end", duration=60, release=MAX_MINUTES - 60, due=0, priority=MAX_PRIORITY),
            Task(
                id="extra",
                duration=60,
                due=0,
                priority=MAX_PRIORITY,
                optional=True,
                unscheduled_penalty=top,
            ),
        ),
        weights=CaseWeights(
            unscheduled=MAX_WEIGHT, tardiness=MAX_WEIGHT, overtime=MAX_WEIGHT, makespan=MAX_WEIGHT
        ),
    )
    result, _ = solve_verified(problem, time_limit=20)
    assert result.objective == top * MAX_MINUTES + MAX_WEIGHT * MAX_MINUTES + top


# -- solve options ---------------------------------------------------------------


def _tiny() -> RosterProblem:
    problem = problem_from_data(_roster())
    assert isinstance(problem, RosterProblem)
    return problem


@pytest.mark.parametrize(
    ("kwargs", "field", "phrase"),
    [
        ({"seed": SEED_LIMIT}, "seed", f"from 0 to {SEED_LIMIT - 1}"),
        ({"seed": 2**53 - 1}, "seed", f"from 0 to {SEED_LIMIT - 1}"),
        ({"seed": -1}, "seed", f"from 0 to {SEED_LIMIT - 1}"),
        ({"seed": True}, "seed", "whole number"),
        ({"seed": 1.5}, "seed", "whole number"),
        ({"workers": 0}, "workers", f"at most {MAX_WORKERS}"),
        ({"workers": 2**40}, "workers", f"at most {MAX_WORKERS}"),
        ({"workers": True}, "workers", "at least 1"),
        ({"time_limit": 0}, "time_limit", "positive, finite"),
        ({"time_limit": float("inf")}, "time_limit", "positive, finite"),
        ({"time_limit": float("nan")}, "time_limit", "positive, finite"),
        ({"time_limit": True}, "time_limit", "positive, finite"),
        ({"stage_weights": {"under_cover": MAX_WEIGHT + 1}}, "stage_weights", str(MAX_WEIGHT)),
        ({"stage_weights": {"under_cover": True}}, "stage_weights", "whole number"),
    ],
)
def test_solve_rejects_out_of_range_options(
    kwargs: dict[str, object], field: str, phrase: str
) -> None:
    with pytest.raises(InputError) as info:
        solve(_tiny(), **{"workers": 1, **kwargs})  # type: ignore[arg-type]
    assert info.value.field == field
    assert phrase in str(info.value)


def test_largest_seed_and_fractional_time_limit_solve() -> None:
    # One nurse, cover 1 on day 0 (pinned there), a day-1 off-request: optimum 0.
    result, _ = solve_verified(_tiny(), seed=SEED_LIMIT - 1, time_limit=9.5)
    assert result.objective == 0


# -- real data still validates ------------------------------------------------------


@pytest.mark.parametrize("name", ["demo_ward.json", "demo_surgery.json"])
def test_demo_data_validates(name: str) -> None:
    data = json.loads((DATA / name).read_text(encoding="utf-8"))
    problem = problem_from_data(data, name)
    assert problem.name


def test_largest_benchmarks_validate() -> None:
    curtois = BENCHMARKS / "curtois-nrp" / "instances" / "Instance24.txt"
    j60 = sorted((BENCHMARKS / "rcpsp-psplib" / "instances" / "j60").glob("*.sm"))
    if not curtois.exists() or not j60:
        pytest.skip(f"benchmarks not found at {BENCHMARKS} (set CAREALLOC_BENCHMARKS)")
    roster = read_curtois(curtois)
    assert roster.num_days == 364 and len(roster.staff) == 150
    for path in (j60[0], j60[-1]):
        assert len(read_psplib(path).tasks) == 62


def test_ids_may_use_letters_of_any_script() -> None:
    from pydantic import ValidationError

    from optimizer.model.roster import Staff

    assert Staff(id="Müller", skills=("RN",)).id == "Müller"
    assert Staff(id="Łukasz Nowak", skills=("RN",)).id == "Łukasz Nowak"
    with pytest.raises(ValidationError, match="may only contain letters"):
        Staff(id="Mü!ler", skills=("RN",))


def test_an_invisible_character_in_an_id_is_named() -> None:
    from pydantic import ValidationError

    from optimizer.model.roster import Staff

    with pytest.raises(ValidationError, match=r"invisible character \(ZERO WIDTH SPACE, U\+200B\)"):
        Staff(id="Jo\u200bPark")
