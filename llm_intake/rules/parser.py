"""The deterministic rule parser (the default, offline).

Text is split into sentences and clauses; each clause is classified by fixed
intent patterns and its people, dates, shifts, skills and rooms come from the
closed vocabulary through the shared ``Resolver``. Whenever a clause is not fully
understood — an ambiguous name, a missing shift, a date that must not be guessed
— it is returned as unparsed with the reason instead of a request.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from llm_intake.proposal import fmt_range
from llm_intake.refusals import RefusalKind
from llm_intake.requests import (
    CancelCase,
    Extraction,
    PinShift,
    Request,
    Unavailable,
    Unparsed,
)
from llm_intake.resolver import Resolver
from llm_intake.rules.absence import absences, case_absence_times
from llm_intake.rules.cancellations import (
    CasePlan,
    asks,
    cancelled_case_ids,
    is_case_cancellation,
)
from llm_intake.rules.cases import add_case_request
from llm_intake.rules.clause import (
    FILLERS,
    NEGATED,
    Clause,
    NotUnderstood,
    blank,
    date_refusal,
    hedged,
    without_names,
)
from llm_intake.rules.clauses import ClauseReader
from llm_intake.rules.cover import cover_changes
from llm_intake.rules.days import check_horizon, fmt_days
from llm_intake.rules.patterns import (
    CANCEL,
    HEDGE,
    HEDGE_TAIL,
    NEGATION,
    NEGATIVE_IDIOMS,
    PART_OF_DAY,
    SWAP,
    unsupported,
)
from llm_intake.rules.people import clause_subjects, staff_ids
from llm_intake.rules.sentences import split_sentences
from llm_intake.rules.wishes import shift_wishes
from optimizer.model.common import APOSTROPHES

OUT_OF_SCOPE = "no scheduling request recognised"
WITHDRAWAL = "cancelling or withdrawing an earlier request is not supported"
SWAPS = "shift swaps are not supported; state each person's change"
CASE_ABSENCE = (
    "for case-scheduling staff I can record an absence on whole days, a morning, an "
    'afternoon, or from/until a time ("from 2pm", "until 11:00")'
)


class RuleParser:
    """Free text → ``Extraction`` of resolved requests, for one set of loaded problems.

    ``case_plans`` (see ``rules.cancellations.case_plans``): the loaded case problems
    with their published schedules, where a cancelled case is looked up."""

    def __init__(
        self, resolver: Resolver, today: dt.date, case_plans: Sequence[CasePlan] = ()
    ) -> None:
        self.resolver = resolver
        self.vocab = resolver.vocab
        self.today = today
        self.case_plans = list(case_plans)
        self.reader = ClauseReader(resolver, today)
        self._notes: list[Unparsed] = []  # days left out of a clause, reported after it

    # -- entry point -------------------------------------------------------------------

    def parse(self, text: str) -> Extraction:
        text = text.translate(APOSTROPHES)  # "can’t" as "can't" (phones type ’)
        requests: list[Request] = []
        unparsed: list[Unparsed] = []
        self._notes = []
        for start, end in split_sentences(text):
            sentence = text[start:end].strip(" ,")
            if not sentence:
                continue
            if self._is_case_cancel(sentence):
                try:
                    requests.extend(self._case_cancels(sentence, asks(text, end)))
                except NotUnderstood as exc:
                    unparsed.append(exc.unparsed(sentence))
                continue
            if refusal := self._whole_sentence_refusal(sentence):
                unparsed.append(refusal.unparsed(sentence))
                continue
            for clause in self.reader.split(sentence):
                try:
                    requests.extend(self._clause_requests(clause))
                except NotUnderstood as exc:
                    unparsed.append(exc.unparsed(clause.text.strip(" ,")))
                unparsed.extend(self._notes)
                self._notes = []
        return Extraction(requests=_dedupe(requests), unparsed=unparsed)

    def _whole_sentence_refusal(self, sentence: str) -> NotUnderstood | None:
        """Why the whole sentence is refused: a withdrawn request, a swap between ward
        staff, or an unsupported kind of sentence (``patterns.UNSUPPORTED``)."""
        if CANCEL.search(sentence):
            return NotUnderstood(WITHDRAWAL, RefusalKind.WITHDRAWAL)
        if SWAP.search(sentence) and self.resolver.find_people(sentence, "roster"):
            return NotUnderstood(SWAPS, RefusalKind.SWAP)
        if found := unsupported(sentence):
            return NotUnderstood(found.message, found.kind)
        return None

    def _is_case_cancel(self, sentence: str) -> bool:
        """Whether the sentence calls off a case (not a roster request) of a loaded case
        problem: a case word, an id-like token, a procedure word or short form, someone of
        the case schedule or a day of the case plan beside "cancelled"."""
        if not (self.vocab.rooms or self.vocab.case_staff):
            return False
        return is_case_cancellation(sentence, self.vocab.procedures, self.resolver, self.today)

    def _case_cancels(self, sentence: str, asked: bool) -> list[Request]:
        """One ``cancel_case`` per case the sentence calls off (never a guess); nothing
        when it is negated, tentative, a question (``asked``), conditional, an exception
        or in the past: it comes back unparsed with the reason, as a roster sentence."""
        if not self.case_plans:
            raise NotUnderstood(
                "the case problem was not given to the parser; no case is cancelled",
                RefusalKind.UNREADABLE,
            )
        ids = cancelled_case_ids(sentence, self.case_plans, self.resolver, self.today, asked)
        return [CancelCase(case=case_id) for case_id in ids]

    # -- per clause --------------------------------------------------------------------

    def _clause_requests(self, clause: Clause) -> list[Request]:
        text = clause.text.strip(" ,")
        intent = clause.intent
        unreadable = RefusalKind.UNREADABLE
        if intent == "cancel":
            raise NotUnderstood(WITHDRAWAL, RefusalKind.WITHDRAWAL)
        if intent == "swap":
            raise NotUnderstood(SWAPS, RefusalKind.SWAP)
        if intent == "unknown_person":
            if not (clause.dates or clause.shifts):
                raise NotUnderstood(OUT_OF_SCOPE, unreadable)
            raise NotUnderstood("no staff member of the loaded problems is named here", unreadable)
        if intent == "add_case":
            return [add_case_request(self.resolver, self._firm_part(clause))]
        if intent is None:
            if clause.people or clause.dates or clause.shifts:
                raise NotUnderstood(
                    "found names or dates but no change I know how to make", unreadable
                )
            raise NotUnderstood(OUT_OF_SCOPE, unreadable)
        clause = self._firm_part(clause)
        text = clause.text.strip(" ,")
        for hit in clause.dates:
            if hit.error:
                raise date_refusal(hit)
        if not clause.dates:
            raise NotUnderstood("which date or dates?", unreadable)
        if clause.family == "cases":
            check_horizon(clause.dates, self.vocab.case_start, self.vocab.case_days)
        else:
            check_horizon(clause.dates, self.vocab.roster_start, self.vocab.roster_days)
        if intent in ("unavailable", "cover_change", "move_off"):
            plain = NEGATIVE_IDIOMS.sub(" ", without_names(text, clause.people))
            if NEGATION.search(plain):
                raise NotUnderstood(NEGATED, RefusalKind.NEGATED)
        if intent == "cover_change":
            return cover_changes(self.resolver, clause, self._plan_days)
        staff = staff_ids(self.resolver, clause, clause_subjects(clause))
        if clause.family == "roster" and any(self.vocab.family_of(s) == "cases" for s in staff):
            # a name on both lists, placed in the case schedule by a theatre word
            check_horizon(clause.dates, self.vocab.case_start, self.vocab.case_days)
        if clause.family == "cases" and intent == "unavailable":
            return self._case_absences(clause, text, staff)
        shifts = list(dict.fromkeys(s.id for s in clause.shifts))
        if clause.family == "cases":
            raise NotUnderstood(CASE_ABSENCE, unreadable)
        if part := self._part_of_day(clause):
            raise NotUnderstood(f"'{part}' is not a shift of the ward; which shift?", unreadable)
        if intent in ("unavailable", "move_off"):
            return absences(clause, text, staff, shifts)
        days = self._plan_days(clause)
        if intent == "shift_request":
            return shift_wishes(clause, text, staff, shifts, days)
        if NEGATION.search(without_names(text, clause.people)):
            raise NotUnderstood(
                "a negated assignment: say who should work it, or make it a request",
                RefusalKind.NEGATED,
            )
        if not shifts:
            raise NotUnderstood("which shift?", unreadable)
        if len(shifts) > 1:  # the model's pick of one of them is no reading of the text
            raise NotUnderstood("more than one shift named", RefusalKind.SEVERAL_NAMED)
        return [PinShift(staff=s, date=d, shift=shifts[0]) for s in staff for d in days]

    def _case_absences(self, clause: Clause, text: str, staff: list[str]) -> list[Request]:
        """Case staff away on whole days, or on one day from/until a time of day."""
        spans = [(p.start, p.end) for p in clause.people] + [(d.start, d.end) for d in clause.dates]
        timed = case_absence_times(blank(clause.text, spans))
        used = timed[1] if timed else []
        shifts = [s for s in clause.shifts if not any(a <= s.start < b for a, b in used)]
        rest = replace(clause, text=blank(clause.text, used), shifts=shifts)
        if shifts:
            raise NotUnderstood(CASE_ABSENCE, RefusalKind.UNREADABLE)
        if part := self._part_of_day(rest):
            raise NotUnderstood(f"{CASE_ABSENCE} ('{part}')", RefusalKind.UNREADABLE)
        requests = absences(clause, text, staff, [])
        if timed is None:
            return requests
        if (
            any(r.from_ != r.to for r in requests if isinstance(r, Unavailable))
            or len({(r.from_, r.to) for r in requests if isinstance(r, Unavailable)}) > 1
        ):
            raise NotUnderstood(
                "a time of day on several days; say each day on its own", RefusalKind.UNREADABLE
            )
        first, last = timed[0]
        return [r.model_copy(update={"from_time": first, "to_time": last}) for r in requests]

    def _firm_part(self, clause: Clause) -> Clause:
        """The clause without a hedged tail of dates ("off on the 14th, and maybe the 15th":
        the 15th is reported, not applied); a hedge on anything else refuses the clause."""
        hedge = HEDGE.search(clause.text)
        if hedge is None:
            return clause
        refusal = hedged(hedge.group(0))
        firm = [d for d in clause.dates if d.end <= hedge.start()]
        later = [d for d in clause.dates if d.start >= hedge.start()]
        tail = blank(clause.text, [(d.start, d.end) for d in later])[hedge.end() :]
        words = set(re.findall(r"[a-z']+", tail.lower()))
        if not (firm and later and words <= FILLERS | HEDGE_TAIL):
            raise refusal
        self._notes.append(refusal.unparsed(clause.text[hedge.start() :].strip(" ,()")))
        head = clause.text[: hedge.start()]
        return replace(clause, text=head, dates=firm)

    def _part_of_day(self, clause: Clause) -> str | None:
        """Part of a day named beside a person's change that no shift word covers."""
        spans = [(s.start, s.end) for s in clause.shifts]
        spans += [(d.start, d.end) for d in clause.dates]
        m = PART_OF_DAY.search(blank(clause.text, spans))
        return m.group(0) if m else None

    def _plan_days(self, clause: Clause) -> list[dt.date]:
        """The clause's days inside the plan; the others are left out with a note."""
        days = [d for hit in clause.dates for d in hit.days()]
        window = self.vocab.window(clause.family)
        if window is None:
            return days
        inside = [d for d in days if window[0] <= d <= window[1]]
        outside = [d for d in days if not window[0] <= d <= window[1]]
        if outside:
            verb = "is" if len(outside) == 1 else "are"
            self._notes.append(
                Unparsed(
                    text=clause.text.strip(" ,"),
                    reason=f"{fmt_days(outside)} {verb} outside the plan "
                    f"({fmt_range(*window)}), so left out",
                    kind=RefusalKind.OUTSIDE_PLAN,
                )
            )
        return inside


def _dedupe(requests: list[Request]) -> list[Request]:
    seen: set[str] = set()
    out: list[Request] = []
    for req in requests:
        key = req.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(req)
    return out
