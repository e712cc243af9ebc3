"""The deterministic rule parser (the default, offline): free text → resolved requests.

Modules, one concept each: ``sentences`` (sentence splitting), ``clause`` (a clause and
its text helpers), ``clauses`` (clause splitting and intent), ``patterns`` (the fixed
words of roster requests), ``people`` (who a clause is about), ``absence``, ``wishes``,
``cover`` (cover changes), ``case_words`` and ``cases`` (new cases), ``cancellations``
(cancelled cases), ``days`` (the plan's horizon, days in messages) and ``parser``
(``RuleParser``, which ties them together).
"""

from llm_intake.rules.cancellations import CASE_CANCEL_REASON, case_cancellations
from llm_intake.rules.parser import OUT_OF_SCOPE, RuleParser

__all__ = ["CASE_CANCEL_REASON", "OUT_OF_SCOPE", "RuleParser", "case_cancellations"]
