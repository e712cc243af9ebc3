"""Infeasibility diagnosis on planted conflicts: the irreducible set and the relaxations.

Each instance plants one conflict among three nurses over the week of Mon 14 Dec 2026;
the expected conflicting set is derived in the comment.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from optimizer import solve
from optimizer.explain.diagnosis import diagnose_roster
from optimizer.model.result import SolveStatus
from optimizer.model.roster import (
    Contract,
    CoverDemand,
    Pin,
    RosterProblem,
    ShiftType,
    Staff,
    Unavailability,
)
from optimizer.solvers.cpsat.diagnose import find_core, is_feasible
from tests.test_roster_milp import _rich_random_problem
from tests.verify import solve_verified

ROOT = Path(__file__).resolve().parents[1]
MONDAY = dt.date(2026, 12, 14)


def _problem(**extra: Any) -> RosterProblem:
    """Jo Park and Sam Lee hold ICU (Sam: at most 3 days in a row); Ana Silva does not."""
    fields: dict[str, Any] = {
        "start_date": MONDAY,
        "num_days": 7,
        "shifts": (
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(
                id="N", name="Night", start="21:00", length_minutes=600, forbidden_next=("E",)
            ),
        ),
        "staff": (
            Staff(id="jo", name="Jo Park", skills=("ICU",)),
            Staff(
                id="sam", name="Sam Lee", skills=("ICU",), contract=Contract(max_consecutive_work=3)
            ),
            Staff(id="ana", name="Ana Silva"),
        ),
    }
    fields.update(extra)
    return RosterProblem(**fields)


def _pins_break_succession() -> RosterProblem:
    # Night Mon then Early Tue is forbidden; Sam is pinned to both → {pin, pin, succession}
    return _problem(pins=(Pin(staff="sam", day=0, shift="N"), Pin(staff="sam", day=1, shift="E")))


def _min_minutes_vs_leave() -> RosterProblem:
    # Jo must work 32 h (1920 min) but is on leave Mon–Thu: 3 days x 600 min = 1800 < 1920.
    # Every leave day is needed (with 4 free days, 4 Nights = 2400 suffice)
    # → {min_minutes, leave Mon–Thu}; totals are multiples of gcd(480, 600) = 120 min, and
    # 30 h (1800 = 3 Nights) is the mildest minimum that can be met
    return _problem(
        staff=(Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=1920)),),
        unavailability=(Unavailability(staff="jo", first_day=0, last_day=3),),
    )


def _cover_vs_leave() -> RosterProblem:
    # Night Tue needs 2 ICU (hard); Jo (ICU) is on leave Tue → {min_cover Tue, Jo's leave Tue}
    return _problem(
        cover=(CoverDemand(day=1, shift="N", skill="ICU", required=2, min_required=2),),
        unavailability=(Unavailability(staff="jo", first_day=0, last_day=2),),
    )


def _max_consecutive_vs_pins() -> RosterProblem:
    # Sam is pinned to Early Mon–Thu but may work at most 3 days in a row
    return _problem(pins=tuple(Pin(staff="sam", day=d, shift="E") for d in range(4)))


def _nights_vs_contract() -> RosterProblem:
    # one ICU nurse (Sam, max 3 in a row) must cover every Night while Jo is away all week:
    # 4 Nights in a row already break it → Nights Mon–Thu, Sam's limit, Jo's leave Mon–Thu
    return _problem(
        cover=tuple(
            CoverDemand(day=d, shift="N", skill="ICU", required=1, min_required=1) for d in range(7)
        ),
        unavailability=(Unavailability(staff="jo", first_day=0, last_day=6),),
    )


PLANTED = {
    "pins_break_succession": _pins_break_succession,
    "min_minutes_vs_leave": _min_minutes_vs_leave,
    "cover_vs_leave": _cover_vs_leave,
    "max_consecutive_vs_pins": _max_consecutive_vs_pins,
    "nights_vs_contract": _nights_vs_contract,
}


def _rules(problem: RosterProblem) -> list[tuple[str, str | None, tuple[int, ...]]]:
    return sorted((c.rule, c.staff, c.days) for c in diagnose_roster(problem, 20).conflicts)


# -- the conflicting set -------------------------------------------------------------------


def test_pins_that_break_a_forbidden_succession() -> None:
    diagnosis = diagnose_roster(_pins_break_succession(), 20)
    assert diagnosis.feasible is False and diagnosis.minimal
    assert sorted((c.rule, c.days) for c in diagnosis.conflicts) == [
        ("pin", (0,)),
        ("pin", (1,)),
        ("succession", (0, 1)),
    ]
    assert diagnosis.relaxations[0] == "unpin Sam Lee on Mon 14 Dec (Night)"
    assert (
        "waive the forbidden succession once for Sam Lee: Early on Tue 15 Dec after Night "
        "on Mon 14 Dec" in diagnosis.relaxations
    )


def test_min_minutes_unreachable_because_of_leave() -> None:
    diagnosis = diagnose_roster(_min_minutes_vs_leave(), 20)
    assert _rules(_min_minutes_vs_leave()) == [
        ("min_minutes", "jo", ()),
        ("unavailable", "jo", (0, 1, 2, 3)),
    ]
    assert diagnosis.relaxations[0] == "lower Jo Park's minimum hours from 32 h to 30 h"
    assert diagnosis.summary.startswith(
        "Jo Park must work at least 32 h because Jo Park is unavailable (leave) on 14–17 Dec"
    )
    # the proposed relaxation really restores feasibility
    relaxed = _min_minutes_vs_leave().model_copy(
        update={"staff": (Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=1800)),)}
    )
    solve_verified(relaxed, backend="milp", time_limit=10)


def test_hard_cover_minimum_with_too_few_qualified_staff() -> None:
    diagnosis = diagnose_roster(_cover_vs_leave(), 20)
    assert sorted((c.rule, c.staff, c.days) for c in diagnosis.conflicts) == [
        ("min_cover", None, (1,)),
        ("unavailable", "jo", (1,)),
    ]
    assert diagnosis.summary.startswith(
        "Night shift Tue 15 Dec needs at least 2 ICU-skilled staff (hard minimum); "
        "only 1 is available because Jo Park is unavailable (leave) on Tue 15 Dec: "
        "allow agency cover: 1 ICU-skilled nurse"
    )
    assert diagnosis.relaxations[-1] == "ask Jo Park to move the leave on Tue 15 Dec"


def test_a_sickness_is_never_offered_as_something_to_move() -> None:
    sick = _cover_vs_leave().model_copy(
        update={
            "unavailability": (
                Unavailability(staff="jo", first_day=0, last_day=2, reason="sickness"),
            )
        }
    )
    diagnosis = diagnose_roster(sick, 20)
    assert ("unavailable", "jo", (1,)) in [(c.rule, c.staff, c.days) for c in diagnosis.conflicts]
    assert "because Jo Park is unavailable (sickness)" in diagnosis.summary
    assert diagnosis.relaxations
    assert not [r for r in diagnosis.relaxations if "sickness" in r or "move the" in r]


def test_max_consecutive_days_against_pins() -> None:
    diagnosis = diagnose_roster(_max_consecutive_vs_pins(), 20)
    assert sorted((c.rule, c.days) for c in diagnosis.conflicts) == [
        ("max_consecutive_work", ()),
        ("pin", (0, 1, 2, 3)),
    ]
    assert diagnosis.relaxations[0] == "relax Sam Lee's max consecutive working days from 3 to 4"
    assert "Sam Lee is pinned to Early on 14–17 Dec" in diagnosis.messages()[0]


def test_nights_need_agency_cover_or_a_longer_run() -> None:
    diagnosis = diagnose_roster(_nights_vs_contract(), 20)
    rules = sorted({c.rule for c in diagnosis.conflicts})
    assert rules == ["max_consecutive_work", "min_cover", "unavailable"]
    nights = next(c for c in diagnosis.conflicts if c.rule == "min_cover")
    assert len(nights.days) == 4  # any 4 Nights in a row
    # agency cover for one Night breaks the run (Sam works 3, off 1, works 3)
    assert diagnosis.relaxations[0].startswith("allow agency cover: 1 ICU-skilled nurse")
    assert any(
        r.startswith("relax Sam Lee's max consecutive working days from 3 to 7 (less is not")
        for r in diagnosis.relaxations
    )


def _sam(**contract: Any) -> tuple[Staff, ...]:
    return (Staff(id="sam", name="Sam Lee", skills=("ICU",), contract=Contract(**contract)),)


def _pins(*days: tuple[int, str | None]) -> tuple[Pin, ...]:
    return tuple(Pin(staff="sam", day=d, shift=s) for d, s in days)


CONTRACT_CASES: dict[str, tuple[dict[str, Any], tuple[Pin, ...], str]] = {
    # pins force Sam beyond one contract limit; the mildest loosening is offered first
    "max_shifts_per_type": (
        {"max_shifts_per_type": {"N": 2}},
        _pins((0, "N"), (2, "N"), (4, "N")),
        "allow Sam Lee up to 3 Night shifts (now 2)",
    ),
    "max_shifts": (
        {"max_shifts": 2},
        _pins((0, "E"), (2, "E"), (4, "E")),
        "allow Sam Lee up to 3 shifts (now 2)",
    ),
    # three Earlies = 1440 min = 24 h, the next multiple of 120 min above 1000
    "max_minutes": (
        {"max_minutes": 1000},
        _pins((0, "E"), (2, "E"), (4, "E")),
        "raise Sam Lee's maximum hours from 16 h 40 min to 24 h",
    ),
    # a lone Early on Wed between pinned days off is a 1-day run
    "min_consecutive_work": (
        {"min_consecutive_work": 3},
        _pins((1, None), (2, "E"), (3, None)),
        "relax Sam Lee's min consecutive working days from 3 to 1",
    ),
    "min_consecutive_off": (
        {"min_consecutive_off": 2},
        _pins((1, "E"), (2, None), (3, "E")),
        "relax Sam Lee's min consecutive days off from 2 to 1",
    ),
    # day 5 is Saturday 19 Dec
    "max_weekends": (
        {"max_weekends": 0},
        _pins(
            (5, "E"),
        ),
        "allow Sam Lee 1 working weekend (now 0)",
    ),
}


@pytest.mark.parametrize("rule", sorted(CONTRACT_CASES))
def test_contract_limit_against_pins(rule: str) -> None:
    contract, pins, relaxation = CONTRACT_CASES[rule]
    diagnosis = diagnose_roster(_problem(staff=_sam(**contract), pins=pins), 20)
    assert diagnosis.feasible is False and diagnosis.minimal
    assert {c.rule for c in diagnosis.conflicts} == {rule, "pin"}
    assert diagnosis.relaxations[0] == relaxation
    assert any(r.startswith("unpin Sam Lee on ") for r in diagnosis.relaxations)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_conflicting_set_is_irreducible(name: str) -> None:
    problem = PLANTED[name]()
    found = find_core(problem, 20)
    assert found.feasible is False and found.minimal and found.core
    assert is_feasible(problem, only=found.core) is False
    for member in found.core:
        rest = [m for m in found.core if m != member]
        assert is_feasible(problem, only=rest) is True, f"{member} is not needed"


@pytest.mark.parametrize("seed", [43, 47, 49])
def test_random_infeasible_rosters_get_an_irreducible_set_and_a_fix(seed: int) -> None:
    # random instances with every rule (see test_roster_milp) that both backends prove
    # infeasible: the set is irreducible and at least one relaxation is offered
    problem = _rich_random_problem(seed)
    found = find_core(problem, 20)
    assert found.feasible is False and found.minimal
    for member in found.core:
        assert is_feasible(problem, only=[m for m in found.core if m != member]) is True
    diagnosis = diagnose_roster(problem, 20)
    assert diagnosis.conflicts and diagnosis.relaxations
    assert any(diagnosis.summary.startswith(c.message) for c in diagnosis.conflicts)


@pytest.mark.parametrize("name", sorted(PLANTED))
@pytest.mark.parametrize("backend", ["cpsat", "milp"])
def test_solve_reports_infeasible_quickly(name: str, backend: str) -> None:
    result = solve(PLANTED[name](), backend=backend, time_limit=10, workers=1, seed=0)
    assert result.status is SolveStatus.INFEASIBLE
    assert result.roster is None


def test_feasible_problem_has_nothing_to_diagnose() -> None:
    diagnosis = diagnose_roster(_problem(), 10)
    assert diagnosis.feasible is True
    assert diagnosis.conflicts == [] and diagnosis.relaxations == []
    assert diagnosis.messages() == ["The hard rules can all hold together."]


def test_two_independent_conflicts_are_diagnosed_one_at_a_time() -> None:
    # the cover conflict plus a pin conflict: no single change fixes both, so the options
    # fix the named conflict and say that others remain
    problem = _cover_vs_leave().model_copy(update={"pins": _pins_break_succession().pins})
    diagnosis = diagnose_roster(problem, 20)
    assert diagnosis.feasible is False and diagnosis.relaxations
    assert all(
        r.endswith("(other conflicts remain; diagnose again after)") for r in diagnosis.relaxations
    )


def test_cli_prints_the_diagnosis_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "ward.json"
    path.write_text(_cover_vs_leave().model_dump_json(), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "optimizer.cli", "solve", str(path), "--time-limit", "10"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "200"},
        timeout=120,
    )
    assert run.returncode == 1
    assert "only 1 is available because Jo Park is unavailable" in run.stdout
    assert "status=INFEASIBLE" in run.stdout.splitlines()[-1]
    assert "Traceback" not in run.stdout + run.stderr


def test_hours_no_mix_of_shifts_can_reach_are_explained() -> None:
    # Early 8 h, Night 10 h: 33 h 20 min exactly is no sum of them.
    contract = Contract(min_minutes=2000, max_minutes=2000)
    problem = _problem(staff=(Staff(id="jo", name="Jo Park", contract=contract),))
    diagnosis = diagnose_roster(problem, 20)
    assert _rules(problem) == [("max_minutes", "jo", ()), ("min_minutes", "jo", ())]
    assert "(no mix of Jo Park's 8 h and 10 h shifts adds up to 33 h 20 min)" in diagnosis.summary
    assert "raise Jo Park's maximum hours from 33 h 20 min to 34 h" in diagnosis.relaxations
