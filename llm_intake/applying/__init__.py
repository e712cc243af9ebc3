"""Applying confirmed requests, one module per concept; ``llm_intake.apply`` is the
public entry point and re-exports what callers use.

Modules: ``applied`` (``Applied`` and re-validation of the new version), ``wording``
(days, spans and names in change lines), ``roster`` (requests applied to a roster)
with ``roster_draft`` (the roster being changed) and one module per request kind:
``roster_absence``, ``roster_wish``, ``roster_cover``, ``roster_pin``; ``cases``
(requests applied to a case problem) with ``case_clock`` (days in the problem's clock),
``case_absence``, ``added_case``, ``case_fit`` (whether a new case can be placed) and
``cancelled_case``.
"""
