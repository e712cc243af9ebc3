"""One resolver for both parsers: words in text → the loaded problems' ids.

Names resolve exactly first (id, full name, unique first or last name), then
fuzzily with rapidfuzz — and a name that fits more than one person is returned
as ambiguous (the caller asks), never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from itertools import pairwise

from rapidfuzz import fuzz, process

from llm_intake.requests import AddCase, CancelCase, CoverChange, Request, Unavailable
from llm_intake.vocabulary import TITLES, Person, Vocabulary, fold
from optimizer.model.common import canonical_id

FUZZY_CUTOFF = 80.0
"""Minimum rapidfuzz ratio for a misspelt name token."""
FUZZY_MARGIN = 8.0
"""A runner-up this close to the best fuzzy score makes the match ambiguous."""

# Words that are never read as (misspelt) names.
STOP_WORDS = frozenset(
    """
    a about add added after afternoon again all also am an and annual any are as asap
    asked assign assigned at available away back be been before below book booked both
    but by can cancel cannot cant case cases change charge come coming could cover
    covers day days do does dont down due early earlies each emergency end even evening
    every extra few for from give go going has have he her here him his holiday holidays
    hour hours how i if in instead into is it its just late lates leave less let like
    list lunch make may me minus minute minutes mins more morning mornings most must my
    need needs new next night nights no nobody not now of off on one only or other our
    out over part patient patients people per plan please plus prefer prefers put reduce
    remove request requests room rota roster rostered same schedule scheduled set she
    shift shifts short should sick sickness so some staff study surgery than thanks that
    the their them then there these they this those through till to today tomorrow
    tonight too training two under unit until up urgent us use wants want ward was we
    week weekend weeks well were what when where which while who why will wish with
    without work working works would year yes you your nurse nurses doctor theatre
    theater please hi hello team swap needed needs extra park grace joy
    unfortunately sadly reminder fyi note hello update btw ok okay so just apparently
    looks seems guess dear tell ask could can fix pin pinned move mark record log get
    allocate place confirm lock sort tried trying off sick unwell poorly annual leave
    rang called phoned texted emailed messaged says said reports reported feels feeling felt
    went left got gets asks thinks wont won't isn't cannot couldn't tmrw tomoz
    take takes keep keeps pull send bring drop switch replace relieve stand
    """.split()  # noqa: SIM905
)

NICKNAMES = {
    "sam": ("samuel", "samantha"),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "tom": ("thomas", "tomasz"),
    "tommy": ("thomas", "tomasz"),
    "jo": ("joanna", "joanne", "josephine"),
    "liz": ("elizabeth",),
    "beth": ("elizabeth", "bethany"),
    "kate": ("katherine", "kathryn", "catherine"),
    "katie": ("katherine", "kathryn", "catherine"),
    "mike": ("michael",),
    "chris": ("christopher", "christine", "christina"),
    "ollie": ("oliver",),
    "olly": ("oliver",),
    "alex": ("alexander", "alexandra"),
    "nick": ("nicholas",),
    "rob": ("robert",),
    "will": ("william",),
    "matt": ("matthew",),
    "andy": ("andrew",),
    "jim": ("james",),
    "jen": ("jennifer",),
    "becky": ("rebecca",),
    "mo": ("mohammed", "mohamed", "muhammad"),
    "ibby": ("ibrahim",),
    "han": ("hannah",),
    "fati": ("fatima",),
    "mags": ("margaret", "maria"),
}
"""Short forms of first names: a short form also denotes everyone with the long form, so
"Sam" is ambiguous between Sam Lee and Samuel Adeyemi and is asked about, not guessed."""


@dataclass(frozen=True)
class Mention:
    """A span of text naming people: ``ids`` has one id if resolved, several if ambiguous."""

    start: int
    end: int
    text: str
    ids: tuple[str, ...]
    fuzzy: bool = False
    near: tuple[str, ...] = ()
    """No one (``ids`` empty) but a known word in it fits these people ("Tom Baker": Tom)."""

    @property
    def resolved(self) -> str | None:
        return self.ids[0] if len(self.ids) == 1 else None


@dataclass(frozen=True)
class Span:
    """A span of text that resolved to one id (shift, skill, room, role)."""

    start: int
    end: int
    id: str


_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?", re.UNICODE)

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


_CONTRACTION_TAILS = frozenset({"t", "s", "m", "d", "re", "ll", "ve"})
"""What follows the apostrophe of "can't", "she's", "I'm", "we'd", "they're", "I'll", "I've"."""


def _joined_name_word(raw: str, lowercase: bool) -> bool:
    """Whether a word joined by ``'`` ``’`` ``-`` or ``.`` looks like a surname ("O'Reilly",
    "D’Angelo", "Smith-Jones"): every part capitalised (not an abbreviation such as "O.K");
    in an all-lowercase message an apostrophe word that is no contraction ("o'reilly",
    not "can't")."""
    parts = re.split(r"[-'’.]", raw)
    if not all(part.isalpha() for part in parts):
        return False
    if all(part[:1].isupper() for part in parts):
        return not (raw.isupper() and len(raw) <= 4)
    tail = re.split(r"['’]", raw)[-1]
    return lowercase and len(parts) == 2 and "-" not in raw and tail not in _CONTRACTION_TAILS


class Resolver:
    """Maps names, shift words, skills, rooms and roles to ids of one vocabulary."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab
        self._token_cache: dict[tuple[str, bool, bool], tuple[set[str], bool] | None] = {}
        self._people_cache: dict[tuple[str, str | None], list[Mention]] = {}
        self._shift_cache: dict[str, str | None] = {}

    def warm(self) -> Resolver:
        """Build every lookup table now (else the first message pays for it)."""
        for table in (self._token_index, self._fuzzy_choices, self._vocab_words):
            assert table is not None
        return self

    # -- people --------------------------------------------------------------------

    @cached_property
    def _token_index(self) -> dict[str, dict[str, set[str]]]:
        """folded name token → {"first"|"last"|"other"|"id": person ids}."""
        index: dict[str, dict[str, set[str]]] = {}
        for person in self.vocab.people:
            tokens = person.tokens
            for pos, token in enumerate(tokens):
                if pos == 0:
                    role = "first"
                elif pos == len(tokens) - 1:
                    role = "last"
                else:
                    role = "other"
                index.setdefault(token, {}).setdefault(role, set()).add(person.id)
                if " " in token:
                    index.setdefault(token.replace(" ", ""), {}).setdefault(role, set()).add(
                        person.id
                    )
            index.setdefault(fold(person.id), {}).setdefault("id", set()).add(person.id)
        for short, longs in NICKNAMES.items():
            for long in longs:
                ids = index.get(long, {}).get("first", set())
                if ids:
                    index.setdefault(short, {}).setdefault("first", set()).update(ids)
        return index

    @cached_property
    def _fuzzy_choices(self) -> list[str]:
        return [t for t in self._token_index if len(t) >= 4]

    def _token_candidates(
        self, token: str, raw: str, after_name: bool
    ) -> tuple[set[str], bool] | None:
        """Person ids a single folded token may denote, and whether fuzzily.

        A misspelt (fuzzy) token must be capitalised or follow an exactly matched name,
        so that ordinary words ("chole", "later") never become people.
        """
        key = (token, raw[:1].isupper(), after_name)
        if key not in self._token_cache:
            self._token_cache[key] = self._lookup_token(token, raw, after_name)
        found = self._token_cache[key]
        return (set(found[0]), found[1]) if found is not None else None

    def _lookup_token(self, token: str, raw: str, after_name: bool) -> tuple[set[str], bool] | None:
        entry = self._token_index.get(token)
        if entry is not None and (token not in STOP_WORDS or raw[:1].isupper()):
            return set().union(*entry.values()), False
        if len(token) < 4 or token in STOP_WORDS or token in self._vocab_words:
            return None
        if not (raw[:1].isupper() or after_name):
            return None
        found = process.extract(
            token, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=4
        )
        if not found:
            return None
        best = found[0][1]
        ids: set[str] = set()
        for choice, score, _ in found:
            if score >= best - FUZZY_MARGIN:
                ids |= set().union(*self._token_index[choice].values())
        return ids, True

    @cached_property
    def _vocab_words(self) -> frozenset[str]:
        words = set(self._shift_words) | set(self._skill_words) | set(self._role_words)
        from llm_intake.dates import MONTHS, WEEKDAYS

        return frozenset(words | set(MONTHS) | set(WEEKDAYS))

    def find_people(self, text: str, family: str | None = None) -> list[Mention]:
        """Every run of name tokens in ``text`` with the people it may denote."""
        key = (text, family)
        if key not in self._people_cache:
            if len(self._people_cache) > 512:
                self._people_cache.clear()
            self._people_cache[key] = self._find_people(text, family)
        return list(self._people_cache[key])

    def _find_people(self, text: str, family: str | None) -> list[Mention]:
        allowed = {p.id for p in self.vocab.people if family is None or p.family == family}
        runs: list[list[tuple[int, int, str, set[str], bool, str]]] = []
        # runs next to an unknown capitalised word, with the span of the whole unknown name
        tainted: dict[int, tuple[int, int]] = {}
        last_end = -10
        unknown_start = unknown_end = -10
        lowercase = not any(c.isupper() for c in text)
        initial: tuple[str, int, int] | None = None  # ("p", start, end): "P." before a surname
        initials: dict[int, tuple[str, int]] = {}
        full_names = self._full_name_words(text)
        for m in _TOKEN.finditer(text):
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
            found = self._token_candidates(token, raw, after_name)
            if found is None and m.start() in full_names:  # "grace okafor", "jo park"
                found = set().union(*self._token_index[token].values()), False
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

    @cached_property
    def _full_names(self) -> frozenset[tuple[str, ...]]:
        return frozenset(p.tokens for p in self.vocab.people if len(p.tokens) > 1)

    def _full_name_words(self, text: str) -> set[int]:
        """Starts of the words of someone's whole name written out ("grace okafor"): such
        words are names even when they are also common words ("grace", "park")."""
        words = [
            (m.start(), fold(re.sub(r"['’]s$", "", m.group(0)).rstrip(".")), m.end())
            for m in _TOKEN.finditer(text)
        ]
        starts: set[int] = set()
        for i in range(len(words)):
            for n in (2, 3, 4):
                run = words[i : i + n]
                if len(run) < n or any(
                    not re.fullmatch(r"\s+", text[a[2] : b[0]]) for a, b in pairwise(run)
                ):
                    break
                if tuple(w[1] for w in run) in self._full_names:
                    starts.update(w[0] for w in run)
        return starts

    def _unknown_name_word(self, token: str, raw: str, lowercase: bool) -> bool:
        """A word that is likely part of an unknown name ("Tom *Baker*", "ewan *smithson*").

        Capitalised non-vocabulary words, a name word used as a common word ("grace"),
        and, in an all-lowercase message, any word that is no common or vocabulary word.
        """
        if token in self._token_index and token in STOP_WORDS:
            return True
        if token in STOP_WORDS or token in self._vocab_words:
            return False
        if not token.isalpha():
            return _joined_name_word(raw, lowercase)
        if not raw[:1].isupper():
            return lowercase and len(token) >= 3
        return not (raw.isupper() and len(raw) <= 4)  # abbreviations: AL, RN, HCA, OR

    def _run_mentions(
        self, text: str, run: list[tuple[int, int, str, set[str], bool, str]]
    ) -> list[Mention]:
        ids = set.intersection(*(item[3] for item in run))
        start, end = run[0][0], run[-1][1]
        if not ids:
            # adjacent name words of different people ("Tom Lee"): someone unknown
            return [Mention(start, end, text[start:end], (), False)]
        exact = self._prefer_exact(run, ids)
        fuzzy = any(item[4] for item in run)
        return [Mention(start, end, text[start:end], tuple(sorted(exact)), fuzzy)]

    def _prefer_exact(
        self, run: list[tuple[int, int, str, set[str], bool, str]], ids: set[str]
    ) -> set[str]:
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

    # -- shifts ----------------------------------------------------------------------

    @cached_property
    def _shift_words(self) -> dict[str, str]:
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
        if word not in self._shift_cache:
            self._shift_cache[word] = self._lookup_shift(word)
        return self._shift_cache[word]

    def _lookup_shift(self, word: str) -> str | None:
        key = _SHIFT_SUFFIX.sub("", fold(word))
        found = self._shift_words.get(key)
        if found is not None or len(key) < 5 or key in NOT_SHIFTS or key in STOP_WORDS:
            return found
        choices = [w for w in self._shift_words if len(w) >= 5]
        best = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=80.0, limit=3)
        ids = (
            {self._shift_words[w] for w, score, _ in best if score >= best[0][1] - 5}
            if best
            else set()
        )
        return ids.pop() if len(ids) == 1 else None

    def find_shifts(self, text: str) -> list[Span]:
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

    # -- skills, roles, rooms ------------------------------------------------------

    @cached_property
    def _skill_words(self) -> dict[str, str]:
        return _plural_index(self.vocab.skills)

    @cached_property
    def _role_words(self) -> dict[str, str]:
        return _plural_index(self.vocab.roles)

    def skill(self, word: str) -> str | None:
        return self._skill_words.get(fold(word))

    def role(self, word: str) -> str | None:
        return self._role_words.get(fold(word))

    def find_skills(self, text: str) -> list[Span]:
        return _find_words(text, self._skill_words)

    def find_roles(self, text: str) -> list[Span]:
        return _find_words(text, self._role_words)

    def room(self, phrase: str) -> str | None:
        """Room id for "OR 2", "theatre 2", "Theater #2", a room id or name; None if unknown."""
        key = fold(phrase)
        for room in self.vocab.rooms:
            if key in (fold(room.id), fold(room.name)):
                return room.id
        m = re.fullmatch(
            r"(?:or|o r|theatre|theater|theatres|room|operating (?:room|theatre|theater)|th)"
            r"\s*(?:no\s*)?(\d+)",
            key,
        )
        if m:
            number = str(int(m.group(1)))
            found = [r.id for r in self.vocab.rooms if r.number == number]
            if len(found) == 1:
                return found[0]
        return None

    def find_rooms(self, text: str) -> list[Span]:
        spans: list[Span] = []
        pattern = (
            r"\b(?:OR|Or|or(?=\d)|[Tt]heat(?:re|er)s?|[Rr]oom|[Oo]perating\s+(?:[Rr]oom|"
            r"[Tt]heat(?:re|er)))\s*(?:#|[Nn]o\.?)?\s*\d+\b"
        )
        for m in re.finditer(pattern, text):
            found = self.room(m.group(0).replace("#", " "))
            if found is not None:
                spans.append(Span(m.start(), m.end(), found))
        for room in self.vocab.rooms:
            for label in {room.id, room.name}:
                if len(label) > 3 and not re.search(r"\d$", label):
                    for hit in re.finditer(rf"\b{re.escape(label)}\b", text, re.IGNORECASE):
                        spans.append(Span(hit.start(), hit.end(), room.id))
        return spans


