"""Dashboard fixes from a browser probe: kept settings reach the browser, Undo names an
upload, no developer notes on pages, a fixed upload's error goes, the what-if KPI costs
add up to the total penalty, downloads do not rerun.

The browser side of the kept settings is in ``tests/test_browser_page_switch.py``.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import FileUploader

from dashboards import whatif
from dashboards.samples import small_theatre, small_ward
from dashboards.state import Scenario, Workspace
from optimizer.io.project import problem_to_json
from optimizer.io.tables.from_problem import roster_tables
from optimizer.io.tables.to_bundle import tables_to_zip
from optimizer.model.result import Result, SolveStatus
from optimizer.model.roster import Contract, RosterProblem
from tests.test_dashboard_state import app_test, go
from tests.verify import solve_verified, verify_result

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted((ROOT / "dashboards" / "views").glob("[a-z]*.py"))
COSTS = ("Understaffing cost", "Overstaffing cost", "Request cost", "Cost of changes")


def upload(at: AppTest, name: str, content: bytes) -> AppTest:
    element = at.get("file_uploader")[0]
    assert isinstance(element, FileUploader)
    element.upload(name, content)
    at.run()
    assert not at.exception, at.exception
    return at


def sent(at: AppTest, kind: str, key: str) -> Any:
    """The value the widget's message tells the browser to show (None: it sends none, so
    the browser shows its own default)."""
    proto = getattr(at, kind)(key=key).proto
    if not proto.set_value:
        return None
    return proto.raw_value if kind == "radio" else proto.value


# -- kept settings reach the browser (D1, D2) ---------------------------------------


def test_kept_settings_are_sent_to_the_browser_after_a_page_switch() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = go(app_test(ws), "roster")
    at.number_input(key="limit_roster").set_value(45)
    at.number_input(key="seed_roster").set_value(7)
    at.run()
    at = go(at, "cases")
    at.number_input(key="limit_cases").set_value(33).run()
    at = go(at, "roster")
    # the browser draws these inputs anew: unless told the values, it shows the minimums
    assert sent(at, "number_input", "limit_roster") == 45
    assert sent(at, "number_input", "seed_roster") == 7
    at = go(at, "data")
    at.radio(key="data_family").set_value("Case schedule").run()
    at.radio(key="sheet_cases").set_value("rooms").run()
    at = go(at, "changes")
    at.radio(key="plan_choice").set_value("Case schedule").run()
    at = go(at, "cases")
    assert sent(at, "number_input", "limit_cases") == 33
    at = go(at, "data")
    assert sent(at, "radio", "data_family") == "Case schedule"
    assert sent(at, "radio", "sheet_cases") == "rooms"
    at = go(at, "changes")
    assert sent(at, "radio", "plan_choice") == "Case schedule"


def test_the_table_picker_keeps_showing_the_table_when_its_badge_goes() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = app_test(ws)
    at.radio(key="sheet_roster").set_value("leave").run()
    ws.roster.draft["leave"].loc[1, "first_date"] = "14/12/2026"
    ws.roster.editor_data = {}
    at.run()
    assert at.radio(key="sheet_roster").options[3] == "leave / sickness ⚠ 1"
    ws.roster.draft["leave"].loc[1, "first_date"] = "2026-12-09"
    ws.roster.editor_data = {}
    at.run()
    # the label lost its badge: the browser is told which label is now the chosen one
    assert sent(at, "radio", "sheet_roster") == "leave / sickness"
    assert at.radio(key="sheet_roster").value == "leave"


def test_uploading_a_bundle_with_bad_cells_switches_the_data_picker_to_its_part() -> None:
    tables = roster_tables(small_ward(days=3))
    tables["leave"].loc[1, "first_date"] = "14/12/2026"
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = app_test(ws)
    at.radio(key="data_family").set_value("Case schedule").run()
    at = upload(at, "ward.zip", tables_to_zip(tables))
    assert at.radio(key="data_family").value == "Staff roster"
    assert sent(at, "radio", "data_family") == "Staff roster"


# -- Undo names the upload (D3) -----------------------------------------------------


def test_after_each_upload_undo_names_that_upload_and_undoes_it() -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    ws.cases.set_problem(small_theatre())
    at = app_test(ws)
    three = small_ward(days=3)
    at = upload(at, "three.json", problem_to_json(three).encode())
    assert ws.roster.problem == three
    assert at.button(key="undo").label == "Undo: upload three.json"
    five = small_ward(days=5)
    at = upload(at, "five.zip", tables_to_zip(roster_tables(five)))
    assert ws.roster.problem == five
    assert at.button(key="undo").label == "Undo: upload five.zip"
    at = at.button(key="undo").click().run()
    assert ws.roster.problem == three
    assert [s.value for s in at.sidebar.success] == ["Undone: upload five.zip."]


# -- no developer notes on the pages (D4) -------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_page_scripts_hold_no_bare_strings_streamlit_would_show(page: Path) -> None:
    tree = ast.parse(page.read_text(encoding="utf-8"))
    bare = [
        node.lineno
        for node in tree.body[1:]  # the module docstring is not shown
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    ]
    assert bare == [], f"{page.name}: bare string(s) at line(s) {bare} appear as page text"


@pytest.mark.parametrize("page", ["data", "changes", "export"])
def test_the_page_starts_with_its_title(page: str) -> None:
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = go(app_test(ws), page)
    notes = [m.value for m in at.main.markdown]
    assert not any("names this many problems" in n for n in notes), notes
    assert not any("Session key" in n or "Family kind" in n for n in notes), notes
    assert at.main.children[0].type == "title"


# -- a fixed upload's error goes on Apply (D5) ---------------------------------------


def test_the_upload_error_goes_once_the_fixed_tables_are_applied() -> None:
    tables = roster_tables(small_ward(days=3))
    tables["leave"].loc[1, "first_date"] = "2026-13-09"
    ws = Workspace()
    ws.roster.set_problem(small_ward())
    at = upload(app_test(ws), "wrongdates.zip", tables_to_zip(tables))
    assert any("wrongdates.zip: 1 problem(s) found" in e.value for e in at.error)
    ws.roster.draft["leave"].loc[1, "first_date"] = "2026-12-09"  # the planner's fix
    ws.roster.editor_data = {}
    at.run()
    at = at.button(key="apply_roster").click().run()
    assert not at.exception, at.exception
    assert ws.roster.problem == small_ward(days=3)
    assert not at.error, [e.value for e in at.error]
    assert any("match the problem in use" in s.value for s in at.success)


# -- the what-if KPI costs add up (D7) -----------------------------------------------


def overstaffed_ward() -> RosterProblem:
    """Three days, one person needed per shift (6 staff-shifts), but every contract asks
    for two shifts (8 staff-shifts): at least 2 extra staff-shifts at 7 each."""
    base = small_ward(days=3)
    cover = tuple(
        c.model_copy(update={"over_weight": 7}) if c.skill is None else c for c in base.cover
    )
    staff = tuple(
        p.model_copy(update={"contract": Contract(min_minutes=2 * 480, max_minutes=3 * 480)})
        for p in base.staff
    )
    data = {name: getattr(base, name) for name in type(base).model_fields}
    data.update(cover=cover, staff=staff, name="Overstaffed ward")
    return RosterProblem.model_validate(data)


def kpi_rows(frame: pd.DataFrame, column: str) -> dict[str, int]:
    return {
        str(measure): int(str(value).replace("−", "-"))
        for measure, value in zip(frame["Measure"], frame[column], strict=True)
        if measure in (*COSTS, "Total penalty")
    }


def test_what_if_cost_rows_add_up_to_the_total_penalty() -> None:
    problem = overstaffed_ward()
    base, _ = solve_verified(problem, time_limit=10)
    assert base.terms.get("over_cover", 0) >= 14  # the rows must show overstaffing
    sick, text = whatif.with_leave(
        problem, "N3", dt.date(2026, 12, 8), dt.date(2026, 12, 8), "sick"
    )
    planned = whatif.baseline_roster(sick, base)
    replanned, _ = solve_verified(planned, time_limit=10)
    verify_result(planned, replanned)
    ws = Workspace()
    ws.roster.set_problem(problem)
    ws.roster.set_result(base)
    ws.scenarios.append(
        Scenario("Scenario 1", "roster", [text], problem, base, planned, result=replanned)
    )
    at = go(app_test(ws), "changes")
    frame = next(f.value for f in at.dataframe if "Measure" in f.value.columns)
    before, after = kpi_rows(frame, "Baseline"), kpi_rows(frame, "Scenario")
    for column in (before, after):
        assert sum(column[name] for name in COSTS) == column["Total penalty"], column
    # the published roster's cost under the scenario: sickness adds no soft cost here
    assert before["Total penalty"] == base.objective and before["Cost of changes"] == 0
    assert before["Overstaffing cost"] == base.terms["over_cover"]
    assert after["Total penalty"] == replanned.objective
    assert after["Cost of changes"] == replanned.terms.get("baseline_change", 0)
    assert list(frame["Measure"])[-1] == "Total penalty"


def test_kpi_table_of_a_scenario_without_roster_leaves_its_column_empty() -> None:
    problem = small_ward(days=3)
    base, _ = solve_verified(problem, time_limit=5)
    empty = Result(status=SolveStatus.INFEASIBLE)
    frame = whatif.roster_kpi_table(problem, base, empty)
    total = frame[frame["Measure"] == "Total penalty"].iloc[0]
    assert (total["Baseline"], total["Scenario"], total["Δ"]) == (str(base.objective), "—", "—")


# -- downloads do not rerun (D6) ----------------------------------------------------


def test_every_download_button_leaves_the_page_as_it_is() -> None:
    ws = Workspace()
    problem = small_ward(days=3)
    ws.roster.set_problem(problem)
    result, _ = solve_verified(problem, time_limit=5)
    ws.roster.set_result(result)
    at = go(app_test(ws), "export")
    buttons = at.get("download_button")
    assert len(buttons) >= 5
    assert all(b.proto.ignore_rerun for b in buttons), [
        b.proto.label for b in buttons if not b.proto.ignore_rerun
    ]
    at = go(at, "data")
    assert all(b.proto.ignore_rerun for b in at.get("download_button"))
