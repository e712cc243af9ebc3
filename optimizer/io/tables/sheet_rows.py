"""A bundle sheet as its reader gives it: numbered rows of cells, before it is a table."""

from __future__ import annotations

from typing import Any

Row = tuple[int, list[Any]]
"""A file line (or XLSX row) number and its cells."""

Merged = dict[tuple[int, int], str]
"""Cells given the value of a merged range they lie in: (row, column) -> range (``C4:C6``)."""

Sheet = tuple[str, str, list[Row], Merged]
"""A sheet's title, where it is (for messages), its rows and its filled merged cells."""


def empty_cell(value: object) -> bool:
    """Whether a cell as read holds nothing: ``None`` or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())
