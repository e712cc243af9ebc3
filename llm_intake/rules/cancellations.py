"""Cancelled cases: sentences that call a case off, and which cases they name.

The rule parser turns each such sentence into ``cancel_case`` requests
(``cancelled_case_ids``); the dashboard reads a whole text (``case_cancellations``).
A case is never guessed: one that does not fit, or several that fit, is a question; a
word of the case phrase that is in no procedure ("shoulder") fits no case. A negated,
tentative, questioning, conditional, past or "except" sentence cancels nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from llm_intake.dates import find_dates
from llm_intake.requests import Unparsed
from llm_intake.resolver import Mention, Resolver
from llm_intake.rules.case_words import (
    CASE_PARTS,
    CASE_TIME,
    CASE_VERB,
    PROCEDURE_ALIASES,
    ROOM_LIKE,
    phrase_words,
    procedure_vocabulary,
)
from llm_intake.rules.clause import NotUnderstood, blank
from llm_intake.rules.days import fmt_days
from llm_intake.rules.patterns import HEDGE, NEGATION, PIN, UNSUPPORTED
from llm_intake.rules.sentences import split_sentences
from llm_intake.vocabulary import fold

_I = re.IGNORECASE

_CASE_CANCEL = re.compile(
    r"\b(?:(?:un-?)?cancel(?:led|ed|s|ling|ing|lation)?|called\s+off|"
    r"(?:not|isn't|won't\s+be|no\s+longer)\s+(?:going\s+ahead|happening)|"
    r"(?:won't|will\s+not|can't|cannot|can\s+not)\s+(?:go\s+ahead|happen))\b",
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


_UNCANCEL = re.compile(
    r"\bun-?cancel\w*|\bno\s+longer\s+(?:be\s+)?cancel\w*|\bre-?instat\w*|"
    r"\bnot\s+cancel\w*\s+after\s+all\b",
    _I,
)
"""Words that take a cancellation back ("un-cancel C013", "C013 is no longer cancelled")."""
_QUESTION_START = re.compile(
    r"^\W*(?:should|shall|do|does|did|is|are|was|were|has|have|had|will|would|could|can|may|"
    r"might|must|why|when|what|which|who|whether|how)\b(?!\s+not\b)",
    _I,
)
_POLITE_REQUEST = re.compile(
    r"^\W*(?:please\s+)?(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|kindly\s+)?"
    r"(?:cancel|call\s+off)\b",
    _I,
)
"""A request put as a question ("Could you cancel C013?"): a request, not a question."""
_ALTERNATIVE = re.compile(r"\beither\b|\bor\b(?!\s*#?\d)", _I)
"""Cases given as alternatives ("cancel C013 or C014"): which one is not said."""
_CHANGE_VERB = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|postpon\w*|delay\w*|reschedul\w*|br(?:ing|ought)\s+forward|"
    r"swap\w*|replac\w*|instead|add(?:s|ed|ing)?|put|puts|pin\w*|cover\w*)\b",
    _I,
)
"""Verbs of another change: a part holding one is no reason ("…, C014 moves to Friday")."""
_CASE_GUARDS = tuple((p, r) for p, r in UNSUPPORTED if "return" not in r)
"""Recurrence, conditions, exceptions and past dates (a return from leave is no case's)."""
_NEGATED = "a negated statement; say what should change instead"
_QUESTION = "a question, not a change; say what should change"
_TAKEN_BACK = "taking a cancellation back is not supported; add the case again as a new case"
_EITHER = "'or' leaves open which case; name each case that is cancelled by its id"
_PAST = "dates in the past cannot be changed"


def is_case_cancellation(
    sentence: str,
    procedures: Sequence[str],
    resolver: Resolver | None = None,
    today: dt.date | None = None,
) -> bool:
    """Whether ``sentence`` says a case is called off: a cancel word with a case word, an
    id-like token (``C013``), a word or short form of one of ``procedures``, or (given the
    ``resolver``) someone of the case schedule or a day of the case plan; never a roster
    request or a roster person's change."""
    if not _CASE_CANCEL.search(sentence) or _REQUEST_WORD.search(sentence):
        return False
    if _CASE_WORD.search(sentence) or _CASE_ID_LIKE.search(sentence):
        return True
    if phrase_words(sentence, procedure_vocabulary(procedures))[0]:
        return True
    return (
        resolver is not None and today is not None and _names_case_plan(sentence, resolver, today)
    )


def _names_case_plan(sentence: str, resolver: Resolver, today: dt.date) -> bool:
    """Whether ``sentence`` names someone of the case schedule, or a day of the case plan
    and no one of the ward ("The appendicectomy with Mr Whitfield is cancelled")."""
    families = [
        {resolver.vocab.family_of(i) for i in m.ids} for m in resolver.find_people(sentence)
    ]
    if any(f == {"roster"} for f in families):
        return False
    if any("cases" in f for f in families):
        return True
    window = resolver.vocab.window("cases")
    if window is None:
        return False
    hits = find_dates(sentence, today, window)
    return any(window[0] <= day <= window[1] for hit in hits for day in hit.days())


def asks(text: str, end: int) -> bool:
    """Whether the sentence of ``text`` that ends at ``end`` ends in a question mark."""
    return re.match(r"[.!;]*\?", text[end:]) is not None


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
    sentence: str,
    plans: Sequence[CasePlan],
    resolver: Resolver,
    today: dt.date,
    asked: bool = False,
) -> list[str]:
    """The ids of the cases a cancelling ``sentence`` names, in the one loaded case
    problem that holds them; ``NotUnderstood`` with the question otherwise (``asked``:
    the sentence ended in a question mark)."""
    if refusal := _refusal(sentence, asked):
        raise NotUnderstood(refusal)
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
    procedures = [_procedure(t) for t in problem.tasks]
    found: list[CaseCancellation] = []
    unsettled: list[Unparsed] = []
    for start, end in split_sentences(text):
        sentence = text[start:end].strip(" ,")
        if not is_case_cancellation(sentence, procedures, resolver, today):
            continue
        try:
            if refusal := _refusal(sentence, asks(text, end)):
                raise NotUnderstood(refusal)
            ids = _cancelled_cases(sentence, problem, schedule, resolver, today)
        except NotUnderstood as exc:
            unsettled.append(Unparsed(text=sentence, reason=str(exc)))
            continue
        found += [CaseCancellation(task=task_id, text=sentence) for task_id in ids]
    return found, unsettled


