"""The roster what-if page tells the truth about its baseline and its moves (P-BROWSER2).

1. A published roster that breaks hard rules under the changes is no baseline: its KPI
   column is marked, the rules are listed, no penalty Δ is shown, and the comparison
   shows no penalty for it.
2. After the re-plan is started again without its kept days, the kept days it changed
   are "needed by the hard rules", as its note says, not "elsewhere".
3. (The whole-roster scope's "covers the change": tests/test_dashboard_whatif_numbers.py.)
4. A move that fills demand the scenario raised is "the change itself".
5. The baseline caption names what was done for this scenario.
"""

from __future__ import annotations

import datetime as dt

from dashboards import whatif
from dashboards.state import Scenario, Workspace
from dashboards.views.changes_page.scenario_view import _reasons, replan_scope
from optimizer import solve
from optimizer.check import check
from optimizer.model.result import Assignment, Result, RosterSolution, SolveStatus
from optimizer.model.roster import Pin, RosterProblem
from tests.test_dashboard_whatif_numbers import kpi_column, run_scenario
from tests.verify import solve_verified, verify_result

MON = dt.date(2026, 3, 2)
ANN_OVER = "Ann works 3 shifts; the contract allows 2"


def capped_ward() -> RosterProblem:
    """Ten Day shifts from Mon 2 Mar 2026, two nurses needed each; Ann works at most 2
    shifts; no run or rest rules (rule reach 1)."""
    staff = [{"id": "a", "name": "Ann", "contract": {"max_shifts": 2}}]
    staff += [{"id": i, "name": n} for i, n in (("b", "Bo"), ("c", "Cy"), ("d", "Di"))]
    return RosterProblem.model_validate(
        {
            "start_date": "2026-03-02",
            "num_days": 10,
            "shifts": [{"id": "D", "name": "Day", "start": "08:00", "length_minutes": 480}],
            "staff": staff,
            "cover": [{"day": d, "shift": "D", "required": 2} for d in range(10)],
        }
    )


def published_roster(problem: RosterProblem, worked: dict[str, range]) -> Result:
    """The hand-made roster ``worked`` (staff -> days on Day), checked: feasible, 0."""
    roster = RosterSolution(
        assignments=tuple(
            Assignment(staff=s, day=d, shift="D") for s, days in worked.items() for d in days
        )
    )
    report = check(problem, roster)
    assert report.feasible and report.objective == 0, report.violations
    return Result(status=SolveStatus.FEASIBLE, objective=0, roster=roster, terms={})


def ann_pinned_on_wednesday_week_two() -> tuple[RosterProblem, Result, RosterProblem]:
    """Ann (Mon, Tue; at most 2 shifts) pinned on Wed 11 Mar: three shifts."""
    base = capped_ward()
    published = published_roster(base, {"a": range(2), "b": range(10), "c": range(2, 10)})
    changed = base.model_copy(update={"pins": (Pin(staff="a", day=9, shift="D"),)})
    return base, published, RosterProblem.model_validate(changed.model_dump())


# -- 1. a baseline that breaks hard rules -----------------------------------------------


def test_a_baseline_that_breaks_hard_rules_is_marked_and_has_no_penalty_delta() -> None:
    base, published, changed = ann_pinned_on_wednesday_week_two()
    planned = whatif.baseline_roster(changed, published)
    replan, _ = solve_verified(
        planned, time_limit=5, hint=whatif.repaired_roster(planned, published)
    )
    assert replan.status is SolveStatus.OPTIMAL
    baseline = whatif.published_under_changes(planned, published)
    assert baseline.status is SolveStatus.INFEASIBLE
    assert whatif.baseline_breaks(planned, published) == [ANN_OVER]
    frame = whatif.roster_kpi_table(planned, published, replan)
    # before: the column was "Baseline" and Total penalty showed a Δ against it
    assert "Baseline" not in frame.columns
    heading = "Baseline (breaks 1 hard rule)"
    assert list(frame.columns) == ["Measure", heading, "Scenario", "Δ"]
    delta = dict(zip(frame["Measure"], frame["Δ"], strict=True))
    assert {delta[row] for row in whatif.PENALTY_ROWS} == {"—"}
    assert delta["Changed assignments"] != "—"  # measures other than penalty keep theirs
    # the baseline's penalty stays visible for reference: Wednesday one over (1 x over
    # weight) plus the pinned change, as the checker costs it
    assert kpi_column(frame, heading)["Total penalty"] == baseline.objective
    note = whatif.broken_baseline_note(planned, published)
    assert note == f"{whatif.BROKEN_BASELINE}\n- {ANN_OVER}"
    caption = whatif.baseline_caption(base, planned, published, usable=False)
    assert "Ann put on Day on Wed 11 Mar" in caption and "show no Δ" in caption


