"""Time windows: half-open ``[start, end)`` intervals in minutes, and their arithmetic."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from optimizer.model.common import MAX_MINUTES, Int, Record


class Window(Record):
    """A half-open time interval ``[start, end)`` in minutes from the horizon start."""

    start: Int = Field(ge=0, le=MAX_MINUTES)
    end: Int = Field(gt=0, le=MAX_MINUTES)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(f"window ends ({self.end}) at or before it starts ({self.start})")
        return self

    @property
    def length(self) -> int:
        return self.end - self.start


def merge_windows(windows: tuple[tuple[int, int], ...] | list[tuple[int, int]]) -> list[Window]:
    """Sorted, disjoint windows: overlapping or touching ones are merged."""
    merged: list[list[int]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [Window(start=s, end=e) for s, e in merged]


def subtract_windows(windows: list[Window], away: tuple[Window, ...]) -> list[Window]:
    """``windows`` (sorted, disjoint) less the ``away`` times, in one sweep."""
    offs = merge_windows([(w.start, w.end) for w in away])
    kept: list[tuple[int, int]] = []
    first = 0
    for window in windows:
        while first < len(offs) and offs[first].end <= window.start:
            first += 1
        start = window.start
        for off in offs[first:]:
            if off.start >= window.end:
                break
            if start < off.start:
                kept.append((start, off.start))
            start = max(start, off.end)
        if start < window.end:
            kept.append((start, window.end))
    return [Window(start=a, end=b) for a, b in kept]
