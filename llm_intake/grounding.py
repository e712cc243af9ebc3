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
  rule parser finds in the sentence are refused naming both readings.
* **Why.** An accepted absence takes the reason its sentence gives, as the rule parser
  stores it ("off sick": "sickness"; see ``Grounding.with_reason``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from llm_intake.dates import find_dates
from llm_intake.proposal import describe, fmt_range
from llm_intake.requests import (
    AbsenceReason,
    AddCase,
    CancelCase,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
    Unparsed,
)
from llm_intake.resolver import Mention, Resolver
from llm_intake.rules import CasePlan, RuleParser
from llm_intake.rules.absence import absence_reason
from llm_intake.rules.cancellations import is_case_cancellation
from llm_intake.rules.clause import without_names
from llm_intake.rules.patterns import HEDGE, NEGATION, UNSUPPORTED
from llm_intake.rules.sentences import split_sentences

_I = re.IGNORECASE

GUARD_WORDS = (
    "negated",
    "not a firm change",
    "question",
    "conditional",
    "exception",
    "swap",
    "a move from",
    "covering for",
    "in the past",
    "recurring",
    "return from leave",
    "which one?",
)
"""Words of the rule parser's refusals that no other reading may override: negations,
hedges, questions, conditions, exceptions, swaps, moves, covers, past or recurring dates
and ambiguous names. Its other refusals ("no scheduling request recognised", "which date
or dates?") only say it could not read the sentence, where the model may read it better."""
WITHDRAWAL = "cancelling or withdrawing"
"""A refusal that guards every request but a cancelled case, unless the sentence names a
case by its id ("Omar Haddad is off sick tomorrow, so C2 is cancelled")."""
CASE_QUESTIONS = ("which case?", "cases fit", "no case of the published plan fits")
"""Refusals of a cancelling sentence whose case is unsettled: a case the model picks there
is not named; any other request from it is guarded."""

_GOING_AHEAD = re.compile(
    r"\b(?:isn't|aren't|won't|can't|cannot|not|no\s+longer)\s+(?:be\s+)?go(?:es|ing)?\s+ahead\b",
    _I,
)
"""Negated words that do cancel a case ("C013 isn't going ahead")."""
_MOVE = re.compile(
    r"\b(?:mov(?:e|es|ed|ing)|re-?schedul\w*|postpon\w*|push(?:ed|ing)?\s+back|"
    r"br(?:ing|ought)\s+forward|swap\w*|switch\w*|delay\w*|put\s+off|un-?cancel\w*|"
    r"re-?instat\w*|restor\w*|instead)\b",
    _I,
)
"""Words that move, swap or restore a case rather than cancel it."""
_CANCEL_LIMITS = tuple(r for _, r in UNSUPPORTED if "conditional" in r or "exception" in r)
"""The rule parser's refusals of conditions ("unless") and exceptions ("except", "instead
of") that also hold for a cancelled case."""


def is_guard(reason: str, cancel: bool, names_case: bool) -> bool:
    """Whether a rule-parser refusal is one no other reading may override, for a cancelled
    case (``cancel``) or another request, in a sentence that names a case by id or not."""
    if any(word in reason for word in GUARD_WORDS):
        return True
    if not cancel and WITHDRAWAL in reason:
        return not names_case
    return not cancel and any(word in reason for word in CASE_QUESTIONS)


def request_people(request: Request) -> list[str]:
    """The staff ids a resolved request acts on (the surgeon of a new case)."""
    if isinstance(request, AddCase):
        return [request.surgeon] if request.surgeon else []
    staff = getattr(request, "staff", None)
    return [staff] if isinstance(staff, str) else []


def request_days(request: Request) -> list[dt.date]:
    """The days a request acts on (none for a cancelled case, or a new case with no date)."""
    if isinstance(request, Unavailable):
        count = (request.to - request.from_).days + 1
        return [request.from_ + dt.timedelta(days=i) for i in range(count)]
    date = getattr(request, "date", None)
    return [date] if isinstance(date, dt.date) else []


def _names_id(text: str, some_id: str) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(some_id)}(?![\w-])", text, _I))


def _same_target(rule: Request, model: Request) -> bool:
    """Whether two requests are of one kind on one person (or one case)."""
    if rule.kind != model.kind:
        return False
    if isinstance(rule, CancelCase) and isinstance(model, CancelCase):
        return rule.case == model.case
    return request_people(rule) == request_people(model)


