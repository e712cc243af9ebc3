"""The rows of a bench as a Markdown table, a CSV file or plain dicts."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from optimizer.bench.rows import CSV_COLUMNS, BenchRow, row_cells


def to_markdown(rows: Sequence[BenchRow], title: str | None = None) -> str:
    """A Markdown table (with an optional heading line before it)."""
    lines = [f"{title}\n"] if title else []
    lines.append("| " + " | ".join(CSV_COLUMNS).replace("gap_pct", "gap %") + " |")
    lines.append("|" + "---|" * len(CSV_COLUMNS))
    lines += ["| " + " | ".join(row_cells(row)) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def write_csv(rows: Sequence[BenchRow], path: str | Path) -> None:
    """The rows as CSV with ``CSV_COLUMNS`` (plus ``message``)."""
    with Path(path).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*CSV_COLUMNS, "message"])
        for row in rows:
            writer.writerow([*row_cells(row), row.message])


def as_dicts(rows: Sequence[BenchRow]) -> list[dict[str, Any]]:
    """Rows as plain dicts (with ``gap_pct``), e.g. for JSON."""
    return [{**asdict(row), "gap_pct": row.gap_pct} for row in rows]