_WARD_WORDS = re.compile(r"\b(?:ward|rota|shifts?)\b", re.IGNORECASE)
"""Words that place an absence on the ward (shift words are found by the resolver)."""
_CASE_WORDS = re.compile(
    r"\b(?:theat(?:re|er)s?|operating|scrub(?:bing)?|surgeons?|cases|an(?:a?e)sthe\w*)\b",
    re.IGNORECASE,
)
"""Words that place an absence in the case schedule (rooms and roles are found too)."""


def same_name_case_staff(
    vocab: Vocabulary, name: str, first: dt.date, last: dt.date, theatre: bool = False
) -> tuple[str, ...] | None:
    """Case staff with the full name of a ward member, on duty some day ``first``–``last``.

    None when ``name`` is no ward member's full name. Someone off duty on all those days
    is left out: their absence would change nothing in the case schedule — unless the
    text places the absence in theatre (``theatre``): then it is theirs all the same.
    """
    words = tuple(w for w in fold(name).split() if w not in TITLES)
    if not any(p.tokens == words for p in vocab.roster_staff):
        return None
    return tuple(
        p.id
        for p in vocab.case_staff
        if p.tokens == words and (theatre or vocab.on_duty(p.id, first, last))
    )


def family_cues(resolver: Resolver, text: str | None, shifts: bool) -> tuple[bool, bool]:
    """Whether the text places an absence on the ward (a shift, "ward", "rota") and whether
    in the case schedule (a theatre, room, role, "surgeon", "cases")."""
    ward = shifts or bool(text and _WARD_WORDS.search(text))
    cases = bool(
        text
        and (_CASE_WORDS.search(text) or resolver.find_rooms(text) or resolver.find_roles(text))
    )
    return ward, cases


