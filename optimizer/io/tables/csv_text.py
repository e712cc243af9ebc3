"""CSV text read into numbered rows: the separator guessed (comma, semicolon or tab, or
Excel's ``sep=`` line), UTF-8 decoded, and each unreadable line named in its error."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from optimizer.errors import InputError
from optimizer.io.load import CSV_UTF8_HINT, decode_utf8
from optimizer.io.tables.read_budget import ReadBudget
from optimizer.io.tables.sheet_rows import Row, empty_cell

_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_HEADER_CHARS = 65_536
"""The separator is guessed from at most this much of the first line."""


def _delimiter(text: str) -> str:
    """The separator of the header line: ``,`` unless ``;`` or a tab splits it into more."""
    end = text.find("\n", 0, _HEADER_CHARS)
    header = text[: _HEADER_CHARS if end < 0 else end]
    counts = {d: len(next(csv.reader([header], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], d == ","))


class CsvRows(list[Row]):
    """The rows of a CSV file, knowing its separator (``;``: a comma is a decimal mark)."""

    def __init__(self, rows: Iterable[Row] = (), delimiter: str = ",") -> None:
        super().__init__(rows)
        self.delimiter = delimiter


def csv_rows(data: bytes, where: str, budget: ReadBudget | None = None) -> CsvRows:
    """The rows of a CSV file (comma, semicolon or tab separated); errors name the line.

    With a ``budget`` (a bundle sheet), each line's cells up to its last value are
    counted against it as they are read and kept; lines without a value are left out.
    """
    text = decode_utf8(data, where, CSV_UTF8_HINT)
    skipped = 0
    if text[:4].lower() == "sep=" and text[4:5] not in ("", "\n") and text[5:6] in ("", "\n"):
        delimiter, text, skipped = text[4], text[6:], 1  # Excel's separator line
    else:
        delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = CsvRows(delimiter=delimiter)
    while True:
        line = reader.line_num + 1 + skipped  # where the next row starts
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as exc:
            raise InputError(
                f"not a readable {_DELIMITER_NAMES.get(delimiter, repr(delimiter))}-separated "
                "CSV file "
                f"({_csv_reason(str(exc))})",
                file=where,
                line=line,
            ) from None
        if budget is None:
            rows.append((line, cells))
            continue
        used = len(cells)
        while used and not cells[used - 1]:  # empty cells after the last value
            used -= 1
        budget.take_cells(max(used, 1), where, line)
        if used and not all(empty_cell(c) for c in cells[:used]):
            rows.append((line, cells[:used] if used < len(cells) else cells))


def _csv_reason(reason: str) -> str:
    if "field larger than field limit" in reason:
        return f"a cell holds more than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in reason:
        return "a quoted cell is never closed: a '\"' is missing"
    if "expected after" in reason:
        return f"a quoted cell goes on after its closing quote: {reason}"
    return reason
