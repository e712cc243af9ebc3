"""Dashboard state across pages: finished solves collected everywhere, settings kept,
the penalty filter per result, honest status lines and the cancelled diagnosis."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import solver_child, whatif
from dashboards.jobs import Snapshot
from dashboards.samples import small_theatre, small_ward
from dashboards.solver_child import DIAGNOSIS_CANCELLED
from dashboards.state import Workspace, demo_roster
from dashboards.widgets import _progress_text
from optimizer.model.result import ProgressPoint, Result, SolveStatus
from optimizer.model.roster import RosterProblem, ShiftRequest
from tests.test_dashboard_roster import infeasible_ward, page_test
from tests.verify import solve_verified, verify_result

APP = Path(__file__).resolve().parents[1] / "dashboards" / "app.py"
TIMEOUT = 60


def app_test(ws: Workspace) -> AppTest:
    """The whole app (``app.py`` runs on every run, as in the browser) over ``ws``."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    return at.run()


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, (page, at.exception)
    return at


def texts(at: AppTest) -> str:
    kinds = ("info", "warning", "error", "caption")
    parts = [getattr(e, "value", "") for kind in kinds for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def start_solve(at: AppTest, limit: int) -> AppTest:
    at.number_input(key="limit_roster").set_value(limit)
    at.number_input(key="workers_roster").set_value(1)
    return at.button(key="solve_roster").click().run()


def ward_with_requests() -> RosterProblem:
    """The small ward plus early-shift wishes Sam Lee cannot all get: two penalty rules."""
    problem = small_ward()
    wishes = tuple(ShiftRequest(staff="N3", day=d, shift="E", want=True) for d in range(7))
    return problem.model_copy(update={"requests": problem.requests + wishes})


def test_a_solve_that_ends_on_another_page_is_collected_there() -> None:
    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    earlier, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(earlier)
    at = go(app_test(ws), "roster")
    at = start_solve(at, 5)
    job = ws.roster.job
    assert job is not None
    assert job.wait(TIMEOUT)  # ends while the planner is elsewhere
    at = go(at, "export")
    latest = job.snapshot().result
    assert latest is not None and ws.roster.job is None
    assert ws.roster.result is latest and latest is not earlier  # not the older plan
    report = verify_result(problem, latest)
    assert report.objective == latest.objective == 400
    assert "Roster (.csv: staff,day,shift)" in download_labels(at)
    assert "solve is running" not in texts(at)


def test_other_pages_say_a_solve_is_running_and_update_when_it_ends() -> None:
    ws = Workspace()
    problem = demo_roster()
    ws.roster.set_problem(problem)
    at = go(app_test(ws), "roster")
    at = start_solve(at, 60)
    job = ws.roster.job
    assert job is not None
    at = go(at, "export")
    assert "A roster solve is running (see the Roster page)" in texts(at)
    at = go(at, "changes")
    assert "A roster solve is running" in texts(at)
    deadline = time.monotonic() + TIMEOUT
    while not job.snapshot().points and time.monotonic() < deadline:
        time.sleep(0.3)
    job.cancel()  # keeps the best roster found so far
    assert job.wait(TIMEOUT)
    at = go(at, "export")
    result = ws.roster.result
    assert result is not None and result.status.has_solution and ws.roster.job is None
    verify_result(problem, result)
    assert "solve is running" not in texts(at)
    assert "Roster (.csv: staff,day,shift)" in download_labels(at)


def test_solve_settings_and_pickers_survive_page_switches() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = go(app_test(ws), "roster")
    at.number_input(key="limit_roster").set_value(45)
    at.number_input(key="seed_roster").set_value(7)
    at.number_input(key="workers_roster").set_value(1)
    at.run()
    at = go(at, "cases")
    at.number_input(key="limit_cases").set_value(12).run()
    at = go(at, "data")
    at.radio(key="data_family").set_value("Case schedule").run()
    at.radio(key="sheet_cases").set_value("rooms").run()
    at = go(at, "export")
    at = go(at, "roster")
    assert at.number_input(key="limit_roster").value == 45
    assert at.number_input(key="seed_roster").value == 7
    assert at.number_input(key="workers_roster").value == 1
    at = go(at, "cases")
    assert at.number_input(key="limit_cases").value == 12
    at = go(at, "data")
    assert at.radio(key="data_family").value == "Case schedule"
    assert at.radio(key="sheet_cases").value == "rooms"
    at = go(at, "roster")
    at = at.button(key="solve_roster").click().run()  # solves with the kept settings
    job = ws.roster.job
    assert job is not None
    assert job.job["options"] == {
        "time_limit": 45.0,
        "workers": 1,
        "seed": 7,
        "catch_sigint_signal": True,
    }
    job.cancel()
    assert job.wait(TIMEOUT)


def test_case_replan_now_and_time_limit_survive_page_switches() -> None:
    ws = Workspace()
    problem = small_theatre()
    ws.cases.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.cases.set_result(result)
    ws.pending["cases"] = whatif.with_closed_room(problem, "OR2", None)[0], ["OR2 closed"]
    assert problem.start is not None
    now = problem.start + dt.timedelta(hours=9, minutes=30)
    at = go(app_test(ws), "changes")
    at.radio(key="plan_choice").set_value("Case schedule").run()
    key = f"replan_now_{ws.cases.version}"
    at.datetime_input(key=key).set_value(now)
    at.number_input(key="scenario_limit").set_value(7)
    at.run()
    at = go(at, "data")
    at = go(at, "cases")
    at = go(at, "changes")
    assert at.datetime_input(key=key).value == now
    assert at.number_input(key="scenario_limit").value == 7


def penalty_view(at: AppTest) -> tuple[list[str], int, str]:
    """The rule filter's value, the rows in the penalty table and the heading."""
    heading = next(s.value for s in at.subheader if s.value.startswith("Penalty list"))
    return list(at.multiselect[0].value), len(at.dataframe[0].value), heading


def test_penalty_filter_starts_over_with_every_new_result() -> None:
    ws = Workspace()
    two_rules = ward_with_requests()
    ws.roster.set_problem(two_rules)
    first, _ = solve_verified(two_rules, time_limit=5)
    assert first.objective == 402  # four understaffed shifts, two wishes not granted
    ws.roster.set_result(first)
    at = page_test("roster", ws)
    assert penalty_view(at) == (
        ["Shift requests not granted", "Understaffed shifts"],
        6,
        "Penalty list (6 items, total 402)",
    )
    at.multiselect[0].set_value(["Shift requests not granted"]).run()
    # the heading counts what the table shows
    assert penalty_view(at) == (
        ["Shift requests not granted"],
        2,
        "Penalty list (2 of 6 items, total 2 of 402)",
    )
    one_rule = small_ward()
    second, _ = solve_verified(one_rule, time_limit=5)
    ws.roster.set_problem(one_rule)
    ws.roster.set_result(second)
    at.run()
    assert penalty_view(at) == (["Understaffed shifts"], 4, "Penalty list (4 items, total 400)")
    ws.roster.set_problem(two_rules)  # back to two rules: both shown, nothing hidden
    ws.roster.set_result(first)
    at.run()
    rules, rows, heading = penalty_view(at)
    assert len(rules) == 2 and rows == 6 and heading == "Penalty list (6 items, total 402)"


def test_status_lines_never_say_none() -> None:
    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result.model_copy(update={"bound": None}))  # as after an adopt
    at = page_test("roster", ws)
    line = next(c.value for c in at.caption if c.value.startswith("Status"))
    assert "None" not in line and "penalty 400" in line and "bound" not in line
    infeasible = Result(status=SolveStatus.INFEASIBLE, seconds=0.5, backend="cpsat")
    ws.roster.set_result(infeasible, {"summary": "x"})
    at.run()
    line = next(c.value for c in at.caption if c.value.startswith("Status"))
    assert line == "Status **INFEASIBLE** · 0.5 s (cpsat)"
    point = ProgressPoint(seconds=1.0, objective=29577, bound=None)
    running = Snapshot(
        running=True, seconds=8, points=[point], result=None, error=None, cancelled=False
    )
    assert _progress_text(running) == (
        "Solving… 8 s · 1 improving solutions · penalty 29577 · no bound yet"
    )


