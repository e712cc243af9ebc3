"""The deterministic rule parser (the default, offline): free text → resolved requests.

Modules, one concept each: ``sentences`` (sentence splitting), ``clause`` (a clause and
its text helpers), ``clauses`` (clause splitting and intent), ``patterns`` (the fixed
words of roster requests), ``people`` (who a clause is about), ``absence``, ``wishes``,
``cover`` (cover changes), ``case_words`` and ``cases`` (new cases), ``cancellations``
(cancelled cases: ``cancel_case`` requests), ``days`` (the plan's horizon, days in
messages) and ``parser`` (``RuleParser``, which ties them together).
"""

from llm_intake.rules.cancellations import CasePlan, case_cancellations, case_plans
from llm_intake.rules.parser import OUT_OF_SCOPE, RuleParser

__all__ = ["OUT_OF_SCOPE", "CasePlan", "RuleParser", "case_cancellations", "case_plans"]
