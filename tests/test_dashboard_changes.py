"""Changes / what-if page: change, re-plan with minimal disruption, KPI delta, changed list."""

from __future__ import annotations

import datetime as dt
import time

from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import Scenario, Workspace
from tests.verify import solve_verified

TIMEOUT = 60


def page_script() -> None:
    from dashboards.views import changes

    changes.render()


def solved_workspace() -> Workspace:
    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)
    return ws


def wait_for_scenarios(at: AppTest, ws: Workspace) -> AppTest:
    deadline = time.monotonic() + TIMEOUT
    while any(s.job is not None for s in ws.scenarios) and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert all(s.job is None for s in ws.scenarios), "the re-plan did not finish in time"
    return at.run()


def test_unsolved_plan_asks_to_solve_first() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception
    assert any("Solve this plan first" in i.value for i in at.info)


def test_sickness_replans_with_minimal_disruption_and_lists_changes() -> None:
    ws = solved_workspace()
    base = ws.roster.result
    assert base is not None and base.roster is not None
    # someone who works on day 0 goes off sick on day 0
    sick = next(a.staff for a in base.roster.assignments if a.day == 0)
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    at.selectbox[0].set_value(sick)
    at.date_input[0].set_value(dt.date(2026, 12, 7))
    at.date_input[1].set_value(dt.date(2026, 12, 7))
    at.button[0].click().run()  # "Add leave" (the first form's submit button)
    assert not at.exception, at.exception
    problem, changes = ws.pending["roster"]
    assert len(changes) == 1 and "sickness" in changes[0]
    assert problem.unavailable(sick, 0, "E")
    at.number_input(key="scenario_limit").set_value(5)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    at = wait_for_scenarios(at, ws)
    assert not at.exception, at.exception
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.roster is not None
    # exact changed assignments: the sick person no longer works day 0
    moved = whatif.roster_changes(scenario.problem, base, scenario.result)
    row = moved[
        (moved["Who"] == scenario.problem.person(sick).label) & (moved["Date"] == "Mon 07 Dec")
    ]
    assert list(row["After"]) == ["off"]
    frames = [f.value for f in at.dataframe]
    kpis = next(f for f in frames if "Measure" in f.columns)
    assert {"Baseline", "Scenario", "Δ"} <= set(kpis.columns)
    assert "Coverage met %" in set(kpis["Measure"])
    changed = next(f for f in frames if "Before" in f.columns)
    assert len(changed) == len(moved) >= 1
    assert any(f"{len(moved)} changed assignments" in m.value for m in at.markdown)


def test_closed_room_and_added_case_change_the_case_problem() -> None:
    problem = small_theatre()
    closed, text = whatif.with_closed_room(problem, "OR2", dt.date(2026, 12, 7))
    assert "closed" in text
    assert [(o.start, o.end) for o in closed.room("OR2").openings] == [(0, 1)]
    added, text = whatif.with_added_case(
        closed, "X1", "Appendicectomy", 60, "S1", {"anaesthetist": 1}, dt.date(2026, 12, 7), 3
    )
    assert added.task("X1").release == 0 and added.task("X1").due == 24 * 60
    assert "X1" in text


def test_free_text_is_shown_as_a_proposal_and_applied_only_on_confirmation() -> None:
    ws = solved_workspace()
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    at.text_area(key="free_text_roster").input("Jo Park is off sick on Tuesday 8 December")
    at.button(key="understand_roster").click().run()
    assert not at.exception
    assert any("Jo Park" in i.value and "8 Dec" in i.value for i in at.info)
    assert ws.pending["roster"][1] == []  # nothing changed before confirmation
    at.button(key="confirm_roster").click().run()
    problem, changes = ws.pending["roster"]
    assert len(changes) == 1
    assert problem.unavailable("N2", 1, "E") and not problem.unavailable("N2", 0, "E")


def test_closed_room_scenario_replans_the_cases_and_lists_moved_cases() -> None:
    ws = Workspace()
    problem = small_theatre()
    ws.cases.set_problem(problem)
    base, _ = solve_verified(problem, time_limit=5)
    assert base.schedule is not None
    ws.cases.set_result(base)
    closed, text = whatif.with_closed_room(problem, "OR2", None)
    ws.pending["cases"] = (closed, [text])
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    at.radio[0].set_value("Case schedule").run()
    at.number_input(key="scenario_limit").set_value(5)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    at = wait_for_scenarios(at, ws)
    assert not at.exception, at.exception
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.schedule is not None
    assert all(t.room != "OR2" for t in scenario.result.schedule.tasks)
    moved = whatif.case_changes(scenario.problem, base, scenario.result)
    was_in_or2 = {t.task for t in base.schedule.tasks if t.room == "OR2"}
    assert was_in_or2 <= set(moved["Case"])
    kpis = next(f.value for f in at.dataframe if "Measure" in f.value.columns)
    assert "Cases scheduled" in set(kpis["Measure"])


def test_scenarios_are_compared_side_by_side() -> None:
    ws = solved_workspace()
    base = ws.roster.result
    assert base is not None
    problem = ws.roster.problem
    sick, _ = whatif.with_leave(problem, "N1", dt.date(2026, 12, 7), dt.date(2026, 12, 8), "sick")
    extra, _ = whatif.with_extra_demand(
        problem, dt.date(2026, 12, 9), dt.date(2026, 12, 9), "E", None, 1
    )
    for name, changed in (("Scenario 1", sick), ("Scenario 2", extra)):
        planned = whatif.baseline_roster(changed, base)
        result, _ = solve_verified(planned, time_limit=5)
        ws.scenarios.append(Scenario(name, "roster", [name], problem, base, planned, result=result))
    table = whatif.compare(ws.scenarios)
    assert list(table["Scenario"]) == ["Scenario 1", "Scenario 2"]
    # the baseline of each scenario's KPI table: the published roster under its changes
    baselines = [whatif.published_under_changes(s.problem, base).objective for s in ws.scenarios]
    assert list(table[whatif.BASELINE_PENALTY]) == baselines
    assert list(table[whatif.PENALTY]) == [s.result.objective for s in ws.scenarios if s.result]
    # every shift Ana Silva (N1) worked on her two sick days must have changed
    assert base.roster is not None
    worked = sum(1 for a in base.roster.assignments if a.staff == "N1" and a.day in (0, 1))
    assert int(table["Changed"][0]) >= worked
