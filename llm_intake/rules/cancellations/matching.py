"""Which cases of one case problem a cancelling sentence names: by id, or the one case
(or a whole list) its description fits in the published schedule; never a guess."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Any

from llm_intake.dates import find_dates
from llm_intake.dates.calendar import PAST
from llm_intake.refusals import RefusalKind
from llm_intake.resolver import Resolver
from llm_intake.rules.cancellations.description import (
    CaseDescription,
    describe_cases,
    named_cases,
    procedure_of,
)
from llm_intake.rules.cancellations.detect import CASE_ID_LIKE
from llm_intake.rules.cancellations.parts import cancelling_part
from llm_intake.rules.clause import NotUnderstood, date_refusal
from llm_intake.vocabulary import fold

_I = re.IGNORECASE

_WHOLE_LIST = re.compile(r"\b(?:lists?|all|every|whole|cases)\b", _I)
"""Words that cancel every case that fits ("Mr Okafor's list on Tuesday")."""
WHICH_CASE = "which case? name it by its id (e.g. 'cancel C013')"


def cancelled_cases(
    sentence: str, problem: Any, schedule: Any, resolver: Resolver, today: dt.date
) -> list[str]:
    """The ids of the cases the sentence cancels; ``NotUnderstood`` with the question."""
    sentence = cancelling_part(sentence, problem, resolver, today)
    if unknown_id := _unknown_id(sentence, problem):
        raise NotUnderstood(unknown_id, RefusalKind.UNREADABLE)
    hits = find_dates(sentence, today, resolver.vocab.window("cases"))
    for hit in hits:
        if hit.error:
            raise date_refusal(hit)
        if hit.last is not None and hit.last < today:
            raise NotUnderstood(PAST, RefusalKind.PAST)
    about = describe_cases(sentence, problem, resolver, hits)
    placed = {item.task: item for item in schedule.tasks} if schedule is not None else {}
    named = named_cases(sentence, problem)
    if named:
        return _checked_names(named, about, problem, placed, resolver)
    if not (about.words or about.people or about.unknown):
        raise NotUnderstood(WHICH_CASE, RefusalKind.WHICH_CASE)
    if about.placed() and schedule is None:
        raise NotUnderstood(
            f"without a published schedule I cannot tell which cases are "
            f"{' '.join(about.parts(resolver)[-1:])}; name the case by its id",
            RefusalKind.UNREADABLE,
        )
    fits = [t for t in problem.tasks if _fits(t, about, problem, placed)]
    if len(fits) == 1 or (fits and about.people and _WHOLE_LIST.search(sentence)):
        return [t.id for t in fits]
    if not fits:
        raise NotUnderstood(
            f"no case of the published plan fits ({', '.join(about.parts(resolver))}); "
            "name it by its id",
            RefusalKind.WHICH_CASE,
        )
    shown = [_case_text(problem, t, placed.get(t.id)) for t in fits[:6]]
    more = f" and {len(fits) - 6} more" if len(fits) > 6 else ""
    raise NotUnderstood(
        f"{len(fits)} cases fit: {', '.join(shown)}{more}; say which by its id",
        RefusalKind.WHICH_CASE,
    )


def _checked_names(
    named: list[str],
    about: CaseDescription,
    problem: Any,
    placed: dict[str, Any],
    resolver: Resolver,
) -> list[str]:
    """The cases named by id, each of which must fit what else the sentence says of it
    ("C013, the hernia repair": C013 must be a hernia repair); words in no procedure are
    let be, and the day, room and time are checked only against a published schedule."""
    about = replace(about, unknown=())  # a patient's name or a note beside the id
    if not placed:
        about = replace(about, days=frozenset(), rooms=frozenset(), minutes=frozenset(), part=None)
    for task in (t for t in problem.tasks if t.id in named):
        if not _fits(task, about, problem, placed):
            case = _case_text(problem, task, placed.get(task.id))
            raise NotUnderstood(
                f"{case} does not fit ({', '.join(about.parts(resolver))}); name the case "
                "by its id alone, or check the id",
                RefusalKind.UNREADABLE,
            )
    return named


def _fits(task: Any, about: CaseDescription, problem: Any, placed: dict[str, Any]) -> bool:
    """Whether ``task`` is the case ``about`` describes (unplaced cases are on no day)."""
    if about.unknown or not about.words <= set(fold(procedure_of(task)).split()):
        return False
    item = placed.get(task.id)
    if not about.people <= {*task.staff, *(item.staff if item is not None else ())}:
        return False
    if not about.placed():
        return True
    moment = None if item is None else problem.datetime_of(item.start)
    if item is None or moment is None:
        return False
    minute = moment.hour * 60 + moment.minute
    return (
        (not about.days or moment.date() in about.days)
        and (not about.rooms or item.room in about.rooms)
        and (not about.minutes or minute in about.minutes)
        and (about.part != "morning" or minute < 13 * 60)
        and (about.part != "afternoon" or minute >= 12 * 60)
    )


def _unknown_id(sentence: str, problem: Any) -> str | None:
    """The question for an id-like token that is no case, person or room of the plan
    ("C099 is cancelled": a mistyped id, or a case cancelled already)."""
    known = {i.casefold() for i in (*problem.staff_index, *problem.room_index, *problem.task_index)}
    tokens = [t for t in CASE_ID_LIKE.findall(sentence) if t.casefold() not in known]
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
