"""The parts of a case explanation (``optimizer.explain.case_reasons``, the public
import point, puts them together in ``explain_task``).

Modules, one concept each: ``reason`` (``Reason``, ``TaskExplanation``), ``words``
(the end of the stretch examined, duty stretches, a role's holders), ``static`` (the
stages that hold whatever the other cases do, ``static_reasons``), and the obstacles
they name: ``missing_resources`` (equipment above capacity, no room that may hold
the case), ``named_staff`` (a named person off duty), ``roles`` (too few qualified
people on duty), ``absences`` (absences with their reasons), ``pins`` (a pin that
leaves no time); against the schedule: ``blockers`` (the tally of what blocks each
(start, room) and its wording), ``precedences`` (precedences with placed cases),
``free_slot`` (why the solver left a free slot unused, ``RULE_WORDS``).
"""
