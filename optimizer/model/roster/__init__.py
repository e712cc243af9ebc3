"""The staff-rostering problem: who works which shift on which day.

Days are 0-based indices from ``start_date``; dates appear only at the edges
(``RosterProblem.date_of`` / ``day_of``). A staff member works at most one shift
a day. Coverage, requests and contracts follow the Curtois–Qu rules, so that
benchmark maps onto this model unchanged (see ``docs/formats.md``).

This package is the public import point of the roster model; its modules hold one
part each: ``shifts``, ``staff`` (and contracts), ``cover``, ``absences`` (and the
hours credit), ``requests`` (and pins), ``costs`` (soft-rule names, baseline),
``problem`` and its cross-reference ``checks``.
"""

from optimizer.model.roster.absences import (
    CREDITED_REASONS,
    Unavailability,
    credits_hours,
    day_runs,
    prorated_minimum,
    unrecorded_absences,
)
from optimizer.model.roster.costs import ROSTER_PENALTY_RULES, Baseline, BaselineShift
from optimizer.model.roster.cover import CoverDemand
from optimizer.model.roster.problem import RosterProblem
from optimizer.model.roster.requests import Pin, ShiftRequest
from optimizer.model.roster.shifts import DAY_MINUTES, ShiftType
from optimizer.model.roster.staff import Contract, Staff

__all__ = [
    "CREDITED_REASONS",
    "DAY_MINUTES",
    "ROSTER_PENALTY_RULES",
    "Baseline",
    "BaselineShift",
    "Contract",
    "CoverDemand",
    "Pin",
    "RosterProblem",
    "ShiftRequest",
    "ShiftType",
    "Staff",
    "Unavailability",
    "credits_hours",
    "day_runs",
    "prorated_minimum",
    "unrecorded_absences",
]
