"""Who a group move re-solves: a person and colleagues, guided by reduced costs when known."""

from __future__ import annotations

import random
from collections.abc import Sequence

from optimizer.model.roster import Staff

RANDOM_GROUPS = 0.2
"""With reduced costs known (``StaffwiseSearch.excess``), the share of groups still
picked at random; the others start from a person whose row costs more than it must."""

MATE_EXCESS = 4
"""A colleague's chance to join a guided group: 1 + this x their row's excess (in the
units of one cost point)."""


def pick_group(
    staff: Sequence[Staff], size: int, excess: Sequence[float] | None, rng: random.Random
) -> list[int]:
    """A person and up to ``size - 1`` colleagues sharing one of their skills (anybody if
    too few do).

    Random, unless ``excess`` (each person's row's excess) is given: then most groups
    start from a person drawn by their excess, and colleagues with an excess are likelier
    to join (the roster's gap to the bound is in those rows).
    """
    people = range(len(staff))
    if excess is not None and (sum(excess) <= 0 or rng.random() < RANDOM_GROUPS):
        excess = None  # this group at random
    e = rng.randrange(len(staff)) if excess is None else rng.choices(people, weights=excess)[0]
    skills = set(staff[e].skills)
    mates = [f for f in people if f != e and skills & set(staff[f].skills)]
    if len(mates) < size - 1:
        mates = [f for f in people if f != e]
    joining = min(len(mates), size - 1)
    if excess is None:
        return [e, *rng.sample(mates, joining)]
    weights = [1 + MATE_EXCESS * excess[f] for f in mates]
    group = [e]
    for _ in range(joining):
        i = rng.choices(range(len(mates)), weights=weights)[0]
        group.append(mates.pop(i))
        weights.pop(i)
    return group
