"""LLM answers checked against the planner's text and the rule parser's reading of it.

A small model can name someone the text never mentions, pick one of two people a name
fits, read "isn't off" as off, or invent a date. Each of its requests is checked against
the sentences of the text; a request that fails is refused — returned as not understood,
with the reason and the text — so the planner decides, never the model.

* **Who.** A person must be named in a sentence by a mention that denotes them alone
  (their id, full name, a surname or first name only they have, a close misspelling) or
  that the rule parser settles from the sentence ("Jo Park wants the late": the ward's
  Jo Park). Reached only through a mention that fits several people ("Patel"), the
  request gets the rule parser's question ("'Patel' could be …; which one?").
* **Which case.** A cancelled case must be named: by its id ("C013"), or so that the
  rule parser's case matching picks out that one case ("the thyroidectomy is
  cancelled", when it is the only one). A sentence with a negation or a move word
  ("C013 is not cancelled after all", "Move C013 to Thursday"), a hedge, a condition, an
  exception or a question cancels nothing.
* **What and when.** The rule parser reads the same sentence. A sentence it refuses as
  negated, tentative, a condition, an exception, a swap, a move or a cover refuses the
  model's request with the same reason. Where it reads the sentence into requests on the
  same person, the model's request must be one of them (dates within its dates, shifts
  within its shifts); where it reads the whole sentence into other requests, the model's
  request is a different reading and is refused naming both. Days outside the dates the
  rule parser finds in the sentence are refused naming both readings. A time of day on an
  absence must be one the sentence gives, as the rule parser reads it ("from 2pm",
  "afternoon": from 12:00); a part of a day must lie within the rule parser's.
* **Why.** An accepted absence takes the reason its sentence gives, as the rule parser
  stores it ("off sick": "sickness"; see ``Grounding.with_reason``).

Modules, one concept each: ``sentence`` (the text's sentences and the rule parser's
reading of each), ``targets`` (requests compared: people, days, same target), ``guards``
(the refusals no other reading may override, by ``RefusalKind``), ``cancelled``
(sentences that cancel no case), ``times`` (times of day the sentence gives), ``messages``
(the refusals written here) and ``checks`` (``Grounding``, which ties them together).
"""

from llm_intake.grounding.checks import Grounding
from llm_intake.grounding.guards import GUARD_KINDS, is_guard
from llm_intake.grounding.sentence import Sentence
from llm_intake.grounding.targets import request_days, request_people

__all__ = ["GUARD_KINDS", "Grounding", "Sentence", "is_guard", "request_days", "request_people"]
