"""The `solve` / `solve_many` façade: batches, input order, option checks."""

from __future__ import annotations

import datetime as dt

import pytest

from optimizer import solve, solve_many
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.model.roster import CoverDemand, RosterProblem, ShiftType, Staff


def _ward(required: int) -> RosterProblem:
    """Three nurses, one shift on one day needing ``required`` of them.

    Optimum: 100 per missing nurse beyond the three available, so
    max(0, required - 3) * 100.
    """
    return RosterProblem(
        name=f"need {required}",
        start_date=dt.date(2024, 1, 1),
        num_days=1,
        shifts=(ShiftType(id="D", start="08:00", length_minutes=600),),
        staff=tuple(Staff(id=f"S{i}") for i in range(3)),
        cover=(CoverDemand(day=0, shift="D", required=required),),
    )


def test_solve_many_keeps_input_order_and_every_result_checks() -> None:
    problems = [_ward(r) for r in (5, 1, 4, 3)]
    results = solve_many(problems, processes=2, show_progress=False, seed=0)
    assert [r.objective for r in results] == [200, 0, 100, 0]
    for problem, result in zip(problems, results, strict=True):
        report = check(problem, result)
        assert report.feasible and report.objective == result.objective


def test_solve_many_rejects_callbacks() -> None:
    with pytest.raises(InputError, match="on_solution"):
        solve_many([_ward(1)], on_solution=print)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"time_limit": 0}, "time_limit"), ({"workers": 0}, "workers"), ({"backend": "x"}, "backend")],
)
def test_solve_rejects_bad_options(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as info:
        solve(_ward(1), **kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