def test_the_comparison_shows_no_penalty_for_a_baseline_that_breaks_hard_rules() -> None:
    base, published, changed = ann_pinned_on_wednesday_week_two()
    extra, _ = whatif.with_extra_demand(base, MON, MON, "D", None, 1)
    scenarios = []
    for name, problem in (("Scenario 1", changed), ("Scenario 2", extra)):
        planned = whatif.baseline_roster(problem, published)
        result, _ = solve_verified(planned, time_limit=5)
        scenarios.append(Scenario(name, "roster", [name], base, published, planned, result=result))
    table = whatif.compare(scenarios)
    shown = list(table[whatif.BASELINE_PENALTY])
    # the feasible one keeps its number (as text: one column, one type)
    feasible = whatif.published_under_changes(scenarios[1].problem, published)
    assert shown == ["none (breaks 1 hard rule)", str(feasible.objective)]
    assert whatif.baseline_penalty(scenarios[1]) == feasible.objective


def test_a_feasible_baseline_is_shown_as_before() -> None:
    base, published, _ = ann_pinned_on_wednesday_week_two()
    extra, _ = whatif.with_extra_demand(base, MON, MON, "D", None, 1)
    planned = whatif.baseline_roster(extra, published)
    result, _ = solve_verified(planned, time_limit=5)
    frame = whatif.roster_kpi_table(planned, published, result)
    assert "Baseline" in frame.columns
    assert whatif.broken_baseline_note(planned, published) == ""
    total = kpi_column(frame, "Δ")["Total penalty"]
    assert result.objective is not None
    assert total == result.objective - kpi_column(frame, "Baseline")["Total penalty"]


# -- 2. the kept days a re-plan had to change ---------------------------------------------


def test_kept_days_changed_after_the_retry_are_needed_by_the_hard_rules() -> None:
    base, published, changed = ann_pinned_on_wednesday_week_two()
    plan = whatif.roster_replan(base, changed, published, "around")
    assert plan.kept == tuple(range(8))  # Tue 10 – Wed 11 Mar may move
    solved_on = plan.problem if plan.solved_on is None else plan.solved_on
    kept = solve(solved_on, time_limit=5, workers=1, seed=0, hint=plan.hint)
    assert kept.status is SolveStatus.INFEASIBLE  # Ann's Mon and Tue are kept
    again = whatif.roster_replan_unkept(base, changed, published, plan.kept)
    solved_on = again.problem if again.solved_on is None else again.solved_on
    result, _ = solve_verified(solved_on, time_limit=5, hint=again.hint)
    if again.solved_on is not None:
        result = whatif.costed_for(again.problem, result)
    verify_result(again.problem, result)
    scenario = Scenario(
        "Scenario 1", "roster", ["pin"], base, published, again.problem, result=result
    )
    scenario.kept_days, scenario.solved_on = plan.kept, again.solved_on
    assert replan_scope(scenario) == "around"
    moved = whatif.roster_changes(scenario.problem, published, result, _reasons(scenario))
    kept_dates = {f"{base.date_of(d):%a %d %b}" for d in plan.kept}
    on_kept = moved[[d in kept_dates for d in moved["Date"]]]
    # Ann taken off Mon or Tue (her contract), someone covering her: before, "elsewhere"
    assert len(on_kept) >= 1 and set(on_kept["Why"]) == {whatif.RULES}
    assert whatif.ELSEWHERE not in set(moved["Why"])
    note = whatif.earlier_changes_note(scenario.problem, published, result, plan.kept)
    assert ANN_OVER in note
    for who, date in zip(on_kept["Who"], on_kept["Date"], strict=True):
        assert f"{who} on {date}" in note  # the note and the Why column name the same