def settle_families(
    resolver: Resolver, ids: tuple[str, ...], text: str | None, shifts: bool
) -> tuple[str, ...]:
    """Candidates for an absence from both problems, narrowed by what the text says.

    A shift (``shifts``) or "ward"/"rota" keeps the ward's people; a theatre, room,
    role, "surgeon" or "cases" the case schedule's; neither or both keeps them all
    (the caller asks which one).
    """
    vocab = resolver.vocab
    if len({vocab.family_of(i) for i in ids}) < 2:
        return ids
    ward, cases = family_cues(resolver, text, shifts)
    if ward == cases:
        return ids
    family = "roster" if ward else "cases"
    return tuple(i for i in ids if vocab.family_of(i) == family)


SKILL_SYNONYMS = {
    "rn": ("nurse", "registered nurse", "staff nurse", "qualified nurse", "trained nurse"),
    "hca": (
        "healthcare assistant",
        "health care assistant",
        "care assistant",
        "nursing assistant",
        "support worker",
        "healthcare support worker",
        "hcsw",
        "csw",
    ),
    "charge": ("charge nurse", "nurse in charge", "nic", "shift leader", "coordinator"),
    "iv": ("iv trained", "iv nurse", "iv trained nurse", "iv competent", "iv certified"),
}
"""Common words for skill ids (used only when the loaded problem has that skill id)."""


