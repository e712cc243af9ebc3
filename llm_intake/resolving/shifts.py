"""Shift words → shift ids: names, ids, period words ("nights", "AM"), misspellings."""

from __future__ import annotations

import re
from functools import cached_property

from rapidfuzz import fuzz, process

from llm_intake.resolving.name_words import STOP_WORDS
from llm_intake.resolving.spans import Span
from llm_intake.vocabulary import Vocabulary, fold

PERIOD_WORDS = {
    "early": ("early", "earlies", "earlys", "am", "morning", "mornings", "morn", "e"),
    "late": ("late", "lates", "pm", "evening", "evenings", "backshift", "l"),
    "night": (
        "night",
        "nights",
        "nite",
        "nites",
        "overnight",
        "overnights",
        "nocte",
        "nighttime",
        "n",
    ),
}


AM_PM_LEADS = frozenset(
    """
    the an on for this that her his their my our next tomorrow today tmrw tomoz
    """.split()  # noqa: SIM905
)
"""Words after which a lower-case "am"/"pm" is a shift ("the am", "tomorrow pm")."""

_CLOCK_BEFORE = re.compile(
    r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|"
    r"o['’]?clock))[\s.:]*$",
    re.IGNORECASE,
)
"""Text ending in a clock time, so that a following "am"/"pm" is a time, not a shift."""

_SHIFT_SUFFIX = re.compile(r"\s*shifts?$")
_SHIFT_WORD = re.compile(r"[A-Za-z]+(?:[-\s]?shifts?)?")
_SHIFT_WORD_SUFFIX = re.compile(r"[-\s]?shifts?$", re.IGNORECASE)

NOT_SHIFTS = frozenset(
    """
    later latest lately earlier earliest eight eighth right might tight light fight
    sight nighty knight knights lattes latte lateness nightly weights heights
    """.split()  # noqa: SIM905
)
"""Words close to a shift word that are not shift words."""


class ShiftWords:
    """The shift ids of one vocabulary by the words that denote them."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._cache: dict[str, str | None] = {}

    @cached_property
    def words(self) -> dict[str, str]:
        """Folded word → shift id (a period word only when one shift has that period)."""
        words: dict[str, str] = {}
        periods: dict[str, list[str]] = {}
        for shift in self.vocab.shifts:
            periods.setdefault(shift.period, []).append(shift.id)
        for period, ids in periods.items():
            if len(ids) == 1:
                for word in PERIOD_WORDS[period]:
                    words[word] = ids[0]
        for shift in self.vocab.shifts:
            for label in (shift.id, shift.name, shift.name.split(" ")[0] if shift.name else ""):
                key = fold(label)
                if key and not key.endswith("shift"):
                    words[key] = shift.id
                    words[key + "s"] = shift.id
        return words

    def shift(self, word: str) -> str | None:
        """The shift id a word denotes ("nights", "Early", "N", "late shift", "nigths")."""
        if word not in self._cache:
            self._cache[word] = self._lookup(word)
        return self._cache[word]

    def _lookup(self, word: str) -> str | None:
        key = _SHIFT_SUFFIX.sub("", fold(word))
        found = self.words.get(key)
        if found is not None or len(key) < 5 or key in NOT_SHIFTS or key in STOP_WORDS:
            return found
        choices = [w for w in self.words if len(w) >= 5]
        best = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=80.0, limit=3)
        ids = {self.words[w] for w, score, _ in best if score >= best[0][1] - 5} if best else set()
        return ids.pop() if len(ids) == 1 else None

    def find(self, text: str) -> list[Span]:
        """Every shift word in ``text`` (one-letter and "am"/"pm" words only where they
        can be nothing else)."""
        spans: list[Span] = []
        for m in _SHIFT_WORD.finditer(text):
            word = m.group(0)
            base = _SHIFT_WORD_SUFFIX.sub("", word) or word
            short = len(base) <= 2 and not (
                base.isupper() and (m.group(0) != base or len(base) == 1)
            )
            if short and base.lower() not in ("am", "pm"):
                continue
            if base.lower() in ("am", "pm") and not self._am_pm_shift(text, m, word != base):
                continue
            if base.lower() in ("e", "l", "n") and base.islower():
                continue
            shift = self.shift(base)
            if shift is not None:
                spans.append(Span(m.start(), m.end(), shift))
        return spans

    @cached_property
    def _am_pm_leads(self) -> frozenset[str]:
        from llm_intake.dates import MONTHS, WEEKDAYS

        return AM_PM_LEADS | set(MONTHS) | set(WEEKDAYS)

    def _am_pm_shift(self, text: str, m: re.Match[str], has_shift_noun: bool) -> bool:
        """Whether "am"/"pm" at ``m`` names a shift ("AM shift", "Friday am", "the pm").

        Never a clock time ("7 am", "seven pm") or the verb ("I am told", "am I");
        in lower case only before "shift" or after a day or "the"/"on"/"for"….
        """
        before, after = text[: m.start()], text[m.end() :]
        if _CLOCK_BEFORE.search(before) or re.search(r"\bI\s*$", before, re.IGNORECASE):
            return False
        if re.match(r"\s*I\b", after, re.IGNORECASE):
            return False
        if has_shift_noun or m.group(0)[:2].isupper():
            return True
        previous = re.search(r"([A-Za-z]+)\W*$", before)
        return previous is not None and previous.group(1).lower() in self._am_pm_leads