def test_the_page_marks_the_baseline_and_the_moves_after_the_retry() -> None:
    base, published, changed = ann_pinned_on_wednesday_week_two()
    ws = Workspace()
    ws.roster.set_problem(base)
    ws.roster.set_result(published)
    ws.pending["roster"] = (changed, ["Ann on Day, Wed 11 Mar"])
    at = run_scenario(ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.adopt is None  # started again
    verify_result(scenario.problem, scenario.result)
    warnings = [w.value for w in at.warning]
    assert any(w.startswith(whatif.BROKEN_BASELINE) and ANN_OVER in w for w in warnings)
    frame = next(f.value for f in at.dataframe if "Measure" in f.value.columns)
    assert "Baseline (breaks 1 hard rule)" in frame.columns
    heading = next(m.value for m in at.markdown if "changed assignments" in m.value)
    assert whatif.RULES in heading and whatif.ELSEWHERE not in heading
    captions = [c.value for c in at.caption]
    assert any("Ann put on Day on Wed 11 Mar" in c for c in captions)


# -- 4. / 5. added demand and the caption -------------------------------------------------


def full_ward() -> tuple[RosterProblem, Result]:
    """Five Day shifts from Mon 2 Mar 2026, three nurses needed; Ann, Bo and Cy work
    every day, Di never (penalty 0)."""
    problem = capped_ward().model_dump()
    problem["num_days"] = 5
    problem["staff"][0]["contract"]["max_shifts"] = None
    problem["cover"] = [{"day": d, "shift": "D", "required": 3} for d in range(5)]
    ward = RosterProblem.model_validate(problem)
    return ward, published_roster(ward, {s: range(5) for s in "abc"})


def test_a_move_that_fills_added_demand_is_the_change_itself() -> None:
    base, published = full_ward()
    wednesday = MON + dt.timedelta(2)
    changed, _ = whatif.with_extra_demand(base, wednesday, wednesday, "D", None, 1)
    assert whatif.added_demand(base, changed) == {(2, "D", None): 1}
    plan = whatif.roster_replan(base, changed, published, "around")
    solved_on = plan.problem if plan.solved_on is None else plan.solved_on
    result, _ = solve_verified(solved_on, time_limit=5, hint=plan.hint)
    if plan.solved_on is not None:
        result = whatif.costed_for(plan.problem, result)
    verify_result(plan.problem, result)
    why = whatif.change_reasons(base, changed, published, result)
    moved = whatif.roster_changes(plan.problem, published, result, why)
    # before: "1 changed assignments: 1 near the change"
    assert list(zip(moved["Who"], moved["Date"], moved["Why"], strict=True)) == [
        ("Di", "Wed 04 Mar", whatif.FORCED)
    ]
    caption = whatif.baseline_caption(base, plan.problem, published)
    assert "(the added demand left unfilled)" in caption
    assert "The changes force no changed assignment." in caption


def test_the_caption_names_the_absent_persons_shifts() -> None:
    base, published = full_ward()
    changed, _ = whatif.with_leave(base, "b", MON + dt.timedelta(1), MON + dt.timedelta(2), "sick")
    caption = whatif.baseline_caption(base, changed, published)
    assert caption.startswith(
        "Baseline: the published roster under the changes (Bo's shifts on Tue 03 Mar – "
        "Wed 04 Mar left open), costed by the checker; Δ shows what the changes cost"
    )
    assert caption.endswith("Its changed assignments are those the changes force.")


def test_the_retry_note_names_each_persons_changed_days_once() -> None:
    _, published, changed = ann_pinned_on_wednesday_week_two()
    worked = {"a": [9], "b": list(range(10)), "c": list(range(2, 10)), "d": [0, 1]}
    roster = RosterSolution(
        assignments=tuple(
            Assignment(staff=s, day=d, shift="D") for s, days in worked.items() for d in days
        )
    )
    assert check(changed, roster).feasible  # a roster the retry could return
    result = Result(status=SolveStatus.FEASIBLE, roster=roster)
    note = whatif.earlier_changes_note(changed, published, result, range(8))
    # before: "Ann on Mon 02 Mar; Di on Mon 02 Mar; Ann on Tue 03 Mar; Di on Tue 03 Mar"
    assert note.endswith(
        "so the re-plan also changes Ann on Mon 02 Mar – Tue 03 Mar; Di on Mon 02 Mar – Tue 03 Mar."
    )
