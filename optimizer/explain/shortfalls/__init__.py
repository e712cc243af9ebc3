"""Why each understaffed shift is short, in the planner's words (``why_short``).

Modules, one concept each: ``records`` (``Candidate``, ``Shortfall``), ``why`` (sorting
every qualified person not on a short shift into away, pinned, another shift, blocked
by a hard rule or free), ``one_person`` (the checker on a one-person copy of the
problem: the hard rule adding the shift breaks), ``day_change`` (the checker on the
full roster with one day changed: what adding a free person costs) and ``words``
(reasons and the sentence).
"""

from optimizer.explain.shortfalls.records import Candidate, Shortfall
from optimizer.explain.shortfalls.why import why_short

__all__ = ["Candidate", "Shortfall", "why_short"]
