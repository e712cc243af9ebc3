"""Cancelled cases: sentences that call a case off, and which cases they name.

The rule parser turns each such sentence into ``cancel_case`` requests
(``cancelled_case_ids``); the dashboard reads a whole text (``case_cancellations``).
A case is never guessed: one that does not fit, or several that fit, is a question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
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


def is_case_cancellation(sentence: str, procedures: list[str]) -> bool:
    """Whether ``sentence`` says a case is called off: a cancel word with a case word, an
    id-like token (``C013``) or a word of one of ``procedures``; never a roster request."""
    if not _CASE_CANCEL.search(sentence) or _REQUEST_WORD.search(sentence):
        return False
    if _CASE_WORD.search(sentence) or _CASE_ID_LIKE.search(sentence):
        return True
    return bool(_procedure_words(sentence, procedures))


@dataclass(frozen=True)
class CasePlan:
    """A loaded case problem and its published schedule (None when there is none)."""

    problem: Any
    schedule: Any = None


def case_plans(problems: Sequence[Any], published: Any = None) -> list[CasePlan]:
    """The case problems among ``problems``, each with the schedule to find cases in:
    ``published`` (a ``Result`` or ``CaseSchedule``) if given, else the problem's own
    baseline schedule (the last schedule an earlier intake kept), else none."""
    from optimizer.model.roster import RosterProblem

    given = getattr(published, "schedule", published)
    plans = []
    for problem in problems:
        if isinstance(problem, RosterProblem):
            continue
        own = getattr(getattr(problem, "baseline", None), "schedule", None)
        plans.append(CasePlan(problem, given if given is not None else own))
    return plans


def cancelled_case_ids(
    sentence: str, plans: Sequence[CasePlan], resolver: Resolver, today: dt.date
) -> list[str]:
    """The ids of the cases a cancelling ``sentence`` names, in the one loaded case
    problem that holds them; ``NotUnderstood`` with the question otherwise."""
    found: list[list[str]] = []
    questions: list[NotUnderstood] = []
    for plan in plans:
        try:
            found.append(_cancelled_cases(sentence, plan.problem, plan.schedule, resolver, today))
        except NotUnderstood as exc:
            questions.append(exc)
    if len(found) > 1:
        raise NotUnderstood(
            "the case fits more than one loaded case problem; load only the one to change"
        )
    if found:
        return found[0]
    raise questions[0] if questions else NotUnderstood(_WHICH_CASE)


_WHICH_CASE = "which case? name it by its id (e.g. 'cancel C013')"


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
    sentence = _cancelling_part(sentence, problem, resolver, today)
    named = _named_cases(sentence, problem)
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
        raise NotUnderstood(_unknown_id(sentence, problem) or _WHICH_CASE)
    if days and schedule is None:
        raise NotUnderstood(
            f"without a published schedule I cannot tell which cases are on "
            f"{fmt_days(sorted(days))}; name the case by its id"
        )

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


_PARTS = re.compile(r"[,;:]|\b(?:and|but|so|then|while|plus|also)\b", _I)
"""Where a cancelling sentence may go on to say something else."""
_BECAUSE = re.compile(r"\b(?:because|as|since|due\s+to|owing\s+to)\b", _I)
"""Where a cancelling sentence gives its reason ("… is cancelled as the patient is unwell")."""
_LIST_WORDS = frozenset(
    {"the", "a", "case", "cases", "list", "lists", "op", "ops", "operation", "operations"}
    | {"surgery", "surgeries", "procedure", "procedures", "both", "s", "his", "her", "their"}
)
"""Words a part listing cases may hold besides ids, procedures and people ("C013, C014")."""


def _named_cases(text: str, problem: Any) -> list[str]:
    """The ids of the cases of ``problem`` that ``text`` names by id."""
    return [
        t.id for t in problem.tasks if re.search(rf"(?<![\w-]){re.escape(t.id)}(?![\w-])", text, _I)
    ]


def _cancelling_part(sentence: str, problem: Any, resolver: Resolver, today: dt.date) -> str:
    """The sentence without its reason; ``NotUnderstood`` when it also says another change
    ("C013 is cancelled and C014 moves to Tuesday"): only the cancelled cases are read, so
    anything else would be lost, or a case it names taken for cancelled."""
    head, reason = sentence, ""
    if because := _BECAUSE.search(sentence):
        head, reason = sentence[: because.start()], sentence[because.start() :]
    if reason and (
        _named_cases(reason, problem)
        or resolver.find_people(reason)
        or find_dates(reason, today, resolver.vocab.window("cases"))
    ):
        raise NotUnderstood(_OWN_SENTENCE.format(reason.strip(" ,")))
    cut = [0, *(i for m in _PARTS.finditer(head) for i in (m.start(), m.end())), len(head)]
    for start, end in zip(cut[::2], cut[1::2], strict=True):
        part = head[start:end].strip(" ,")
        if part and not _CASE_CANCEL.search(part) and not _lists_cases(part, problem, resolver):
            raise NotUnderstood(_OWN_SENTENCE.format(part))
    return head


_OWN_SENTENCE = "'{}' is not part of cancelling a case; say each change in a sentence of its own"


def _lists_cases(part: str, problem: Any, resolver: Resolver) -> bool:
    """Whether ``part`` only names cases or people ("C013", "Mr Okafor's", "the hernia
    repair"): part of a list of what is cancelled."""
    spans = [(m.start, m.end) for m in resolver.find_people(part)]
    rest = "".join(c if not any(a <= i < b for a, b in spans) else " " for i, c in enumerate(part))
    for case_id in _named_cases(rest, problem):
        rest = re.sub(rf"(?<![\w-]){re.escape(case_id)}(?![\w-])", " ", rest, flags=_I)
    procedure_words = {w for t in problem.tasks for w in fold(_procedure(t)).split()}
    return all(w in _LIST_WORDS or w in procedure_words for w in fold(rest).split())


def _unknown_id(sentence: str, problem: Any) -> str | None:
    """The question for an id-like token that is no case, person or room of the plan
    ("C099 is cancelled": a mistyped id, or a case cancelled already)."""
    known = {i.casefold() for i in (*problem.staff_index, *problem.room_index)}
    tokens = [t for t in _CASE_ID_LIKE.findall(sentence) if t.casefold() not in known]
    if not tokens:
        return None
    return (
        f"there is no case '{tokens[0]}' in the loaded case schedule: a mistyped id, or "
        "cancelled already? name a case of the plan by its id"
    )


def _case_text(problem: Any, task: Any, item: Any) -> str:
    """ "C013 Laparoscopic cholecystectomy (Tue 08 Dec 09:35)" (no time when unplaced)."""
    label = str(getattr(task, "label", "") or task.id)
    name = label if label.startswith(task.id) else f"{task.id} {label}"
    moment = None if item is None else problem.datetime_of(item.start)
    return name if moment is None else f"{name} ({moment:%a %d %b %H:%M})"
