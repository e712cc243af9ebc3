"""What-if numbers a planner can trust (P-BROWSER probe, defects 1-4 and the notes).

1. The KPI table's baseline is the published roster under the changes (the absent
   person's shifts left open), costed by the checker.
2. The comparison's baseline penalty is that same number, next to a penalty that
   likewise includes the cost of changes.
3. "Re-plan with minimal disruption" fills what the changes open and leaves the published
   roster's own shortfalls alone; the whole-roster scope improves them too.
4. A roster stopped by the time limit far from the best says so in plain words.
5. A download whose file fails to build says so on the page.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.samples import small_ward
from dashboards.state import Scenario, Workspace
from dashboards.widgets import time_limit_advice
from optimizer.check import check
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import RosterProblem
from tests.verify import solve_verified, verify_result

TIMEOUT = 60
MON = dt.date(2026, 3, 2)


def changes_page() -> None:
    from dashboards.views import changes

    changes.render()


def roster_page() -> None:
    from dashboards.views import roster

    roster.render()


def export_page() -> None:
    from dashboards.views import export

    export.render()


def kpi_column(frame: Any, column: str) -> dict[str, int]:
    """The whole-number rows of one column of a KPI table."""
    rows = {}
    for measure, value in zip(frame["Measure"], frame[column], strict=True):
        text = str(value).replace("−", "-")
        if text.lstrip("+-").isdigit():
            rows[str(measure)] = int(text)
    return rows


# -- a ward whose published roster is poor -------------------------------------------


def short_ward() -> RosterProblem:
    """Three nurses, one Day shift for five days from Mon 2 Mar 2026, three needed each
    day (100 per missing nurse); no run or rest rules (rule reach 1)."""
    return RosterProblem.model_validate(
        {
            "start_date": "2026-03-02",
            "num_days": 5,
            "shifts": [{"id": "D", "name": "Day", "start": "08:00", "length_minutes": 480}],
            "staff": [{"id": i, "name": n} for i, n in (("a", "Ann"), ("b", "Bo"), ("c", "Cy"))],
            "cover": [{"day": d, "shift": "D", "required": 3} for d in range(5)],
        }
    )


def poor_published(problem: RosterProblem) -> Result:
    """Ann and Bo every day, Cy never: one nurse short each day (penalty 5 x 100)."""
    roster = RosterSolution(
        assignments=tuple(Assignment(staff=s, day=d, shift="D") for d in range(5) for s in "ab")
    )
    report = check(problem, roster)
    assert report.feasible and report.objective == 500
    return Result(
        status=SolveStatus.FEASIBLE,
        objective=report.objective,
        roster=roster,
        terms=report.cost_by_rule(),
    )


def ann_sick_on_wednesday(problem: RosterProblem) -> tuple[RosterProblem, str]:
    return whatif.with_leave(problem, "a", MON + dt.timedelta(2), MON + dt.timedelta(2), "sick")


def replanned(scope: str) -> tuple[whatif.RosterReplan, Result]:
    """The re-plan of Ann's sick Wednesday in ``scope``, checker-verified and costed on
    the scenario's problem."""
    base = short_ward()
    published = poor_published(base)
    changed, _ = ann_sick_on_wednesday(base)
    plan = whatif.roster_replan(base, changed, published, scope)
    solved_on = plan.problem if plan.solved_on is None else plan.solved_on
    result, _ = solve_verified(solved_on, time_limit=5, hint=plan.hint)
    assert result.status is SolveStatus.OPTIMAL
    if plan.solved_on is not None:
        result = whatif.costed_for(plan.problem, result)
    verify_result(plan.problem, result)
    return plan, result


def test_around_the_changes_fills_only_what_the_changes_open() -> None:
    plan, result = replanned("around")
    # days 1-3 may move (the change on day 2, reach 1); days 0 and 4 keep the roster
    assert plan.kept == (0, 4) and plan.solved_on is not None
    # the stand-in's optimum 20: Cy covers Ann's Wednesday (two changed staff-days at
    # 10); the published shortfalls cost nothing more there
    assert result.roster is not None
    assert check(plan.solved_on, result.roster).objective == 20
    # on the scenario's problem: 4 days 1 short (400), Wednesday 1 short (100), 2 changes
    assert result.objective == 520 and result.status is SolveStatus.FEASIBLE
    published = poor_published(short_ward())
    why = whatif.change_reasons(short_ward(), plan.problem, published)
    moved = whatif.roster_changes(plan.problem, published, result, why)
    assert list(zip(moved["Who"], moved["Date"], moved["After"], moved["Why"], strict=True)) == [
        ("Ann", "Wed 04 Mar", "off", whatif.FORCED),
        ("Cy", "Wed 04 Mar", "Day", whatif.NEAR),
    ]
    assert whatif.changes_summary(moved) == (
        "2 changed assignments: 1 the change itself, 1 near the change"
    )
    assert plan.notes[0].startswith(whatif.ONLY_THE_CHANGES)


