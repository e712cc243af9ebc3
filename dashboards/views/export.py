"""Export page: roster and schedule as CSV and XLSX, per-staff iCalendar files."""

from __future__ import annotations

import streamlit as st

from dashboards.optional import feature
from dashboards.state import Family, workspace


def _problem_files(family: Family, stem: str) -> None:
    from optimizer.io.project import problem_to_json
    from optimizer.io.tables.bundle import tables_to_xlsx, tables_to_zip
    from optimizer.io.tables.from_problem import problem_tables

    cols = st.columns(3)
    cols[0].download_button(
        "Project (.json)",
        problem_to_json(family.problem),
        file_name=f"{stem}_project.json",
        mime="application/json",
        key=f"project_json_{family.kind}",
    )
    problem = family.problem
    cols[1].download_button(
        "Input bundle (.xlsx)",
        lambda: tables_to_xlsx(problem_tables(problem)),  # built only when clicked
        file_name=f"{stem}_input.xlsx",
        key=f"bundle_xlsx_{family.kind}",
    )
    cols[2].download_button(
        "Input bundle (.zip of CSV)",
        lambda: tables_to_zip(problem_tables(problem)),
        file_name=f"{stem}_input.zip",
        mime="application/zip",
        key=f"bundle_zip_{family.kind}",
    )


def _solution_files(family: Family, stem: str) -> None:
    from optimizer.io.excel_export import export_xlsx
    from optimizer.io.ics import calendars, calendars_zip, file_name

    result = family.result
    assert result is not None
    cols = st.columns(3)
    if family.kind == "roster" and result.roster is not None:
        from optimizer.io.roster_csv import roster_to_csv

        cols[0].download_button(
            "Roster (.csv: staff,day,shift)",
            roster_to_csv(result.roster),
            file_name=f"{stem}_roster.csv",
            mime="text/csv",
            key="roster_csv",
        )
    elif result.schedule is not None:
        to_csv = feature("optimizer.io.schedule_csv", "schedule_to_csv")
        if to_csv is not None:
            cols[0].download_button(
                "Schedule (.csv: task,start,end,staff,resources)",
                to_csv(result.schedule),
                file_name=f"{stem}_schedule.csv",
                mime="text/csv",
                key="schedule_csv",
            )
        else:
            cols[0].caption("Schedule CSV: not available in this installation.")
    problem = family.problem
    cols[1].download_button(
        "Workbook (.xlsx, one sheet per view)",
        lambda: export_xlsx(problem, result),  # built only when clicked
        file_name=f"{stem}.xlsx",
        key=f"xlsx_{family.kind}",
    )
    if family.kind == "cases" and getattr(problem, "start", None) is None:
        cols[2].caption("Calendars: the case problem has no calendar dates.")
        return

    def all_calendars() -> dict[str, bytes]:
        files: dict[str, bytes] = family.cached("ics", lambda: calendars(problem, result))
        return files

    people = {p.id: p.label for p in problem.staff}
    cols[2].download_button(
        f"Calendars (.zip of {len(people)} .ics)",
        lambda: calendars_zip(all_calendars()),
        file_name=f"{stem}_calendars.zip",
        mime="application/zip",
        key=f"ics_zip_{family.kind}",
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
            lambda: all_calendars().get(chosen, b""),
            file_name=file_name(chosen),
            mime="text/calendar",
            key=f"ics_one_{family.kind}",
        )


def render() -> None:
    """Draw the export page."""
    ws = workspace()
    st.title("Export")
    for family, title, stem in (
        (ws.roster, "Staff roster", "roster"),
        (ws.cases, "Case schedule", "cases"),
    ):
        st.header(title)
        if family.problem is None:
            st.info("Nothing loaded.")
            continue
        _problem_files(family, stem)
        if family.result is None or not family.result.status.has_solution:
            st.info("Solve it first to export the plan, the workbook and the calendars.")
            continue
        _solution_files(family, stem)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