class FinishedJob:
    """A job that has ended with ``snapshot`` (what the reader thread collected)."""

    problem: Any = None

    def __init__(self, snapshot: Snapshot) -> None:
        self.snap = snapshot

    def snapshot(self) -> Snapshot:
        return self.snap

    def cancel(self) -> None:
        raise AssertionError("a finished job is never cancelled")


@pytest.mark.parametrize(
    "diagnosis",
    [
        None,  # the child was stopped before it sent one
        {"feasible": None, "conflicts": [], "summary": "Could not decide within 20 s"},
    ],
)
def test_a_cancelled_diagnosis_says_so_once(diagnosis: Any) -> None:
    from optimizer.solve import solve

    problem = infeasible_ward()
    result = solve(problem, time_limit=5, workers=1)
    assert result.status is SolveStatus.INFEASIBLE
    ws = Workspace()
    ws.roster.set_problem(problem)
    snap = Snapshot(
        running=False,
        seconds=3,
        points=[],
        result=result,
        error="cancelled before the solver started",
        cancelled=True,
        diagnosis=diagnosis,
    )
    ws.roster.job = FinishedJob(snap)  # type: ignore[assignment]
    at = page_test("roster", ws)
    assert not at.exception, at.exception
    assert ws.roster.job is None and ws.roster.result is result
    assert [e.value for e in at.error] == ["No roster satisfies every hard rule."]
    assert not at.warning  # no "showing the best solution found": there is none
    shown = texts(at) + " ".join(m.value for m in at.markdown)
    assert DIAGNOSIS_CANCELLED in shown
    for wrong in ("best solution", "still running", "Could not decide", "solver started"):
        assert wrong not in shown