def _procedure(task: Any) -> str:
    return str(getattr(task, "procedure", "") or getattr(task, "name", "") or "")


def _refusal(sentence: str, asked: bool) -> str | None:
    """Why a cancelling ``sentence`` must not cancel anything, as the roster sentences are
    refused: a cancellation taken back, a question, a hedge, recurrence, a condition, an
    exception, a past date, or cases given as alternatives; None when none of these."""
    if _UNCANCEL.search(sentence):
        return _TAKEN_BACK
    if (asked or _QUESTION_START.search(sentence)) and not _POLITE_REQUEST.search(sentence):
        return _QUESTION
    if hedge := HEDGE.search(sentence):
        return f"'{hedge.group(0)}' is not a firm change; confirm it and say it again"
    for pattern, reason in _CASE_GUARDS:
        if pattern.search(sentence):
            return reason
    if _ALTERNATIVE.search(ROOM_LIKE.sub(" ", sentence)):
        return _EITHER
    return None


@dataclass(frozen=True)
class _Description:
    """What a cancelling sentence says of its cases besides their ids."""

    words: frozenset[str]
    """Procedure words (short forms expanded)."""
    shown: tuple[str, ...]
    """The case phrase as written ("hip replacement"), for the question."""
    unknown: tuple[str, ...]
    """Content words in no procedure of the problem ("shoulder"): no case can fit."""
    people: frozenset[str]
    days: frozenset[dt.date]
    rooms: frozenset[str]
    minutes: frozenset[int]
    """Clock times (minutes after midnight) a case starts at ("the 11:05 case")."""
    part: str | None
    """"morning" (starts before 13:00) or "afternoon" (starts at 12:00 or later)."""

    def placed(self) -> bool:
        """Whether only a schedule can tell which cases fit (a day, room or time)."""
        return bool(self.days or self.rooms or self.minutes or self.part)

    def parts(self, resolver: Resolver) -> list[str]:
        """The description in words: "'hip replacement', with Mr Tom Whitfield, on …"."""
        parts = [f"'{' '.join(self.shown)}'"] if self.shown else []
        parts += [f"with {resolver.vocab.label(p)}" for p in sorted(self.people)]
        parts += [f"on {fmt_days(sorted(self.days))}"] if self.days else []
        parts += [f"in {', '.join(sorted(self.rooms))}"] if self.rooms else []
        parts += [f"at {m // 60:02d}:{m % 60:02d}" for m in sorted(self.minutes)]
        parts += [f"in the {self.part}"] if self.part else []
        return parts


