"""What an all-integer objective lets a solver assume: a gap below 1 already proves
optimality, and a fractional bound rounds up."""

from __future__ import annotations

import math

INTEGRAL_GAP = 0.99
"""Default absolute gap: every objective coefficient is an integer, so a gap below 1
already proves optimality."""


def ceil_bound(value: float) -> int | None:
    """Round a solver bound up to the next integer, forgiving float noise (None if infinite)."""
    if not math.isfinite(value):
        return None
    return math.ceil(value - 1e-6)
