"""Clause splitting and intent: one clause per person's change, classified by fixed
patterns."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise

from llm_intake.dates import find_dates
from llm_intake.resolver import Mention, Resolver, Span
from llm_intake.rules.absence import UNAVAILABLE, moved_off
from llm_intake.rules.case_words import CASE_VERB, DURATION
from llm_intake.rules.clause import Clause, is_night_word, only_fillers, shifted
from llm_intake.rules.cover import COVER_WORD
from llm_intake.rules.patterns import CANCEL, PIN, SWAP
from llm_intake.rules.people import is_covered, is_instructed
from llm_intake.rules.wishes import WILLING, WISH

_I = re.IGNORECASE

_NEXT_PREDICATE = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+)(?:(?:also|then)\s+)?(?=(?:is|are|was|'s|will|would|"
    r"wants?|wanted|prefers?|requests?|requested|asks?|asked|has|have|had|needs?|can|can't|"
    r"cannot|cant|could|couldn't|won't|isn't|must|should|hopes?|is\s+hoping)\b)",
    _I,
)
_PERSON_INTENTS = ("shift_request", "unavailable", "pin", "move_off")


class ClauseReader:
    """Sentences → clauses, each with its people, dates, shifts, family and intent."""

    def __init__(self, resolver: Resolver, today: dt.date) -> None:
        self.resolver = resolver
        self.vocab = resolver.vocab
        self.today = today

    def split(self, sentence: str) -> list[Clause]:
        """The clauses of one sentence (names-only fragments merged, predicates split)."""
        if self._is_case(sentence):
            return [self.read(sentence, "add_case")]
        people = self.resolver.find_people(sentence, "roster")
        cuts = [0]
        for mention in people[1:]:
            before = sentence[: mention.start]
            m = re.search(
                r"(?:,\s*(?:and\s+|but\s+|while\s+|whereas\s+|also\s+|plus\s+)?|\s+(?:and|but|"
                r"while|whereas|also|plus)\s+)(?:(?:also|then|please|can\s+you|could\s+you)"
                r"\s+)?(?:(?:put|assign|pin|rota|give|move|book)\s+)?$",
                before,
                _I,
            )
            if m and m.start() > cuts[-1]:
                cuts.append(m.start())
        for m in re.finditer(
            r"(?:,|;)?\s+(?:and|also|plus|but)\s+(?=(?:we|can\s+we|could\s+we|please|pls|also|"
            r"need|add)\b)|,\s*(?=(?:we|also|plus|need|add|pls|please)\b)|,?\s+but\s+",
            sentence,
            _I,
        ):
            cuts.append(m.start())
        cuts = sorted(set(cuts))
        cuts.append(len(sentence))
        pieces = [sentence[a:b] for a, b in pairwise(cuts)]
        clauses = [self.read(p) for p in pieces]
        # a fragment with only names shares the next fragment's predicate ("A and B are off")
        merged: list[Clause] = []
        pending: list[Mention] = []
        pending_text = ""
        for clause in clauses:
            if clause.intent is None and not clause.dates and not clause.shifts and clause.people:
                pending.extend(shifted(clause.people, len(pending_text)))
                pending_text += clause.text
                continue
            if pending:
                offset = len(pending_text)
                clause.people = pending + shifted(clause.people, offset)
                clause.dates = shifted(clause.dates, offset)
                clause.shifts = shifted(clause.shifts, offset)
                clause.text = pending_text + clause.text
                pending, pending_text = [], ""
            merged.append(clause)
        if pending:
            merged.append(Clause(pending_text, people=pending))
        # a fragment with its own date but no verb inherits the previous intent
        for prev, clause in pairwise(merged):
            if (
                clause.intent is None
                and prev.intent is not None
                and clause.people
                and only_fillers(clause)
            ):
                clause.intent = prev.intent
                clause.inherited = prev.text
                if not clause.dates:
                    clause.dates = list(prev.dates)
        return [part for clause in merged for part in self._split_predicates(clause)]

    def _split_predicates(self, clause: Clause) -> list[Clause]:
        """ "Jo wants a late on 9 Dec and is off sick on 10 Dec": one clause per predicate.

        The part after "and" (or a comma) is split off when it starts with a verb and, read
        with the same people, is a request of its own, or names its own date (then, if it
        is no request, it is reported as not understood rather than merged into the first
        part: "off on 9 Dec and can work the night on 10 Dec" is no night absence).
        """
        if clause.intent not in _PERSON_INTENTS or not clause.people or clause.inherited:
            return [clause]
        subjects = [p for p in clause.people if not is_covered(clause, p)]
        if not subjects:
            return [clause]
        subject = " and ".join(p.text for p in subjects)
        for m in _NEXT_PREDICATE.finditer(clause.text, max(p.end for p in clause.people)):
            left = self.read(clause.text[: m.start()])
            right = self.read(f"{subject} {clause.text[m.end() :]}")
            if left.intent in _PERSON_INTENTS and (
                right.intent in _PERSON_INTENTS or (left.dates and right.dates)
            ):
                return [left, *self._split_predicates(right)]
        return [clause]

    def read(self, text: str, intent: str | None = None) -> Clause:
        """One clause: its people, dates and shifts from the vocabulary, and its intent."""
        family = "cases" if intent == "add_case" else "roster"
        people = self.resolver.find_people(text, family)
        if family == "roster" and not any(p.ids for p in people):
            # nobody on a ward: maybe case staff (a surgeon off sick)
            case_people = self.resolver.find_people(text, "cases")
            if any(p.ids for p in case_people):
                people, family = case_people, "cases"
        dates = find_dates(text, self.today, self.vocab.window(family))
        people = [p for p in people if not any(p.start < d.end and d.start < p.end for d in dates)]
        shifts = [
            s
            for s in self.resolver.find_shifts(text)
            if not any(
                s.start < d.end and d.start < s.end and not is_night_word(text[s.start : s.end])
                for d in dates
            )
            and not any(s.start < p.end and p.start < s.end for p in people)
        ]
        if any(d.tonight for d in dates):
            night = self.resolver.shift("night")
            if night and night not in {s.id for s in shifts}:
                shifts.append(Span(0, 0, night))
        clause = Clause(text, people, dates, shifts, family=family)
        clause.intent = intent or self._intent(clause)
        return clause

    def _is_case(self, sentence: str) -> bool:
        if not self.vocab.rooms and not self.vocab.case_staff:
            return False
        has_verb = bool(CASE_VERB.search(sentence))
        has_duration = bool(DURATION.search(sentence))
        has_room = bool(self.resolver.find_rooms(sentence))
        roster_words = self.resolver.find_shifts(sentence) or self.resolver.find_skills(sentence)
        if has_duration and (has_verb or has_room):
            return True
        return has_verb and has_room and not roster_words

    def _intent(self, clause: Clause) -> str | None:
        text = clause.text
        if CANCEL.search(text):
            return "cancel"
        if SWAP.search(text) and clause.people:
            return "swap"
        if clause.people:
            if WISH.search(text) or (WILLING.search(text) and not is_instructed(clause)):
                return "shift_request"
            if UNAVAILABLE.search(text):
                return "unavailable"
            if moved_off(clause):
                return "move_off"
            if PIN.search(text) and clause.shifts:
                return "pin"
            verbless = re.search(r"\b(?:on|for)\b", text, _I) and only_fillers(clause)
            if clause.shifts and clause.dates and verbless:
                return "pin"
            return None
        if COVER_WORD.search(text) and clause.shifts and clause.dates:
            return "cover_change"
        if any(r.search(text) for r in (WISH, WILLING, UNAVAILABLE, PIN)):
            return "unknown_person"
        return None