def _plural_index(ids: list[str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in ids:
        for synonym in SKILL_SYNONYMS.get(fold(item), ()):
            index[synonym] = item
            index[synonym + "s"] = item
            index[synonym.replace("nurse", "nurses")] = item
    for item in ids:
        key = fold(item)
        if not key:
            continue
        index[key] = item
        index[key + "s"] = item
        index[key.replace(" ", "")] = item
        if key.endswith("y"):
            index[key[:-1] + "ies"] = item
        for a, b in (("anaesthet", "anesthet"), ("anesthet", "anaesthet")):
            if a in key:
                index[key.replace(a, b)] = item
                index[key.replace(a, b) + "s"] = item
    return index


def _find_words(text: str, index: dict[str, str]) -> list[Span]:
    spans: list[Span] = []
    if not index:
        return spans
    longest = max(len(k.split()) for k in index)
    tokens = list(re.finditer(r"[A-Za-z0-9]+", text))
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            start, end = tokens[i].start(), tokens[i + n - 1].end()
            key = fold(text[start:end])
            if key in index:
                spans.append(Span(start, end, index[key]))
                i += n
                break
        else:
            i += 1
    return spans


def cover_count_error(
    vocab: Vocabulary, skill: str | None, delta: int | None, set_: int | None
) -> str | None:
    """Why a cover change asks for more staff than the ward has (None when it does not)."""
    size = vocab.ward_size(skill)
    ward = f"the {size} staff{f' with {skill}' if skill else ''} on the ward"
    if set_ is not None and set_ > size:
        return f"a cover of {set_} is more than {ward}"
    if delta is not None and abs(delta) > size:
        more = "extra" if delta > 0 else "fewer"
        return f"{abs(delta)} {more} {skill or 'staff'} is more than {ward}"
    return None


class Unresolved(Exception):
    """A request field that does not resolve to exactly one id (message: the reason;
    ``ambiguous``: a name that fits several people, the message asking which one)."""

    def __init__(self, reason: str, ambiguous: bool = False) -> None:
        super().__init__(reason)
        self.ambiguous = ambiguous


def resolve_request(
    request: Request, resolver: Resolver, aliases: dict[str, tuple[str, ...]] | None = None
) -> Request:
    """Map the names and words of an LLM-produced request to ids (raises ``Unresolved``).

    ``aliases`` maps pseudonyms (see ``llm_intake.privacy``) back to person ids.
    """
    vocab = resolver.vocab
    aliases = aliases or {}

    def person(
        name: str, family: str | None, absence: tuple[dt.date, dt.date, bool] | None = None
    ) -> str:
        ids = _staff_candidates(name, family, resolver, aliases, absence)
        if (
            not ids
            and family is not None
            and (others := _staff_candidates(name, None, resolver, aliases))
        ):
            where = "on the ward" if family == "roster" else "in the case schedule"
            raise Unresolved(f"'{name}' is {resolver.describe(others)}, who is not {where}")
        if not ids:
            raise Unresolved(f"no staff member called '{name}'")
        if len(ids) > 1:
            raise Unresolved(resolver.which_one(name, ids), ambiguous=True)
        return ids[0]

    def shift(word: str) -> str:
        found = word if word in {s.id for s in vocab.shifts} else resolver.shift(word)
        if found is None:
            raise Unresolved(f"unknown shift '{word}'")
        return found

    def in_plan(first: dt.date, last: dt.date, start: dt.date | None, days: int) -> None:
        if start is None:
            return
        end = start + dt.timedelta(days=days - 1)
        if last < start or first > end:
            raise Unresolved(f"{first}–{last} is outside the plan ({start} to {end})")

    update: dict[str, object] = {}
    if isinstance(request, CancelCase):
        case = vocab.case(canonical_id(request.case))  # O’B-1 is the case O'B-1
        if case is None:
            raise Unresolved(f"no case '{request.case}' in the loaded case schedule")
        return request.model_copy(update={"case": case.id})
    if isinstance(request, AddCase):
        if request.surgeon is not None:
            update["surgeon"] = person(request.surgeon, "cases")
        if request.room is not None:
            room = request.room if request.room in {r.id for r in vocab.rooms} else None
            room = room or resolver.room(request.room)
            if room is None:
                raise Unresolved(f"unknown room '{request.room}'")
            update["room"] = room
        roles: dict[str, int] = {}
        for word, count in request.roles.items():
            role = word if word in vocab.roles else resolver.role(word)
            if role is None:
                raise Unresolved(f"unknown role '{word}'")
            roles[role] = count
        update["roles"] = roles
        if request.date is not None:
            in_plan(request.date, request.date, vocab.case_start, vocab.case_days)
        return request.model_copy(update=update)
    if isinstance(request, CoverChange):
        update["shift"] = shift(request.shift)
        skill: str | None = None
        if request.skill is not None:
            skill = (
                request.skill if request.skill in vocab.skills else resolver.skill(request.skill)
            )
            if skill is None:
                raise Unresolved(f"unknown skill '{request.skill}'")
            update["skill"] = skill
        if problem := cover_count_error(vocab, skill, request.delta, request.set_):
            raise Unresolved(problem)
        in_plan(request.date, request.date, vocab.roster_start, vocab.roster_days)
        return request.model_copy(update=update)
    if isinstance(request, Unavailable):
        absence = (request.from_, request.to, request.shifts is not None)
        update["staff"] = staff_id = person(request.staff, None, absence)
        if vocab.family_of(staff_id) == "cases":
            if request.shifts is not None:
                raise Unresolved(
                    "for case-scheduling staff I can record an absence on whole days or "
                    "from/until a time, not on shifts"
                )
            in_plan(request.from_, request.to, vocab.case_start, vocab.case_days)
        else:
            if request.from_time is not None or request.to_time is not None:
                raise Unresolved("a ward absence is on whole days or shifts; which shift?")
            if request.shifts is not None:
                update["shifts"] = list(dict.fromkeys(shift(s) for s in request.shifts))
            in_plan(request.from_, request.to, vocab.roster_start, vocab.roster_days)
        return request.model_copy(update=update)
    update["staff"] = person(request.staff, "roster")
    if request.shift is not None:
        update["shift"] = shift(request.shift)
    in_plan(request.date, request.date, vocab.roster_start, vocab.roster_days)
    return request.model_copy(update=update)


def _staff_candidates(
    name: str,
    family: str | None,
    resolver: Resolver,
    aliases: dict[str, tuple[str, ...]],
    absence: tuple[dt.date, dt.date, bool] | None = None,
) -> tuple[str, ...]:
    """People ``name`` (or a pseudonym) may denote within ``family`` (None: anyone).

    With ``family`` None (an absence ``(from, to, with shifts)``, which may be from the
    ward or the case schedule) a name that fits people in both problems is ambiguous
    ("Mr Okafor": nurse Grace Okafor or surgeon Daniel Okafor) unless shifts are named
    (the ward); a ward member's full name stays theirs only when no case staff member of
    that name is on duty on those days (``same_name_case_staff``).
    """
    vocab = resolver.vocab
    shifts = absence is not None and absence[2]
    ids = aliases.get(name.strip())
    if ids:
        found = tuple(i for i in ids if family is None or vocab.family_of(i) == family)
        return settle_families(resolver, found, None, shifts) if family is None else found
    if family is not None:
        return resolver.staff(name, family)
    ward = resolver.staff(name, "roster")
    same = same_name_case_staff(vocab, name, absence[0], absence[1]) if absence else None
    if same is not None and ward:
        found = tuple(dict.fromkeys((*ward, *same)))
    else:
        found = tuple(dict.fromkeys((*ward, *resolver.staff(name, "cases"))))
    return settle_families(resolver, found, None, shifts)
