"""The parts of the Changes / what-if page (``dashboards/views/changes.py``), one
concept each: ``pending`` (the what-if under construction), ``roster_forms`` and
``case_forms`` (the change forms), ``free_text`` (a change described in words),
``replan_inputs`` (scope and "now"), ``running`` (a scenario's re-plan until it ends),
``scenario_view`` (a scenario shown; adopting it)."""
