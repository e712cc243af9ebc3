"""Roster re-plan on the Changes page: the published days it keeps never cost the roster.

The re-plan keeps the days before ``first changed day - rule_reach`` as published. A
horizon-wide total (here ``max_shifts``) reaches back further: Ann (at most 3 shifts)
works days 0-2 as published, and the change pins her to day 8. Keeping days 0-6 as
published is then infeasible; the page re-plans without them and says which earlier day
moved and why (P-ROSTER probe, defect 1).
"""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.state import Workspace
from optimizer.explain.diagnosis import diagnose_roster
from optimizer.model.result import SolveStatus
from optimizer.model.roster import Pin, RosterProblem
from tests.verify import solve_verified, verify_result

TIMEOUT = 60
CHANGE = "Ann: works Day on Tue 10 Mar"


def ward(max_shifts: int = 3, idle_cost: int = 0) -> RosterProblem:
    """One nurse, ten days from Mon 2 Mar 2026, a Day shift to cover on days 0-2; a Day
    shift on days 3-9 costs ``idle_cost`` (over cover)."""
    idle = [{"day": d, "shift": "D", "required": 0, "over_weight": idle_cost} for d in range(3, 10)]
    return RosterProblem.model_validate(
        {
            "start_date": "2026-03-02",
            "num_days": 10,
            "shifts": [{"id": "D", "name": "Day", "start": "08:00", "length_minutes": 480}],
            "staff": [{"id": "ann", "name": "Ann", "contract": {"max_shifts": max_shifts}}],
            "cover": [{"day": d, "shift": "D", "required": 1} for d in range(3)] + idle,
        }
    )


def pinned_on_day_8(problem: RosterProblem) -> RosterProblem:
    """The planner's change: Ann works the Day shift on day 8 (Tue 10 Mar)."""
    update = {"pins": (Pin(staff="ann", day=8, shift="D"),)}
    return RosterProblem.model_validate(problem.model_copy(update=update).model_dump())


def page_script() -> None:
    from dashboards.views import changes

    changes.render()


def replanned(base: RosterProblem) -> tuple[Workspace, AppTest]:
    """Solve ``base``, build the change, press Re-plan (5 s) and wait for the scenario."""
    ws = Workspace()
    ws.roster.set_problem(base)
    published, _ = solve_verified(base, time_limit=5)
    # published optimum 0: Ann covers days 0-2, the only days with demand
    assert published.roster is not None
    worked = [(a.day, a.shift) for a in published.roster.assignments]
    assert worked == [(0, "D"), (1, "D"), (2, "D")]
    ws.roster.set_result(published)
    ws.pending["roster"] = (pinned_on_day_8(base), [CHANGE])
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    at.number_input(key="scenario_limit").set_value(5)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + TIMEOUT
    while any(s.job is not None for s in ws.scenarios) and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert all(s.job is None for s in ws.scenarios), "the re-plan did not finish in time"
    return ws, at.run()


def test_a_total_that_reaches_back_moves_an_earlier_day_instead_of_losing_the_roster() -> None:
    ws, at = replanned(ward(max_shifts=3))
    scenario = ws.scenarios[0]
    assert not scenario.infeasible and scenario.diagnosis is None
    result = scenario.result
    assert result is not None and result.roster is not None
    # the optimum 120 of the probe: one of days 0-2 off (its Day shift 100 short) plus two
    # changed staff-days (that day and day 8) at the default change weight 10
    assert result.status is SolveStatus.OPTIMAL and result.objective == 120
    verify_result(scenario.problem, result)
    assert scenario.problem.pins == (Pin(staff="ann", day=8, shift="D"),)  # no kept days
    assert scenario.adopt is None
    worked = sorted(a.day for a in result.roster.assignments)
    assert len(worked) == 3 and 8 in worked
    dropped = ({0, 1, 2} - set(worked)).pop()
    day = scenario.problem.date_of(dropped).strftime("%a %d %b")
    note = (
        "Keeping Mon 02 Mar – Sun 08 Mar as published with these changes breaks a hard rule "
        f"(Ann works 4 shifts; the contract allows 3), so the re-plan also changes Ann on {day}."
    )
    assert scenario.notes == [note]
    assert note in [c.value for c in at.caption]


def test_a_change_that_fits_the_kept_days_keeps_them_exactly() -> None:
    ws, at = replanned(ward(max_shifts=4, idle_cost=1))
    scenario = ws.scenarios[0]
    result = scenario.result
    assert result is not None and result.roster is not None
    # Ann may now work 4 shifts: the optimum keeps days 0-2 and adds day 8, one change
    # (10) and one Day shift over cover (1)
    assert result.status is SolveStatus.OPTIMAL and result.objective == 11
    verify_result(scenario.problem, result)
    assert scenario.adopt is not None  # still the re-plan with the kept days
    kept = [a for a in result.roster.assignments if a.day < 7]
    assert [(a.day, a.shift) for a in kept] == [(0, "D"), (1, "D"), (2, "D")]
    assert len(scenario.problem.pins) == 1 + 7  # the change and days 0-6 kept
    note = (
        "Days before Mon 09 Mar keep the published roster (the changes start on Tue 10 Mar; "
        "the days between stay free for the rest and run rules)."
    )
    assert scenario.notes == [note]
    assert note in [c.value for c in at.caption]


def test_kept_published_until_counts_back_from_the_first_change() -> None:
    base = ward()
    # no run or rest rule: reach 1, so days 0-6 are kept for a change on day 8
    assert whatif.kept_published_until(base, pinned_on_day_8(base)) == 7
    assert whatif.kept_published_until(base, base) == 0


def test_the_diagnosis_says_kept_as_published_not_pinned_for_the_kept_days() -> None:
    base = ward(max_shifts=3)
    published, _ = solve_verified(base, time_limit=5)
    changed = pinned_on_day_8(base)
    planned = whatif.baseline_roster(changed, published)
    frozen = whatif.keep_published_before(planned, published, 7)
    diagnosis = diagnose_roster(frozen, 5.0, workers=1, seed=0, proven_infeasible=True)
    summary = diagnosis.summary
    # before: "because Ann is pinned to Day on 2–4 Mar, Tue 10 Mar: allow Ann up to 4
    # shifts (now 3), or unpin Ann on Mon 2 Mar (Day)"
    assert "Ann keeps Day on 2–4 Mar as published" in summary
    assert "Ann is pinned to Day on Tue 10 Mar" in summary  # the planner's own pin
    assert "release Ann from the published Day on" in summary
    assert "unpin Ann on Mon 02 Mar" not in summary and "2–4 Mar, Tue 10 Mar" not in summary