def _cancelled_cases(
    sentence: str, problem: Any, schedule: Any, resolver: Resolver, today: dt.date
) -> list[str]:
    """The ids of the cases the sentence cancels; ``NotUnderstood`` with the question."""
    sentence = _cancelling_part(sentence, problem, resolver, today)
    if unknown_id := _unknown_id(sentence, problem):
        raise NotUnderstood(unknown_id)
    hits = find_dates(sentence, today, resolver.vocab.window("cases"))
    for hit in hits:
        if hit.error:
            raise NotUnderstood(hit.error)
        if hit.last is not None and hit.last < today:
            raise NotUnderstood(_PAST)
    about = _describe(sentence, problem, resolver, hits)
    placed = {item.task: item for item in schedule.tasks} if schedule is not None else {}
    named = _named_cases(sentence, problem)
    if named:
        return _checked_names(named, about, problem, placed, resolver)
    if not (about.words or about.people or about.unknown):
        raise NotUnderstood(_WHICH_CASE)
    if about.placed() and schedule is None:
        raise NotUnderstood(
            f"without a published schedule I cannot tell which cases are "
            f"{' '.join(about.parts(resolver)[-1:])}; name the case by its id"
        )
    fits = [t for t in problem.tasks if _fits(t, about, problem, placed)]
    if len(fits) == 1 or (fits and about.people and _WHOLE_LIST.search(sentence)):
        return [t.id for t in fits]
    if not fits:
        raise NotUnderstood(
            f"no case of the published plan fits ({', '.join(about.parts(resolver))}); "
            "name it by its id"
        )
    shown = [_case_text(problem, t, placed.get(t.id)) for t in fits[:6]]
    more = f" and {len(fits) - 6} more" if len(fits) > 6 else ""
    raise NotUnderstood(f"{len(fits)} cases fit: {', '.join(shown)}{more}; say which by its id")


def _checked_names(
    named: list[str], about: _Description, problem: Any, placed: dict[str, Any], resolver: Resolver
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
                "by its id alone, or check the id"
            )
    return named


def _fits(task: Any, about: _Description, problem: Any, placed: dict[str, Any]) -> bool:
    """Whether ``task`` is the case ``about`` describes (unplaced cases are on no day)."""
    if about.unknown or not about.words <= set(fold(_procedure(task)).split()):
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


def _describe(sentence: str, problem: Any, resolver: Resolver, hits: list[Any]) -> _Description:
    """What ``sentence`` says of its cases: procedure words, people, days, rooms, times."""
    spans = [(h.start, h.end) for h in hits]
    people: set[str] = set()
    for mention in resolver.find_people(sentence):
        people.add(_person(mention, resolver))
        spans.append((mention.start, mention.end))
    rooms = _rooms(sentence, resolver, spans)
    minutes: set[int] = set()
    for m in CASE_TIME.finditer(sentence):
        if (minute := _minute_of_day(m.group(0))) is not None:
            minutes.add(minute)
            spans.append(m.span())
    spans += [
        m.span() for m in (*_CASE_CANCEL.finditer(sentence), *_CASE_ID_LIKE.finditer(sentence))
    ]
    rest = blank(sentence, spans)
    part = next((name for name, pattern in CASE_PARTS if pattern.search(rest)), None)
    for _name, pattern in CASE_PARTS:
        rest = pattern.sub(" ", rest)
    vocabulary = procedure_vocabulary([_procedure(t) for t in problem.tasks])
    words, shown, unknown = phrase_words(rest, vocabulary)
    return _Description(
        frozenset(words),
        tuple(shown),
        tuple(unknown),
        frozenset(people),
        frozenset(d for h in hits for d in h.days()),
        frozenset(rooms),
        frozenset(minutes),
        part,
    )


def _person(mention: Mention, resolver: Resolver) -> str:
    """The one person of the case schedule a name stands for; ``NotUnderstood`` when it
    is ambiguous or only close to a name (a cancellation never goes on a guess)."""
    ids = tuple(i for i in mention.ids if resolver.vocab.family_of(i) == "cases") or mention.ids
    if len(ids) > 1:
        raise NotUnderstood(resolver.which_one(mention.text, ids))
    if not ids:
        raise NotUnderstood(f"no one called '{mention.text}' is in the case schedule")
    if mention.fuzzy:
        raise NotUnderstood(
            f"'{mention.text}' is no name in the case schedule (did you mean "
            f"{resolver.vocab.label(ids[0])}?); name the case by its id"
        )
    return ids[0]


def _rooms(sentence: str, resolver: Resolver, spans: list[tuple[int, int]]) -> set[str]:
    """The rooms ``sentence`` names (their spans added to ``spans``); ``NotUnderstood``
    for a room-like phrase that is no room of the problem ("theatre 9")."""
    found = resolver.find_rooms(sentence)
    spans += [(r.start, r.end) for r in found]
    for m in ROOM_LIKE.finditer(sentence):
        if not any(r.start < m.end() and m.start() < r.end for r in found):
            raise NotUnderstood(
                f"there is no room '{m.group(0).strip()}' in the case problem; name the case "
                "by its id"
            )
    return {r.id for r in found}


