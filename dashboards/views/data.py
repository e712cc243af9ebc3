"""Data page: load the demo, upload a project or bundle (or its CSV files), edit the
tables, apply."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

import pandas as pd
import streamlit as st

from dashboards.state import FAMILIES, LABELS, Family, Workspace, load_demo, workspace
from dashboards.uploads import UPLOAD_TYPES, is_csv, mixed_upload, new_files, upload_name
from dashboards.widgets import kept, set_kept
from optimizer.errors import InputError
from optimizer.io.tables.bundle import read_bundle_tables, read_csv_files_tables
from optimizer.io.tables.cells import CellError, TableErrors
from optimizer.io.tables.reader import editor_rows
from optimizer.io.tables.sheets import sheets_of
from optimizer.io.tables.templates import template_xlsx
from optimizer.io.tables.to_problem import (
    keep_fields_not_in_tables,
    layout_errors,
    tables_kind,
    validate_tables,
)

logger = logging.getLogger(__name__)

EDITED_SHEETS = {
    "roster": ("staff", "shifts", "cover", "leave", "requests", "pins", "settings"),
    "cases": (
        "tasks",
        "rooms",
        "openings",
        "staff",
        "availability",
        "time_off",
        "resources",
        "precedences",
        "settings",
    ),
}
SHEET_TITLES = {"cover": "demand (cover)", "leave": "leave / sickness", "time_off": "time off"}
COLUMN_HELP = {
    "skills": "skill ids separated by ;",
    "roles": "role ids separated by ;",
    "start": "HH:MM for shifts; YYYY-MM-DD HH:MM (or minutes) for case times",
    "forbidden_next": "shift ids that may not be worked the next day, separated by ;",
    "max_shifts_per_type": "shift=limit;… e.g. N=6 (0 forbids the shift)",
    "night": "yes / no (empty: from the times)",
    "date": "YYYY-MM-DD",
    "first_date": "YYYY-MM-DD",
    "last_date": "YYYY-MM-DD",
    "shifts": "shift ids separated by ; (empty: the whole day)",
    "shift": "shift id (empty on requests: any shift; on pins: a day off)",
    "skill": "skill id (empty: any staff)",
    "want": "yes: wants to work it; no: wants it off",
    "min_required": "hard floor: fewer staff makes the roster infeasible",
    "team": "role=count;… e.g. anaesthetist=1;scrub_nurse=2",
    "staff": "staff id(s)",
    "rooms": "eligible room ids separated by ; (empty: any room)",
    "room_needs": "capabilities the room must have, separated by ;",
    "resources": "equipment=units;… e.g. carm=1",
    "release": "earliest start: YYYY-MM-DD HH:MM or minutes",
    "due": "soft due time: YYYY-MM-DD HH:MM or minutes",
    "deadline": "hard latest end: YYYY-MM-DD HH:MM or minutes",
    "optional": "yes: may stay unscheduled at a penalty",
}


# Notes here are comments, not docstrings: Streamlit shows a page script's bare strings.

# A bundle upload's message names this many problems by file line (the editor shows all).
UPLOAD_PROBLEMS_LISTED = 5

# The table readers check names across tables (a surgeon or room of a case, the case of
# a precedence) only once every cell reads (``optimizer/io/tables/to_cases.py`` and
# ``to_roster.py`` return before ``validate_whole`` while any cell error is left).
CHECKED_LATER = (
    "Names used across tables (a case's surgeon or room, the cases of a precedence) are "
    "checked once every cell reads, so more problems may show after these are fixed."
)


@lru_cache(maxsize=2)
def template(kind: str) -> bytes:
    """The downloadable bundle template (built once per process)."""
    return template_xlsx(kind)


def handle_upload(ws: Workspace, name: str, data: bytes) -> list[UploadMessage]:
    """Load one uploaded file (see ``handle_uploads``)."""
    return handle_uploads(ws, [(name, data)])


def handle_uploads(ws: Workspace, files: Sequence[tuple[str, bytes]]) -> list[UploadMessage]:
    """Load files uploaded together, as (name, bytes): a project JSON or a bundle file
    (.xlsx, .xlsm, .zip), or a bundle's CSV files read as one bundle. Returns error
    messages (never raises).

    Several files that are not all CSV files are refused. A bad upload leaves every
    problem in use as it was; a bundle with bad cells is loaded into the tables (with
    its problems marked) for fixing.
    """
    names = [file_name for file_name, _ in files]
    if not names:
        return []
    mixed = mixed_upload(names)
    if mixed:
        return [mixed]
    name = upload_name(names)
    try:
        if all(is_csv(file_name) for file_name in names):
            return _load_bundle(ws, name, read_csv_files_tables(name, files))
        data = files[0][1]
        if name.lower().endswith(".json"):
            _load_project(ws, name, data)
            return []
        return _load_bundle(ws, name, read_bundle_tables(name, data))
    except InputError as exc:
        if exc.file == name and exc.line is None:  # said once: "Could not load x.zip: …"
            exc = InputError(exc.message, field=exc.field)
        return [f"Could not load {name}: {exc}"]
    except Exception as exc:  # last resort: never a traceback on the page
        logger.exception("unexpected error while loading %s", name)
        return [
            f"Could not load {name}: an unexpected error ({type(exc).__name__}: {str(exc)[:200]}). "
            "Nothing was changed."
        ]


def _load_project(ws: Workspace, name: str, data: bytes) -> None:
    from optimizer.io.project import parse_json, problem_from_data

    problem = problem_from_data(parse_json(data, name), name)
    family = ws.family("roster" if problem.kind == "roster" else "cases")
    family.set_problem(problem, action=f"upload {name}")


def _load_bundle(ws: Workspace, name: str, tables: dict[str, pd.DataFrame]) -> list[UploadMessage]:
    kind = tables_kind(tables)
    uploaded = {
        sheet: _with_columns(tables.get(sheet), cols) for sheet, cols in sheets_of(kind).items()
    }
    layout = layout_errors(uploaded, kind)  # missing columns were added empty, to be filled in
    if layout:  # the editor cannot rename or drop columns: refuse the file instead
        raise TableErrors(layout, name)
    problem, errors = validate_tables(uploaded)  # located by the file's own lines
    family = ws.family(kind)
    if problem is not None:
        family.set_problem(problem, action=f"upload {name}")
        return []
    family.draft = {sheet: editor_rows(frame) for sheet, frame in uploaded.items()}
    family.editor_data = {}
    family.version += 1
    set_kept("data_family", LABELS[kind])
    return [_upload_problems(name, errors, kind)]


@dataclass(frozen=True)
class UploadProblems:
    """A bundle upload's message about its bad cells: ``text`` as shown, ``kind`` the
    family whose tables hold the uploaded data (see ``upload_still_applies``)."""

    text: str
    kind: str

    def __str__(self) -> str:
        return self.text


# A message of the uploader: plain text, or one about bad cells (goes once they are fixed).
UploadMessage = str | UploadProblems


def _upload_problems(name: str, errors: list[CellError], kind: str) -> UploadProblems:
    """The upload's message: the count, then the first problems by the file's own lines."""
    listed = [f"- {error}" for error in errors[:UPLOAD_PROBLEMS_LISTED]]
    if len(errors) > len(listed):
        listed.append(f"- … and {len(errors) - len(listed)} more")
    text = (
        f"{name}: {len(errors)} problem(s) found. The tables below hold the uploaded data; "
        "fix the marked rows and press Apply. In the file:\n"
        + "\n".join(listed)
        + f"\n\n{CHECKED_LATER}"
    )
    return UploadProblems(text, kind)


def upload_still_applies(ws: Workspace, message: UploadMessage) -> bool:
    """Whether an upload message still tells the truth. One about bad cells goes once its
    family's tables validate and equal the problem in use: fixed and applied, fixed to
    what is in use already, or replaced (undo, redo, another upload, the demo)."""
    if not isinstance(message, UploadProblems):
        return True
    family = ws.family(message.kind)
    if not family.draft:
        return False
    problem, errors = validate_tables(family.draft)
    if errors or problem is None:
        return True
    problem, _note = keep_fields_not_in_tables(problem, family.problem)
    return bool(problem != family.problem)


def drop_stale_upload_messages(ws: Workspace) -> bool:
    """Drop the upload messages that no longer apply; True if any went."""
    kept_messages = [m for m in ws.upload_errors if upload_still_applies(ws, m)]
    dropped = len(kept_messages) < len(ws.upload_errors)
    ws.upload_errors = kept_messages
    return dropped


def _with_columns(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    """The sheet with every column of the layout (missing ones empty), in layout order."""
    if frame is None:
        return pd.DataFrame(columns=list(columns), dtype=object)
    shown = frame.copy()
    for column in columns:
        if column not in shown.columns:
            shown[column] = pd.Series([None] * len(shown), index=shown.index, dtype=object)
    return shown[[*columns, *(c for c in frame.columns if c not in columns)]]


def _highlight(frame: pd.DataFrame, errors: list[CellError]) -> pd.io.formats.style.Styler:
    bad_rows = sorted({e.row for e in errors if 0 < e.row <= len(frame)})
    subset = frame.iloc[[r - 1 for r in bad_rows]]
    cells = {(e.row, e.field) for e in errors}

    def colour(part: pd.DataFrame) -> pd.DataFrame:
        styles = pd.DataFrame("", index=part.index, columns=part.columns)
        for i, row in enumerate(bad_rows):
            for column in part.columns:
                if (row, column) in cells or (row, None) in cells:
                    styles.iloc[i, list(part.columns).index(column)] = "background-color: #ffd6d6"
        return styles

    return subset.style.apply(colour, axis=None)


# ``pandas.api.types.infer_dtype`` kinds of a column mixing text with numbers or dates
# (an uploaded ``90 min`` among minutes): Streamlit's editor shows such a column read-only.
MIXED_KINDS = frozenset({"mixed", "mixed-integer"})


def editable(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every mixed-type column as text, so that the editor keeps it editable.

    A bad cell among numbers or dates would otherwise lock its whole column, though the
    page asks the planner to fix it there. The tables are read from text anyway (as from a
    CSV file), so the fixed value validates and applies like any other.
    """
    mixed = [
        column
        for column in frame.columns
        if frame[column].dtype == object
        and pd.api.types.infer_dtype(frame[column], skipna=True) in MIXED_KINDS
    ]
    shown = frame.copy()
    for column in mixed:
        shown[column] = pd.Series(
            [_cell_text(v) for v in frame[column]], index=frame.index, dtype=object
        )
    return shown


