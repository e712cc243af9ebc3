"""Case what-ifs tell the truth about their baseline: the published schedule under the
scenario's changes, costed by the checker, headed and listed as breaking hard rules when
it does; a closure over a case started before Now is refused in words."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import pytest

from dashboards import whatif
from dashboards.samples import small_theatre
from dashboards.whatif import case_kpis, comparison
from dashboards.whatif.case_baseline import published_schedule
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem
from optimizer.model.result import Result
from tests.test_dashboard_whatif import (
    MON,
    kpi,
    page,
    replan,
    texts,
    theatre_workspace,
)
from tests.verify import solve_verified, verify_result


@pytest.fixture(scope="module")
def published() -> tuple[CaseProblem, Result]:
    problem = small_theatre()
    result, _ = solve_verified(problem, time_limit=5)
    assert result.schedule is not None and result.schedule.tasks
    return problem, result


def first_case(result: Result) -> Any:
    assert result.schedule is not None
    return min(result.schedule.tasks, key=lambda t: (t.start, t.task))


def closed_under(problem: CaseProblem, result: Result) -> CaseProblem:
    """The re-planning problem with the room of the first published case closed all plan."""
    room = first_case(result).room
    closed, _ = whatif.with_closed_room(problem, str(room), None)
    planned, _, _ = whatif.baseline_cases(closed, result)
    return planned


def test_a_baseline_that_breaks_hard_rules_is_headed_listed_and_has_no_penalty_delta(
    published: tuple[CaseProblem, Result],
) -> None:
    problem, result = published
    planned = closed_under(problem, result)
    report = check(planned, published_schedule(planned, result))
    assert not report.feasible  # the published cases in the closed room
    table = whatif.case_kpi_table(planned, result, result, problem)
    broken = len(whatif.published_under_case_changes(planned, result)[1])
    heading = f"Baseline (breaks {broken} hard rule{'' if broken == 1 else 's'})"
    assert broken >= 1 and heading in table.columns and "Baseline" not in table.columns
    penalty = table[table["Measure"] == "Penalty"]
    assert list(penalty["Δ"]) == ["—"] and list(penalty[heading]) == [str(report.objective)]
    note = whatif.broken_case_baseline_note(planned, result)
    assert note.startswith(whatif.BROKEN_CASE_BASELINE)
    assert note.count("\n- ") == broken
    assert not re.search(r"'C\d+'", note)  # cases named, not quoted ids
    scenario = SimpleNamespace(kind="cases", problem=planned, base_result=result)
    assert whatif.baseline_penalty(scenario) == f"none {heading.removeprefix('Baseline ')}"
    caption = whatif.case_baseline_caption(problem, planned, result, usable=False)
    assert caption.startswith("Baseline: the published schedule under the changes")
    assert "no Δ" in caption


def test_the_baseline_penalty_is_the_published_schedule_under_the_changes(
    published: tuple[CaseProblem, Result],
) -> None:
    problem, result = published
    added, _ = whatif.with_added_case(problem, "X9", "Appendicectomy", 60, None, {}, MON, 5)
    planned, _, _ = whatif.baseline_cases(added, result)
    measured = check(planned, published_schedule(planned, result))
    assert measured.feasible
    scenario = SimpleNamespace(kind="cases", problem=planned, base_result=result)
    penalty = whatif.baseline_penalty(scenario)
    assert penalty == measured.objective and penalty != result.objective  # X9 unscheduled
    table = whatif.case_kpi_table(planned, result, result, problem)
    assert "Baseline" in table.columns
    row = table[table["Measure"] == "Penalty"]
    assert list(row["Baseline"]) == [str(measured.objective)]
    caption = whatif.case_baseline_caption(problem, planned, result)
    assert "X9" in caption and "not scheduled" in caption and "wins back" in caption


def test_closing_the_room_of_a_case_started_before_now_is_refused_in_words(
    published: tuple[CaseProblem, Result],
) -> None:
    problem, result = published
    started = first_case(result)
    room = problem.room(started.room)
    closed, _ = whatif.with_closed_room(problem, room.id, MON)
    now = started.start + 10
    with pytest.raises(InputError) as refused:
        whatif.baseline_cases(closed, result, now=now)
    message = refused.value.message
    task = problem.task(started.task)
    assert task.id in message and room.label in message
    assert "closed all of Mon 07 Dec" in message and "before Now (Mon 07 Dec" in message
    assert "set Now to" in message
    assert "pin" not in message and "field" not in message
    assert not re.search(r"\bstart \d+", message)


def test_raw_start_minutes_are_put_in_words(published: tuple[CaseProblem, Result]) -> None:
    problem, _ = published
    raw = InputError("the pin of case C1: at start 540 its 60 minutes fit in no opening")
    text = whatif.in_words(problem, raw).message
    assert "at Mon 07 Dec 09:00 its 60 minutes" in text and "540" not in text


def test_the_page_warns_about_a_case_baseline_that_breaks_hard_rules() -> None:
    ws = theatre_workspace()
    problem, result = ws.cases.problem, ws.cases.result
    assert result is not None
    room = first_case(result).room
    closed, text = whatif.with_closed_room(problem, str(room), None)
    ws.pending["cases"] = (closed, [text])
    at = replan(page(ws, cases=True), ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None
    verify_result(scenario.problem, scenario.result)
    shown = texts(at)
    assert any(t.startswith(whatif.BROKEN_CASE_BASELINE) for t in shown), shown
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Baseline: the published schedule under the changes") for c in captions)
    measured = check(scenario.problem, published_schedule(scenario.problem, result))
    assert kpi(at, "Penalty")[0] == str(measured.objective)
    comparison = whatif.compare(ws.scenarios)
    assert str(comparison[whatif.BASELINE_PENALTY].iloc[0]).startswith("none (breaks ")


def test_a_closure_for_part_of_a_day_cuts_the_openings_and_is_the_way_out(
    published: tuple[CaseProblem, Result],
) -> None:
    problem, result = published
    closed, text = whatif.with_closed_room(problem, "OR1", MON, dt.time(10), dt.time(12))
    assert text == "Theatre 1 closed on Mon 07 Dec 10:00–12:00"
    assert [(o.start, o.end, o.overtime) for o in closed.room("OR1").openings] == [
        (480, 600, 0),
        (720, 1020, 60),
    ]
    with pytest.raises(InputError) as no_day:
        whatif.with_closed_room(problem, "OR1", None, dt.time(10), None)
    assert "needs a day" in no_day.value.message
    with pytest.raises(InputError) as backwards:
        whatif.with_closed_room(problem, "OR1", MON, dt.time(12), dt.time(10))
    assert backwards.value.field == "To" and "12:00" in backwards.value.message
    started = first_case(result)
    ends = problem.datetime_of(started.end)
    assert ends is not None
    after, _ = whatif.with_closed_room(problem, started.room, MON, ends.time(), None)
    _, fixed, _ = whatif.baseline_cases(after, result, now=started.start + 10)
    assert started.task in fixed


def test_the_closed_room_form_takes_from_and_to_times() -> None:
    ws = theatre_workspace()
    at = page(ws, cases=True)
    next(s for s in at.selectbox if s.label == "Closed on").set_value(MON)
    at.time_input(key="closed_from").set_value(dt.time(10))
    at.time_input(key="closed_to").set_value(dt.time(12))
    at = next(b for b in at.button if b.label == "Close room").click().run()
    assert not at.exception, at.exception
    pending, changes = ws.pending["cases"]
    assert changes[-1].endswith("closed on Mon 07 Dec 10:00–12:00")
    room = pending.rooms[0]
    assert all(o.hard_end <= 600 or o.start >= 720 for o in pending.openings_of(room))


def test_the_page_computes_a_case_baseline_once_and_passes_it(
    published: tuple[CaseProblem, Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    problem, result = published
    planned = closed_under(problem, result)
    scenario = SimpleNamespace(
        name="Scenario 1",
        kind="cases",
        problem=planned,
        base_problem=problem,
        base_result=result,
        result=result,
        changes=["room closed"],
        stopped_early=False,
    )
    table = whatif.case_kpi_table(planned, result, result, problem)
    note = whatif.broken_case_baseline_note(planned, result)
    compared = whatif.compare([scenario])
    baselines = whatif.scenario_baselines([scenario])
    assert list(baselines) == ["Scenario 1"] and baselines["Scenario 1"][1]  # it breaks rules

    def recomputed(*args: object) -> None:
        raise AssertionError("the case baseline was computed again")

    monkeypatch.setattr(case_kpis, "published_under_case_changes", recomputed)
    monkeypatch.setattr(comparison, "published_under_case_changes", recomputed)
    baseline = baselines["Scenario 1"]
    assert whatif.compare([scenario], baselines).equals(compared)
    assert whatif.case_kpi_table(planned, result, result, problem, baseline=baseline).equals(table)
    assert whatif.broken_case_baseline_note(planned, result, baseline=baseline) == note