def _minute_of_day(text: str) -> int | None:
    """Minutes after midnight of a clock time ("11:05", "9.30am", "2 pm", "noon")."""
    if re.fullmatch(r"noon|midday", text.strip(), _I):
        return 12 * 60
    m = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?\s*(?:(a)|(p))?\.?m?\.?", text.strip(), _I)
    if m is None or (m.group(2) is None and not (m.group(3) or m.group(4))):
        return None
    hour, minute = int(m.group(1)), int(m.group(2) or 0)
    if m.group(4) and hour < 12:
        hour += 12
    elif m.group(3) and hour == 12:
        hour = 0
    return hour * 60 + minute if hour < 24 and minute < 60 else None


_PARTS = re.compile(
    r"[,;()]|\s[-–—]+\s|[–—]|(?<!\d):|:(?!\d)|\b(?:and|but|so|then|while|plus|also)\b", _I
)
"""Where a cancelling sentence may go on to say something else (not "11:05")."""
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
    """The sentence without its reason ("as the patient is unwell", or a last part that
    names nothing and changes nothing: "…, patient unwell"); ``NotUnderstood`` when it is
    negated or also says another change ("C013 is cancelled and C014 moves to Tuesday"):
    only the cancelled cases are read, so anything else would be lost, or a case it names
    taken for cancelled."""
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
    parts = [(start, end) for start, end in zip(cut[::2], cut[1::2], strict=True)]
    while len(parts) > 1 and _is_reason(head[slice(*parts[-1])], problem, resolver, today):
        parts.pop()
    head = head[: parts[-1][1]]
    if _negated(head, resolver):
        raise NotUnderstood(_NEGATED)
    for start, end in parts:
        part = head[start:end].strip(" ,")
        if part and not _CASE_CANCEL.search(part) and not _lists_cases(part, problem, resolver):
            raise NotUnderstood(_OWN_SENTENCE.format(part))
    return head


_OWN_SENTENCE = "'{}' is not part of cancelling a case; say each change in a sentence of its own"


def _is_reason(part: str, problem: Any, resolver: Resolver, today: dt.date) -> bool:
    """Whether the last ``part`` of a cancelling sentence is only its reason ("patient
    unwell"): it names no case, procedure, person, room or date and says no change."""
    if not part.strip(" ,"):
        return True
    vocabulary = procedure_vocabulary([_procedure(t) for t in problem.tasks])
    return not (
        _CASE_ID_LIKE.search(part)
        or _CASE_CANCEL.search(part)
        or _CASE_WORD.search(part)
        or _CHANGE_VERB.search(part)
        or PIN.search(part)
        or CASE_VERB.search(part)
        or resolver.find_people(part)
        or resolver.find_rooms(part)
        or find_dates(part, today, resolver.vocab.window("cases"))
        or phrase_words(part, vocabulary)[0]
    )


def _negated(head: str, resolver: Resolver) -> bool:
    """Whether the cancelling part says a case is *not* cancelled ("Don't cancel C013",
    "C013 won't be cancelled"); "C013 isn't going ahead" is a cancellation."""
    spans = [(m.start, m.end) for m in resolver.find_people(head)]
    spans += [m.span() for m in (*_CASE_CANCEL.finditer(head), *ROOM_LIKE.finditer(head))]
    return bool(NEGATION.search(blank(head, spans)))


def _lists_cases(part: str, problem: Any, resolver: Resolver) -> bool:
    """Whether ``part`` only names cases or people ("C013", "Mr Okafor's", "the hernia
    repair", "the lap chole"): part of a list of what is cancelled."""
    rest = blank(part, [(m.start, m.end) for m in resolver.find_people(part)])
    for case_id in _named_cases(rest, problem):
        rest = re.sub(rf"(?<![\w-]){re.escape(case_id)}(?![\w-])", " ", rest, flags=_I)
    listed = _LIST_WORDS | {w for t in problem.tasks for w in fold(_procedure(t)).split()}
    listed |= {w for alias in PROCEDURE_ALIASES for w in alias.split()}
    return all(w in listed for w in fold(rest).split())


def _unknown_id(sentence: str, problem: Any) -> str | None:
    """The question for an id-like token that is no case, person or room of the plan
    ("C099 is cancelled": a mistyped id, or a case cancelled already)."""
    known = {i.casefold() for i in (*problem.staff_index, *problem.room_index, *problem.task_index)}
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
