"""What-if page and functions: counts not costs, infeasible re-plans, demand and room
closures that cannot mislead, "now" and overruns for cases, free-text edge cases."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import Workspace
from optimizer.check import check
from optimizer.errors import InputError
from optimizer.model.cases import CaseProblem, Opening
from optimizer.model.result import Result
from optimizer.model.roster import RosterProblem
from tests.verify import solve_verified, verify_result

TIMEOUT = 60
MON, TUE, WED = dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 9)


def page_script() -> None:
    from dashboards.views import changes

    changes.render()


def page(ws: Workspace, cases: bool = False) -> AppTest:
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT)
    at.session_state["workspace"] = ws
    at.run()
    if cases:
        at.radio(key="plan_choice").set_value("Case schedule").run()
    return at


def ward_workspace(problem: RosterProblem | None = None) -> Workspace:
    ws = Workspace()
    problem = problem or small_ward()
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)
    return ws


def theatre_workspace(problem: CaseProblem | None = None) -> Workspace:
    ws = Workspace()
    problem = problem or small_theatre()
    ws.cases.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.cases.set_result(result)
    return ws


def replan(at: AppTest, ws: Workspace) -> AppTest:
    """Press Re-plan (5 s) and wait for the scenario's solve to end."""
    at.number_input(key="scenario_limit").set_value(5)
    at = next(b for b in at.button if b.label.startswith("Re-plan")).click().run()
    assert not at.exception, at.exception
    deadline = time.monotonic() + TIMEOUT
    while any(s.job is not None for s in ws.scenarios) and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
    assert all(s.job is None for s in ws.scenarios), "the re-plan did not finish in time"
    return at.run()


def texts(at: AppTest) -> list[str]:
    return [e.value for kind in ("error", "warning", "info", "markdown") for e in getattr(at, kind)]


def kpi(at: AppTest, measure: str) -> tuple[str, str]:
    table = next(f.value for f in at.dataframe if "Measure" in f.value.columns)
    row = table[table["Measure"] == measure]
    assert len(row) == 1, f"no KPI row {measure!r} in {list(table['Measure'])}"
    baseline = next(c for c in table.columns if c.startswith("Baseline"))  # "(breaks …)"
    return str(row[baseline].iloc[0]), str(row["Scenario"].iloc[0])


def leave(at: AppTest, staff: str, first: dt.date, last: dt.date) -> AppTest:
    at.selectbox[0].set_value(staff)
    at.date_input[0].set_value(first)
    at.date_input[1].set_value(last)
    return at.button[0].click().run()  # "Add leave"


# -- roster re-plans -----------------------------------------------------------------


