"""What-if changes as pure functions: problem in, new problem (with a baseline) out.

Each ``with_*`` function returns a new, re-validated problem and a one-line
description; ``baseline_*`` attach the published solution so that re-solving
changes as little as possible. ``*_changes`` list exactly what moved.

Modules, one concept each. Rosters: ``leave_and_demand`` (a person away, extra
staff needed), ``roster_baseline`` (the published roster as baseline, repaired to fit
the changes, kept when better, re-plans costed), ``replan_scope`` (the days a re-plan
may move and those kept as published), ``replan_notes`` (the re-plan's notes in words),
``roster_replan`` (``RosterReplan``: what is shown, solved and adopted),
``roster_moves`` (the changed staff-days and why), ``roster_kpis``. Cases:
``case_edits`` (added, ran long, cancelled), ``case_absence`` (case staff away),
``closed_room``, ``case_baseline`` (the
re-planning problem, set-up notes, warm start), ``case_kpis`` (changed cases and
KPIs), ``case_wording`` (ids as names, minutes as dates). Both: ``problem_copy``
(``rebuild``), ``kpi_table`` (measures side by side), ``adoption`` (a scenario
adopted as the plan), ``comparison`` (scenarios side by side, each one's baseline
computed once per page run).
"""

from dashboards.whatif.adoption import adopted_plan, with_previous_plan
from dashboards.whatif.case_absence import ABSENCE_REASONS, absence_span, with_case_absence
from dashboards.whatif.case_baseline import (
    baseline_cases,
    case_hint,
    case_replan_notes,
    published_under_case_changes,
)
from dashboards.whatif.case_edits import (
    CASE_FORM_FIELDS,
    Cancellation,
    cancelled,
    with_added_case,
    with_cancelled_case,
    with_case_overrun,
)
from dashboards.whatif.case_kpis import (
    BROKEN_CASE_BASELINE,
    broken_case_baseline_note,
    case_baseline_caption,
    case_changes,
    case_kpi_table,
)
from dashboards.whatif.case_wording import case_words, in_words
from dashboards.whatif.closed_room import CLOSED, with_closed_room
from dashboards.whatif.comparison import (
    BASELINE_PENALTY,
    PENALTY,
    baseline_penalty,
    compare,
    scenario_baseline,
    scenario_baselines,
)
from dashboards.whatif.leave_and_demand import added_demand, with_extra_demand, with_leave
from dashboards.whatif.replan_notes import (
    ONLY_THE_CHANGES,
    WHOLE_NOTE,
    day_ranges,
    earlier_changes_note,
    kept_days_note,
    scope_note,
    unkept_days_note,
)
from dashboards.whatif.replan_scope import (
    DATED_PARTS,
    SCOPES,
    changed_span,
    first_changed_day,
    free_days,
    keep_published_before,
    keep_published_on,
    kept_days,
    kept_published_until,
    only_the_changes,
    rule_reach,
)
from dashboards.whatif.roster_baseline import (
    KEPT_PUBLISHED,
    baseline_breaks,
    baseline_roster,
    checked_baseline,
    costed_for,
    keep_better,
    published_under_changes,
    repaired_roster,
)
from dashboards.whatif.roster_kpis import (
    BROKEN_BASELINE,
    PENALTY_ROWS,
    baseline_caption,
    baseline_heading,
    broken_baseline_note,
    roster_kpi_table,
)
from dashboards.whatif.roster_moves import (
    COVERS,
    ELSEWHERE,
    FORCED,
    NEAR,
    REASONS,
    RULES,
    change_reasons,
    changes_summary,
    roster_changes,
)
from dashboards.whatif.roster_replan import RosterReplan, roster_replan, roster_replan_unkept

_in_words = in_words  # the name it had before the split (tests use it)

__all__ = [
    "ABSENCE_REASONS",
    "BASELINE_PENALTY",
    "BROKEN_BASELINE",
    "BROKEN_CASE_BASELINE",
    "CASE_FORM_FIELDS",
    "CLOSED",
    "COVERS",
    "DATED_PARTS",
    "ELSEWHERE",
    "FORCED",
    "KEPT_PUBLISHED",
    "NEAR",
    "ONLY_THE_CHANGES",
    "PENALTY",
    "PENALTY_ROWS",
    "REASONS",
    "RULES",
    "SCOPES",
    "WHOLE_NOTE",
    "Cancellation",
    "RosterReplan",
    "absence_span",
    "added_demand",
    "adopted_plan",
    "baseline_breaks",
    "baseline_caption",
    "baseline_cases",
    "baseline_heading",
    "baseline_penalty",
    "baseline_roster",
    "broken_baseline_note",
    "broken_case_baseline_note",
    "cancelled",
    "case_baseline_caption",
    "case_changes",
    "case_hint",
    "case_kpi_table",
    "case_replan_notes",
    "case_words",
    "change_reasons",
    "changed_span",
    "changes_summary",
    "checked_baseline",
    "compare",
    "costed_for",
    "day_ranges",
    "earlier_changes_note",
    "first_changed_day",
    "free_days",
    "in_words",
    "keep_better",
    "keep_published_before",
    "keep_published_on",
    "kept_days",
    "kept_days_note",
    "kept_published_until",
    "only_the_changes",
    "published_under_case_changes",
    "published_under_changes",
    "repaired_roster",
    "roster_changes",
    "roster_kpi_table",
    "roster_replan",
    "roster_replan_unkept",
    "rule_reach",
    "scenario_baseline",
    "scenario_baselines",
    "scope_note",
    "unkept_days_note",
    "with_added_case",
    "with_cancelled_case",
    "with_case_absence",
    "with_case_overrun",
    "with_closed_room",
    "with_extra_demand",
    "with_leave",
    "with_previous_plan",
]
