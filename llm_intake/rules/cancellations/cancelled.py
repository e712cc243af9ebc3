"""The cases a sentence (``cancelled_case_ids``, for the rule parser) or a whole text
(``case_cancellations``, for the dashboard) says are cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from llm_intake.refusals import RefusalKind
from llm_intake.requests import Unparsed
from llm_intake.resolver import Resolver
from llm_intake.rules.cancellations.description import procedure_of
from llm_intake.rules.cancellations.detect import asks, is_case_cancellation
from llm_intake.rules.cancellations.matching import WHICH_CASE, cancelled_cases
from llm_intake.rules.cancellations.plans import CasePlan
from llm_intake.rules.cancellations.refusals import sentence_refusal
from llm_intake.rules.clause import NotUnderstood
from llm_intake.rules.sentences import split_sentences


def cancelled_case_ids(
    sentence: str,
    plans: Sequence[CasePlan],
    resolver: Resolver,
    today: dt.date,
    asked: bool = False,
) -> list[str]:
    """The ids of the cases a cancelling ``sentence`` names, in the one loaded case
    problem that holds them; ``NotUnderstood`` with the question otherwise (``asked``:
    the sentence ended in a question mark)."""
    if refusal := sentence_refusal(sentence, asked):
        raise refusal
    found: list[list[str]] = []
    questions: list[NotUnderstood] = []
    for plan in plans:
        try:
            found.append(cancelled_cases(sentence, plan.problem, plan.schedule, resolver, today))
        except NotUnderstood as exc:
            questions.append(exc)
    if len(found) > 1:
        raise NotUnderstood(
            "the case fits more than one loaded case problem; load only the one to change",
            RefusalKind.UNREADABLE,
        )
    if found:
        return found[0]
    raise questions[0] if questions else NotUnderstood(WHICH_CASE, RefusalKind.WHICH_CASE)


@dataclass(frozen=True)
class CaseCancellation:
    """A case that free text says is cancelled (``optimizer.replan.CancelCase``)."""

    task: str
    text: str
    """The sentence that says so (as the rule parser reports it when unparsed)."""


def case_cancellations(
    text: str, problem: Any, schedule: Any, today: dt.date
) -> tuple[list[CaseCancellation], list[Unparsed]]:
    """The cases of the case ``problem`` that ``text`` says are cancelled.

    A case is named by its id ("Case C013 is cancelled", "cancel C013"), or picked by
    its procedure (or a short form: "lap chole"), surgeon or team member, day, room and
    time in the published ``schedule`` (a ``CaseSchedule`` or None): "the hernia repair
    on Tuesday is cancelled". More than one case fitting is a question, unless the
    sentence cancels a whole list ("Mr Okafor's list on Tuesday is cancelled": every case
    of his that day). Sentences that name no case are left out (the rule parser reports
    them); a sentence that names a case it cannot settle, or that is negated, tentative,
    a question, conditional, an exception or in the past, comes back unparsed with the
    reason.
    """
    from llm_intake.vocabulary import build_vocabulary

    resolver = Resolver(build_vocabulary([problem]))
    procedures = [procedure_of(t) for t in problem.tasks]
    found: list[CaseCancellation] = []
    unsettled: list[Unparsed] = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip(" ,")
        if not is_case_cancellation(sentence, procedures, resolver, today):
            continue
        try:
            if refusal := sentence_refusal(sentence, asks(text, end)):
                raise refusal
            ids = cancelled_cases(sentence, problem, schedule, resolver, today)
        except NotUnderstood as exc:
            unsettled.append(exc.unparsed(sentence))
            continue
        found += [CaseCancellation(task=task_id, text=sentence) for task_id in ids]
    return found, unsettled
