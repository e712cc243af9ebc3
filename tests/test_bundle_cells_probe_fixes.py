"""Probe p2 fixes in bundle cells: merged XLSX cells, repeated map keys, formulas whose
saved result is "", no-break spaces and decimal commas.

Workbooks are built with openpyxl (formula cells then rewritten as Excel saves them) and
read through ``load_problem``, as the CLI and the dashboard do.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.styles import Border, Side

from optimizer.errors import InputError
from optimizer.io.load import load_problem, load_roster
from optimizer.io.tables.cells import BadCell, parse_float, parse_map, parse_text
from optimizer.io.tables.templates import template_xlsx
from optimizer.model.roster import RosterProblem
from tests.test_import_hospital_files import Sheets, csv_zip, messages, roster, xlsx

# -- D3: a merged cell counts in every cell of its range ----------------------------------


def test_skill_merged_over_cover_rows_is_read_in_each(tmp_path: Path) -> None:
    def merge(book: Any) -> None:
        book["cover"].merge_cells("C2:C3")  # "RN" shown over both rows ("charge" is dropped)

    problem = load_roster(xlsx(tmp_path / "m.xlsx", roster(), merge))
    assert [(c.day, c.shift, c.skill) for c in problem.cover] == [(0, "E", "RN"), (0, "N", "RN")]


def test_merged_leave_cells_fill_optional_and_required_columns(tmp_path: Path) -> None:
    def rows(s: Sheets) -> None:
        s["leave"] = [
            ["staff", "first_date", "last_date", "shifts", "reason"],
            ["N01", "2026-12-08", "2026-12-08", "N", "course"],
            ["", "2026-12-11", "2026-12-11", "", ""],
        ]

    def merge(book: Any) -> None:
        for ref in ("A2:A3", "D2:D3", "E2:E3"):
            book["leave"].merge_cells(ref)

    problem = load_roster(xlsx(tmp_path / "m.xlsx", roster(rows=rows), merge))
    assert [(u.staff, u.first_day, u.shifts, u.reason) for u in problem.unavailability] == [
        ("N01", 1, ("N",), "course"),
        ("N01", 4, ("N",), "course"),
    ]


def test_a_merge_reaching_into_blank_rows_adds_no_rows(tmp_path: Path) -> None:
    def merge(book: Any) -> None:
        book["cover"].merge_cells("E2:E9")  # under_weight 100 drawn down past the table
        book["cover"]["E9"].border = Border(bottom=Side("thin"))  # a styled, saved cell

    problem = load_roster(xlsx(tmp_path / "m.xlsx", roster(), merge))
    assert [c.under_weight for c in problem.cover] == [100, 100]


def test_a_note_merged_into_columns_without_a_name_is_dropped_with_them(tmp_path: Path) -> None:
    def merge(book: Any) -> None:
        book["leave"].merge_cells("D2:F2")
        book["leave"]["F2"].border = Border(right=Side("thin"))  # saved: the row is 6 wide

    problem = load_roster(xlsx(tmp_path / "m.xlsx", roster(), merge))
    assert [u.reason for u in problem.unavailability] == ["annual leave"]


@pytest.mark.parametrize(
    ("setup", "line", "column", "merge"),
    [
        (lambda book: book["leave"].merge_cells("D1:E1"), 1, "reason", "D1:E1"),
        (lambda book: book["staff"].merge_cells("B1:C1"), 1, "name", "B1:C1"),
    ],
    ids=["header", "header-over-a-named-column"],
)
def test_a_header_merged_over_columns_is_refused_naming_the_range(
    tmp_path: Path, setup: Any, line: int, column: str, merge: str
) -> None:
    def wide(book: Any) -> None:
        book["leave"]["E2"].border = Border(right=Side("thin"))  # leave row 2 is 5 wide
        setup(book)

    path = xlsx(tmp_path / "h.xlsx", roster(), wide)
    with pytest.raises(InputError) as exc:
        load_problem(path)
    sheet = "leave" if column == "reason" else "staff"
    assert str(exc.value) == (
        f"{path} [{sheet}]:{line}, field '{column}': the header cell '{column}' is merged over "
        f"several columns ({merge}); the header row needs one name per column: unmerge it "
        "(or delete the row if it is a title)"
    )


def _title_row(sheet: Any) -> None:
    sheet.insert_rows(1)
    sheet["A1"] = "Ward 5 staff"
    sheet.merge_cells("A1:F1")


def test_a_title_merged_over_the_columns_above_the_header_is_skipped(tmp_path: Path) -> None:
    plain = load_roster(xlsx(tmp_path / "p.xlsx", roster()))
    titled = load_roster(xlsx(tmp_path / "t.xlsx", roster(), lambda b: _title_row(b["staff"])))
    assert titled == plain


# -- D4: a key repeated in a map cell is refused ------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [("scrub=1;anaesthetist=1;scrub=1", "scrub"), ("N=2;N=0", "N"), (" carm =1, carm=1", "carm")],
)
def test_parse_map_refuses_a_key_given_twice(text: str, key: str) -> None:
    with pytest.raises(BadCell) as exc:
        parse_map(text)
    assert str(exc.value) == f"'{key}' is given twice; give each id once, with one number"


def test_parse_map_keeps_distinct_keys() -> None:
    assert parse_map("scrub=2; anaesthetist=1") == {"scrub": 2, "anaesthetist": 1}
    assert parse_map("N=1;n=2") == {"N": 1, "n": 2}  # ids are case-sensitive


def test_repeated_shift_in_max_shifts_per_type_names_the_cell(tmp_path: Path) -> None:
    def twice(s: Sheets) -> None:
        s["staff"][1][5] = "N=2;N=0"

    path = xlsx(tmp_path / "d.xlsx", roster(twice=twice))
    with pytest.raises(InputError) as exc:
        load_problem(path)
    assert messages(exc) == [
        f"{path} [staff], row 2, column 'max_shifts_per_type': 'N' is given twice; "
        "give each id once, with one number"
    ]


def test_repeated_role_in_a_case_team_is_refused(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(_template(tmp_path, "cases"))
    tasks = book["tasks"]
    team = [c.value for c in tasks[1]].index("team") + 1
    tasks.cell(2, team, "scrub=1;anaesthetist=1;scrub=1")
    path = tmp_path / "team.xlsx"
    book.save(path)
    with pytest.raises(InputError) as exc:
        load_problem(path)
    assert any(
        m.endswith("column 'team': 'scrub' is given twice; give each id once, with one number")
        and "[tasks], row 2" in m
        for m in messages(exc)
    ), messages(exc)


def _template(tmp_path: Path, kind: str) -> Path:
    path = tmp_path / f"{kind}_template.xlsx"
    path.write_bytes(template_xlsx(kind))
    return path


# -- D5: a formula whose saved result is "" is an empty cell ------------------------------

EXCEL = '<c r="{ref}" t="str"><f>{f}</f><v></v></c>'
LIBREOFFICE = '<c r="{ref}" s="0" t="str"><f aca="false">{f}</f><v/></c>'
NEVER_CALCULATED = '<c r="{ref}"><f>{f}</f><v /></c>'  # as openpyxl writes it


def _with_formulas(path: Path, sheet: str, cells: dict[str, str], form: str) -> Path:
    """``path`` with formula cells of ``sheet`` saved in ``form`` (their result unsaved/"")."""
    book = openpyxl.load_workbook(path)
    for ref, formula in cells.items():
        book[sheet][ref] = formula
    raw = path.with_suffix(".raw.xlsx")
    book.save(raw)
    index = book.sheetnames.index(sheet) + 1

    def saved(match: re.Match[str]) -> str:
        return form.format(ref=match[1], f=match[2])

    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item).decode()
            if item.filename == f"xl/worksheets/sheet{index}.xml":
                for ref in cells:
                    data, count = re.subn(rf'<c r="({ref})"[^>]*><f>(.*?)</f>.*?</c>', saved, data)
                    assert count == 1, ref
            dst.writestr(item, data)
    return path


@pytest.mark.parametrize("form", [EXCEL, LIBREOFFICE], ids=["excel", "libreoffice"])
def test_formula_with_an_empty_saved_result_is_an_empty_cell(tmp_path: Path, form: str) -> None:
    path = _with_formulas(
        xlsx(tmp_path / "f.xlsx", roster()), "cover", {"C2": '=IF(A2="","",A99)'}, form
    )
    problem = load_roster(path)
    assert [(c.shift, c.skill) for c in problem.cover] == [("E", None), ("N", "charge")]


def test_a_row_of_formulas_with_empty_results_is_a_blank_row(tmp_path: Path) -> None:
    helpers = {f"{col}4": '=IF(Z4="","",Z4)' for col in "ABCDE"}
    path = _with_formulas(xlsx(tmp_path / "f.xlsx", roster()), "cover", helpers, EXCEL)
    assert len(load_roster(path).cover) == 2


def test_a_formula_never_calculated_is_still_refused(tmp_path: Path) -> None:
    formula = '=IF(A2="","",A99)'
    path = _with_formulas(
        xlsx(tmp_path / "f.xlsx", roster()), "cover", {"C2": formula}, NEVER_CALCULATED
    )
    with pytest.raises(InputError) as exc:
        load_problem(path)
    assert str(exc.value) == (
        f"{path} [cover]:2, field 'skill': the formula {formula} has no saved value; "
        "open the file in Excel and save it (or type the value)"
    )


# -- D6: a no-break (or other odd) space is read as a plain space -------------------------


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u2009", "\u3000"])
def test_parse_text_reads_odd_spaces_as_plain_ones(space: str) -> None:
    assert parse_text(f"{space}Jo{space}Park{space}") == "Jo Park"


def test_parse_text_keeps_other_text_as_typed() -> None:
    assert parse_text("  Müller  Jo ") == "Müller  Jo"  # two spaces stay two: ids are exact
    assert parse_text("line\nbreak") == "line\nbreak"


def test_nbsp_in_an_id_matches_the_same_id_typed_with_a_space(tmp_path: Path) -> None:
    def pasted(s: Sheets) -> None:
        s["staff"][2][0] = "Jo\u00a0Park"  # pasted from an HR page
        s["staff"][2][1] = "Jo\u00a0Park"
        s["leave"][1][0] = "Jo Park"
        s["shifts"][2][2] = "9:30\u202fPM"  # narrow no-break space, as newer Excel shows

    problem = load_roster(xlsx(tmp_path / "n.xlsx", roster(pasted=pasted)))
    assert [(p.id, p.name) for p in problem.staff][1] == ("Jo Park", "Jo Park")
    assert [u.staff for u in problem.unavailability] == ["Jo Park"]
    assert problem.shifts[1].start == 21 * 60 + 30


# -- D8: a decimal comma gets a hint ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("11,5", "; use a point: 11.5"),
        ("-0,25", "; use a point: -0.25"),
        ("1,000", "; write 1000 (no thousands separator) or 1.000 (a point for decimals)"),
        ("1,000,000", "; write 1000000 (no thousands separator)"),
        ("1.234,5", "; use a point and no thousands separator: 1234.5"),
        ("two", ""),
        ("1,5,5", ""),
    ],
)
def test_parse_float_hints_at_a_decimal_comma(text: str, hint: str) -> None:
    with pytest.raises(BadCell) as exc:
        parse_float(text)
    assert str(exc.value) == f"'{text}' must be a number{hint}"


def test_decimal_comma_in_a_comma_csv_names_the_cell_and_the_fix(tmp_path: Path) -> None:
    def comma(s: Sheets) -> None:
        s["shifts"][1][5] = "11,5"

    path = csv_zip(tmp_path / "d.zip", roster(comma=comma), sep=",")
    with pytest.raises(InputError) as exc:
        load_problem(path)
    assert str(exc.value) == (
        f"{path}/shifts.csv:2, field 'min_rest_hours': '11,5' must be a number; use a point: 11.5"
    )
    semicolons = csv_zip(tmp_path / "s.zip", roster(comma=comma), sep=";")
    problem = load_problem(semicolons)  # there the comma can only be the decimal mark
    assert isinstance(problem, RosterProblem)
    assert problem.shifts[0].min_rest_hours == 11.5