def test_the_whole_roster_scope_also_fills_the_published_shortfalls() -> None:
    plan, result = replanned("whole")
    assert plan.kept == () and plan.solved_on is None
    # optimum 160: Cy works every day (5 changes) besides Ann's forced day off (1 change),
    # Wednesday stays one short (100)
    assert result.objective == 160
    published = poor_published(short_ward())
    why = whatif.change_reasons(short_ward(), plan.problem, published, result, scope="whole")
    moved = whatif.roster_changes(plan.problem, published, result, why)
    # only Cy's Wednesday covers Ann's open shift; her other four days improve the roster
    assert whatif.changes_summary(moved) == (
        "6 changed assignments: 1 the change itself, 1 covers the change, 4 elsewhere"
    )
    assert "The whole roster is re-planned" in plan.notes[0]


def run_scenario(ws: Workspace, scope: str | None = None) -> AppTest:
    at = AppTest.from_function(changes_page, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    at.number_input(key="scenario_limit").set_value(5)
    if scope is not None:
        at.radio(key="replan_scope").set_value(scope)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + TIMEOUT
    while any(s.job is not None for s in ws.scenarios) and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert all(s.job is None for s in ws.scenarios), "the re-plan did not finish in time"
    return at.run()


def short_ward_workspace() -> Workspace:
    ws = Workspace()
    base = short_ward()
    ws.roster.set_problem(base)
    ws.roster.set_result(poor_published(base))
    changed, text = ann_sick_on_wednesday(base)
    ws.pending["roster"] = (changed, [text])
    return ws


WHY_AROUND = "2 changed assignments: 1 the change itself, 1 near the change"
WHY_WHOLE = "6 changed assignments: 1 the change itself, 1 covers the change, 4 elsewhere"


@pytest.mark.parametrize(
    ("scope", "penalty", "heading"), [(None, 520, WHY_AROUND), ("whole", 160, WHY_WHOLE)]
)
def test_the_page_replans_around_the_changes_unless_asked_for_the_whole_roster(
    scope: str | None, penalty: int, heading: str
) -> None:
    ws = short_ward_workspace()
    at = run_scenario(ws, scope)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.objective == penalty
    verify_result(scenario.problem, scenario.result)
    headings = [m.value for m in at.markdown if "changed assignments" in m.value]
    assert headings == [f"**{heading}**"]
    frame = next(f.value for f in at.dataframe if "Measure" in f.value.columns)
    before = kpi_column(frame, "Baseline")
    # the published roster with Ann's Wednesday left open: 4 x 100 + 2 x 100 + 1 change
    assert before["Total penalty"] == 610 and before["Changed assignments"] == 1
    assert kpi_column(frame, "Scenario")["Total penalty"] == penalty
    assert kpi_column(frame, "Δ")["Total penalty"] == penalty - 610


# -- 1. / 2. the baseline is the published roster under the changes --------------------


def sick_ward() -> tuple[RosterProblem, Result, RosterProblem, str]:
    """small_ward solved; the nurse on the first Early shift of Tue 8 Dec falls sick."""
    problem = small_ward()
    published, _ = solve_verified(problem, time_limit=5)
    assert published.roster is not None
    sick = next(a.staff for a in published.roster.assignments if a.day == 1)
    day = dt.date(2026, 12, 8)
    changed, _ = whatif.with_leave(problem, sick, day, day, "sickness")
    return problem, published, changed, sick


def test_kpi_baseline_leaves_the_absent_persons_shifts_open() -> None:
    _, published, changed, sick = sick_ward()
    planned = whatif.baseline_roster(changed, published)
    repaired = whatif.repaired_roster(planned, published)
    assert repaired is not None
    replan, _ = solve_verified(planned, time_limit=5, hint=repaired)
    frame = whatif.roster_kpi_table(planned, published, replan)
    before = kpi_column(frame, "Baseline")
    # before: the published roster with the sick nurse still on shift (the checker
    # finds it infeasible) and its old penalty
    assert published.roster is not None
    assert not check(planned, published.roster).feasible
    expected = check(planned, repaired)
    assert expected.feasible and before["Total penalty"] == expected.objective
    assert before["Total penalty"] != published.objective  # the sickness costs something
    forced = [a for a in published.roster.assignments if a.staff == sick and a.day == 1]
    assert before["Changed assignments"] == len(forced) == 1
    assert before["Cost of changes"] == 10
    # the Δ of changed assignments: the re-plan's own moves beyond the forced one
    own = whatif.roster_changes(
        planned, Result(status=SolveStatus.FEASIBLE, roster=repaired), replan
    )
    assert kpi_column(frame, "Δ")["Changed assignments"] == len(own)
    assert kpi_column(frame, "Scenario")["Total penalty"] == replan.objective


def test_comparison_baseline_is_each_scenarios_kpi_baseline() -> None:
    problem, published, sick_problem, _ = sick_ward()
    extra, _ = whatif.with_extra_demand(
        problem, dt.date(2026, 12, 9), dt.date(2026, 12, 9), "E", "RN", 1
    )
    scenarios = []
    for name, changed in (("Scenario 1", sick_problem), ("Scenario 2", extra)):
        planned = whatif.baseline_roster(changed, published)
        result, _ = solve_verified(planned, time_limit=5)
        scenarios.append(
            Scenario(name, "roster", [name], problem, published, planned, result=result)
        )
    table = whatif.compare(scenarios)
    assert whatif.PENALTY == "Penalty (with cost of changes)"
    baselines = list(table[whatif.BASELINE_PENALTY])
    for scenario, baseline in zip(scenarios, baselines, strict=True):
        assert scenario.result is not None
        frame = whatif.roster_kpi_table(scenario.problem, published, scenario.result)
        assert kpi_column(frame, "Baseline")["Total penalty"] == baseline
    # before: both were the published objective, blind to the changes
    assert baselines[0] != published.objective and baselines[1] != published.objective
    assert list(table[whatif.PENALTY]) == [s.result.objective for s in scenarios if s.result]


# -- 4. the time limit in plain words ----------------------------------------------------


def stopped_by_the_limit() -> Result:
    """A checker-verified roster reported as a 20.8 s solve that ended far from its bound."""
    problem = small_ward()
    result, _ = solve_verified(problem, time_limit=5)
    assert result.objective is not None and result.objective > 10
    update = {"status": SolveStatus.FEASIBLE, "bound": 1, "seconds": 20.8}
    return result.model_copy(update=update)


def test_a_roster_stopped_far_from_the_best_says_so_without_jargon() -> None:
    result = stopped_by_the_limit()
    assert result.objective is not None
    text = time_limit_advice(result)
    assert text.startswith("The time limit stopped the search")
    assert f"up to {result.objective - 1} penalty points" in text and "try 90 s" in text
    assert "gap" not in text and "bound" not in text
    assert time_limit_advice(result, stopped_early=True) == ""  # the page says Stopped early
    close = result.model_copy(update={"bound": result.objective - 1})
    assert time_limit_advice(close) == ""  # within 10 % of the best possible
    optimal = result.model_copy(update={"status": SolveStatus.OPTIMAL, "bound": result.objective})
    assert time_limit_advice(optimal) == ""
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.roster.set_result(result)
    at = AppTest.from_function(roster_page, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception, at.exception
    assert text in [w.value for w in at.warning]


# -- 5. a download that fails to build says so -------------------------------------------


def test_a_download_that_fails_to_build_is_named_on_the_page(monkeypatch: Any) -> None:
    from dashboards.views import export

    ws = Workspace()
    problem = small_ward()
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)

    def broken(*_: Any) -> bytes:
        raise AttributeError("'StaffLoad' object has no attribute 'contract_min_minutes'")

    monkeypatch.setattr("optimizer.io.roster_csv.roster_to_csv", broken)
    at = AppTest.from_function(export_page, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith("Roster (.csv): building the file failed") for e in errors), errors
    # a file built only when clicked: the failure is kept for the page, and raised again
    store: dict[str, str] = {}
    monkeypatch.setattr(export.st, "session_state", {export.ERRORS: store})
    build = export._built_by("Staff roster: Workbook (.xlsx)", lambda: broken())
    with pytest.raises(AttributeError):
        build()
    assert store == {
        "Staff roster: Workbook (.xlsx)": "AttributeError: 'StaffLoad' object has no "
        "attribute 'contract_min_minutes'"
    }
    assert export._built_by("Staff roster: Workbook (.xlsx)", lambda: b"ok")() == b"ok"
    assert store == {}  # a later success clears it
    monkeypatch.undo()
    at.session_state[export.ERRORS] = {"Staff roster: Workbook (.xlsx)": "AttributeError: x"}
    at.run()
    assert any(
        e.value.startswith("Staff roster: Workbook (.xlsx): building the file failed")
        for e in at.error
    )
