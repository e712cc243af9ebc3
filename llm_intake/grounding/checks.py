"""``Grounding``: the checks of the model's requests against one text (see the package
docstring)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property

from llm_intake.dates import find_dates
from llm_intake.grounding import messages
from llm_intake.grounding.cancelled import cancels_nothing
from llm_intake.grounding.guards import CASE_QUESTION_KINDS, guarded, sentence_guard
from llm_intake.grounding.sentence import (
    Sentence,
    names_id,
    read_sentences,
    sentence_reason,
)
from llm_intake.grounding.targets import request_days, request_people, same_target, within
from llm_intake.grounding.times import time_refusal
from llm_intake.proposal import describe, fmt_range
from llm_intake.refusals import RefusalKind
from llm_intake.requests import (
    AddCase,
    CancelCase,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
    Unparsed,
)
from llm_intake.resolver import Mention, Resolver
from llm_intake.rules import CasePlan
from llm_intake.rules.cancellations import is_case_cancellation


class Grounding:
    """The checks of the model's requests against one text (see the package docstring)."""

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
        return read_sentences(self.text, self.resolver, self.today, self.plans)

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
        reasons = {sentence_reason(request, s) for s in grounds}
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
            text=self.text.strip(),
            reason=self.resolver.which_one(" or ".join(ids), tuple(ids)),
            kind=RefusalKind.AMBIGUOUS_NAME,
        )

    # -- people ------------------------------------------------------------------------

    def _unnamed(self, person_id: str, described: str) -> Unparsed:
        who = f"{self.vocab.label(person_id)} ({person_id})"
        return messages.unnamed(self.text, who, described)

    def _allowed(self, request: Request) -> set[str]:
        """The people the request's kind can act on (ward staff for wishes and pins)."""
        if isinstance(request, ShiftWish | PinShift):
            return {p.id for p in self.vocab.roster_staff}
        if isinstance(request, AddCase):
            return {p.id for p in self.vocab.case_staff}
        return {p.id for p in self.vocab.people}

    def _question(self, sentence: Sentence, mention: Mention) -> Unparsed:
        """The rule parser's question about ``mention`` (or the resolver's)."""
        ids = mention.ids
        for unparsed in sentence.unparsed:
            if unparsed.kind is RefusalKind.AMBIGUOUS_NAME and all(
                f"({i})" in unparsed.reason for i in ids
            ):
                return unparsed
        return Unparsed(
            text=sentence.text,
            reason=self.resolver.which_one(mention.text, ids),
            kind=RefusalKind.AMBIGUOUS_NAME,
        )

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
        window = self._window(request)
        if refusal := time_refusal(request, sentence.text, self.today, window, described):
            return refusal
        agreeing = [r for r in sentence.requests if same_target(r, request)]
        if agreeing:
            if within(request, agreeing):
                return None
            return self._other_reading(sentence, described, agreeing)
        if guard := self._guard(request, sentence):
            return guarded(guard, described)
        if sentence.complete:
            return self._other_reading(sentence, described, list(sentence.requests))
        if question := self._ambiguity(request, sentence, described):
            return question
        return self._date_refusal(request, sentence, described)

    def _guard(self, request: Request, sentence: Sentence) -> Unparsed | None:
        """The rule parser's guard refusal that concerns the request's person (or any,
        for a request on no one)."""
        return sentence_guard(
            sentence.unparsed,
            set(request_people(request)),
            cancel=isinstance(request, CancelCase),
            names_case=any(names_id(sentence.text, c.id) for c in self.vocab.cases),
            resolver=self.resolver,
        )

    def _other_reading(
        self, sentence: Sentence, described: str, readings: list[Request]
    ) -> Unparsed:
        read = " and ".join(f"'{describe(r, self.vocab)}'" for r in readings)
        return messages.other_reading(sentence.text, described, read)

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
        return messages.other_dates(sentence.text, described, " and ".join(said))

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
            if names_id(s.text, case_id)
            or request in s.requests
            or is_case_cancellation(s.text, self.vocab.procedures)
        ]
        refusals = [self._cancel_sentence_refusal(request, s, described) for s in candidates]
        if None in refusals:
            return None
        if refusals:
            return refusals[0]
        return messages.case_unnamed(self.text, described)

    def _cancel_sentence_refusal(
        self, request: CancelCase, sentence: Sentence, described: str
    ) -> Unparsed | None:
        if why := cancels_nothing(sentence):
            return messages.not_cancelled(sentence.text, why, described)
        if guard := self._guard(request, sentence):
            return guarded(guard, described)
        if names_id(sentence.text, request.case) or request in sentence.requests:
            return None
        asked = [u.reason for u in sentence.unparsed if u.kind in CASE_QUESTION_KINDS]
        return messages.case_unnamed(sentence.text, described, asked[0] if asked else "")
