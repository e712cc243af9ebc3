"""People named in text: runs of name words → mentions, whole names → ids, questions.

A name that fits more than one person is returned as ambiguous (the caller asks),
never guessed; a run next to an unknown name word names someone unknown.
"""

from __future__ import annotations

import re
from itertools import pairwise

from llm_intake.resolving.name_index import NameIndex
from llm_intake.resolving.name_words import NAME_TOKEN, STOP_WORDS, joined_name_word
from llm_intake.resolving.spans import Mention
from llm_intake.vocabulary import TITLES, Person, Vocabulary, fold
from optimizer.model.common import canonical_id

_NameWord = tuple[int, int, str, set[str], bool, str]
"""One name word of a run: start, end, folded token, person ids, fuzzily, raw text."""


class PeopleFinder:
    """Finds the people of one vocabulary in text and in whole names."""

    def __init__(self, vocab: Vocabulary, names: NameIndex) -> None:
        self.vocab = vocab
        self._names = names
        self._cache: dict[tuple[str, str | None], list[Mention]] = {}

    def find_people(self, text: str, family: str | None = None) -> list[Mention]:
        """Every run of name tokens in ``text`` with the people it may denote."""
        key = (text, family)
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            self._cache[key] = self._find_people(text, family)
        return list(self._cache[key])

    def _find_people(self, text: str, family: str | None) -> list[Mention]:
        allowed = {p.id for p in self.vocab.people if family is None or p.family == family}
        runs: list[list[_NameWord]] = []
        # runs next to an unknown capitalised word, with the span of the whole unknown name
        tainted: dict[int, tuple[int, int]] = {}
        last_end = -10
        unknown_start = unknown_end = -10
        lowercase = not any(c.isupper() for c in text)
        initial: tuple[str, int, int] | None = None  # ("p", start, end): "P." before a surname
        initials: dict[int, tuple[str, int]] = {}
        full_names = self._full_name_words(text)
        for m in NAME_TOKEN.finditer(text):
            raw = re.sub(r"['’]s$", "", m.group(0)).rstrip(".")
            token = fold(raw)
            if not token or token in TITLES:
                continue
            if len(raw) == 1 and raw.isupper():
                initial = (token, m.start(), m.end())
                continue
            after_name = bool(
                runs and last_end >= 0 and re.fullmatch(r"\s+", text[last_end : m.start()])
            )
            found = self._names.candidates(token, raw, after_name)
            if found is None and m.start() in full_names:  # "grace okafor", "jo park"
                found = self._names.ids(token), False
            ids = (found[0] & allowed) if found is not None else set()
            if not ids:
                if self._unknown_name_word(token, raw, lowercase):
                    joined = unknown_end >= 0 and re.fullmatch(
                        r"\s+", text[unknown_end : m.start()]
                    )
                    if not joined:  # "Zoe Anne Chen": the unknown name starts at "Zoe"
                        unknown_start = m.start()
                    unknown_end = m.start() + len(raw)
                    if after_name:
                        start = tainted.get(len(runs) - 1, (runs[-1][0][0], 0))[0]
                        tainted[len(runs) - 1] = (start, unknown_end)
                else:
                    unknown_end = -10
                last_end = -10
                continue
            fuzzy = found[1] if found is not None else False
            gap = text[last_end : m.start()] if last_end >= 0 else "x"
            item = (m.start(), m.start() + len(raw), token, ids, fuzzy, raw)
            if runs and re.fullmatch(r"[\s.]*", gap):
                runs[-1].append(item)
            else:
                runs.append([item])
                if unknown_end >= 0 and re.fullmatch(r"\s+", text[unknown_end : m.start()]):
                    tainted[len(runs) - 1] = (unknown_start, 0)
                if initial and re.fullmatch(r"[\s.]*", text[initial[2] : m.start()]):
                    initials[len(runs) - 1] = (initial[0], initial[1])
            initial = None
            last_end = m.start() + len(raw)
            unknown_end = -10
        mentions: list[Mention] = []
        for i, run in enumerate(runs):
            if i in tainted:
                start, end = min(run[0][0], tainted[i][0]), max(run[-1][1], tainted[i][1])
                near = tuple(sorted(set.intersection(*(item[3] for item in run))))
                mentions.append(Mention(start, end, text[start:end], (), False, near))
            elif i in initials:
                ids = set.intersection(*(item[3] for item in run))
                letter, start = initials[i]
                ids = {p for p in ids if self._person(p).first.startswith(letter)}
                end = run[-1][1]
                mentions.append(Mention(start, end, text[start:end], tuple(sorted(ids)), False))
            else:
                mentions.extend(self._run_mentions(text, run))
        return mentions

    def _full_name_words(self, text: str) -> set[int]:
        """Starts of the words of someone's whole name written out ("grace okafor"): such
        words are names even when they are also common words ("grace", "park")."""
        words = [
            (m.start(), fold(re.sub(r"['’]s$", "", m.group(0)).rstrip(".")), m.end())
            for m in NAME_TOKEN.finditer(text)
        ]
        starts: set[int] = set()
        for i in range(len(words)):
            for n in (2, 3, 4):
                run = words[i : i + n]
                if len(run) < n or any(
                    not re.fullmatch(r"\s+", text[a[2] : b[0]]) for a, b in pairwise(run)
                ):
                    break
                if tuple(w[1] for w in run) in self._names.full_names:
                    starts.update(w[0] for w in run)
        return starts

    def _unknown_name_word(self, token: str, raw: str, lowercase: bool) -> bool:
        """A word that is likely part of an unknown name ("Tom *Baker*", "ewan *smithson*").

        Capitalised non-vocabulary words, a name word used as a common word ("grace"),
        and, in an all-lowercase message, any word that is no common or vocabulary word.
        """
        if self._names.knows(token) and token in STOP_WORDS:
            return True
        if token in STOP_WORDS or token in self._names.vocab_words:
            return False
        if not token.isalpha():
            return joined_name_word(raw, lowercase)
        if not raw[:1].isupper():
            return lowercase and len(token) >= 3
        return not (raw.isupper() and len(raw) <= 4)  # abbreviations: AL, RN, HCA, OR

    def _run_mentions(self, text: str, run: list[_NameWord]) -> list[Mention]:
        ids = set.intersection(*(item[3] for item in run))
        start, end = run[0][0], run[-1][1]
        if not ids:
            # adjacent name words of different people ("Tom Lee"): someone unknown
            return [Mention(start, end, text[start:end], (), False)]
        exact = self._prefer_exact(run, ids)
        fuzzy = any(item[4] for item in run)
        return [Mention(start, end, text[start:end], tuple(sorted(exact)), fuzzy)]

    def _prefer_exact(self, run: list[_NameWord], ids: set[str]) -> set[str]:
        """Among candidates, keep those whose full name matches the run exactly (if any)."""
        words = [item[2] for item in run]
        full = [pid for pid in ids if list(self._person(pid).tokens) == words]
        return set(full) if full else ids

    def _person(self, person_id: str) -> Person:
        return self.vocab.person(person_id)

    def staff(self, name: str, family: str | None = None) -> tuple[str, ...]:
        """People a whole name (or id) may denote: one id, several (ambiguous) or none."""
        allowed = [p for p in self.vocab.people if family is None or p.family == family]
        for person in allowed:
            if person.id == canonical_id(name):
                return (person.id,)
        folded = " ".join(t for t in fold(name).split() if t not in TITLES)
        exact = [p.id for p in allowed if " ".join(p.tokens) == folded or fold(p.id) == folded]
        if exact:
            return tuple(sorted(exact))
        mentions = self.find_people(name, family)
        if len(mentions) == 1 and fold(mentions[0].text) == folded:
            return mentions[0].ids
        return ()

    def describe(self, ids: tuple[str, ...]) -> str:
        return " or ".join(f"{self.vocab.label(i)} ({i})" for i in ids)

    def which_one(self, name: str, ids: tuple[str, ...]) -> str:
        """The question for an ambiguous name; names each candidate's problem if they differ."""
        question = f"'{name}' could be {self.describe(ids)}; which one?"
        ward = [i for i in ids if self.vocab.family_of(i) == "roster"]
        cases = [i for i in ids if self.vocab.family_of(i) == "cases"]
        if not (ward and cases):
            return question
        return (
            f"{question} ({', '.join(ward)} on the ward, {', '.join(cases)} in the case "
            "schedule; name a shift for the ward, or the theatre)"
        )
