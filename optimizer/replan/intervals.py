"""Interval arithmetic of a re-plan: a room's openings with a closure cut out or a
long case run on, and whether a span overlaps an interval."""

from __future__ import annotations

from collections.abc import Sequence

from optimizer.model.cases import Opening


def close_opening(opening: Opening, start: int, end: int) -> list[Opening]:
    """The parts of an opening outside ``[start, end)`` (overtime-only rests dropped)."""
    if opening.hard_end <= start or opening.start >= end:
        return [opening]
    parts = []
    if opening.start < start:
        regular_end = min(opening.end, start)
        parts.append(
            Opening(
                start=opening.start,
                end=regular_end,
                overtime=min(start, opening.hard_end) - regular_end,
            )
        )
    if end < opening.end:
        parts.append(Opening(start=end, end=opening.end, overtime=opening.overtime))
    return parts


def run_on(openings: Sequence[Opening], start: int, end: int) -> tuple[Opening, ...]:
    """A room's (sorted) openings once its case started at ``start`` ran until ``end``.

    The opening the case started in gets overtime up to ``end``. A later opening the
    case ran into starts at ``end`` instead (the afternoon list waits for the morning
    case; the room's turnover still follows it); one whose regular hours the case ran
    past goes, its overtime kept as overtime of the case's opening."""
    home = next((o for o in openings if o.start <= start < o.hard_end), None)
    if home is None:  # the published case ran outside every opening: nothing to stretch
        return tuple(openings)
    later = [o for o in openings if start < o.start < end]
    swallowed = [o for o in later if o.end <= end]
    hard_end = max([home.hard_end, end, *(o.hard_end for o in swallowed)])
    kept = []
    for opening in openings:
        if opening is home:
            opening = opening.model_copy(update={"overtime": hard_end - opening.end})
        elif opening in swallowed:
            continue
        elif opening in later:
            opening = opening.model_copy(update={"start": end})
        kept.append(opening)
    return tuple(kept)


def overlaps(span: tuple[int, int], start: int, end: int) -> bool:
    """Whether a non-empty ``span`` overlaps ``[start, end)``."""
    return span[0] < span[1] and span[0] < end and start < span[1]
