"""The what-if under construction: the changed problem and its changes."""

from __future__ import annotations

from typing import Any

from dashboards.state import Family, Workspace


def pending_changes(ws: Workspace, family: Family) -> tuple[Any, list[str]]:
    """The what-if problem under construction (starts as the current problem)."""
    current = ws.pending.get(family.kind)
    if current is None:
        current = (family.problem, [])
        ws.pending[family.kind] = current
    return current


def add_change(ws: Workspace, kind: str, problem: Any, descriptions: list[str]) -> None:
    """Add confirmed changes to the what-if under construction (one undo step)."""
    _, changes = ws.pending[kind]
    action = (
        f"what-if change '{descriptions[0]}'"
        if len(descriptions) == 1
        else f"{len(descriptions) or 'the'} what-if changes"
    )
    ws.record(action, [kind])
    ws.pending[kind] = (problem, [*changes, *descriptions])