def _cell_text(value: Any) -> str | None:
    """A cell as the text a planner would type (``60``, ``2026-12-07 08:00``, ``yes``)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}" + (f":{value:%S}" if value.second else "")
    if isinstance(value, dt.time):
        return f"{value:%H:%M}"
    return str(value)


def _sheet_editor(family: Family, sheet: str, errors: list[CellError]) -> None:
    key = f"editor_{family.kind}_{sheet}_{family.version}"
    if key not in st.session_state or sheet not in family.editor_data:
        shown = editable(family.draft[sheet])
        shown.index = pd.Index(list(range(1, len(shown) + 1)), name="row")  # shown as row numbers
        family.editor_data[sheet] = shown
    data = family.editor_data[sheet]
    edited = st.data_editor(
        data,
        key=key,
        column_config={
            "_index": st.column_config.NumberColumn("row", disabled=True),
            **{
                str(c): st.column_config.Column(help=COLUMN_HELP[str(c)])
                for c in data.columns
                if str(c) in COLUMN_HELP
            },
        },
        num_rows="dynamic",
        hide_index=False,
        width="stretch",
        height=min(420, 38 + 35 * (len(family.editor_data[sheet]) + 1)),
    )
    edited = edited.reset_index(drop=True)
    edited.index = pd.RangeIndex(1, len(edited) + 1)
    family.draft[sheet] = edited
    for error in errors:
        where = "Sheet" if error.row == 0 else f"Row {error.row}"
        field = f" · column **{error.field}**" if error.field else ""
        st.error(f"{where}{field}: {error.message}", icon="⚠️")
    if any(0 < e.row <= len(edited) for e in errors):
        st.caption("Rows with problems (the bad cells are red):")
        st.dataframe(_highlight(edited, errors), width="stretch")


def _sheet_label(sheet: str, errors: dict[str, list[CellError]]) -> str:
    label = SHEET_TITLES.get(sheet, sheet)
    return f"{label} ⚠ {len(errors[sheet])}" if errors.get(sheet) else label


def _sheet_of(error: CellError, sheets: tuple[str, ...]) -> str:
    """The table a problem is shown under (problems of no table go to settings)."""
    return error.sheet if error.sheet in sheets else "settings"


def _editors(ws: Workspace, family: Family) -> None:
    """One table at a time (fewer widgets to draw); the picker shows ⚠ and a count on
    every table with problems."""
    sheets = EDITED_SHEETS[family.kind]
    before = {name: frame for name, frame in family.draft.items()}
    problem, errors = validate_tables(family.draft)
    by_sheet: dict[str, list[CellError]] = defaultdict(list)
    for error in errors:
        by_sheet[_sheet_of(error, sheets)].append(error)
    sheet = st.radio(
        "Table",
        sheets,
        format_func=lambda name: _sheet_label(name, by_sheet),
        horizontal=True,
        **kept(f"sheet_{family.kind}", sheets[0]),
    )
    if by_sheet:
        st.caption("Problems in: " + ", ".join(_sheet_label(s, by_sheet) for s in by_sheet))
    _sheet_editor(family, str(sheet), by_sheet.get(str(sheet), []))
    elsewhere = [_sheet_label(s, by_sheet) for s in sheets if s != sheet and by_sheet.get(s)]
    if not family.draft[str(sheet)].equals(before[str(sheet)]):  # edited in this run
        shown = errors
        problem, errors = validate_tables(family.draft)
        if errors != shown:
            # once: the picker's ⚠ counts and the messages above must tell this edit too
            # (a fixed cell can uncover a problem of another kind: the same count)
            st.rerun()
    if errors:
        where = f" Also in: {', '.join(elsewhere)}." if elsewhere else ""
        st.warning(
            f"{len(errors)} problem(s) in the tables.{where} Your edits are kept; the solver "
            f"keeps using the last valid data until they are fixed. {CHECKED_LATER}"
        )
        return
    problem, note = keep_fields_not_in_tables(problem, family.problem)
    if note:
        st.warning(note)
    if problem == family.problem:
        st.success("The tables match the problem in use.")
        if drop_stale_upload_messages(ws):  # fixed in this run: redraw without the message
            st.rerun()
        return
    st.info("The tables hold edits that are not applied yet.")
    if st.button("Apply edits", type="primary", key=f"apply_{family.kind}"):
        family.set_problem(problem, action="apply the table edits")
        ws.upload_errors = []  # an upload's problems are fixed (or the tables replaced it)
        st.rerun()


def render() -> None:
    """Draw the data page."""
    ws = workspace()
    st.title("Data")
    cols = st.columns([1, 2])
    with cols[0]:
        if st.button("Load demo hospital", key="load_demo"):
            missing = load_demo(ws)
            ws.upload_errors = [f"Demo not loaded — {m}" for m in missing]
            st.rerun()
        st.download_button(
            "Roster template (.xlsx)",
            partial(template, "roster"),  # built only when clicked
            file_name="carealloc_roster_template.xlsx",
            key="template_roster",
            on_click="ignore",  # no rerun: it would drop the other buttons' deferred files
        )
        st.download_button(
            "Case template (.xlsx)",
            partial(template, "cases"),
            file_name="carealloc_cases_template.xlsx",
            key="template_cases",
            on_click="ignore",
        )
    with cols[1]:
        uploaded = st.file_uploader(
            "Upload a project (.json), a bundle (.xlsx, .xlsm, or .zip of CSV files) or a "
            "bundle's CSV files as they are",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key="upload",
        )
        ws.last_upload, fresh = new_files(ws.last_upload, uploaded or [])
        if fresh:  # the files chosen this time; those left from earlier were applied then
            files = [(file.name, file.getvalue()) for file in fresh]
            ws.upload_errors = handle_uploads(ws, files)
            if not ws.upload_errors:  # loaded: redraw the sidebar's Undo with this step
                st.rerun()
        drop_stale_upload_messages(ws)  # after an undo or redo, or tables fixed meanwhile
        for message in ws.upload_errors:
            st.error(str(message))
        st.caption(
            "CSV files can be uploaded as they are: choose all of a bundle's CSV files at once "
            "(staff.csv, shifts.csv, …, one per sheet) and they are read as one bundle. The "
            "bundle layout is described in docs/dashboard.md and in the templates."
        )
    choice = st.radio(
        "Data to edit",
        [LABELS[k] for k in FAMILIES],
        horizontal=True,
        **kept("data_family", LABELS[FAMILIES[0]]),
    )
    family = ws.roster if choice == LABELS["roster"] else ws.cases
    if family.problem is None and not family.draft:
        st.info("Nothing loaded for this part yet: load the demo or upload a file.")
        return
    if family.problem is not None:
        st.caption(f"In use: **{family.problem.name}**")
    _editors(ws, family)


if __name__ == "__main__":  # run as a page by st.navigation
    render()
