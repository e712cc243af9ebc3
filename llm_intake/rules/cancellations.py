"""Cancelled cases: sentences that call a case off, and which cases they name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from llm_intake.dates import find_dates
from llm_intake.requests import Unparsed
from llm_intake.resolver import Resolver
from llm_intake.rules.clause import NotUnderstood
from llm_intake.rules.days import fmt_days
from llm_intake.rules.sentences import split_sentences
from llm_intake.vocabulary import fold

_I = re.IGNORECASE

_CASE_CANCEL = re.compile(
    r"\b(?:cancel(?:led|ed|s|ling|ing|lation)?|called\s+off|(?:not|isn't|won't\s+be)\s+going\s+"
    r"ahead|(?:won't|will\s+not)\s+go\s+ahead)\b",
    _I,
)
"""Words that call a case off ("C013 is cancelled", "the list is called off")."""
_CASE_WORD = re.compile(
    r"\b(?:cases?|lists?|operations?|ops?|surgery|surgeries|procedures?|theatre\s+slot)\b", _I
)
_CASE_ID_LIKE = re.compile(r"\b[A-Za-z]{1,4}-?\d{1,5}\b")
"""A token that looks like a case id (``C013``)."""
_REQUEST_WORD = re.compile(
    r"\b(?:requests?|requested|wish(?:es)?|leave|holidays?|sick(?:ness)?|shifts?|nights?|"
    r"earl(?:y|ies)|lates?)\b",
    _I,
)
"""Words of a roster request: "cancel Oliver's request" withdraws a request, not a case."""
_WHOLE_LIST = re.compile(r"\b(?:lists?|all|every|whole|cases)\b", _I)
"""Words that cancel every case that fits ("Mr Okafor's list on Tuesday")."""
CASE_CANCEL_REASON = (
    "cancelling a case is not a change the intake's requests make: cancel it on the "
    "dashboard's Changes page (the Cancelled case tab, or this sentence in its text box), "
    "or with optimizer.replan.CancelCase"
)


def is_case_cancellation(sentence: str, procedures: list[str]) -> bool:
    """Whether ``sentence`` says a case is called off: a cancel word with a case word, an
    id-like token (``C013``) or a word of one of ``procedures``; never a roster request."""
    if not _CASE_CANCEL.search(sentence) or _REQUEST_WORD.search(sentence):
        return False
    if _CASE_WORD.search(sentence) or _CASE_ID_LIKE.search(sentence):
        return True
    return bool(_procedure_words(sentence, procedures))


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
    its procedure, surgeon or team member and day in the published ``schedule`` (a
    ``CaseSchedule`` or None): "the hernia repair on Tuesday is cancelled". More than
    one case fitting is a question, unless the sentence cancels a whole list ("Mr
    Okafor's list on Tuesday is cancelled": every case of his that day). Sentences that
    name no case are left out (the rule parser reports them); a sentence that names a
    case it cannot settle comes back unparsed, with the question.
    """
    from llm_intake.vocabulary import build_vocabulary

    resolver = Resolver(build_vocabulary([problem]))
    procedures = [_procedure(t) for t in problem.tasks]
    found: list[CaseCancellation] = []
    unsettled: list[Unparsed] = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip(" ,")
        if not is_case_cancellation(sentence, procedures):
            continue
        try:
            ids = _cancelled_cases(sentence, problem, schedule, resolver, today)
        except NotUnderstood as exc:
            unsettled.append(Unparsed(text=sentence, reason=str(exc)))
            continue
        found += [CaseCancellation(task=task_id, text=sentence) for task_id in ids]
    return found, unsettled


def _procedure(task: Any) -> str:
    return str(getattr(task, "procedure", "") or getattr(task, "name", "") or "")


_GENERIC_WORDS = frozenset({"case", "cases", "list", "with", "from", "this", "that", "cancelled"})


def _procedure_words(sentence: str, procedures: list[str]) -> set[str]:
    """The words of ``sentence`` (folded, 4 letters or more) found in some procedure."""
    known = {w for p in procedures for w in fold(p).split() if len(w) >= 4}
    return {w for w in fold(sentence).split() if w in known and w not in _GENERIC_WORDS}


def _cancelled_cases(
    sentence: str, problem: Any, schedule: Any, resolver: Resolver, today: dt.date
) -> list[str]:
    """The ids of the cases the sentence cancels; ``NotUnderstood`` with the question."""
    named = [
        t.id
        for t in problem.tasks
        if re.search(rf"(?<![\w-]){re.escape(t.id)}(?![\w-])", sentence, _I)
    ]
    if named:
        return named
    placed = {item.task: item for item in schedule.tasks} if schedule is not None else {}
    words = _procedure_words(sentence, [_procedure(t) for t in problem.tasks])
    people = {m.ids[0] for m in resolver.find_people(sentence, "cases") if len(m.ids) == 1}
    hits = find_dates(sentence, today, resolver.vocab.window("cases"))
    for hit in hits:
        if hit.error:
            raise NotUnderstood(hit.error)
    days = {day for hit in hits for day in hit.days()}
    if not (words or people):
        raise NotUnderstood("which case? name it by its id (e.g. 'cancel C013')")

    def day_of(task_id: str) -> dt.date | None:
        item = placed.get(task_id)
        moment = None if item is None else problem.datetime_of(item.start)
        return None if moment is None else moment.date()

    fits = [
        t
        for t in problem.tasks
        if words <= set(fold(_procedure(t)).split())
        and people <= {*t.staff, *(placed[t.id].staff if t.id in placed else ())}
        and (not days or day_of(t.id) in days)
    ]
    if len(fits) == 1 or (fits and people and _WHOLE_LIST.search(sentence)):
        return [t.id for t in fits]
    if not fits:
        order = [w for w in dict.fromkeys(fold(sentence).split()) if w in words]
        parts = [f"'{' '.join(order)}'"] if order else []
        parts += [f"with {resolver.vocab.label(p)}" for p in sorted(people)]
        parts += [f"on {fmt_days(sorted(days))}"] if days else []
        raise NotUnderstood(
            f"no case of the published plan fits ({', '.join(parts)}); name it by its id"
        )
    shown = [_case_text(problem, t, placed.get(t.id)) for t in fits[:6]]
    more = f" and {len(fits) - 6} more" if len(fits) > 6 else ""
    raise NotUnderstood(f"{len(fits)} cases fit: {', '.join(shown)}{more}; say which by its id")


def _case_text(problem: Any, task: Any, item: Any) -> str:
    """ "C013 Laparoscopic cholecystectomy (Tue 08 Dec 09:35)" (no time when unplaced)."""
    label = str(getattr(task, "label", "") or task.id)
    name = label if label.startswith(task.id) else f"{task.id} {label}"
    moment = None if item is None else problem.datetime_of(item.start)
    return name if moment is None else f"{name} ({moment:%a %d %b %H:%M})"
