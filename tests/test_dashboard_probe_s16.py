"""Dashboard fixes from the s16 browser probe (case scheduling, what-if, export):
a bad uploaded cell keeps its column editable; adopted plans' calendars cancel what the
published plan had; a started case with an absent surgeon is refused in names and times;
cases can be cancelled (form and free text); a roster re-plan never ends worse than the
repaired published roster; layout widths; "stopped early" re-plans; no seed by default.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import Scenario, Workspace
from dashboards.views import changes
from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.requests import CancelCase, Unavailable
from llm_intake.rules import RuleParser, case_cancellations
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.io.ics import calendars
from optimizer.io.tables.from_problem import problem_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.result import Result, RosterSolution, SolveStatus
from tests.test_dashboard_state import app_test, go
from tests.test_dashboard_uploads import data_page, upload
from tests.test_dashboard_whatif import kpi, page, replan, theatre_workspace, ward_workspace
from tests.test_intake_rules import TODAY, resolver
from tests.verify import solve_verified, verify_result

MON, TUE = dt.date(2026, 12, 7), dt.date(2026, 12, 8)


def editor_columns(at: AppTest) -> dict[str, Any]:
    """The column settings Streamlit sends with the (only) table editor on the page."""
    (editor,) = [d for d in at.dataframe if d.proto.editing_mode]
    columns: dict[str, Any] = json.loads(editor.proto.columns or "{}")
    return columns


def all_texts(at: AppTest) -> str:
    kinds = ("error", "warning", "info", "caption", "markdown")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


# -- 1. a bad cell in a number column stays fixable ---------------------------------------


def test_a_bad_number_cell_leaves_its_column_editable_and_the_fix_applies() -> None:
    tables = problem_tables(small_theatre())
    tasks = tables["tasks"].copy()
    tasks["duration"] = tasks["duration"].astype(object)
    tasks.loc[tasks.index[1], "duration"] = "90 min"  # row 2
    tasks.loc[tasks.index[2], "staff"] = "GS9"  # row 3: only checked once cells read
    tables["tasks"] = tasks
    ws = Workspace()
    ws.cases.set_problem(small_theatre())
    at = upload(data_page(ws), "theatre.xlsx", tables_to_xlsx(tables))
    assert not at.exception, at.exception
    message = at.error[0].value
    assert "'90 min' must be a whole number" in message
    assert "more problems may show after these are fixed" in message
    # the old editor got a number/text column and Streamlit disabled it
    assert not editor_columns(at).get("duration", {}).get("disabled", False)
    # the planner types 75 over "90 min" (the editor hands back text)
    shown = ws.cases.editor_data["tasks"]
    assert shown.loc[2, "duration"] == "90 min" and shown.loc[1, "duration"] == "60"
    shown.loc[2, "duration"] = "75"
    at.run()
    assert "unknown staff 'GS9'" in all_texts(at)  # now found, on its row
    ws.cases.editor_data["tasks"].loc[3, "staff"] = "S1"
    at.run()
    at.button(key="apply_cases").click().run()
    assert not at.exception, at.exception
    assert ws.cases.problem.task("C2").duration == 75


# -- 2. an adopted plan's calendars cancel what the published plan had ----------------------


def test_calendars_after_adopting_a_case_replan_cancel_the_dropped_case() -> None:
    ws = theatre_workspace()
    base, problem = ws.cases.result, ws.cases.problem
    assert base is not None and base.schedule is not None
    dropped = base.schedule.tasks[0]
    changed, text = whatif.with_cancelled_case(problem, base, dropped.task)
    planned, _, _ = whatif.baseline_cases(changed, base)
    result, _ = solve_verified(planned, time_limit=5)
    scenario = Scenario("Scenario 1", "cases", [text], problem, base, planned, result=result)
    ws.scenarios.append(scenario)
    changes.adopt(ws, scenario)
    assert ws.cases.problem.baseline is None  # later solves pay no move penalty
    previous = ws.cases.previous_plan
    assert previous is not None and previous[0] is problem and previous[1] is base
    assert ws.cases.result is not None
    verify_result(ws.cases.problem, ws.cases.result)
    files = calendars(whatif.with_previous_plan(ws.cases.problem, ws.cases.previous_plan), result)
    for person in dropped.staff:
        body = files[person].decode()
        assert "STATUS:CANCELLED" in body, person
        assert f"Cancelled: {problem.task(dropped.task).label}" in body
    at = go(app_test(ws), "export")
    assert "is marked cancelled" in all_texts(at)
    ws.undo()
    assert ws.cases.problem is problem and ws.cases.previous_plan is None


def test_calendars_after_adopting_a_roster_replan_cancel_the_sick_days_shifts() -> None:
    ws = ward_workspace()
    base, problem = ws.roster.result, ws.roster.problem
    assert base is not None and base.roster is not None
    sick = next(a for a in base.roster.assignments if a.day == 0)
    changed, text = whatif.with_leave(problem, sick.staff, MON, MON, "sickness")
    planned = whatif.baseline_roster(changed, base)
    result, _ = solve_verified(planned, time_limit=5)
    scenario = Scenario("Scenario 1", "roster", [text], problem, base, planned, result=result)
    ws.scenarios.append(scenario)
    changes.adopt(ws, scenario)
    previous = ws.roster.previous_plan
    assert ws.roster.problem.baseline is None
    assert previous is not None and previous[0] is problem and previous[1] is base
    files = calendars(whatif.with_previous_plan(ws.roster.problem, ws.roster.previous_plan), result)
    assert "STATUS:CANCELLED" in files[sick.staff].decode()


# -- 3. a started case whose surgeon is now away: refused in words -----------------------


def test_a_started_case_with_a_surgeon_now_off_sick_is_refused_in_names_and_times() -> None:
    ws = theatre_workspace()
    base, problem = ws.cases.result, ws.cases.problem
    assert base is not None and base.schedule is not None
    first = min(base.schedule.tasks, key=lambda t: t.start)
    sick = apply_requests(problem, [Unavailable(staff="S1", from_=MON, to=MON)]).problem
    with pytest.raises(InputError) as refused:
        whatif.baseline_cases(sick, base, first.start + 30)
    message = str(refused.value)
    start = f"Mon 07 Dec {first.start // 60:02d}:{first.start % 60:02d}"
    assert f"Case {first.task[1:]} ({first.task}) started {start}" in message
    assert "with Dr Okafor, who is not on duty" in message
    assert f"set Now to {start} or earlier" in message
    assert "pins[" not in message and "[" not in message and "S1" not in message


def test_half_open_minute_spans_and_pin_paths_are_put_in_words() -> None:
    problem = small_theatre()
    raw = InputError(
        "pins[3] of task 'C2': named staff 'S1' is not on duty for the whole of [540, 630)",
        field="Now",
    )
    message = whatif._in_words(problem, raw).message
    assert message == (
        "the pin of Case 2 (C2): named staff Dr Okafor is not on duty for the whole "
        "of Mon 07 Dec 09:00–10:30"
    )


# -- 4. cancelling a case ---------------------------------------------------------------


def test_the_cancelled_case_form_takes_the_case_out_of_the_scenario() -> None:
    ws = theatre_workspace()
    at = page(ws, cases=True)
    at.selectbox(key="cancel_case").set_value("C3")
    at = next(b for b in at.button if b.label == "Add cancellation").click().run()
    assert not at.exception, at.exception
    pending, texts = ws.pending["cases"]
    assert "C3" not in pending.task_index and "C3" in ws.cases.problem.task_index
    assert len(texts) == 1 and texts[0].startswith("cancelled Case 3 (C3), planned Mon 07 Dec")
    at = replan(at, ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None
    verify_result(scenario.problem, scenario.result)
    table = next(f.value for f in at.dataframe if "Before" in f.value.columns)
    assert list(table[table["Case"] == "C3"]["After"]) == ["cancelled"]  # not "left out"
    assert kpi(at, "Cases cancelled") == ("1", "1")  # the baseline is under the changes
    assert scenario.result.schedule is not None
    assert kpi(at, "Cases unscheduled")[1] == str(len(scenario.result.schedule.unscheduled))


def test_free_text_cancels_a_case_on_confirmation() -> None:
    ws = theatre_workspace()
    at = page(ws, cases=True)
    at.text_area(key="free_text_cases").input("Case C4 is cancelled")
    at.button(key="understand_cases").click().run()
    assert not at.exception, at.exception
    assert any(i.value == "I understood: Case 4 (C4) is cancelled." for i in at.info)
    assert not at.warning  # no "not understood: … withdrawing … not supported"
    assert "cases" not in ws.pending or ws.pending["cases"][1] == []
    at.button(key="confirm_cases").click().run()
    pending, texts = ws.pending["cases"]
    assert "C4" not in pending.task_index
    assert texts[0].startswith("cancelled Case 4 (C4)")


@pytest.mark.parametrize(
    ("text", "cancelled"),
    [
        ("Case C3 is cancelled", ["C3"]),
        ("cancel C3", ["C3"]),
        ("the knee arthroscopy on Monday is cancelled", ["C3"]),
        ("Dr Okafor's list on Monday is cancelled", ["C1", "C2", "C3", "C4", "C5"]),
    ],
)
def test_case_cancellations_read_ids_procedures_surgeons_and_days(
    text: str, cancelled: list[str]
) -> None:
    problem = small_theatre()
    result, _ = solve_verified(problem, time_limit=5)
    assert result.schedule is not None
    assert not result.schedule.unscheduled  # every case is on Monday
    found, unsettled = case_cancellations(text, problem, result.schedule, MON)
    assert unsettled == []
    assert sorted(c.task for c in found) == cancelled


def test_an_ambiguous_cancellation_asks_which_case() -> None:
    problem = small_theatre().model_copy(deep=True)
    tasks = tuple(t.model_copy(update={"procedure": "Hernia repair"}) for t in problem.tasks[:2])
    problem = problem.model_copy(update={"tasks": (*tasks, *problem.tasks[2:])})
    found, unsettled = case_cancellations("the hernia repair is cancelled", problem, None, MON)
    assert found == []
    assert unsettled[0].reason.startswith("2 cases fit: C1 Case 1, C2 Case 2;")


def test_the_rule_parser_no_longer_calls_a_cancelled_case_a_withdrawn_request() -> None:
    problems = [small_theatre()]
    case = propose("Case C3 is cancelled", problems, MON)
    assert (case.requests, case.unparsed) == ([CancelCase(case="C3")], [])
    withdrawn = RuleParser(resolver(), TODAY).parse("Please cancel Sam Lee's request for Friday")
    assert "withdrawing an earlier request is not supported" in withdrawn.unparsed[0].reason


# -- 5. a roster re-plan never ends worse than the repaired published roster ------------


def sick_ward() -> tuple[Workspace, Any, Any]:
    ws = ward_workspace()
    base, problem = ws.roster.result, ws.roster.problem
    assert base is not None and base.roster is not None
    sick = next(a for a in base.roster.assignments if a.day == 1)
    changed, text = whatif.with_leave(problem, sick.staff, TUE, TUE, "sickness")
    ws.pending["roster"] = (changed, [text])
    return ws, base, sick


def test_the_roster_replan_starts_from_the_published_roster_without_the_absent_shifts() -> None:
    ws, base, sick = sick_ward()
    at = replan(page(ws), ws)
    assert not at.exception, at.exception
    scenario = ws.scenarios[0]
    repaired = scenario.fallback
    assert isinstance(repaired, RosterSolution)
    expected = {a for a in base.roster.assignments if (a.staff, a.day) != (sick.staff, 1)}
    assert set(repaired.assignments) == expected
    assert scenario.result is not None
    verify_result(scenario.problem, scenario.result)
    kept = check(scenario.problem, repaired)
    assert kept.feasible  # soft cover: leaving the sick shift open breaks no hard rule
    objective = scenario.result.objective
    assert objective is not None and objective <= kept.objective


def test_a_worse_replan_gives_way_to_the_repaired_published_roster() -> None:
    ws, base, _ = sick_ward()
    changed, texts = ws.pending["roster"]
    planned = whatif.baseline_roster(changed, base)
    repaired = whatif.repaired_roster(planned, base)
    assert repaired is not None
    kept_cost = check(planned, repaired).objective
    # a "re-plan" that also drops everyone's shifts on day 2: more understaffing
    worse_roster = RosterSolution(assignments=tuple(a for a in repaired.assignments if a.day != 2))
    worse_cost = check(planned, worse_roster).objective
    assert worse_cost > kept_cost
    worse = Result(status=SolveStatus.FEASIBLE, objective=worse_cost, roster=worse_roster)
    scenario = Scenario("Scenario 1", "roster", texts, ws.roster.problem, base, planned)
    scenario.fallback = repaired
    changes._finish(scenario, worse, None, False, None)
    assert scenario.result is not None and scenario.result.roster == repaired
    assert scenario.result.status is SolveStatus.FEASIBLE
    assert verify_result(planned, scenario.result).objective == kept_cost
    assert "Keeping the published roster" in scenario.kept_note
    # a re-plan at least as good is kept as it is (one worker keeps the hint)
    better, _ = solve_verified(planned, time_limit=5, hint=repaired)
    assert better.objective is not None and better.objective <= kept_cost
    kept, note = whatif.keep_better(planned, better, repaired)
    assert kept is better and note == ""


# -- 6. layout: nothing the planner needs is pushed out of view at 1280 px --------------


def test_changed_cases_and_scenario_comparison_fit_the_page() -> None:
    ws = theatre_workspace()
    problem, base = ws.cases.problem, ws.cases.result
    assert base is not None
    for name, room in (("Scenario 1", "OR2"), ("Scenario 2", "OR1")):
        closed, text = whatif.with_closed_room(problem, room, None)
        planned, _, _ = whatif.baseline_cases(closed, base)
        result, _ = solve_verified(planned, time_limit=5)
        ws.scenarios.append(Scenario(name, "cases", [text], problem, base, planned, result=result))
    at = page(ws, cases=True)
    assert not at.exception, at.exception
    frames = {tuple(d.value.columns): d.proto for d in at.dataframe}
    compared = next(p for cols, p in frames.items() if whatif.BASELINE_PENALTY in cols)
    assert list(compared.column_order)[-1] == "Changes"  # the long text goes last
    moved = next(p for cols, p in frames.items() if "Before" in cols)
    widths = {c: v.get("width") for c, v in json.loads(moved.columns).items()}
    assert all(isinstance(widths.get(c), int) for c in ("Case", "Name", "Before", "After"))
    assert sum(widths[c] for c in ("Case", "Name", "Before", "After")) <= 820


# -- 7. a cancelled re-plan is marked as stopped early ----------------------------------


def test_a_replan_stopped_with_cancel_is_marked_stopped_early() -> None:
    ws = theatre_workspace()
    problem, base = ws.cases.problem, ws.cases.result
    assert base is not None
    closed, text = whatif.with_closed_room(problem, "OR2", None)
    planned, _, _ = whatif.baseline_cases(closed, base)
    result, _ = solve_verified(planned, time_limit=5)
    stopped = result.model_copy(update={"status": SolveStatus.FEASIBLE})
    scenario = Scenario("Scenario 1", "cases", [text], problem, base, planned)
    changes._finish(scenario, stopped, None, True, None)
    ws.scenarios.append(scenario)
    at = page(ws, cases=True)
    assert any(w.value.startswith("Stopped early") for w in at.warning)
    assert whatif.compare([scenario])["Status"][0] == "FEASIBLE (stopped early)"


# -- 8. no seed unless the planner asks: the time limit holds ---------------------------


def test_solves_and_replans_send_no_seed_by_default() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = go(app_test(ws), "roster")
    at.number_input(key="workers_roster").set_value(1)
    at = at.button(key="solve_roster").click().run()
    job = ws.roster.job
    assert job is not None
    assert job.job["options"]["seed"] is None and job.job["options"]["workers"] == 1
    job.cancel()
    assert job.wait(60)
    ws, _, _ = sick_ward()
    at = page(ws)
    at.number_input(key="scenario_limit").set_value(1)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    scenario = ws.scenarios[0]
    assert scenario.job is not None and scenario.job.job["options"]["seed"] is None
    scenario.job.cancel()
    deadline = time.monotonic() + 60
    while scenario.job.running and time.monotonic() < deadline:
        time.sleep(0.2)