def _within(model: Request, agreeing: list[Request]) -> bool:
    """Whether the model's request is one the rule parser's same-target requests allow."""
    if isinstance(model, AddCase):
        return True
    if not isinstance(model, Unavailable):
        plain = model.model_dump()
        return any(r.model_dump() == plain for r in agreeing)
    rules = [r for r in agreeing if isinstance(r, Unavailable)]
    return all(_day_allowed(model, day, rules) for day in request_days(model))


def _day_allowed(model: Unavailable, day: dt.date, rules: list[Unavailable]) -> bool:
    """Whether the rule parser's absences cover ``day`` with every shift the model names
    (a model's whole day needs a whole day)."""
    covering = [r for r in rules if r.from_ <= day <= r.to]
    if any(r.shifts is None for r in covering):
        return True
    allowed = {s for r in covering for s in r.shifts or ()}
    return bool(covering) and model.shifts is not None and set(model.shifts) <= allowed


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text, what it names and the rule parser's reading of it."""

    text: str
    question: bool
    mentions: tuple[Mention, ...]
    requests: tuple[Request, ...]
    unparsed: tuple[Unparsed, ...]

    def denotes(self, person_id: str) -> bool:
        """Whether some mention (or the id) in the sentence may denote the person."""
        return _names_id(self.text, person_id) or any(
            person_id in (*m.ids, *m.near) for m in self.mentions
        )

    def names_alone(self, person_id: str, allowed: set[str]) -> bool:
        """Whether a mention denotes the person alone among ``allowed`` (or the id is given),
        or the rule parser's reading settles it to them."""
        if _names_id(self.text, person_id):
            return True
        if any(set(m.ids) & allowed == {person_id} for m in self.mentions):
            return True
        return any(person_id in request_people(r) for r in self.requests)

    @property
    def complete(self) -> bool:
        """Whether the rule parser read the whole sentence into requests."""
        return bool(self.requests) and not self.unparsed


def _sentence_reason(request: Unavailable, sentence: Sentence) -> AbsenceReason | None:
    """Why the person of ``request`` is away, by ``sentence``: the reason of the rule
    parser's own absences of them on those days, else the sentence's reason words when it
    names no one else (None when it gives none, or two)."""
    days = set(request_days(request))
    read = {
        r.reason
        for r in sentence.requests
        if isinstance(r, Unavailable) and _same_target(r, request) and days & set(request_days(r))
    }
    if read:
        return read.pop() if len(read) == 1 else None
    named_alone = all(request.staff in (*m.ids, *m.near) for m in sentence.mentions)
    return absence_reason(sentence.text) if named_alone else None


