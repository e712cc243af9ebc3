"""Which kind of move comes next: group moves or a window move, by their recent gains."""

from __future__ import annotations

import random
from dataclasses import dataclass

MOVE_MEMORY = 0.8
"""Weight of a kind's earlier rounds when its gain per second is updated."""

MIN_SHARE = 0.2
"""Each kind of move (group rounds, window moves) gets at least this share of rounds."""


@dataclass
class MoveRecord:
    """What one kind of move has gained lately, to choose between kinds.

    Older rounds count less (``MOVE_MEMORY`` per round), so a kind that paid off early
    but has stopped paying off loses its share.
    """

    gain: float = 0.0
    seconds: float = 0.0

    def record(self, gain: int, seconds: float) -> None:
        self.gain = MOVE_MEMORY * self.gain + max(0, gain)
        self.seconds = MOVE_MEMORY * self.seconds + seconds

    def rate(self) -> float:
        """Cost saved per second (optimistic before the first try)."""
        return (self.gain + 1) / (self.seconds + 1)


class MoveChoice:
    """The records of group rounds and window moves, and the choice between them."""

    def __init__(self) -> None:
        self.records = {"groups": MoveRecord(), "window": MoveRecord()}

    def record(self, kind: str, gain: int, seconds: float) -> None:
        """A round of ``kind`` (``"groups"`` or ``"window"``) gained ``gain`` in ``seconds``."""
        self.records[kind].record(gain, seconds)

    def next(self, rng: random.Random) -> str:
        """``"groups"`` or ``"window"``, in proportion to what each has gained per second
        lately (each at least ``MIN_SHARE`` of the time)."""
        groups, window = self.records["groups"].rate(), self.records["window"].rate()
        share = min(1 - MIN_SHARE, max(MIN_SHARE, window / (groups + window)))
        return "window" if rng.random() < share else "groups"
