"""Export page: roster and schedule as CSV and XLSX, per-staff iCalendar files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.optional import feature
from dashboards.state import LABELS, Family, workspace
from optimizer.io.ics import safe_file_name, slug

# Notes here are comments, not docstrings: Streamlit shows a page script's bare strings.
# The download buttons use on_click="ignore": the rerun of a click would drop the files the
# other buttons build when clicked, so a second click soon after could download nothing.

# Family kind -> the word for its plan in file names (the problem files use the kind).
PLAN_WORDS = {"roster": "roster", "cases": "schedule"}
CANCELLED = {"roster": "shift", "cases": "case"}


# Session key: export label -> why building its file failed (``_built_by``).
ERRORS = "export_errors"
FAILED = (
    "{label}: building the file failed, so nothing was downloaded ({error}). Try again; if it "
    "fails again, restart the dashboard and report this message."
)


def _built_by(label: str, build: Callable[[], Any]) -> Callable[[], Any]:
    """``build`` for a download built only when clicked: Streamlit runs it outside the page
    and shows nothing when it raises, so the failure is kept under ``label`` for
    ``_export_errors`` to show, then raised again (no broken file is downloaded)."""
    errors: dict[str, str] = st.session_state.setdefault(ERRORS, {})

    def run() -> Any:
        try:
            data = build()
        except Exception as exc:
            errors[label] = f"{type(exc).__name__}: {exc}"
            raise
        errors.pop(label, None)
        return data

    return run


def _built_now(label: str, build: Callable[[], Any]) -> Any:
    """The data of a download built with the page, or None with an inline error."""
    try:
        return build()
    except Exception as exc:  # shown in words, never a traceback
        st.error(FAILED.format(label=label, error=f"{type(exc).__name__}: {exc}"))
        return None


def _export_errors() -> None:
    """Fragment: the downloads whose file failed to build, as errors on the page."""
    for label, error in dict(st.session_state.get(ERRORS, {})).items():
        st.error(FAILED.format(label=label, error=error))


def _first_date(problem: Any) -> dt.date | None:
    """The plan's first calendar date: a roster's start date, a case problem's start
    (in its own offset); None for abstract time."""
    first = getattr(problem, "start_date", None) or getattr(problem, "start", None)
    return first.date() if isinstance(first, dt.datetime) else first


def download_name(problem: Any, what: str, suffix: str) -> str:
    """``<problem name>_<first date>_<what><suffix>``, slugged and safe on every file
    system; the name is left out while it is the model's default ("roster", "cases"),
    the date when the plan has none."""
    name = problem.name if problem.name != type(problem).model_fields["name"].default else ""
    first = _first_date(problem)
    return safe_file_name(name, first.isoformat() if first else "", what, suffix=suffix)


def person_file_name(problem: Any, staff_id: str) -> str:
    """One person's ``.ics``: the plan's name and date, then the person's name (with the
    staff id when another person's name slugs the same, or the name leaves nothing in
    Latin letters and the id has some). A name with nothing in Latin letters and an id
    without any keeps its own script (``γιάννης-παπαδόπουλος``), so that files stay
    distinct and tell whose they are."""
    from optimizer.io.ics import script_slug

    labels = {p.id: p.label for p in problem.staff}
    label = labels.get(staff_id, staff_id)
    key = slug if slug(label) or any(c.isalpha() for c in slug(staff_id)) else script_slug
    twins = sum(key(other) == key(label) for other in labels.values())
    who = label if twins == 1 and key(label) else f"{label} {staff_id}"
    return download_name(problem, who, ".ics")


def _problem_files(family: Family) -> None:
    from optimizer.io.project import problem_to_json
    from optimizer.io.tables.from_problem import problem_tables
    from optimizer.io.tables.to_bundle import tables_to_xlsx, tables_to_zip

    cols = st.columns(3)
    problem = family.problem
    project = _built_now("Project (.json)", lambda: problem_to_json(problem))
    if project is not None:
        cols[0].download_button(
            "Project (.json)",
            project,
            file_name=download_name(family.problem, f"{family.kind}-project", ".json"),
            mime="application/json",
            key=f"project_json_{family.kind}",
            on_click="ignore",
        )
    xlsx_label = f"{LABELS[family.kind]}: Input bundle (.xlsx)"
    cols[1].download_button(
        "Input bundle (.xlsx)",
        _built_by(xlsx_label, lambda: tables_to_xlsx(problem_tables(problem))),  # on click
        file_name=download_name(problem, f"{family.kind}-input", ".xlsx"),
        key=f"bundle_xlsx_{family.kind}",
        on_click="ignore",
    )
    cols[2].download_button(
        "Input bundle (.zip of CSV)",
        _built_by(
            f"{LABELS[family.kind]}: Input bundle (.zip of CSV)",
            lambda: tables_to_zip(problem_tables(problem)),
        ),
        file_name=download_name(problem, f"{family.kind}-input", ".zip"),
        mime="application/zip",
        key=f"bundle_zip_{family.kind}",
        on_click="ignore",
    )


def _solution_files(family: Family) -> None:
    from optimizer.io.excel_export import export_xlsx
    from optimizer.io.ics import calendars, calendars_zip

    result = family.result
    assert result is not None
    problem = family.problem
    plan = PLAN_WORDS[family.kind]
    cols = st.columns(3)
    if family.kind == "roster" and result.roster is not None:
        from optimizer.io.roster_csv import roster_to_csv

        roster = result.roster
        csv = _built_now("Roster (.csv)", lambda: roster_to_csv(roster))
        if csv is not None:
            cols[0].download_button(
                "Roster (.csv: staff,day,shift)",
                csv,
                file_name=download_name(problem, plan, ".csv"),
                mime="text/csv",
                key="roster_csv",
                on_click="ignore",
            )
    elif result.schedule is not None:
        to_csv = feature("optimizer.io.schedule_csv", "schedule_to_csv")
        schedule = result.schedule
        csv = None if to_csv is None else _built_now("Schedule (.csv)", lambda: to_csv(schedule))
        if csv is not None:
            cols[0].download_button(
                "Schedule (.csv: task,start,end,staff,resources)",
                csv,
                file_name=download_name(problem, plan, ".csv"),
                mime="text/csv",
                key="schedule_csv",
                on_click="ignore",
            )
        elif to_csv is None:
            cols[0].caption("Schedule CSV: not available in this installation.")
    cols[1].download_button(
        "Workbook (.xlsx, one sheet per view)",
        _built_by(
            f"{LABELS[family.kind]}: Workbook (.xlsx)", lambda: export_xlsx(problem, result)
        ),  # built only when clicked
        file_name=download_name(problem, plan, ".xlsx"),
        key=f"xlsx_{family.kind}",
        on_click="ignore",
    )
    if family.kind == "cases" and getattr(problem, "start", None) is None:
        cols[2].caption("Calendars: the case problem has no calendar dates.")
        return

    dated = whatif.with_previous_plan(problem, family.previous_plan)

    def all_calendars() -> dict[str, bytes]:
        files: dict[str, bytes] = family.cached("ics", lambda: calendars(dated, result))
        return files

    people = {p.id: p.label for p in problem.staff}
    cols[2].download_button(
        f"Calendars (.zip of {len(people)} .ics)",
        _built_by(
            f"{LABELS[family.kind]}: Calendars (.zip)", lambda: calendars_zip(all_calendars())
        ),
        file_name=download_name(problem, f"{plan}-calendars", ".zip"),
        mime="application/zip",
        key=f"ics_zip_{family.kind}",
        on_click="ignore",
    )
    if family.previous_plan is not None:
        st.caption(
            f"The calendars hold the adopted {plan}; each {CANCELLED[family.kind]} of the "
            f"{plan} in use before the adoption that a person is no longer on is marked "
            "cancelled, so importing them removes it."
        )
    pick = st.columns([2, 1])
    person = pick[0].selectbox(
        "One person's calendar",
        list(people),
        format_func=lambda s: people.get(s, s),
        key=f"ics_person_{family.kind}",
    )
    if person is not None:
        chosen = str(person)
        pick[1].download_button(
            "Download .ics",
            _built_by(
                f"{LABELS[family.kind]}: {people.get(chosen, chosen)}'s calendar (.ics)",
                lambda: all_calendars().get(chosen, b""),
            ),
            file_name=person_file_name(problem, chosen),
            mime="text/calendar",
            key=f"ics_one_{family.kind}",
            on_click="ignore",
        )


def render() -> None:
    """Draw the export page."""
    ws = workspace()
    st.title("Export")
    st.fragment(_export_errors, run_every=1.0)()
    for family, title in ((ws.roster, "Staff roster"), (ws.cases, "Case schedule")):
        st.header(title)
        if family.problem is None:
            st.info("Nothing loaded.")
            continue
        _problem_files(family)
        if family.result is None or not family.result.status.has_solution:
            st.info("Solve it first to export the plan, the workbook and the calendars.")
            continue
        _solution_files(family)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
