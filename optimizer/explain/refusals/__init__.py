"""Why each staff request was not granted, in the planner's words (``why_not_granted``).

Modules, one concept each: ``records`` (``RequestRefusal``), ``why`` (the change that
would grant a request, judged in order: away, pinned, a hard rule, what it costs) and
``words`` (the request, the effects of granting it and the sentence). The checker does
the judging, through the shortfalls' ``PersonCheck`` (a one-person copy of the problem)
and ``FullRosterCheck`` (the full roster with one day changed).
"""

from optimizer.explain.refusals.records import RequestRefusal
from optimizer.explain.refusals.why import why_not_granted

__all__ = ["RequestRefusal", "why_not_granted"]
