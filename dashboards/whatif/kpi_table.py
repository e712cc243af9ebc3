"""Baseline and scenario measures side by side with their difference."""

from __future__ import annotations

import pandas as pd


def side_by_side(before: dict[str, float], after: dict[str, float]) -> pd.DataFrame:
    """One row per measure; whole numbers shown whole, the others to one decimal."""
    rows = []
    for name in before.keys() | after.keys():
        a, b = before.get(name), after.get(name)
        delta = None if a is None or b is None else b - a
        rows.append(
            {
                "Measure": name,
                "Baseline": _number(a),
                "Scenario": _number(b),
                "Δ": _number(delta, signed=True),
            }
        )
    order = list(before) + [n for n in after if n not in before]
    frame = pd.DataFrame(rows, columns=["Measure", "Baseline", "Scenario", "Δ"])
    return frame.set_index("Measure").loc[order].reset_index()


def _number(value: float | None, *, signed: bool = False) -> str:
    """``442``, ``97.3``, ``+5``, ``−1.5`` or ``—``."""
    if value is None:
        return "—"
    if isinstance(value, float):
        value = round(value, 1)
    whole = isinstance(value, int) or float(value).is_integer()
    text = f"{int(value):+d}" if whole and signed else f"{int(value)}" if whole else ""
    if not whole:
        text = f"{value:+.1f}" if signed else f"{value:.1f}"
    return "0" if signed and value == 0 else text.replace("-", "−")


def broken_rules_note(heading: str, broken: list[str], limit: int = 8) -> str:
    """Markdown for under a KPI table whose baseline breaks hard rules: ``heading`` and
    the checker's words, one a line (the first ``limit``, then how many more); "" when
    nothing is broken."""
    if not broken:
        return ""
    lines = [f"- {message}" for message in broken[:limit]]
    if len(broken) > limit:
        lines.append(f"- and {len(broken) - limit} more")
    return "\n".join([heading, *lines])