def test_roster_replan_counts_changes_keeps_earlier_days_and_adopts_without_pins() -> None:
    ws = ward_workspace(small_ward(14))
    base = ws.roster.result
    problem = ws.roster.problem
    assert base is not None and base.roster is not None
    sick = next(a.staff for a in base.roster.assignments if a.day == 7)
    at = leave(page(ws), sick, MON + dt.timedelta(days=7), TUE + dt.timedelta(days=7))
    at = replan(at, ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.roster is not None
    verify_result(scenario.problem, scenario.result)
    moved = whatif.roster_changes(scenario.problem, base, scenario.result)
    # the KPI counts the listed changes; their penalty is a separate, labelled row. The
    # baseline is the published roster under the sickness: its changes are the sick
    # person's shifts left open
    forced = sum(1 for a in base.roster.assignments if a.staff == sick and a.day in (7, 8))
    assert kpi(at, "Changed assignments") == (str(forced), str(len(moved)))
    cost = scenario.result.terms.get("baseline_change", 0)
    assert kpi(at, "Cost of changes") == (str(10 * forced), str(cost))
    assert cost == 10 * len(moved) and len(moved) >= 1
    assert any(f"{len(moved)} changed assignments" in t for t in texts(at))
    # the leave starts Mon 14 Dec; up to 5 days in a row may be worked, so the 5 days
    # before it stay free and Mon 7 and Tue 8 Dec keep the published roster
    assert whatif.rule_reach(problem) == 5
    assert not {"Mon 07 Dec", "Tue 08 Dec"} & set(moved["Date"])
    assert any("Days before Wed 09 Dec keep the published" in c.value for c in at.caption)
    # shift names, not ids, in the list
    assert set(moved["Before"]) | set(moved["After"]) <= {"Early", "Late", "off"}
    at = next(b for b in at.button if b.label.startswith("Adopt")).click().run()
    assert not at.exception, at.exception
    adopted = ws.roster.problem
    assert adopted.pins == problem.pins and adopted.baseline is None
    assert ws.roster.result is not None
    verify_result(adopted, ws.roster.result)


def test_infeasible_roster_replan_says_so_and_shows_the_diagnosis() -> None:
    problem = small_ward(3)
    floor = tuple(
        c.model_copy(update={"min_required": 1})
        if (c.skill, c.day, c.shift) == ("RN", 0, "E")
        else c
        for c in problem.cover
    )
    problem = RosterProblem.model_validate(problem.model_copy(update={"cover": floor}).model_dump())
    ws = ward_workspace(problem)
    at = page(ws)
    for nurse in ("N1", "N2"):  # both RNs sick on Monday: the hard RN floor cannot hold
        at = leave(at, nurse, MON, MON)
    at = replan(at, ws)
    shown = texts(at)
    assert any("No roster satisfies every hard rule" in t for t in shown)
    assert not any("time limit" in t for t in shown)
    assert ws.scenarios[0].result is None
    # the diagnosis computed by the solver process is on the page
    assert any("needs at least 1 RN-skilled staff (hard minimum)" in t for t in shown), shown
    assert "**Relaxations**" in shown


# -- extra demand ----------------------------------------------------------------------


def per_skill_ward() -> RosterProblem:
    problem = small_ward()
    cover = tuple(c for c in problem.cover if c.skill is not None)
    return RosterProblem.model_validate(problem.model_copy(update={"cover": cover}).model_dump())


def demand(at: AppTest, first: dt.date, last: dt.date, skill: str, extra: int) -> AppTest:
    at.date_input[2].set_value(first)
    at.date_input[3].set_value(last)
    boxes = [s for s in at.selectbox if s.label == "Skill"]
    boxes[0].set_value(skill)
    next(n for n in at.number_input if n.label == "Extra staff").set_value(extra)
    return next(b for b in at.button if b.label == "Add demand").click().run()


@pytest.mark.parametrize(
    ("first", "last", "skill", "message"),
    [
        (WED, MON, "RN", "the last day is before the first day"),
        (MON, MON, "(any)", "is set per skill (RN 1); pick the skill"),
    ],
)
def test_demand_that_would_do_nothing_is_refused_inline(
    first: dt.date, last: dt.date, skill: str, message: str
) -> None:
    ws = Workspace()
    ws.roster.set_problem(per_skill_ward())
    ws.roster.set_result(solve_verified(per_skill_ward(), time_limit=5)[0])
    at = page(ws)
    steps = len(ws.history.undo_steps)
    at = demand(at, first, last, skill, 1)
    assert not at.exception, at.exception
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert ws.pending["roster"][1] == []  # no scenario entry
    assert len(ws.history.undo_steps) == steps  # no undo step


def test_extra_demand_raises_the_requirement_it_names() -> None:
    problem = small_ward()
    result, _ = solve_verified(problem, time_limit=5)
    new, text = whatif.with_extra_demand(problem, MON, MON, "E", None, 1)
    assert text == "+1 staff on Early shifts, Mon 07 Dec (cover 1 → 2)"
    row = next(c for c in new.cover if (c.day, c.shift, c.skill) == (0, "E", None))
    assert row.required == 2
    # one person works Mon Early in the optimum: the unchanged roster now misses one
    # person of any skill (under_weight 20), so the demand is not a no-op
    assert result.roster is not None
    assert sum(1 for a in result.roster.assignments if (a.day, a.shift) == (0, "E")) == 1
    before, after = check(problem, result).objective, check(new, result).objective
    assert after - before == 20
    with pytest.raises(InputError, match="needs more than the 2 staff with RN"):
        whatif.with_extra_demand(problem, MON, MON, "E", "RN", 3)


# -- case re-plans ---------------------------------------------------------------------


def only_theatre_2(problem: CaseProblem, optional: bool) -> CaseProblem:
    """Case C5 may only use Theatre 2 (OR2)."""
    tasks = tuple(
        t.model_copy(update={"rooms": ("OR2",), "optional": optional}) if t.id == "C5" else t
        for t in problem.tasks
    )
    return CaseProblem.model_validate(problem.model_copy(update={"tasks": tasks}).model_dump())


def test_closing_a_room_leaves_out_optional_cases_only_it_can_take() -> None:
    problem = only_theatre_2(small_theatre(), optional=True)
    closed, text = whatif.with_closed_room(problem, "OR2", None)
    assert "C5" not in closed.task_index and len(closed.tasks) == len(problem.tasks) - 1
    assert text.startswith("Theatre 2 closed for the whole plan; left out")
    assert "Case 5 (C5)" in text
    mandatory = only_theatre_2(small_theatre(), optional=False)
    with pytest.raises(InputError) as refused:
        whatif.with_closed_room(mandatory, "OR2", MON)
    message = str(refused.value)
    assert "Theatre 2 cannot close on Mon 07 Dec" in message and "Case 5 (not optional)" in message
    assert "OR2" not in message and "[" not in message


def test_a_closure_cuts_openings_back_to_the_minutes_outside_it() -> None:
    base = small_theatre()
    night = Opening(start=20 * 60, end=26 * 60, overtime=60)  # Mon 20:00 – Tue 02:00 (+1 h)
    rooms = tuple(
        r.model_copy(update={"openings": (night,)}) if r.id == "OR1" else r for r in base.rooms
    )
    problem = CaseProblem.model_validate(
        base.model_copy(update={"rooms": rooms, "horizon": 2 * 24 * 60}).model_dump()
    )
    on_tue, _ = whatif.with_closed_room(problem, "OR1", TUE)
    assert [(o.start, o.end, o.overtime) for o in on_tue.room("OR1").openings] == [(1200, 1440, 0)]
    on_mon, _ = whatif.with_closed_room(problem, "OR1", MON)
    assert [(o.start, o.end, o.overtime) for o in on_mon.room("OR1").openings] == [(1440, 1560, 60)]


def test_closed_room_scenario_lists_left_out_cases_and_names_rooms_and_staff() -> None:
    problem = only_theatre_2(small_theatre(), optional=True)
    ws = theatre_workspace(problem)
    base = ws.cases.result
    assert base is not None and base.schedule is not None
    closed, text = whatif.with_closed_room(problem, "OR2", None)
    ws.pending["cases"] = (closed, [text])
    at = replan(page(ws, cases=True), ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.schedule is not None
    verify_result(scenario.problem, scenario.result)
    moved = whatif.case_changes(scenario.problem, base, scenario.result, problem)
    table = next(f.value for f in at.dataframe if "Before" in f.value.columns)
    assert len(table) == len(moved)
    shown = " ".join(table["Before"]) + " ".join(table["After"])
    assert "Theatre" in shown and "Dr Okafor" in shown
    assert "OR1" not in shown and "S1" not in shown
    assert "C5" in base.schedule.by_task()  # published in Theatre 2, now left out
    row = table[table["Case"] == "C5"]
    assert list(row["After"]) == ["left out (cannot be placed after the changes)"]
    unscheduled = len(base.schedule.unscheduled)
    assert kpi(at, "Cases unscheduled") == (  # C5 left out of both, under the changes
        str(unscheduled + 1),
        str(len(scenario.result.schedule.unscheduled) + 1),
    )
    assert kpi(at, "Cases changed") == ("0", str(len(moved)))


def first_case(result: Result) -> Any:
    assert result.schedule is not None
    return min(result.schedule.tasks, key=lambda t: (t.start, t.task))


def test_started_cases_stay_where_they_are_when_now_is_set() -> None:
    ws = theatre_workspace()
    base = ws.cases.result
    problem = ws.cases.problem
    assert base is not None and base.schedule is not None
    closed, text = whatif.with_closed_room(problem, "OR2", None)
    ws.pending["cases"] = (closed, [text])
    at = page(ws, cases=True)
    now = first_case(base).start + 1
    at.datetime_input[0].set_value(dt.datetime(2026, 12, 7) + dt.timedelta(minutes=now))
    at = replan(at.run(), ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.schedule is not None
    verify_result(scenario.problem, scenario.result)
    after = scenario.result.schedule.by_task()
    started = [t for t in base.schedule.tasks if t.start < now]
    assert started
    for item in started:  # pinned: same start, room and team, even in the closed room
        placed = after[item.task]
        assert (placed.start, placed.room, set(placed.staff)) == (
            item.start,
            item.room,
            set(item.staff),
        )
    assert all(
        t.start >= now
        for t in scenario.result.schedule.tasks
        if t.task not in {s.task for s in started}
    )
    assert any("Started before now" in c.value for c in at.caption)


def test_a_case_that_ran_long_stays_and_pushes_the_next() -> None:
    ws = theatre_workspace()
    base = ws.cases.result
    assert base is not None
    first = first_case(base)
    at = page(ws, cases=True)
    next(s for s in at.selectbox if s.label == "Case").set_value(first.task)
    next(n for n in at.number_input if n.label == "Minutes over").set_value(40)
    at = next(b for b in at.button if b.label == "Add overrun").click().run()
    assert not at.exception, at.exception
    problem, changes = ws.pending["cases"]
    assert len(changes) == 1 and "ran 40 min over" in changes[0]
    assert problem.pin_of(first.task) is not None
    at = replan(at, ws)
    scenario = ws.scenarios[0]
    assert scenario.result is not None and scenario.result.schedule is not None
    verify_result(scenario.problem, scenario.result)
    placed = scenario.result.schedule.by_task()[first.task]
    assert (placed.start, placed.end) == (first.start, first.end + 40)


# -- free text -------------------------------------------------------------------------


def test_free_text_edge_cases() -> None:
    ws = ward_workspace()
    at = page(ws)
    box = "free_text_roster"
    at.text_area(key=box).input(
        "Jo Park is off sick on Tuesday 8 December. Jo Park can't work 1 February"
    )
    at = at.button(key="understand_roster").click().run()
    assert any("Jo Park: sickness" in i.value for i in at.info), [i.value for i in at.info]
    shown = texts(at)
    assert sum("Jo Park can't work 1 February" in t for t in shown) == 1, shown
    # empty text: the old proposal goes and the page says what to do
    at.text_area(key=box).input("")
    at = at.button(key="understand_roster").click().run()
    assert ws.proposal is None
    assert any("Type a change" in w.value for w in at.warning)
    assert not [b for b in at.button if b.key == "confirm_roster"]
    # confirm: added once, with the reason; the box is emptied
    at.text_area(key=box).input("Jo Park is off sick on Tuesday 8 December")
    at = at.button(key="understand_roster").click().run()
    at = at.button(key="confirm_roster").click().run()
    assert not at.exception, at.exception
    _, changes = ws.pending["roster"]
    assert len(changes) == 1 and changes[0].startswith("Jo Park: sickness")
    assert at.text_area(key=box).value == ""


def test_infeasible_case_replan_says_so_with_the_likely_causes() -> None:
    base = small_theatre()
    tasks = tuple(t.model_copy(update={"optional": False}) for t in base.tasks)
    problem = CaseProblem.model_validate(base.model_copy(update={"tasks": tasks}).model_dump())
    ws = theatre_workspace(problem)
    assert ws.cases.result is not None
    first = first_case(ws.cases.result)
    # Dr Okafor is on every case: 400 minutes over leaves no time for the others
    overrun, text = whatif.with_case_overrun(problem, ws.cases.result, first.task, 400)
    ws.pending["cases"] = (overrun, [text])
    at = replan(page(ws, cases=True), ws)
    shown = texts(at)
    assert any("No case schedule keeps every mandatory and pinned case" in t for t in shown)
    assert not any("time limit" in t for t in shown), shown
    assert any("Likely cause: Dr Okafor is named on" in t for t in shown), shown
    assert ws.scenarios[0].result is None
