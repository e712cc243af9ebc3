"""Undo / redo of plan changes, stale what-ifs, add-case form messages, seed bounds."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Button, FileUploader

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import HISTORY_LIMIT, Scenario, Workspace, demo_roster
from dashboards.widgets import MAX_SEED, start_solve
from optimizer.io.project import problem_to_json
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem
from tests.verify import solve_verified, verify_result

TIMEOUT = 60


def app_script(page: str) -> None:
    """The sidebar undo / redo (as ``app.py`` draws it) above one page."""
    import importlib

    import streamlit as st

    from dashboards.state import workspace
    from dashboards.widgets import history_controls

    with st.sidebar:
        history_controls(workspace())
    importlib.import_module(f"dashboards.views.{page}").render()


def page_test(page: str, ws: Workspace) -> AppTest:
    at = AppTest.from_function(app_script, kwargs={"page": page}, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    return at.run()


def undo_button(at: AppTest) -> Button:
    button = at.button(key="undo")
    assert isinstance(button, Button)
    return button


def sidebar_texts(at: AppTest) -> list[str]:
    return [s.value for s in at.sidebar.success]


def solved_ward() -> Workspace:
    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    ws.cases.set_problem(small_theatre())
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)
    return ws


def three_day_ward() -> RosterProblem:
    return small_ward(days=3).model_copy(update={"name": "Three-day ward"})


def test_undo_is_disabled_with_nothing_to_undo() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())  # the first problem of a session is not undoable
    at = page_test("roster", ws)
    assert not at.exception
    button = undo_button(at)
    assert button.disabled and button.label == "Undo"
    assert at.button(key="redo").disabled
    ws.undo()
    assert ws.notice == "Nothing to undo." and ws.roster.problem == small_ward()


def test_undo_and_redo_of_applied_table_edits_restore_problem_and_result() -> None:
    ws = solved_ward()
    before, solved = ws.roster.problem, ws.roster.result
    at = page_test("data", ws)
    ws.roster.draft["staff"].loc[1, "max_minutes"] = 2000
    ws.roster.editor_data = {}
    at.run()
    at.button(key="apply_roster").click().run()
    assert not at.exception, at.exception
    edited = ws.roster.problem
    assert edited is not before and edited.staff[0].contract.max_minutes == 2000
    assert ws.roster.result is None
    button = undo_button(at)
    assert not button.disabled and button.label == "Undo: apply the table edits"
    at = button.click().run()
    assert ws.roster.problem is before and ws.roster.result is solved
    assert sidebar_texts(at) == ["Undone: apply the table edits."]
    assert undo_button(at).disabled
    at = at.button(key="redo").click().run()
    assert ws.roster.problem is edited and ws.roster.result is None
    assert sidebar_texts(at) == ["Redone: apply the table edits."]


def test_upload_equivalent_replacement_is_undone_with_its_what_if() -> None:
    ws = solved_ward()
    before, solved = ws.roster.problem, ws.roster.result
    sick, text = whatif.with_leave(before, "N1", dt.date(2026, 12, 7), dt.date(2026, 12, 7), "sick")
    ws.pending["roster"] = (sick, [text])
    ws.roster.set_problem(three_day_ward())  # what the Data page does with an upload
    assert "roster" not in ws.pending  # never applied to the new problem
    at = page_test("changes", ws)
    assert not at.exception
    notes = [i.value for i in at.info]
    assert any("1 what-if change(s)" in n and "no longer apply" in n for n in notes), notes
    assert not any(text in m.value for m in at.markdown)
    at = undo_button(at).click().run()
    assert ws.roster.problem is before and ws.roster.result is solved
    assert ws.pending["roster"] == (sick, [text])  # the what-if came back with its problem
    assert any(text in m.value for m in at.markdown)


def test_load_demo_with_a_file_still_in_the_uploader_is_kept_and_undoable() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = page_test("data", ws)
    uploader = at.get("file_uploader")[0]
    assert isinstance(uploader, FileUploader)
    uploader.upload("ward3.json", problem_to_json(three_day_ward()).encode(), "application/json")
    at.run()
    uploaded = ws.roster.problem
    assert uploaded.name == "Three-day ward"
    at.button(key="load_demo").click().run()
    at.run()  # the uploaded file is still in the uploader: it must not come back
    assert not at.exception, at.exception
    assert ws.roster.problem == demo_roster()
    assert undo_button(at).label == "Undo: load the demo hospital"
    at = undo_button(at).click().run()
    assert ws.roster.problem is uploaded
    assert ws.cases.problem == small_theatre()
    assert sidebar_texts(at) == ["Undone: load the demo hospital."]


def test_adopting_a_scenario_is_undoable_and_stale_scenarios_are_refused() -> None:
    ws = solved_ward()
    base, solved = ws.roster.problem, ws.roster.result
    assert solved is not None
    sick, text = whatif.with_leave(base, "N1", dt.date(2026, 12, 7), dt.date(2026, 12, 8), "sick")
    planned = whatif.baseline_roster(sick, solved)
    replanned, _ = solve_verified(planned, time_limit=5)
    scenario = Scenario("Scenario 1", "roster", [text], base, solved, planned, result=replanned)
    ws.scenarios.append(scenario)
    at = page_test("changes", ws)
    at = at.button(key="adopt_Scenario 1").click().run()
    assert not at.exception, at.exception
    assert ws.roster.problem == planned.model_copy(update={"baseline": None})
    adopted = ws.roster.result
    assert adopted is not None and adopted.roster == replanned.roster
    # The moves from the old plan are no cost once adopted: the checker agrees.
    verify_result(ws.roster.problem, adopted)
    assert "baseline_change" not in adopted.terms
    assert replanned.objective is not None and adopted.objective is not None
    assert adopted.objective == replanned.objective - replanned.terms.get("baseline_change", 0)
    assert any("Scenario 1 is now the current plan" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Adopt")]  # built on the old plan
    assert any("1 scenario(s) built on an earlier" in c.value for c in at.caption)
    at = undo_button(at).click().run()
    assert ws.roster.problem is base and ws.roster.result is solved
    assert sidebar_texts(at) == ["Undone: adopt Scenario 1."]
    assert [b for b in at.button if b.label.startswith("Adopt")]  # valid again
    ws.roster.set_problem(three_day_ward())  # replaced again: adopting is refused
    from dashboards.views.changes import adopt

    adopt(ws, scenario)
    assert ws.roster.problem.name == "Three-day ward"
    assert any("was not adopted" in n for n in ws.notes["roster"])


def test_confirmed_free_text_change_is_undoable() -> None:
    ws = solved_ward()
    at = page_test("changes", ws)
    at.text_area(key="free_text_roster").input("Jo Park is off sick on Tuesday 8 December")
    at.button(key="understand_roster").click().run()
    at.button(key="confirm_roster").click().run()
    assert not at.exception, at.exception
    assert len(ws.pending["roster"][1]) == 1
    assert undo_button(at).label.startswith("Undo: what-if change")
    at = undo_button(at).click().run()
    assert ws.pending["roster"][1] == []
    assert ws.pending["roster"][0] is ws.roster.problem


def test_new_solve_replacing_a_result_is_undoable() -> None:
    ws = solved_ward()
    earlier = ws.roster.result
    at = page_test("roster", ws)
    at.number_input(key="limit_roster").set_value(5)
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    deadline = time.monotonic() + TIMEOUT
    while ws.roster.job is not None and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    at.run()
    latest = ws.roster.result
    assert latest is not None and latest is not earlier
    verify_result(ws.roster.problem, latest)
    assert undo_button(at).label == "Undo: new roster solve"
    at = undo_button(at).click().run()
    assert ws.roster.result is earlier


def test_undo_during_a_solve_stops_it_and_never_attaches_its_result() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    before = ws.roster.problem
    ws.roster.set_problem(demo_roster())
    at = page_test("roster", ws)
    at.number_input(key="limit_roster").set_value(60)
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    job = ws.roster.job
    assert job is not None
    at = undo_button(at).click().run()
    assert ws.roster.problem is before and ws.roster.job is None
    assert "The running roster solve was stopped." in sidebar_texts(at)[0]
    assert job.wait(30)
    at.run()
    assert ws.roster.result is None and ws.roster.problem is before


def test_history_is_bounded() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    for days in range(2, HISTORY_LIMIT + 6):
        ws.roster.set_problem(small_ward(days=days))
    assert len(ws.history.undo_steps) == HISTORY_LIMIT


@pytest.mark.parametrize(
    ("case_id", "team", "expected"),
    [
        ("", "anaesthetist=1", "field 'Case id': a case id is required"),
        ("bad id!*", "anaesthetist=1", "field 'Case id': id 'bad id!*' may only contain"),
        ("X9", "=2", "field 'Team': entry '=2' must be role=count"),
        ("X9", "scrub=²", "field 'Team': entry 'scrub=²' must be role=count"),
    ],
)
def test_add_case_form_shows_one_plain_message(case_id: str, team: str, expected: str) -> None:
    ws = Workspace()
    problem = small_theatre()
    ws.cases.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.cases.set_result(result)
    at = page_test("changes", ws)
    at.radio[0].set_value("Case schedule").run()
    at.text_input[0].input(case_id)  # "Case id"
    next(t for t in at.text_input if t.label.startswith("Team")).input(team)
    next(b for b in at.button if b.label == "Add case").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(expected), errors
    assert "pydantic" not in errors[0] and "invalid literal" not in errors[0]
    assert "cases" not in ws.pending or ws.pending["cases"][1] == []


@pytest.mark.parametrize(("page", "kind"), [("roster", "roster"), ("cases", "cases")])
def test_seed_input_is_bounded(page: str, kind: str) -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = page_test(page, ws)
    seed = at.number_input(key=f"seed_{kind}")
    assert (seed.min, seed.max) == (0, 2**31 - 1) == (0, MAX_SEED)
    family = ws.family(kind)
    start_solve(family, 5.0, 1, 2**31)
    assert family.job is None
    assert family.message == "field 'Seed': must be a whole number from 0 to 2147483647"


def _replan_button(at: AppTest) -> Button:
    (button,) = [b for b in at.button if b.label == "Re-plan with minimal disruption"]
    return button


def test_undoing_a_replan_takes_its_scenario_away_and_redo_brings_it_back() -> None:
    ws = solved_ward()
    sick, text = whatif.with_leave(
        ws.roster.problem, "N1", dt.date(2026, 12, 7), dt.date(2026, 12, 7), "sick"
    )
    ws.pending["roster"] = (sick, [text])
    at = page_test("changes", ws)
    at = _replan_button(at).click().run()
    assert not at.exception, at.exception
    (scenario,) = ws.scenarios
    assert scenario.name == "Scenario 1" and scenario.job is not None
    job = scenario.job
    at = undo_button(at).click().run()  # while it solves: stopped, gone, changes back
    assert ws.scenarios == [] and scenario.job is None and "stopped by Undo" in scenario.error
    assert ws.pending["roster"] == (sick, [text])
    assert job.wait(30)
    at = at.button(key="redo").click().run()
    assert ws.scenarios == [scenario] and not ws.pending.get("roster", (None, []))[1]
    # A new re-plan never reuses a name, even after scenarios were taken away.
    ws.pending["roster"] = (sick, [text])
    at = _replan_button(at.run()).click().run()
    assert [s.name for s in ws.scenarios] == ["Scenario 1", "Scenario 2"]
    second = ws.scenarios[1]
    assert second.job is not None and second.job.wait(60)
    at.run()
    assert second.result is not None
    verify_result(second.problem, second.result)


def test_scenarios_no_undo_can_reach_are_dropped_and_stopped() -> None:
    ws = solved_ward()
    first = ws.roster.problem
    ws.roster.set_problem(three_day_ward())
    replaced = ws.roster.problem
    planned = whatif.baseline_roster(replaced, ws.roster.result or _solved(replaced))
    scenario = Scenario(
        ws.next_scenario_name(), "roster", ["x"], replaced, _solved(replaced), planned
    )
    ws.scenarios.append(scenario)
    ws.undo()  # back to the first problem: the scenario is hidden, its base in Redo
    assert ws.roster.problem is first and ws.stale_scenarios("roster") == [scenario]
    ws.roster.set_problem(small_ward(days=4))  # a new action clears Redo
    assert scenario not in ws.scenarios


def _solved(problem: RosterProblem) -> Result:
    result, _ = solve_verified(problem, time_limit=5)
    return result