class Grounding:
    """The checks of the model's requests against one text (see the module docstring)."""

    def __init__(
        self, text: str, resolver: Resolver, today: dt.date, plans: Sequence[CasePlan] = ()
    ) -> None:
        self.text = text
        self.resolver = resolver
        self.vocab = resolver.vocab
        self.today = today
        self.plans = list(plans)

    @cached_property
    def sentences(self) -> list[Sentence]:
        parser = RuleParser(self.resolver, self.today, self.plans)
        found: list[Sentence] = []
        for start, end in split_sentences(self.text):
            sentence = self.text[start:end].strip(" ,")
            if not sentence:
                continue
            reading = parser.parse(sentence)
            found.append(
                Sentence(
                    text=sentence,
                    question=self.text[end : end + 1] == "?",
                    mentions=tuple(self.resolver.find_people(sentence)),
                    requests=tuple(reading.requests),
                    unparsed=tuple(reading.unparsed),
                )
            )
        return found

    # -- entry points ------------------------------------------------------------------

    def refusal(self, request: Request) -> Unparsed | None:
        """Why the model's resolved ``request`` is not proposed, or None when it passes."""
        described = describe(request, self.vocab)
        if isinstance(request, CancelCase):
            return self._cancel_refusal(request, described)
        people = request_people(request)
        if people:
            candidates = [s for s in self.sentences if s.denotes(people[0])]
            if not candidates:
                return self._unnamed(people[0], described)
        else:
            candidates = self._dated_sentences(request)
        refusals = [self._sentence_refusal(request, s, described) for s in candidates]
        return None if None in refusals or not refusals else refusals[0]

    def with_reason(self, request: Request) -> Request:
        """The model's absence with the reason its sentences give, read with the rule
        parser's reason words ("off sick": "sickness"), as the rule parser stores it; the
        request unchanged when they give none or disagree (or it is no absence)."""
        if not isinstance(request, Unavailable) or request.reason is not None:
            return request
        described = describe(request, self.vocab)
        grounds = [
            s
            for s in self.sentences
            if s.denotes(request.staff) and self._sentence_refusal(request, s, described) is None
        ]
        reasons = {_sentence_reason(request, s) for s in grounds}
        reason = reasons.pop() if len(reasons) == 1 else None
        return request if reason is None else request.model_copy(update={"reason": reason})

    def which_one(self, ids: Sequence[str]) -> Unparsed:
        """The question for a mention that fits all of ``ids`` (the rule parser's, if it
        asked one), e.g. for a pseudonym label that stands for several people."""
        wanted = set(ids)
        for sentence in self.sentences:
            for mention in sentence.mentions:
                if set(mention.ids) == wanted:
                    return self._question(sentence, mention)
        return Unparsed(
            text=self.text.strip(), reason=self.resolver.which_one(" or ".join(ids), tuple(ids))
        )

    # -- people ------------------------------------------------------------------------

    def _unnamed(self, person_id: str, described: str) -> Unparsed:
        who = f"{self.vocab.label(person_id)} ({person_id})"
        return Unparsed(
            text=self.text.strip(),
            reason=f"the language model proposed '{described}', but {who} is not named "
            f"in the text, so nothing is proposed for them; name the person and try again",
        )

    def _allowed(self, request: Request) -> set[str]:
        """The people the request's kind can act on (ward staff for wishes and pins)."""
        if isinstance(request, ShiftWish | PinShift):
            return {p.id for p in self.vocab.roster_staff}
        if isinstance(request, AddCase):
            return {p.id for p in self.vocab.case_staff}
        return {p.id for p in self.vocab.people}

    def _question(self, sentence: Sentence, mention: Mention) -> Unparsed:
        ids = mention.ids
        for unparsed in sentence.unparsed:
            if "which one?" in unparsed.reason and all(f"({i})" in unparsed.reason for i in ids):
                return unparsed
        return Unparsed(text=sentence.text, reason=self.resolver.which_one(mention.text, ids))

    def _ambiguity(self, request: Request, sentence: Sentence, described: str) -> Unparsed | None:
        """The rule parser's question when the sentence names the person only ambiguously
        (the "not named" refusal when only an unknown name resembles theirs: "Tom Baker")."""
        people = request_people(request)
        if not people or sentence.names_alone(people[0], self._allowed(request)):
            return None
        mention = next(m for m in sentence.mentions if people[0] in (*m.ids, *m.near))
        if not mention.ids:
            return self._unnamed(people[0], described)
        return self._question(sentence, mention)

    # -- what and when -------------------------------------------------------------------

    def _sentence_refusal(
        self, request: Request, sentence: Sentence, described: str
    ) -> Unparsed | None:
        agreeing = [r for r in sentence.requests if _same_target(r, request)]
        if agreeing:
            if _within(request, agreeing):
                return None
            return self._other_reading(sentence, described, agreeing)
        if guard := self._guard(request, sentence):
            return self._guarded(guard, described)
        if sentence.complete:
            return self._other_reading(sentence, described, list(sentence.requests))
        if question := self._ambiguity(request, sentence, described):
            return question
        return self._date_refusal(request, sentence, described)

    def _guard(self, request: Request, sentence: Sentence) -> Unparsed | None:
        """The rule parser's guard refusal that concerns the request's person (or any,
        for a request on no one)."""
        people = set(request_people(request))
        cancel = isinstance(request, CancelCase)
        names_case = any(_names_id(sentence.text, c.id) for c in self.vocab.cases)
        for unparsed in sentence.unparsed:
            if not is_guard(unparsed.reason, cancel, names_case):
                continue
            named = {i for m in self.resolver.find_people(unparsed.text) for i in m.ids}
            if not people or not named or people & named:
                return unparsed
        return None

    @staticmethod
    def _guarded(guard: Unparsed, described: str) -> Unparsed:
        """The guard's refusal; naming the model's request unless it is a "which one?"
        question, which comes back as the rule parser asks it."""
        if "which one?" in guard.reason:
            return guard
        return Unparsed(
            text=guard.text,
            reason=f"{guard.reason}; the language model proposed '{described}', so nothing "
            "is proposed from it",
        )

    def _other_reading(
        self, sentence: Sentence, described: str, readings: list[Request]
    ) -> Unparsed:
        read = " and ".join(f"'{describe(r, self.vocab)}'" for r in readings)
        return Unparsed(
            text=sentence.text,
            reason=f"the language model proposed '{described}', but the rule parser reads "
            f"this as {read}; nothing is proposed from it, say it again more plainly",
        )

    def _window(self, request: Request) -> tuple[dt.date, dt.date] | None:
        people = request_people(request)
        if isinstance(request, AddCase) or (people and self.vocab.family_of(people[0]) == "cases"):
            return self.vocab.window("cases")
        return self.vocab.window("roster")

    def _date_refusal(
        self, request: Request, sentence: Sentence, described: str
    ) -> Unparsed | None:
        """The refusal of days outside every date the sentence gives (None if within,
        or if the sentence gives no date)."""
        days = set(request_days(request))
        hits = find_dates(sentence.text, self.today, self._window(request))
        if not days or not hits:
            return None
        read = [h for h in hits if h.error is None and h.first and h.last]
        if days <= {d for h in read for d in h.days()}:
            return None
        said = [
            f"'{sentence.text[h.start : h.end]}' as " + fmt_range(h.first, h.last)  # type: ignore[arg-type]
            for h in read
        ]
        said += [f"'{sentence.text[h.start : h.end]}' ({h.error})" for h in hits if h.error]
        return Unparsed(
            text=sentence.text,
            reason=f"the language model proposed '{described}', but the text gives "
            f"{' and '.join(said)}; nothing is proposed from it, say the dates again",
        )

    def _dated_sentences(self, request: Request) -> list[Sentence]:
        """The sentences a request on no one may come from: those giving a date or a
        shift word (all of them when none does)."""
        dated = [
            s
            for s in self.sentences
            if find_dates(s.text, self.today, self._window(request))
            or self.resolver.find_shifts(s.text)
        ]
        return dated or self.sentences

    # -- cancelled cases -------------------------------------------------------------------

    def _cancel_refusal(self, request: CancelCase, described: str) -> Unparsed | None:
        case_id = request.case
        candidates = [
            s
            for s in self.sentences
            if _names_id(s.text, case_id)
            or request in s.requests
            or is_case_cancellation(s.text, self.vocab.procedures)
        ]
        refusals = [self._cancel_sentence_refusal(request, s, described) for s in candidates]
        if None in refusals:
            return None
        if refusals:
            return refusals[0]
        return self._case_unnamed(self.text, described)

    def _cancel_sentence_refusal(
        self, request: CancelCase, sentence: Sentence, described: str
    ) -> Unparsed | None:
        plain = _GOING_AHEAD.sub(" ", without_names(sentence.text, list(sentence.mentions)))
        why = ""
        if sentence.question:
            why = "a question, not a cancellation"
        elif negation := NEGATION.search(plain):
            why = f"a negated statement ('{negation.group(0)}'), not a cancellation"
        elif move := _MOVE.search(plain):
            why = f"'{move.group(0)}' moves or restores a case, it does not cancel it"
        elif hedge := HEDGE.search(plain):
            why = f"'{hedge.group(0)}' is not a firm change"
        elif limits := [r for p, r in UNSUPPORTED if p.search(plain) and r in _CANCEL_LIMITS]:
            why = limits[0]
        if why:
            return Unparsed(
                text=sentence.text,
                reason=f"{why}; the language model proposed '{described}', so nothing is "
                "cancelled: say 'cancel' and the case's id to cancel it",
            )
        if guard := self._guard(request, sentence):
            return self._guarded(guard, described)
        if _names_id(sentence.text, request.case) or request in sentence.requests:
            return None
        asked = [u.reason for u in sentence.unparsed if any(q in u.reason for q in CASE_QUESTIONS)]
        return self._case_unnamed(sentence.text, described, asked[0] if asked else "")

    @staticmethod
    def _case_unnamed(text: str, described: str, question: str = "") -> Unparsed:
        """The refusal of a case the text does not name (with the rule parser's question)."""
        detail = f" (the rule parser: {question})" if question else ""
        return Unparsed(
            text=text.strip(),
            reason=f"the language model proposed '{described}', but that case is not named "
            f"in the text{detail}, so it is not cancelled; name the case by its id and try again",
        )
