"""Roster page: background solve with live progress, grid, KPIs, penalty list, diagnosis."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from dashboards.samples import small_ward
from dashboards.state import Workspace
from optimizer.check import check
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import RosterProblem

TIMEOUT = 60


def page_script(page: str) -> None:
    """The AppTest script: render one page over the session's workspace."""
    import importlib

    importlib.import_module(f"dashboards.views.{page}").render()


def page_test(page: str, ws: Workspace) -> AppTest:
    at = AppTest.from_function(page_script, kwargs={"page": page}, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    return at.run()


def wait_for_solve(at: AppTest, ws: Workspace, kind: str = "roster") -> AppTest:
    """Re-run the page (as the live fragment does) until the background solve ends."""
    deadline = time.monotonic() + TIMEOUT
    family = ws.family(kind)
    while family.job is not None and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert family.job is None, "the background solve did not finish in time"
    return at.run()


def small_workspace() -> Workspace:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    return ws


def test_roster_page_solves_in_background_and_shows_grid_kpis_penalties() -> None:
    ws = small_workspace()
    at = page_test("roster", ws)
    assert not at.exception
    assert any("Not solved yet" in i.value for i in at.info)
    at.number_input(key="limit_roster").set_value(5)
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    assert ws.roster.job is not None  # solving in the background, the page is back at once
    at = wait_for_solve(at, ws)
    assert not at.exception, at.exception
    result = ws.roster.result
    assert result is not None and result.status is SolveStatus.OPTIMAL
    # the page shows what the independent checker recomputes
    report = check(ws.roster.problem, result)
    assert report.feasible and report.objective == result.objective == 400
    labels = {m.label: m.value for m in at.metric}
    assert labels["Coverage met"].endswith("%")
    assert labels["Penalty"] == "400"
    charts = at.get("plotly_chart")
    assert len(charts) >= 3  # grid, coverage heatmap, hours vs contract
    assert any("Penalty list" in s.value for s in at.subheader)
    penalties = at.dataframe[0].value
    assert int(penalties["Cost"].sum()) == 400
    assert set(penalties["Rule"]) == {"Understaffed shifts"}


def test_cancel_stops_the_solver_process() -> None:
    ws = Workspace()
    from optimizer.demo.ward import generate_ward

    ws.roster.set_problem(generate_ward())
    at = page_test("roster", ws)
    at.number_input(key="limit_roster").set_value(120)
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    job = ws.roster.job
    assert job is not None
    at = at.button(key="cancel_roster").click().run()
    assert job.wait(15), "the solver kept running after cancel"
    at = wait_for_solve(at, ws)
    assert not at.exception
    assert job.snapshot().cancelled
    assert job.snapshot().seconds < 60  # far below the 120 s limit
    assert ws.roster.message  # the page says what happened


def infeasible_ward() -> RosterProblem:
    """Three days; a hard floor of 3 RNs on Monday's early shift, but only 2 RNs exist."""
    problem = small_ward(days=3)
    cover = tuple(
        c.model_copy(update={"min_required": 3, "required": 3})
        if (c.day, c.shift, c.skill) == (0, "E", "RN")
        else c
        for c in problem.cover
    )
    return problem.model_copy(update={"cover": cover})


def test_infeasible_solve_runs_the_diagnosis_in_the_background() -> None:
    ws = Workspace()
    ws.roster.set_problem(infeasible_ward())
    at = page_test("roster", ws)
    at.number_input(key="limit_roster").set_value(5)
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    at = wait_for_solve(at, ws)
    assert not at.exception, at.exception
    assert ws.roster.result is not None and ws.roster.result.status is SolveStatus.INFEASIBLE
    assert isinstance(ws.roster.diagnosis, dict) and ws.roster.diagnosis["conflicts"]
    assert any("No roster satisfies every hard rule" in e.value for e in at.error)
    text = " ".join(m.value for m in at.markdown)
    assert "Mon 7 Dec" in text or "07 Dec" in text or "day 0" in text, text


def test_infeasible_roster_shows_diagnosis() -> None:
    ws = Workspace()
    ws.roster.set_problem(infeasible_ward())
    ws.roster.set_result(
        Result(status=SolveStatus.INFEASIBLE),
        {"summary": "Early Mon 7 Dec needs 3 RNs; only 2 exist", "relaxations": ["hire agency"]},
    )
    at = page_test("roster", ws)
    assert not at.exception
    assert any("No roster satisfies every hard rule" in e.value for e in at.error)
    text = " ".join(m.value for m in at.markdown)
    assert "only 2 exist" in text and "hire agency" in text
