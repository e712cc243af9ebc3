"""Cancelled cases: sentences that call a case off, and which cases they name.

The rule parser turns each such sentence into ``cancel_case`` requests
(``cancelled_case_ids``); the dashboard reads a whole text (``case_cancellations``).
A case is never guessed: one that does not fit, or several that fit, is a question; a
word of the case phrase that is in no procedure ("shoulder") fits no case. A negated,
tentative, questioning, conditional, past or "except" sentence cancels nothing.

Modules, one concept each: ``detect`` (whether a sentence calls a case off),
``refusals`` (cancelling sentences that must cancel nothing), ``parts`` (the cancelling
part of a sentence), ``description`` (what it says of its cases), ``matching`` (which
cases fit), ``plans`` (the loaded case problems and schedules) and ``cancelled`` (the
entry points).
"""

from llm_intake.rules.cancellations.cancelled import (
    CaseCancellation,
    cancelled_case_ids,
    case_cancellations,
)
from llm_intake.rules.cancellations.detect import asks, is_case_cancellation
from llm_intake.rules.cancellations.plans import CasePlan, case_plans

__all__ = [
    "CaseCancellation",
    "CasePlan",
    "asks",
    "cancelled_case_ids",
    "case_cancellations",
    "case_plans",
    "is_case_cancellation",
]
