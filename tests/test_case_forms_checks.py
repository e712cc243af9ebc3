"""The case Changes forms refuse what free text refuses (a named surgeon off duty on the
added case's day), a member of case staff can be away for part of a day (form), and a
bad upload's message goes once it no longer applies (fixed tables, undo)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from streamlit.testing.v1 import AppTest

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import Workspace, demo_cases
from dashboards.whatif.case_absence import with_case_absence
from dashboards.whatif.problem_copy import rebuild
from llm_intake.apply import apply_requests
from llm_intake.requests import AddCase
from optimizer.errors import InputError
from optimizer.io.tables.from_problem import problem_tables, roster_tables
from optimizer.io.tables.to_bundle import tables_to_xlsx
from optimizer.model.cases import Absence, CaseProblem, Window
from tests.test_dashboard_uploads import data_page, upload
from tests.test_dashboard_whatif import page, theatre_workspace
from tests.verify import solve_verified

MON, TUE = dt.date(2026, 12, 7), dt.date(2026, 12, 8)
DAY = 24 * 60


def two_day_theatre() -> CaseProblem:
    """The small theatre over two days; the surgeon (Dr Okafor) is on duty Monday only."""
    problem = small_theatre()
    monday, tuesday = Window(start=480, end=1080), Window(start=DAY + 480, end=DAY + 1080)
    staff = tuple(
        p.model_copy(update={"available": (monday,) if p.id == "S1" else (monday, tuesday)})
        for p in problem.staff
    )
    rooms = tuple(
        r.model_copy(
            update={
                "openings": (
                    *r.openings,
                    *(
                        o.model_copy(update={"start": o.start + DAY, "end": o.end + DAY})
                        for o in r.openings
                    ),
                )
            }
        )
        for r in problem.rooms
    )
    made: CaseProblem = rebuild(problem, horizon=2 * DAY, staff=staff, rooms=rooms)
    return made


# -- the added-case form ----------------------------------------------------------------


def test_a_named_surgeon_off_duty_that_day_is_refused_as_free_text_refuses_it() -> None:
    problem = demo_cases()
    okafor = next(p for p in problem.staff if p.label == "Mr Daniel Okafor")
    with pytest.raises(InputError) as caught:
        whatif.with_added_case(
            problem, "X121", "Urgent cholecystectomy", 60, okafor.id, {}, TUE, 10
        )
    assert caught.value.field == "Named surgeon"
    assert caught.value.message == (
        "cannot add the 60-min Urgent cholecystectomy case on Tue 08 Dec: Mr Daniel Okafor "
        "is not on duty long enough that day (on duty Mon 07 Dec, Wed 09 Dec)"
    )
    request = AddCase(procedure="cholecystectomy", duration_min=60, surgeon=okafor.id, date=TUE)
    with pytest.raises(InputError) as free_text:
        apply_requests(problem, [request])
    same_reason = (
        "Mr Daniel Okafor is not on duty long enough that day (on duty Mon 07 Dec, Wed 09 Dec)"
    )
    assert free_text.value.message.endswith(same_reason)


def test_an_added_case_names_its_surgeon_and_priority_and_solves_on_its_day() -> None:
    problem = two_day_theatre()
    with pytest.raises(InputError) as caught:
        whatif.with_added_case(
            problem, "X1", "Appendicectomy", 60, "S1", {"anaesthetist": 1}, TUE, 3
        )
    assert caught.value.field == "Named surgeon" and "(on duty Mon 07 Dec)" in caught.value.message
    added, text = whatif.with_added_case(
        problem, "X1", "Appendicectomy", 60, "S1", {"anaesthetist": 1}, MON, 7
    )
    assert (
        text == "added case X1: Appendicectomy, 60 min on Mon 07 Dec, surgeon Dr Okafor, priority 7"
    )
    result, _ = solve_verified(added, time_limit=5)
    assert result.schedule is not None
    placed = result.schedule.by_task()
    assert "X1" in placed and placed["X1"].end <= DAY  # on Monday, not late on Tuesday


def test_a_case_no_room_can_hold_that_day_is_refused_on_the_day_field() -> None:
    with pytest.raises(InputError) as caught:
        whatif.with_added_case(small_theatre(), "X1", "Long case", 700, None, {}, MON, 3)
    assert caught.value.field == "Day"
    assert "no opening of Theatre 1, Theatre 2 holds it that day" in caught.value.message


def test_the_added_case_form_shows_the_refusal() -> None:
    ws = theatre_workspace(two_day_theatre())
    at = page(ws, cases=True)
    surgeon = next(s for s in at.selectbox if s.label == "Named surgeon")
    surgeon.set_value("S1")
    next(s for s in at.selectbox if s.label == "Day").set_value(TUE)
    at = next(b for b in at.button if b.label == "Add case").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any("Named surgeon" in e and "(on duty Mon 07 Dec)" in e for e in errors), errors
    assert "cases" not in ws.pending or ws.pending["cases"][1] == []


# -- a member of case staff away --------------------------------------------------------


def test_an_afternoon_absence_is_time_off_with_its_reason_and_the_replan_respects_it() -> None:
    ws = theatre_workspace()
    problem, published = ws.cases.problem, ws.cases.result
    assert published is not None
    away, text = with_case_absence(problem, published, "S1", MON, dt.time(11), None, "sickness")
    assert away.person("S1").unavailable == (Absence(start=660, end=DAY, reason="sickness"),)
    assert text.startswith("Dr Okafor away Mon 07 Dec 11:00–24:00 (sickness)")
    result, _ = solve_verified(away, time_limit=5)
    assert result.schedule is not None
    for item in result.schedule.tasks:
        assert "S1" not in item.staff or item.end <= 660


def test_an_absence_over_a_case_that_ran_long_is_refused_in_words() -> None:
    ws = theatre_workspace()
    problem, published = ws.cases.problem, ws.cases.result
    assert published is not None and published.schedule is not None
    first = min(published.schedule.tasks, key=lambda t: t.start)
    ran, _ = whatif.with_case_overrun(problem, published, first.task, 30)
    end = first.end + 30
    with pytest.raises(InputError) as caught:
        with_case_absence(ran, published, "A1", MON, dt.time(8), dt.time(12))
    assert caught.value.field == "From"
    message = caught.value.message
    assert message.startswith("Dr Lee cannot be away Mon 07 Dec 08:00–12:00: they are on ")
    assert f"start at Mon 07 Dec {end // 60:02d}:{end % 60:02d} or later" in message
    assert re.search(r"\b(pins?\[|start \d+\b)", message) is None  # no raw pin or minute


def test_times_in_the_wrong_order_and_days_off_the_plan_are_refused() -> None:
    ws = theatre_workspace()
    problem, published = ws.cases.problem, ws.cases.result
    assert published is not None
    with pytest.raises(InputError) as caught:
        with_case_absence(problem, published, "S1", MON, dt.time(12), dt.time(9))
    assert caught.value.field == "To"
    with pytest.raises(InputError) as caught:
        with_case_absence(problem, published, "S1", TUE)
    assert caught.value.field == "Day" and "outside the case schedule" in caught.value.message


def test_the_staff_away_form_adds_the_absence_to_the_scenario() -> None:
    ws = theatre_workspace()
    at = page(ws, cases=True)
    at.selectbox(key="absence_person").set_value("R1")
    at.time_input(key="absence_from").set_value(dt.time(8))
    at.time_input(key="absence_to").set_value(dt.time(10))
    at.selectbox(key="absence_reason").set_value("training")
    at = next(b for b in at.button if b.label == "Add absence").click().run()
    assert not at.exception, at.exception
    pending, texts = ws.pending["cases"]
    assert pending.person("R1").unavailable == (Absence(start=480, end=600, reason="training"),)
    assert texts[0].startswith("Sam Cole away Mon 07 Dec 08:00–10:00 (training)")


# -- an upload's message about bad cells ------------------------------------------------


def bad_theatre_bundle() -> bytes:
    tables = problem_tables(small_theatre())
    tasks = tables["tasks"].copy()
    tasks["duration"] = tasks["duration"].astype(object)
    tasks.loc[tasks.index[1], "duration"] = "90 min"  # row 2, 90 in use
    tables["tasks"] = tasks
    return tables_to_xlsx(tables)


def upload_messages(at: AppTest) -> list[str]:
    return [e.value for e in at.error if "problem(s) found" in e.value]


def test_the_upload_message_goes_when_the_fixed_tables_equal_the_problem_in_use() -> None:
    ws = Workspace()
    ws.cases.set_problem(small_theatre())
    at = upload(data_page(ws), "theatre.xlsx", bad_theatre_bundle())
    assert len(upload_messages(at)) == 1
    ws.cases.editor_data["tasks"].loc[2, "duration"] = "75"  # fixed, but not what is in use
    at.run()
    assert len(upload_messages(at)) == 1  # Apply is still needed
    ws.cases.editor_data["tasks"].loc[2, "duration"] = "90"
    at.run()
    assert not at.exception, at.exception
    assert any("match the problem in use" in s.value for s in at.success)
    assert upload_messages(at) == [] and ws.upload_errors == []


def test_undo_takes_the_upload_message_away_with_the_uploaded_tables() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = data_page(ws)
    at = upload(at, "ward.xlsx", tables_to_xlsx(roster_tables(small_ward(days=3))))
    assert ws.roster.problem == small_ward(days=3)
    tables = roster_tables(small_ward(days=3))
    tables["staff"].loc[2, "min_minutes"] = "lots"
    at = upload(at, "bad_ward.xlsx", tables_to_xlsx(tables))
    assert len(upload_messages(at)) == 1
    ws.undo()  # the sidebar's Undo: upload ward.xlsx
    at.run()
    assert not at.exception, at.exception
    assert ws.roster.problem == small_ward()
    assert upload_messages(at) == []
    assert any("match the problem in use" in s.value for s in at.success)


def test_an_upload_message_stays_while_its_tables_are_shown_elsewhere() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = upload(data_page(ws), "theatre.xlsx", bad_theatre_bundle())
    at.radio(key="data_family").set_value(at.radio(key="data_family").options[0]).run()
    assert not at.exception, at.exception
    assert len(upload_messages(at)) == 1  # the roster tables match; the case tables do not


def test_the_staff_away_form_says_what_is_wrong_and_adds_nothing() -> None:
    ws = theatre_workspace()
    at = page(ws, cases=True)
    at.time_input(key="absence_from").set_value(dt.time(12))
    at.time_input(key="absence_to").set_value(dt.time(9))
    at = next(b for b in at.button if b.label == "Add absence").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert errors == [
        "the absence ends (09:00) at or before it starts (12:00); leave To empty for the "
        "rest of the day"
    ]
    assert "cases" not in ws.pending or ws.pending["cases"][1] == []
