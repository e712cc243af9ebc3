"""Leave and sickness that count toward hours lower the contract minimum pro rata.

``Unavailability.counts_toward_hours``: each whole day away lowers the person's hard
minimum by ``min_minutes / num_days`` (``RosterProblem.minimum_minutes``); every backend,
the checker, the explanations and the bundle sheets use it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from dashboards import whatif
from dashboards.samples import small_ward
from optimizer import solve
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.explain.diagnosis.roster import diagnose_roster
from optimizer.explain.roster import roster_kpis
from optimizer.io.load import load_roster
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.from_problem import roster_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.result import Assignment, RosterSolution, SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    RosterProblem,
    ShiftType,
    Staff,
    Unavailability,
)
from tests.verify import solve_verified

ROOT = Path(__file__).resolve().parents[1]
MONDAY = dt.date(2026, 12, 7)


def _nurse(*leave: Unavailability, **contract: Any) -> RosterProblem:
    """One nurse, 7 days, an 8 h Early; no cover needed and every shift costs 1, so the
    optimum is the fewest shifts reaching the minimum."""
    return RosterProblem(
        start_date=MONDAY,
        num_days=7,
        shifts=(ShiftType(id="E", name="Early", start="07:00", length_minutes=480),),
        staff=(Staff(id="jo", name="Jo Park", contract=Contract(**contract)),),
        cover=tuple(CoverDemand(day=d, shift="E", required=0, over_weight=1) for d in range(7)),
        unavailability=leave,
    )


def _away(first: int, last: int, counts: bool = True, **extra: Any) -> Unavailability:
    return Unavailability(
        staff="jo",
        first_day=first,
        last_day=last,
        reason="sick",
        counts_toward_hours=counts,
        **extra,
    )


def _worked(*days: int) -> RosterSolution:
    return RosterSolution(assignments=[Assignment(staff="jo", day=d, shift="E") for d in days])


# -- the minimum ----------------------------------------------------------------------------


def test_minimum_is_lowered_pro_rata_for_credited_days_only() -> None:
    # 1920 min over 7 days; 4 days credited: 1920 - floor(1920 * 4 / 7) = 1920 - 1097 = 823
    assert _nurse(_away(0, 3), min_minutes=1920).minimum_minutes("jo") == 823
    assert _nurse(_away(0, 3), min_minutes=1920).minimum_minutes(0) == 823
    assert _nurse(_away(0, 3, counts=False), min_minutes=1920).minimum_minutes("jo") == 1920
    assert _nurse(min_minutes=1920).minimum_minutes("jo") == 1920


def test_overlapping_absences_count_each_day_once() -> None:
    # days 0-3 and 2-5 cover 6 distinct days: 1920 - floor(1920 * 6 / 7) = 1920 - 1645
    problem = _nurse(_away(0, 3), _away(2, 5), min_minutes=1920)
    assert problem.credited_days("jo") == 6
    assert problem.minimum_minutes("jo") == 275
    # an uncredited absence over the same days adds nothing
    problem = _nurse(_away(0, 3), _away(0, 6, counts=False), min_minutes=1920)
    assert problem.credited_days("jo") == 4


def test_a_shift_restricted_absence_does_not_count_toward_hours() -> None:
    assert (
        _nurse(_away(0, 3, counts=False, shifts=("E",)), min_minutes=1920).credited_days("jo") == 0
    )
    with pytest.raises(ValueError, match="only whole days away count toward hours"):
        _away(0, 3, shifts=("E",))


def test_demo_files_keep_the_full_minimum() -> None:
    ward = load_roster(ROOT / "data" / "demo_ward.json")
    assert ward.unavailability and not any(u.counts_toward_hours for u in ward.unavailability)
    assert all(ward.minimum_minutes(p.id) == p.contract.min_minutes for p in ward.staff)


# -- the checker ----------------------------------------------------------------------------


def test_checker_uses_the_lowered_minimum() -> None:
    problem = _nurse(_away(0, 3), min_minutes=1920)  # minimum 823
    below = check(problem, _worked(4))  # 480 < 823
    assert [(v.rule, v.amount) for v in below.violations] == [("min_minutes", 823 - 480)]
    assert "needs at least 823 (1920 less leave)" in below.violations[0].message
    assert check(problem, _worked(4, 5)).feasible  # 960: between 823 and 1920


# -- the solvers ----------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["cpsat", "milp"])
@pytest.mark.parametrize(("counts", "expected"), [(False, None), (True, 2)])
def test_backends_agree_when_the_credit_decides_feasibility(
    backend: str, counts: bool, expected: int | None
) -> None:
    # away days 0-3, 3 days left (1440 min): the full 1920 cannot be reached; the lowered
    # 823 needs two shifts (960), each costing 1 -> optimum 2
    problem = _nurse(_away(0, 3, counts=counts), min_minutes=1920)
    if expected is None:
        result = solve(problem, backend=backend, time_limit=5, workers=1)
        assert result.status is SolveStatus.INFEASIBLE
        return
    result, report = solve_verified(problem, backend=backend, time_limit=5)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == report.objective == expected


def test_demo_ward_with_a_week_and_a_half_of_sickness() -> None:
    # N02 (7200 min, no pins) off sick days 0-9: the full minimum cannot be reached in the
    # 18 days left; credited, it is 7200 - floor(7200 * 10 / 28) = 4629
    ward = load_roster(ROOT / "data" / "demo_ward.json")

    def sick(counts: bool) -> RosterProblem:
        leave = Unavailability(
            staff="N02", first_day=0, last_day=9, reason="sick", counts_toward_hours=counts
        )
        return ward.model_copy(update={"unavailability": (*ward.unavailability, leave)})

    assert solve(sick(False), time_limit=5, workers=2).status is SolveStatus.INFEASIBLE
    problem = sick(True)
    assert problem.minimum_minutes("N02") == 4629
    result, report = solve_verified(problem, time_limit=4, workers=2)
    assert result.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)
    assert result.objective == report.objective


# -- explanations ---------------------------------------------------------------------------


def test_kpis_and_diagnosis_show_the_lowered_minimum() -> None:
    # max 1 shift, minimum 1920 - floor(1920 * 2 / 7) = 1372 min (22 h 52 min): infeasible
    problem = _nurse(_away(0, 1), min_minutes=1920, max_shifts=1)
    load = roster_kpis(problem, _worked(4)).staff[0]
    assert (load.min_minutes, load.contract_min_minutes) == (1372, 1920)
    diagnosis = diagnose_roster(problem, 5)
    assert diagnosis.feasible is False
    words = " ".join(c.message for c in diagnosis.conflicts)
    assert "less leave" in words, words


# -- bundles and the dashboard --------------------------------------------------------------


def test_bundle_round_trips_the_flag() -> None:
    problem = _nurse(_away(0, 1), _away(3, 3, counts=False), min_minutes=1920)
    tables = roster_tables(problem)
    assert list(tables["leave"]["counts_toward_hours"]) == ["yes", "no"]
    back = read_bundle("ward.xlsx", tables_to_xlsx(tables))
    assert isinstance(back, RosterProblem)
    assert [u.counts_toward_hours for u in back.unavailability] == [True, False]


def test_bundle_without_the_column_counts_nothing() -> None:
    tables = roster_tables(_nurse(_away(0, 1), min_minutes=1920))
    tables["leave"] = tables["leave"].drop(columns=["counts_toward_hours"])
    back = read_bundle("ward.xlsx", tables_to_xlsx(tables))
    assert isinstance(back, RosterProblem)
    assert [u.counts_toward_hours for u in back.unavailability] == [False]


def test_bundle_bad_flag_names_sheet_row_and_column() -> None:
    tables = roster_tables(_nurse(_away(0, 1), min_minutes=1920))
    leave = tables["leave"]
    leave.loc[leave.index[0], "counts_toward_hours"] = "maybe"
    with pytest.raises(InputError) as info:
        read_bundle("ward.xlsx", tables_to_xlsx(tables))
    message = str(info.value)
    assert "leave" in message and "counts_toward_hours" in message and "'maybe'" in message
    assert message.startswith("ward.xlsx [leave]:2"), message


def test_dashboard_leave_counts_toward_hours() -> None:
    problem = small_ward()
    staff = problem.staff[0].id
    new, _ = whatif.with_leave(
        problem, staff, MONDAY, MONDAY + dt.timedelta(days=1), "sickness"
    )  # the form's reason; credited reasons: optimizer.model.roster.CREDITED_REASONS
    added = new.unavailability[-1]
    assert (added.staff, added.counts_toward_hours) == (staff, True)
