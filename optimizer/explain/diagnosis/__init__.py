"""Why no roster exists, in the planner's terms, and what would make one possible.

``diagnose_roster`` finds an irreducible set of hard-rule instances that cannot all
hold (CP-SAT with one assumption per instance, then a deletion filter; see
``optimizer.solvers.cpsat.diagnose``), names it with people, shifts and dates, and
tries single relaxations of its members — lower a hard cover minimum (agency
cover), loosen one contract limit, drop a pin, waive one succession or rest rule,
move leave — keeping those that make the whole problem feasible again. A change
with steps (a limit, a number of agency nurses) is searched for its smallest step
that works: steps grow by doubling, then a bisection finds the smallest.

When not even the conflict is found in time (large wards), the rest of the time goes to
a roster that breaks few rule instances, each as little as it can (``find_correction``):
those rules, loosened as far as that roster needs and checked with the independent
checker, are reported as changes that together give a roster (``relax_together``).

Case problems have no such diagnosis: ``case_conflict_hints`` names the likely causes
that show in the data alone (a case that fits nowhere, an overbooked person, a person
named on more case time than they are on duty, pins that collide).

Modules, one concept each: ``roster`` (``diagnose_roster`` and its summary), ``result``
(``Diagnosis``, ``Conflict`` and the phrases callers look for), ``members`` (the
conflicting set's members: rank, grouping, sentences), ``words`` (names, days, hours,
leave, successions), ``changes`` (single changes as chains of steps), ``relaxations``
(testing them: smallest step, whole-roster check, shared time), ``together`` (several
rules relaxed together, ``relaxed_for``), ``cases`` (``case_conflict_hints``).
"""

from optimizer.explain.diagnosis.cases import case_conflict_hints
from optimizer.explain.diagnosis.result import (
    FEASIBLE_BUT_NO_ROSTER,
    NOT_CONFIRMED,
    OTHERS_REMAIN,
    Conflict,
    Diagnosis,
)
from optimizer.explain.diagnosis.roster import diagnose_roster
from optimizer.explain.diagnosis.together import relaxed_for

__all__ = [
    "FEASIBLE_BUT_NO_ROSTER",
    "NOT_CONFIRMED",
    "OTHERS_REMAIN",
    "Conflict",
    "Diagnosis",
    "case_conflict_hints",
    "diagnose_roster",
    "relaxed_for",
]
