"""A case bundle whose ``start`` setting is there but unreadable.

The start's own error is reported once, on its line; the date-time cells that need it
are not read (each would only repeat it), while every other cell is still checked.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from optimizer.io.load import load_problem
from optimizer.io.tables.bundle import read_bundle
from optimizer.io.tables.cells import CellError, TableErrors
from optimizer.model.cases import CaseProblem
from tests.test_import_hospital_files import Sheets, xlsx


def theatre(start: str) -> Sheets:
    """One day from ``start`` (line 3 of settings.csv); every time cell is a date-time."""
    return {
        "settings": [["key", "value"], ["kind", "cases"], ["start", start], ["horizon", "1440"]],
        "tasks": [
            ["id", "duration", "release", "due", "rooms", "staff"],
            ["C1", "120", "2026-12-07 08:00", "2026-12-07 17:00", "OR1", "S1"],
            ["C2", "90", "480", "2026-12-07 12:00", "OR1", "S1"],
        ],
        "rooms": [["id", "name"], ["OR1", "Theatre 1"]],
        "openings": [["room", "start", "end"], ["OR1", "2026-12-07 08:00", "2026-12-07 17:00"]],
        "staff": [["id", "name", "roles"], ["S1", "Ana", "surgeon"]],
        "availability": [["staff", "start", "end"], ["S1", "2026-12-07 07:00", "2026-12-07 19:00"]],
    }  # fmt: skip


def zip_of(sheets: Sheets) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for sheet, rows in sheets.items():
            archive.writestr(f"{sheet}.csv", "\n".join(",".join(row) for row in rows) + "\n")
    return out.getvalue()


def errors_of(sheets: Sheets) -> list[CellError]:
    with pytest.raises(TableErrors) as caught:
        read_bundle("theatre.zip", zip_of(sheets))
    return caught.value.errors


def places(errors: list[CellError]) -> list[tuple[str | None, int | None, str | None]]:
    return [(error.file, error.line, error.field) for error in errors]


START_LINE = ("theatre.zip/settings.csv", 3, "start")


def test_a_good_start_reads_the_same_bundle() -> None:
    problem = read_bundle("theatre.zip", zip_of(theatre("2026-12-07 00:00")))
    assert isinstance(problem, CaseProblem)
    assert [(t.id, t.release, t.due) for t in problem.tasks] == [
        ("C1", 480, 1020),
        ("C2", 480, 720),
    ]
    assert problem.rooms[0].openings[0].start == 480
    assert problem.staff[0].available is not None
    assert problem.staff[0].available[0].end == 1140


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (
            "07/12/2026 08:00",
            "'07/12/2026 08:00' could be 7 Dec or 12 Jul 2026: Excel rewrote the dates: "
            "format the column as yyyy-mm-dd before saving, or use the .xlsx bundle",
        ),
        ("2026-12-07 00:00:30", "'2026-12-07 00:00:30' must be a whole minute (no seconds)"),
    ],
)
def test_a_bad_start_is_reported_once_on_its_line(start: str, message: str) -> None:
    errors = errors_of(theatre(start))
    assert places(errors) == [START_LINE]
    assert errors[0].message == message


def test_other_cells_are_still_checked_while_the_start_is_bad() -> None:
    sheets = theatre("07/12/2026")
    sheets["tasks"][1][1] = "2h"  # C1's duration, beside its date-time cells
    sheets["tasks"][2][3] = "noon"  # C2's due: neither minutes nor a date-time
    sheets["openings"].append(["OR9", "2026-12-07 08:00", "2026-12-07 12:00"])
    errors = errors_of(sheets)
    assert places(errors) == [
        START_LINE,
        ("theatre.zip/tasks.csv", 2, "duration"),
        ("theatre.zip/tasks.csv", 3, "due"),
        ("theatre.zip/openings.csv", 3, "room"),  # the row naming the unknown room
    ]
    assert errors[2].message == "'noon' must be minutes or a date-time like 2026-12-07 08:00"
    assert errors[3].message == "unknown room 'OR9'"
    text = "\n".join(str(error) for error in errors)
    assert "no start date-time" not in text and "Field required" not in text


def test_minutes_rows_are_still_validated_while_the_start_is_bad() -> None:
    sheets = theatre("soon")
    sheets["tasks"][2][2:4] = ["600", ""]  # C2 in minutes, with a deadline before its release
    sheets["tasks"][0].append("deadline")
    sheets["tasks"][1].append("")
    sheets["tasks"][2].append("500")
    sheets["availability"].append(["S1", "900", "800"])
    errors = errors_of(sheets)
    assert places(errors) == [
        START_LINE,
        ("theatre.zip/availability.csv", 3, None),
        ("theatre.zip/tasks.csv", 3, None),
    ]
    assert errors[1].message == "window ends (800) at or before it starts (900)"
    assert errors[2].message == "task 'C2': deadline 500 is before its release 600"


def test_a_bad_start_with_xlsx_date_time_cells_is_reported_once(tmp_path: Path) -> None:
    sheets = theatre("2026-12-07 00:00:30")
    sheets["tasks"][1][2] = dt.datetime(2026, 12, 7, 9, 15)
    sheets["openings"][1][1:3] = [dt.datetime(2026, 12, 7, 8), dt.datetime(2026, 12, 7, 17)]
    with pytest.raises(TableErrors) as caught:
        load_problem(xlsx(tmp_path / "theatre.xlsx", sheets))
    assert [(e.line, e.field) for e in caught.value.errors] == [(3, "start")]
    assert str(caught.value.errors[0].file).endswith("[settings]")