def test_the_child_reports_a_cancel_during_the_diagnosis_as_such(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def interrupted(problem: Any, time_limit: float, *settings: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(solver_child, "_diagnose", interrupted)
    out = io.StringIO()
    job = {
        "kind": "roster",
        "problem": infeasible_ward().model_dump_json(),
        "hint": None,
        "options": {"time_limit": 5, "workers": 1},
    }
    solver_child.run(job, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["type"] for line in lines] == ["result", "diagnosis"]
    assert lines[0]["result"]["status"] == "INFEASIBLE"
    assert lines[1]["diagnosis"] == {"summary": DIAGNOSIS_CANCELLED}


def test_cancel_while_diagnosing_shows_one_true_message() -> None:
    problem = demo_roster()
    cover = tuple(
        c.model_copy(update={"min_required": c.required + 3, "required": c.required + 3})
        if c.skill == "RN"
        else c
        for c in problem.cover
    )
    ws = Workspace()
    ws.roster.set_problem(problem.model_copy(update={"cover": cover}))
    at = start_solve(page_test("roster", ws), 30)
    job = ws.roster.job
    assert job is not None
    deadline = time.monotonic() + TIMEOUT
    while job.snapshot().result is None and job.running and time.monotonic() < deadline:
        time.sleep(0.3)
    assert job.running, "the diagnosis ended before it could be cancelled"
    at.run()
    assert any("finding out why" in i.value for i in at.info)
    assert not any("Waiting for the first solution" in c.value for c in at.caption)
    at = at.button(key="cancel_roster").click().run()
    assert job.wait(TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    assert ws.roster.result is not None and ws.roster.result.status is SolveStatus.INFEASIBLE
    assert ws.roster.diagnosis == {"summary": DIAGNOSIS_CANCELLED}
    assert [e.value for e in at.error] == ["No roster satisfies every hard rule."]
    assert not at.warning
    assert DIAGNOSIS_CANCELLED in " ".join(m.value for m in at.markdown)


def test_the_table_picker_shows_a_badge_on_tables_with_problems() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.roster.draft["staff"].loc[2, "min_minutes"] = "lots"
    at = page_test("data", ws)
    picker = at.radio(key="sheet_roster")
    assert picker.options[:3] == ["staff ⚠ 1", "shifts", "demand (cover)"]
    assert picker.value == "staff"
