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
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any, TypeVar

from llm_intake.dates import DateHit, find_dates, number
from llm_intake.proposal import fmt_range
from llm_intake.requests import (
    AbsenceReason,
    AddCase,
    CoverChange,
    Extraction,
    PinShift,
    Request,
    ShiftWish,
    Unavailable,
    Unparsed,
)
from llm_intake.resolver import (
    Mention,
    Resolver,
    Span,
    cover_count_error,
    family_cues,
    same_name_case_staff,
    settle_families,
)
from llm_intake.vocabulary import TITLES, fold

_I = re.IGNORECASE
_S = TypeVar("_S", Mention, DateHit, Span)

OUT_OF_SCOPE = "no scheduling request recognised"

_CANCEL = re.compile(
    r"\b(?:cancel(?:led|ed|s)?|no\s+longer|not\s+\w+\s+any\s*more|anymore|scratch\s+that|"
    r"disregard|ignore\s+(?:my|the|that)|after\s+all)\b",
    _I,
)
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
CASE_CANCEL_REASON = (
    "cancelling a case is not a change the intake's requests make: cancel it on the "
    "dashboard's Changes page (the Cancelled case tab, or this sentence in its text box), "
    "or with optimizer.replan.CancelCase"
)
_WD_WORD = r"(?:mon|tue|wed|thu|fri|sat|sun)\w*"
_UNSUPPORTED = (
    (
        re.compile(
            rf"\b(?:every|each)\s+(?:other\s+)?(?:{_WD_WORD}|week|weekend|day|night)\b|"
            r"\b(?:weekly|fortnightly|always|usually|regularly)\b",
            _I,
        ),
        "recurring requests are not supported; give the dates",
    ),
    (
        re.compile(r"\bif\b(?!\s+(?:at\s+all\s+)?poss)|\bunless\b|\bin\s+case\b", _I),
        "conditional requests are not supported; say what to change",
    ),
    (
        re.compile(
            r"\bexcept\b|\bapart\s+from\b|\bother\s+than\b|\bexcluding\b|\binstead\s+of\b|"
            r"\bbut\s+not\b",
            _I,
        ),
        "exceptions and replacements are not supported; list the dates that apply",
    ),
    (
        re.compile(r"\bback\s+(?:from|on|at|to|in)\b|\breturn(?:s|ing|ed)?\b", _I),
        "a return from leave is not a change I can make; give the dates of the absence",
    ),
    (
        re.compile(rf"\byesterday\b|\blast\s+(?:week|night|weekend|{_WD_WORD})\b", _I),
        "dates in the past cannot be changed",
    ),
)
_NEGATIVE_IDIOMS = re.compile(
    r"\b(?:can't|cant|cannot|can\s+not|couldn't|unable|won't\s+be\s+(?:in|able|coming)|"
    r"will\s+not\s+be\s+(?:in|able)|(?:won't|will\s+not|can't|cannot)\s+make|"
    r"(?:isn't|is\s+not|not)\s+(?:be\s+)?able|not\s+coming\s+in|"
    r"(?:isn't|is\s+not|not)\s+available|no\s+(?:more\s+)?(?:nights|earlies|lates|night\s+"
    r"shifts|early\s+shifts|late\s+shifts))\b",
    _I,
)
_SWAP = re.compile(r"\b(?:swap|swaps|swapping|switch|trade|exchange)\b", _I)
_CASE_VERB = re.compile(
    r"\b(?:add|book|schedule|list|slot\s+in|squeeze\s+in|fit\s+in|need\s+to\s+do|"
    r"new\s+case|add\s+on)\b",
    _I,
)
_MONTH_WORD = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
_AND_MINUTES = (
    r"(?:\s*(?:and\s+)?(?P<{0}>[0-5]?\d)(?:\s*(?:m|min|mins|minutes)\b|(?!\d|[/.:-]\d|\s*(?:st|"
    rf"nd|rd|th|am|pm|h|hrs?|hours?|{_MONTH_WORD})\b)))?"
)
"""Minutes after hours, the unit optional ("1 hour 30", "1hr 30 min"), never a date's day."""
_DURATION = re.compile(
    r"\b(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\b"
    + _AND_MINUTES.format("hm")
    + r"|(?P<h2>\d+)h(?P<m2>\d{1,2})\b|(?P<m>\d+)\s*-?\s*"
    r"(?:m|min|mins|minute|minutes)\b|(?P<half>half\s+an\s+hour)|(?P<hhalf>an\s+hour\s+and\s+"
    r"a\s+half|one\s+and\s+a\s+half\s+hours)|(?P<one>an\s+hour|one\s+hour)"
    + _AND_MINUTES.format("onem")
    + ")",
    _I,
)
_WISH = re.compile(
    r"\b(?:would\s+(?:really\s+|much\s+|quite\s+)?(?:like|love|prefer|rather)|'d\s+(?:like|"
    r"love|prefer|rather)|wants?|"
    r"wanting|prefers?|preference|requests?|requested|requesting|asks?\s+for|asked\s+for|"
    r"asking\s+for|asks?\s+not|asked\s+not|asking\s+not|hoping|hopes?|if\s+possible|ideally|"
    r"keen\s+(?:on|to)|can\s+\S+(?:\s+\S+)?"
    r"\s+have|could\s+\S+(?:\s+\S+)?\s+have|needs?\s+\S+\s+"
    r"(?:off|free)|needs?\s+(?:the\s+)?(?:day|night|weekend)s?\s+off)\b",
    _I,
)
"""A wish ("would like", "if possible"): at most a soft request, never a pin."""
_WILLING = re.compile(
    r"\b(?:(?:happy|willing|glad|prepared|content|open)\s+to|"
    r"(?:has\s+|have\s+)?(?:offered|offering|offers?|volunteer(?:ed|ing|s)?))\b",
    _I,
)
"""A willingness ("happy to", "has offered to"): a soft request when it is the request
("Jo is happy to do nights"), ignored beside a planner's instruction ("put Jo on the
early, she's happy to")."""
_INSTRUCTION = re.compile(
    r"\b(?:put|assign|rota|roster|pin|book|schedule|move|give|fix|lock|confirm)\b", _I
)
"""A planner's instruction before the person it places ("put", "roster", "book")."""
_WISH_NOT = re.compile(
    r"\b(?:off|free|not|no|rather\s+not|avoid|without|n't|never)\b|n't\b|\bout\s+of\b", _I
)
_LEAVE_WISH = re.compile(
    r"\b(?:like|love|wants?|wanted|requests?|requested|asks?\s+for|asked\s+for|prefers?|"
    r"hop(?:es|ing)\s+for)\s+(?:to\s+(?:have|take)\s+)?(?:some\s+|a\s+|an\s+|the\s+)?"
    r"(?:(?:annual|study)\s+)?(?:leave|holidays?|hols|vacation|AL)\b",
    _I,
)
"""A wish whose object is leave ("would like annual leave on Friday"): a day off. Leave
mentioned elsewhere ("the early before her annual leave") does not turn a wish around."""
_SICKNESS = re.compile(r"\b(?:sick|sickness|unwell|ill|poorly)\b", _I)
_NEXT_PREDICATE = re.compile(
    r"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+)(?:(?:also|then)\s+)?(?=(?:is|are|was|'s|will|would|"
    r"wants?|wanted|prefers?|requests?|requested|asks?|asked|has|have|had|needs?|can|can't|"
    r"cannot|cant|could|couldn't|won't|isn't|must|should|hopes?|is\s+hoping)\b)",
    _I,
)
_PERSON_INTENTS = ("shift_request", "unavailable", "pin", "move_off")
_COVERED_BEFORE = re.compile(
    r"\b(?:cover(?:s|ed|ing)?|replac(?:e|es|ed|ing)|reliev(?:e|es|ed|ing)|(?:(?:stand|fill|step)"
    r"(?:s|ed|ing)?|stood|stepped|stepping)\s+in|(?:take[sn]?|taking|took)\s+over|in\s+place)"
    r"(?:\s+(?:for|from|of))?\s+(?:(?:dr|mr|mrs|ms|miss|mx|sister|nurse)\.?\s+)?$",
    _I,
)
"""Words before a person who is covered, not covering ("cover for Ana", "relieve Ana")."""
_POSSESSIVE = re.compile(
    r"(?:['’]s|(?<=s)['’])\s+(?:(?:usual|normal|regular|planned|rostered|booked|own)\s+)*"
    r"(?P<noun>(?:shifts?|slot|place|duty|duties|work)\b)?",
    _I,
)
"""A possessive after a name ("Ana Silva's early", "Ana's shift"): the shift is hers, the
person working it is someone else."""
_JOINERS = frozenset({"and", "plus", "also", "both", "as", "well"})
_MOVED_OFF = re.compile(
    r"\b(?:move[sd]?|moving|take[sn]?|taking|took|pull(?:s|ed|ing)?|get(?:s|ting)?|got|"
    r"keep(?:s|ing)?|kept|come|comes|came|coming)\b.*\b(?:off|out\s+of|from)\s+"
    r"(?:(?:the|her|his|their|all|any|this|that|these|those)\s+)*$",
    _I,
)
"""Text before a shift that someone is taken off ("move Ana Silva off nights")."""
_REASONS: tuple[tuple[AbsenceReason, re.Pattern[str]], ...] = (
    ("sickness", _SICKNESS),
    ("study leave", re.compile(r"\bstudy\s+(?:leave|day)s?\b", _I)),
    (
        "annual leave",
        re.compile(r"\b(?:annual\s+leave|(?-i:AL)|holidays?|hols|vacation)\b", _I),
    ),
    ("training", re.compile(r"\b(?:training|course|mandatory\s+update)\b", _I)),
    (
        "leave",
        re.compile(
            r"(?<!annual )(?<!study )(?<!sick )\bleave\b|\bbereavement\b|\bjury\s+duty\b", _I
        ),
    ),
)
"""Why someone is away, from the words of the clause (none when two kinds fit)."""
_UNAVAILABLE = re.compile(
    r"\b(?:off\s+sick|sick|sickness|unwell|ill|poorly|(?:annual|study|maternity|paternity|"
    r"compassionate|parental|special)\s+leave|on\s+leave|leave|holidays?|hols|vacation|"
    r"\bAL\b|unavailable|not\s+available|isn't\s+available|is\s+not\s+available|"
    r"can't|cant|cannot|can\s+not|unable|won't\s+be\s+in|will\s+not\s+be\s+in|away|"
    r"off\s+work|(?:is|are|was|be|being|'s|am|will\s+be)\s+off|off(?=\s*(?:$|[,.;!?]|on\b|from\b|"
    r"until\b|till\b|til\b|for\b|today|tomorrow|tmrw|tonight|next\b|this\b|all\b|the\s+\d|\d|"
    r"mon|tue|wed|thu|fri|sat|sun|christmas|xmas|boxing|new\s+year|jan|feb|mar|apr|may|jun|jul|"
    r"aug|sep|oct|nov|dec))|out\s+(?:on|from|until|"
    r"today|tomorrow|next|this)|course|training|jury\s+duty|bereavement|no\s+(?:more\s+)?(?:"
    r"nights|earlies|lates|night\s+shifts|early\s+shifts|late\s+shifts))\b",
    _I,
)
_PIN = re.compile(
    r"\b(?:put|puts|assign|assigned|rota|rotas|roster|rostered|pin|pinned|book|booked|"
    r"must\s+(?:work|do|be\s+on)|has\s+to\s+(?:work|do|be\s+on)|needs\s+to\s+(?:work|do|be\s+on)|"
    r"have\s+to\s+(?:work|do|be\s+on)|will\s+(?:work|do|cover|be\s+on)|is\s+(?:working|doing|"
    r"covering|on)|to\s+(?:work|do|cover)|move|moved|make|schedule|scheduled|fix|fixed|lock|"
    r"give|confirm)\b",
    _I,
)
_COUNT = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)"
_COVER_MORE = re.compile(
    rf"\b(?:another|an?\s+(?:extra|additional)|extra|additional)\s+(?P<n4>{_COUNT})\b|"
    r"\b(?P<n>\d+|an?|one|two|three|four|five|another)\s+(?:more|extra|additional)\b|"
    r"\b(?:another)\b|\b(?:extra|additional)\s+(?P<n2>\d+|one|two|three)?|"
    r"\b(?:increase|raise|bump|boost)\b.*?\bby\s+(?P<n3>\d+|one|two|three)\b",
    _I,
)
_NEGATION = re.compile(r"\b(?:not|no|never|don't|dont|mustn't|shouldn't)\b|n't\b", _I)
_COVER_LESS = re.compile(
    r"\b(?P<n>\d+|an?|one|two|three)\s+(?:fewer|less)\b|\b(?:reduce|cut|drop|decrease|lower)"
    r"\b.*?\bby\s+(?P<n2>\d+|one|two|three)\b|\b(?:remove|take\s+off|lose|send\s+home|"
    r"stand\s+down)\s+(?P<n3>\d+|an?|one|two|three)\b",
    _I,
)
_COVER_SET = re.compile(
    r"\b(?:to|at)\s+(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b|"
    r"\b(?:need|needs|want|require|requires|only\s+need|only\s+needs)\s+(?:only\s+)?"
    r"(?P<n2>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b(?!\s+(?:more|extra|"
    r"additional|fewer|less))",
    _I,
)
_COVER_WORD = re.compile(
    r"\b(?:cover|covered|staffing|staffed|numbers|need|needs|needed|want|require|requires|"
    r"short|extra|more|fewer|less|reduce|add|another|additional|increase|decrease|set|"
    r"lower|raise|bump|cut)\b",
    _I,
)
_PRIORITY = (
    ("emergency", re.compile(r"\b(?:emergency|emergent|emerg|stat|immediately)\b", _I)),
    ("urgent", re.compile(r"\b(?:urgent|urgently|asap|expedite|priority|soon)\b", _I)),
)
_NOT_URGENT = re.compile(
    r"\b(?:non[\s-]?(?:urgent|emergency)|not\s+(?:very\s+|that\s+|too\s+|an?\s+)?(?:urgent|"
    r"emergency|priority)|(?:low|normal|standard|routine)[\s-]+priority|no\s+(?:rush|hurry)|"
    r"routine)\b",
    _I,
)
"""Words that make a case elective, though "urgent" or "priority" is in them."""
_PRIORITY_WORDS = re.compile(r"\b(?:(?:high|top|medium|moderate)[\s-]+)?priority\b", _I)
_PART = (
    ("morning", re.compile(r"\b(?:morning|am|a\.m\.|first\s+thing)\b", _I)),
    ("afternoon", re.compile(r"\b(?:afternoon|pm|p\.m\.)\b", _I)),
)
_HEDGE = re.compile(
    r"\b(?:maybe|perhaps|possibly|probably|might|may\s+(?:be|need|not|have|want|well)|"
    r"(?:un)?likely|not\s+(?:yet\s+)?(?:sure|certain|confirmed|definite)|unsure|tbc|tbd|"
    r"to\s+be\s+confirmed|provisional(?:ly)?|tentative(?:ly)?|pencil(?:led)?\s+in|could\s+be)\b",
    _I,
)
"""Words that make a request tentative ("and maybe the 15th"): asked about, never applied."""
_HEDGE_TAIL = frozenset({"or", "too", "even", "also", "as", "well", "and"})
"""Words a hedged tail of dates may hold besides fillers ("(possibly 15th too)")."""
_PART_OF_DAY = re.compile(
    r"\b(?:afternoons?|half[\s-]?days?|first\s+thing|(?:morning|evening)\s+(?:list|session)s?)\b|"
    r"\b(?:until|till|til|from|after|before|by)\s+(?:\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|"
    r"p\.m\.)|\d{1,2}:\d{2}|lunch(?:time)?|midday|noon)",
    _I,
)
"""Part of a day that is no shift ("the afternoon list", "until 2pm"); not the time of a
call ("rang at 7 am")."""
_CASE_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|"
    r"lunch(?:time)?|evening|night|o['’]?clock)\b",
    _I,
)
"""A time of a new case other than "morning" or "afternoon" (a clock time, "evening")."""
_ROOM_LIKE = re.compile(
    r"\b(?:OR|Or|or(?=\d)|[Tt]heat(?:re|er)s?|[Rr]oom|[Oo]perating\s+(?:[Rr]oom|"
    r"[Tt]heat(?:re|er)))\s*(?:#|[Nn]o\.?)?\s*\d+\b|"
    r"\b(?:in|into)\s+(?:the\s+)?(?:(?!(?:the|a|an|any|our|one|each)\s)[a-z]+\s+){1,2}"
    r"(?:lab|laboratory|suite|room|theatre|theater|"
    r"unit|bay|department|clinic)s?\b",
    _I,
)
"""A room written in a new case: a numbered theatre or a named place ("in the cath lab")."""
_ROLE_WORD = (
    r"(?:[a-z-]+\s+)?[a-z-]*(?:ists?|ians?|nurses?|techs?|technicians?|assistants?|practitioners?|"
    r"odps?|registrars?|consultants?|porters?|doctors?|radiographers?|staff)\b"
)
_ROLE_COUNT = re.compile(
    rf"\b(?:\d+|an?|one|two|three|four|five|six|a\s+couple\s+of)\s+(?:more\s+|extra\s+)?"
    rf"(?P<role>{_ROLE_WORD})|\b(?P<role2>{_ROLE_WORD})\s*(?:x|×)\s*\d+\b",
    _I,
)
"""A team member counted in a new case ("needs 2 perfusionists"): a known role or refused."""
_PROC = re.compile(
    r"\b(?:add|book|schedule|list|slot\s+in|squeeze\s+in|fit\s+in|do|add\s+on)\s+"
    r"(?:(?:an?|the|another|one|new)\s+)?(?:(?:urgent|emergency|elective)\s+)?"
    r"(?:case\s+(?:for\s+)?(?:an?\s+)?|(?:an?\s+)?)"
    r"(?P<proc>[a-z][a-z' /-]*?)"
    r"(?=\s*(?:,|;|\.|\(|\bfor\b|\bwith\b|\bin\b|\bon\b|\bat\b|\bunder\b|\bby\b|\bneeds?\b|"
    r"\brequir|\blasting\b|\btaking\b|\btakes\b|\bcase\b|\bthis\b|\bnext\b|\btomorrow\b|"
    r"\btoday\b|\btonight\b|\bnow\b|\basap\b|\burgent|\bemergency\b|\belective\b|"
    r"\bplease\b|\bsurgeon\b|\bmr\b|\bms\b|\bdr\b|\d|$))",
    _I,
)

_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?\s+(?P<name>[A-Z][\w'’-]+)")

_ABBREVIATIONS = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "sr",
    "st",
    "no",
    "approx",
    "e.g",
    "i.e",
    "vs",
    "etc",
}
_MONTH_ABBREVIATIONS = {"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct"}
_MONTH_ABBREVIATIONS |= {"nov", "dec"}
_ABBREVIATIONS |= _MONTH_ABBREVIATIONS


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: split at ``. ! ? ;`` and newlines, not after titles or initials."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(r"[.!?;]+(?=\s|$)|\n+", text):
        word = re.search(r"([A-Za-z.]+)$", text[start : m.start()])
        if m.group(0) == "." and word:
            w = word.group(1).lower().rstrip(".")
            digit_next = bool(re.match(r"\s*\d", text[m.end() :]))
            if w in _MONTH_ABBREVIATIONS and not digit_next:
                pass  # "… 14-20 Dec. Sam wants …" ends a sentence; "Dec. 3" does not
            elif w in _ABBREVIATIONS or len(w) == 1:
                continue
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


@dataclass
class Clause:
    """A piece of one sentence with what was found in it."""

    text: str
    people: list[Mention] = field(default_factory=list)
    dates: list[DateHit] = field(default_factory=list)
    shifts: list[Span] = field(default_factory=list)
    intent: str | None = None
    inherited: str = ""
    family: str = "roster"


class RuleParser:
    """Free text → ``Extraction`` of resolved requests, for one set of loaded problems."""

    def __init__(self, resolver: Resolver, today: dt.date) -> None:
        self.resolver = resolver
        self.vocab = resolver.vocab
        self.today = today
        self._notes: list[Unparsed] = []  # days left out of a clause, reported after it

    # -- entry point -------------------------------------------------------------------

    def parse(self, text: str) -> Extraction:
        requests: list[Request] = []
        unparsed: list[Unparsed] = []
        self._notes = []
        for start, end in split_sentences(text):
            sentence = text[start:end].strip(" ,")
            if not sentence:
                continue
            case_cancel = self._is_case_cancel(sentence)
            if (
                case_cancel
                or _CANCEL.search(sentence)
                or (_SWAP.search(sentence) and self.resolver.find_people(sentence, "roster"))
            ):
                reason = (
                    CASE_CANCEL_REASON
                    if case_cancel
                    else "cancelling or withdrawing an earlier request is not supported"
                    if _CANCEL.search(sentence)
                    else "shift swaps are not supported; state each person's change"
                )
                unparsed.append(Unparsed(text=sentence, reason=reason))
                continue
            unsupported = next((r for pat, r in _UNSUPPORTED if pat.search(sentence)), None)
            if unsupported is not None:
                unparsed.append(Unparsed(text=sentence, reason=unsupported))
                continue
            for clause in self._clauses(sentence):
                try:
                    requests.extend(self._clause_requests(clause))
                except _NotUnderstood as exc:
                    unparsed.append(Unparsed(text=clause.text.strip(" ,"), reason=str(exc)))
                unparsed.extend(self._notes)
                self._notes = []
        return Extraction(requests=_dedupe(requests), unparsed=unparsed)

    # -- clause splitting --------------------------------------------------------------

    def _clauses(self, sentence: str) -> list[Clause]:
        if self._is_case(sentence):
            return [self._clause(sentence, "add_case")]
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
        clauses = [self._clause(p) for p in pieces]
        # a fragment with only names shares the next fragment's predicate ("A and B are off")
        merged: list[Clause] = []
        pending: list[Mention] = []
        pending_text = ""
        for clause in clauses:
            if clause.intent is None and not clause.dates and not clause.shifts and clause.people:
                pending.extend(_shifted(clause.people, len(pending_text)))
                pending_text += clause.text
                continue
            if pending:
                offset = len(pending_text)
                clause.people = pending + _shifted(clause.people, offset)
                clause.dates = _shifted(clause.dates, offset)
                clause.shifts = _shifted(clause.shifts, offset)
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
                and _only_fillers(clause)
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
        subjects = [p for p in clause.people if not _covered(clause, p)]
        if not subjects:
            return [clause]
        subject = " and ".join(p.text for p in subjects)
        for m in _NEXT_PREDICATE.finditer(clause.text, max(p.end for p in clause.people)):
            left = self._clause(clause.text[: m.start()])
            right = self._clause(f"{subject} {clause.text[m.end() :]}")
            if left.intent in _PERSON_INTENTS and (
                right.intent in _PERSON_INTENTS or (left.dates and right.dates)
            ):
                return [left, *self._split_predicates(right)]
        return [clause]

    def _clause(self, text: str, intent: str | None = None) -> Clause:
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
                s.start < d.end and d.start < s.end and not _is_night_word(text[s.start : s.end])
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

    def _is_case_cancel(self, sentence: str) -> bool:
        """Whether the sentence calls off a case (not a roster request) of a loaded case
        problem: a case word, an id-like token or a procedure word beside "cancelled"."""
        if not (self.vocab.rooms or self.vocab.case_staff):
            return False
        return is_case_cancellation(sentence, self.vocab.procedures)

    def _is_case(self, sentence: str) -> bool:
        if not self.vocab.rooms and not self.vocab.case_staff:
            return False
        has_verb = bool(_CASE_VERB.search(sentence))
        has_duration = bool(_DURATION.search(sentence))
        has_room = bool(self.resolver.find_rooms(sentence))
        roster_words = self.resolver.find_shifts(sentence) or self.resolver.find_skills(sentence)
        if has_duration and (has_verb or has_room):
            return True
        return has_verb and has_room and not roster_words

    def _intent(self, clause: Clause) -> str | None:
        text = clause.text
        if _CANCEL.search(text):
            return "cancel"
        if _SWAP.search(text) and clause.people:
            return "swap"
        if clause.people:
            if _WISH.search(text) or (_WILLING.search(text) and not _instructed(clause)):
                return "shift_request"
            if _UNAVAILABLE.search(text):
                return "unavailable"
            if _moved_off(clause):
                return "move_off"
            if _PIN.search(text) and clause.shifts:
                return "pin"
            verbless = re.search(r"\b(?:on|for)\b", text, _I) and _only_fillers(clause)
            if clause.shifts and clause.dates and verbless:
                return "pin"
            return None
        if _COVER_WORD.search(text) and clause.shifts and clause.dates:
            return "cover_change"
        if any(r.search(text) for r in (_WISH, _WILLING, _UNAVAILABLE, _PIN)):
            return "unknown_person"
        return None

    # -- per clause --------------------------------------------------------------------

    def _clause_requests(self, clause: Clause) -> list[Request]:
        text = clause.text.strip(" ,")
        intent = clause.intent
        if intent == "cancel":
            raise _NotUnderstood("cancelling or withdrawing an earlier request is not supported")
        if intent == "swap":
            raise _NotUnderstood("shift swaps are not supported; state each person's change")
        if intent == "unknown_person":
            if not (clause.dates or clause.shifts):
                raise _NotUnderstood(OUT_OF_SCOPE)
            raise _NotUnderstood("no staff member of the loaded problems is named here")
        if intent == "add_case":
            return [self._add_case(self._firm_part(clause))]
        if intent is None:
            if clause.people or clause.dates or clause.shifts:
                raise _NotUnderstood("found names or dates but no change I know how to make")
            raise _NotUnderstood(OUT_OF_SCOPE)
        clause = self._firm_part(clause)
        text = clause.text.strip(" ,")
        for hit in clause.dates:
            if hit.error:
                raise _NotUnderstood(hit.error)
        if not clause.dates:
            raise _NotUnderstood("which date or dates?")
        if clause.family == "cases":
            self._check_horizon(clause.dates, self.vocab.case_start, self.vocab.case_days)
        else:
            self._check_horizon(clause.dates, self.vocab.roster_start, self.vocab.roster_days)
        if intent in ("unavailable", "cover_change", "move_off"):
            plain = _NEGATIVE_IDIOMS.sub(" ", _without_names(text, clause.people))
            if _NEGATION.search(plain):
                raise _NotUnderstood("a negated statement; say what should change instead")
        if intent == "cover_change":
            return self._cover(clause)
        staff = self._staff(clause, self._subjects(clause))
        if clause.family == "roster" and any(self.vocab.family_of(s) == "cases" for s in staff):
            # a name on both lists, placed in the case schedule by a theatre word
            self._check_horizon(clause.dates, self.vocab.case_start, self.vocab.case_days)
        shifts = list(dict.fromkeys(s.id for s in clause.shifts))
        whole_days = "for case-scheduling staff I can only record an absence on whole days"
        if clause.family == "cases" and (intent != "unavailable" or shifts):
            raise _NotUnderstood(whole_days)
        if part := self._part_of_day(clause):
            if clause.family == "cases":
                raise _NotUnderstood(f"{whole_days} ('{part}')")
            raise _NotUnderstood(f"'{part}' is not a shift of the ward; which shift?")
        if intent == "move_off":
            shifts = _moved_off(clause)
            if len(shifts) != len(clause.shifts):
                raise _NotUnderstood(
                    "a move from one shift to another: say which shift they should work"
                )
        if intent in ("unavailable", "move_off"):
            ranges = _merge_ranges(clause.dates)
            reason = _absence_reason(text) if intent == "unavailable" else None
            return [
                Unavailable(staff=s, from_=a, to=b, shifts=shifts or None, reason=reason)
                for s in staff
                for a, b in ranges
            ]
        days = self._plan_days(clause)
        if intent == "shift_request":
            if _SICKNESS.search(text):
                raise _NotUnderstood(
                    "a wish and a sickness in one request; say each as its own sentence"
                )
            plain = _without_names(text, clause.people)
            turn = re.search(r"(?:,|\band)\s+not\b", plain, _I)
            if turn and not _WISH_NOT.search(plain[: turn.start()]):
                raise _NotUnderstood(
                    "a wish for and a wish against in one request; say each as its own sentence"
                )
            own = _WISH_NOT.search(plain) or _LEAVE_WISH.search(plain)
            want = not (own or (clause.inherited and _WISH_NOT.search(clause.inherited)))
            if len(shifts) > 1:
                raise _NotUnderstood("more than one shift named in one request; which one?")
            shift = shifts[0] if shifts else None
            return [ShiftWish(staff=s, date=d, shift=shift, want=want) for s in staff for d in days]
        if _NEGATION.search(_without_names(text, clause.people)):
            raise _NotUnderstood(
                "a negated assignment: say who should work it, or make it a request"
            )
        if len(shifts) != 1:
            raise _NotUnderstood("which shift?" if not shifts else "more than one shift named")
        return [PinShift(staff=s, date=d, shift=shifts[0]) for s in staff for d in days]

    def _firm_part(self, clause: Clause) -> Clause:
        """The clause without a hedged tail of dates ("off on the 14th, and maybe the 15th":
        the 15th is reported, not applied); a hedge on anything else refuses the clause."""
        hedge = _HEDGE.search(clause.text)
        if hedge is None:
            return clause
        reason = f"'{hedge.group(0)}' is not a firm change; confirm it and say it again"
        firm = [d for d in clause.dates if d.end <= hedge.start()]
        later = [d for d in clause.dates if d.start >= hedge.start()]
        tail = _blank(clause.text, [(d.start, d.end) for d in later])[hedge.end() :]
        words = set(re.findall(r"[a-z']+", tail.lower()))
        if not (firm and later and words <= _FILLERS | _HEDGE_TAIL):
            raise _NotUnderstood(reason)
        self._notes.append(Unparsed(text=clause.text[hedge.start() :].strip(" ,()"), reason=reason))
        head = clause.text[: hedge.start()]
        return replace(clause, text=head, dates=firm)

    def _part_of_day(self, clause: Clause) -> str | None:
        """Part of a day named beside a person's change that no shift word covers."""
        spans = [(s.start, s.end) for s in clause.shifts]
        spans += [(d.start, d.end) for d in clause.dates]
        m = _PART_OF_DAY.search(_blank(clause.text, spans))
        return m.group(0) if m else None

    def _subjects(self, clause: Clause) -> list[Mention]:
        """The people the clause is about, joined by "and" or commas.

        Someone whose shift is taken or who is covered ("Put Jo on Ana's early", "Jo will
        cover for Ana") is not: only the person working the shift is pinned (or wishes for
        it). Other people in one clause, not simply listed, are not guessed at.
        """
        covered = [p for p in clause.people if _covered(clause, p)]
        subjects = [p for p in clause.people if p not in covered]
        if covered and clause.intent not in ("pin", "shift_request"):
            raise _NotUnderstood(
                "someone covering for someone else; say who is away and who works which shift, "
                "each in its own sentence"
            )
        if covered and not subjects:
            raise _NotUnderstood("who works the shift? name the person covering it")
        for a, b in pairwise(subjects):
            between = re.sub(r"[\s,&/+]+", " ", clause.text[a.end : b.start]).lower().split()
            if not set(between) <= _JOINERS:
                raise _NotUnderstood(
                    "more than one person named in one request; say each person's change in "
                    "its own sentence"
                )
        return subjects

    def _staff(self, clause: Clause, people: list[Mention]) -> list[str]:
        if not people:
            raise _NotUnderstood("which staff member?")
        ids: list[str] = []
        for mention in people:
            if not mention.ids:
                raise _NotUnderstood(self._nobody(clause, mention))
            found = mention.ids
            if clause.intent == "unavailable" and clause.family == "roster":
                found = (*found, *self._case_staff_named(mention.text, clause))
                found = settle_families(self.resolver, found, clause.text, bool(clause.shifts))
            if len(found) > 1:
                raise _NotUnderstood(self.resolver.which_one(mention.text, found))
            ids.append(found[0])
        return list(dict.fromkeys(ids))

    def _nobody(self, clause: Clause, mention: Mention) -> str:
        """ "no staff member called 'Tom Baker'; did you mean …?" (the whole name written,
        and the people its known words fit in either problem, when there are a few)."""
        near = {
            i
            for m in self.resolver.find_people(clause.text)
            if m.start <= mention.start < m.end or mention.start <= m.start < mention.end
            for i in m.near
        }
        message = f"no staff member called '{mention.text}'"
        if 0 < len(near) <= 3:
            message += f"; did you mean {self.resolver.describe(tuple(sorted(near)))}?"
        return message

    def _case_staff_named(self, name: str, clause: Clause) -> tuple[str, ...]:
        """Case staff the whole of ``name`` also fits ("Daniel": a nurse or a surgeon?).

        For a ward member's full name, only case staff of that very name on duty on one
        of the days (see ``same_name_case_staff``), or, when only theatre words place the
        absence ("can't do her theatre cases"), that case staff member whatever their duty.
        """
        words = tuple(w for w in fold(name).split() if w not in TITLES)
        if any(p.tokens == words for p in self.vocab.roster_staff):
            ward, cases = family_cues(self.resolver, clause.text, bool(clause.shifts))
            theatre = cases and not ward
            spans = [(hit.first, hit.last) for hit in clause.dates if hit.first and hit.last]
            same = (same_name_case_staff(self.vocab, name, a, b, theatre) or () for a, b in spans)
            return tuple(dict.fromkeys(i for ids in same for i in ids))
        return tuple(
            i
            for m in self.resolver.find_people(name, "cases")
            if m.text == name.strip()
            for i in m.ids
        )

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
                    reason=f"{_fmt_days(outside)} {verb} outside the plan "
                    f"({fmt_range(*window)}), so left out",
                )
            )
        return inside

    def _check_horizon(self, hits: list[DateHit], start: dt.date | None, days: int) -> None:
        if start is None:
            return
        end = start + dt.timedelta(days=days - 1)
        for hit in hits:
            assert hit.first is not None and hit.last is not None
            if hit.last < start or hit.first > end:
                raise _NotUnderstood(
                    f"{_fmt_range(hit.first, hit.last)} is outside the plan "
                    f"({_fmt_range(start, end)})"
                )

    def _cover(self, clause: Clause) -> list[Request]:
        text = clause.text
        if not clause.shifts:
            raise _NotUnderstood("which shift?")
        text = _blank(text, [(d.start, d.end) for d in clause.dates])  # "to 3 Jan" is no count
        skills = self.resolver.find_skills(text)
        skill_ids = list(dict.fromkeys(s.id for s in skills))
        if len(skill_ids) > 1:
            return self._cover_per_skill(clause, text, skills)
        skill = skill_ids[0] if skill_ids else None
        text = _blank(text, [(s.start, s.end) for s in skills])  # "one RN less": "one less"
        delta: int | None = None
        setto: int | None = None
        if m := _COVER_LESS.search(text):
            n = number(m.group("n") or m.group("n2") or m.group("n3") or "1")
            delta = -(n or 1)
        elif m := _COVER_MORE.search(text):
            raw = m.group("n4") or m.group("n") or m.group("n2") or m.group("n3") or "1"
            delta = 1 if raw.lower() == "another" else number(raw)
        elif m := _COVER_SET.search(text):
            setto = number(m.group("n") or m.group("n2"))
        if delta is None and setto is None:
            raise _NotUnderstood("how many more or fewer staff?")
        if problem := cover_count_error(self.vocab, skill, delta, setto):
            raise _NotUnderstood(problem)
        days = self._plan_days(clause)
        shifts = list(dict.fromkeys(s.id for s in clause.shifts))
        return [
            CoverChange(date=d, shift=s, skill=skill, delta=delta, set_=setto)
            for d in days
            for s in shifts
        ]

    def _cover_per_skill(self, clause: Clause, text: str, skills: list[Span]) -> list[Request]:
        """ "1 more RN and 1 more HCA", "one RN less and another 2 HCAs": each skill with
        its own count around it (``text``: the clause with its dates blanked out)."""
        changes: list[tuple[str, int]] = []
        for span in skills:
            delta = _count_around(text, span)
            if delta is None:
                raise _NotUnderstood("more than one skill; give a count for each")
            if problem := cover_count_error(self.vocab, span.id, delta, None):
                raise _NotUnderstood(problem)
            changes.append((span.id, delta))
        days = self._plan_days(clause)
        shifts = list(dict.fromkeys(s.id for s in clause.shifts))
        return [
            CoverChange(date=d, shift=s, skill=skill, delta=delta)
            for d in days
            for s in shifts
            for skill, delta in changes
        ]

    def _add_case(self, clause: Clause) -> AddCase:
        text = clause.text
        lasting = _DURATION.search(text)
        if lasting is None:
            raise _NotUnderstood("how long is the case (e.g. '90 min')?")
        duration = _minutes(lasting)
        for hit in clause.dates:
            if hit.error:
                raise _NotUnderstood(hit.error)
        if len(clause.dates) > 1 or (clause.dates and not clause.dates[0].single):
            raise _NotUnderstood("a case takes one date; which one?")
        date = clause.dates[0].first if clause.dates else None
        if clause.dates:
            self._check_horizon(clause.dates, self.vocab.case_start, self.vocab.case_days)
        self._named_people_known(clause)
        surgeon = self._surgeon(clause)
        room_spans = self.resolver.find_rooms(text)
        self._case_words_known(clause, lasting, room_spans)
        rooms = list(dict.fromkeys(r.id for r in room_spans))
        if len(rooms) > 1:
            raise _NotUnderstood("more than one room named; which one?")
        roles = self._roles(text, surgeon)
        priority = _priority(text)
        part = next((p for p, pat in _PART if pat.search(text)), None)
        procedure = self._procedure(_blank(text, [lasting.span()]))
        return AddCase(
            procedure=procedure,
            duration_min=duration,
            surgeon=surgeon,
            room=rooms[0] if rooms else None,
            date=date,
            part_of_day=part,
            roles=roles,
            priority=priority,
        )

    def _case_words_known(self, clause: Clause, lasting: re.Match[str], rooms: list[Span]) -> None:
        """A detail of a new case that would be lost is refused, as the LLM path refuses it:
        a negated detail ("not in OR 6"), an unknown room ("OR 7", "the cath lab") or role
        ("2 perfusionists"), a time other than morning or afternoon ("at 2pm")."""
        text = clause.text
        spans = [lasting.span(), *((d.start, d.end) for d in clause.dates)]
        spans += [(r.start, r.end) for r in rooms] + [(p.start, p.end) for p in clause.people]
        plain = _blank(text, spans)
        plain = _blank(plain, [m.span() for m in _NOT_URGENT.finditer(plain)])
        if m := _NEGATION.search(plain):
            detail = re.split(r"[,;(]", text[m.start() :])[0].strip()
            raise _NotUnderstood(f"a negated detail ('{detail}'); say what the case needs instead")
        for m in _ROOM_LIKE.finditer(text):
            if not any(r.start < m.end() and m.start() < r.end for r in rooms):
                place = re.sub(r"^(?:in|into)\s+", "", m.group(0), flags=_I)
                known = ", ".join(r.id for r in self.vocab.rooms)
                raise _NotUnderstood(f"unknown room '{place}' (the rooms are {known})")
        roles = self.resolver.find_roles(text)
        for m in _ROLE_COUNT.finditer(text):
            start, end = m.span("role") if m.group("role") else m.span("role2")
            if not any(r.start < end and start < r.end for r in roles):
                known = ", ".join(self.vocab.roles)
                raise _NotUnderstood(f"unknown role '{text[start:end]}' (the roles are {known})")
        clock = _CASE_TIME.search(plain)
        when = (
            clock.group(0) if clock else "tonight" if any(d.tonight for d in clause.dates) else ""
        )
        if when:
            raise _NotUnderstood(
                f"a case time of '{when}' is not supported; say 'morning' or 'afternoon'"
            )

    def _named_people_known(self, clause: Clause) -> None:
        """A titled name ("Mr Patel") that is nobody in the case problem is not dropped."""
        for m in _TITLED.finditer(clause.text):
            inside = [p for p in clause.people if p.start <= m.start("name") < p.end]
            if not inside or not inside[0].ids:
                raise _NotUnderstood(f"no one called '{m.group(0)}' in the case problem")

    def _surgeon(self, clause: Clause) -> str | None:
        surgeons = {p.id for p in self.vocab.case_staff if any("surg" in r for r in p.roles)}
        found: list[str] = []
        for mention in clause.people:
            ids = tuple(i for i in mention.ids if not surgeons or i in surgeons)
            if not ids:
                continue
            if len(ids) > 1:
                raise _NotUnderstood(
                    f"'{mention.text}' could be {self.resolver.describe(ids)}; which one?"
                )
            found.append(ids[0])
        found = list(dict.fromkeys(found))
        if len(found) > 1:
            raise _NotUnderstood("more than one surgeon named; which one operates?")
        return found[0] if found else None

    def _roles(self, text: str, surgeon: str | None) -> dict[str, int]:
        roles: dict[str, int] = {}
        for span in self.resolver.find_roles(text):
            before = text[: span.start]
            m = re.search(
                r"\b(\d+|an?|one|two|three|four|a\s+couple\s+of)\s+(?:more\s+|extra\s+)?$",
                before,
                _I,
            )
            after = re.match(r"\s*(?:x|×)\s*(\d+)\b", text[span.end :], _I)
            if m:
                roles[span.id] = number(m.group(1)) or 1
            elif after:
                roles[span.id] = int(after.group(1))
        return roles

    def _procedure(self, text: str) -> str:
        """The procedure named in ``text`` (the case's duration already blanked out)."""
        folded = text.lower()
        for proc in sorted(self.vocab.procedures, key=len, reverse=True):
            if proc and re.search(rf"\b{re.escape(proc.lower())}\b", folded):
                return proc
        spans = [(m.start(), m.end()) for m in _NOT_URGENT.finditer(text)]
        text = _blank(text, spans)
        text = _blank(text, [(m.start(), m.end()) for m in _PRIORITY_WORDS.finditer(text)])
        m = _PROC.search(text)
        if m is None or not m.group("proc").strip():
            raise _NotUnderstood("which procedure?")
        proc = re.sub(r"\s+", " ", m.group("proc")).strip(" -/")
        generic = {"case", "patient", "procedure", "operation", "op", "surgery", "list", "slot"}
        named = [m for m in self.resolver.find_people(proc) if m.ids and not m.fuzzy]
        if proc.lower() in generic or named or _TITLED.search(proc):
            raise _NotUnderstood("which procedure?")
        return proc


class _NotUnderstood(Exception):
    """A clause that must be returned as unparsed, with the reason as message."""


_FILLERS = frozenset(
    """
    and also too as well on the a an for plus same then both shift shifts is are please pls
    of to
    """.split()  # noqa: SIM905
)


def _only_fillers(clause: Clause) -> bool:
    """Whether a clause holds nothing but names, dates, shift words and filler words."""
    spans = [(p.start, p.end) for p in clause.people]
    spans += [(d.start, d.end) for d in clause.dates] + [(s.start, s.end) for s in clause.shifts]
    text = clause.text
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return all(w in _FILLERS for w in re.findall(r"[a-z']+", text.lower()))


def _is_night_word(word: str) -> bool:
    return bool(re.match(r"(?:nights?|nites?|overnights?)$", word.strip(), _I))


def _covered(clause: Clause, mention: Mention) -> bool:
    """Whether ``mention`` is the person covered ("for Ana", "Ana's early"), not a subject."""
    if _COVERED_BEFORE.search(clause.text[: mention.start]):
        return True
    m = _POSSESSIVE.match(clause.text, mention.end)
    if m is None:
        return False
    return bool(m.group("noun")) or any(s.start == m.end() for s in clause.shifts)


def _instructed(clause: Clause) -> bool:
    """Whether the planner tells where someone works ("put Jo Park on", "book her for"):
    an instruction verb right before a named person (titles allowed) or a pronoun."""
    starts = {p.start for p in clause.people}
    for m in _INSTRUCTION.finditer(clause.text):
        gap = clause.text[m.end() :]
        if re.match(r"\s+(?:her|him|them)\b", gap, _I):
            return True
        for start in starts:
            between = clause.text[m.end() : start]
            if start >= m.end() and set(fold(between).split()) <= TITLES:
                return True
    return False


def _moved_off(clause: Clause) -> list[str]:
    """Shifts someone is taken off ("move Ana Silva off nights", "take her out of lates")."""
    return list(
        dict.fromkeys(s.id for s in clause.shifts if _MOVED_OFF.search(clause.text[: s.start]))
    )


def _absence_reason(text: str) -> AbsenceReason | None:
    """ "sickness", "annual leave", … when the words say one of them (else None)."""
    found = [reason for reason, pat in _REASONS if pat.search(text)]
    return found[0] if len(found) == 1 else None


def _count_around(text: str, span: Span) -> int | None:
    """The signed count written around one skill: "2 more RN", "another 2 RNs", "one RN
    less" (None when there is none)."""
    before, after = text[: span.start], text[span.end :]
    if m := re.search(
        rf"\b({_COUNT}|an?|another)\s+(more|extra|additional|fewer|less)\s+$", before, _I
    ):
        n = 1 if m.group(1).lower() == "another" else number(m.group(1)) or 1
        return -n if m.group(2).lower() in ("fewer", "less") else n
    if m := re.search(
        rf"\b(?:another|an?\s+(?:extra|additional))\s+(?:({_COUNT})\s+)?$", before, _I
    ):
        return number(m.group(1) or "1") or 1
    m = re.search(rf"\b({_COUNT}|an?)\s+$", before, _I)
    side = re.match(r"\s*(more|extra|additional|fewer|less)\b", after, _I)
    if m and side:
        n = number(m.group(1)) or 1
        return -n if side.group(1).lower() in ("fewer", "less") else n
    return None


def _priority(text: str) -> str:
    """ "elective", "urgent" or "emergency"; "non-urgent", "low priority" are elective."""
    calm = _NOT_URGENT.search(text)
    rest = _NOT_URGENT.sub(" ", text)
    if re.search(r"\b(?:medium|moderate)[\s-]+priority\b", rest, _I):
        raise _NotUnderstood("which priority: elective, urgent or emergency?")
    pressing = next((p for p, pat in _PRIORITY if pat.search(rest)), None)
    if calm and pressing:
        raise _NotUnderstood(f"both {pressing} and '{calm.group(0)}'; which priority?")
    return pressing or "elective"


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans replaced by spaces (the other positions kept)."""
    for start, end in spans:
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def _shifted(spans: list[_S], offset: int) -> list[_S]:
    """Spans moved ``offset`` characters on (a fragment joined after other text)."""
    return [replace(s, start=s.start + offset, end=s.end + offset) for s in spans]


def _without_names(text: str, people: list[Mention]) -> str:
    for mention in sorted(people, key=lambda m: -m.start):
        text = text[: mention.start] + " " + text[mention.end :]
    return text


def _minutes(m: re.Match[str]) -> int:
    if m.group("h"):
        return round(float(m.group("h")) * 60) + int(m.group("hm") or 0)
    if m.group("h2"):
        return int(m.group("h2")) * 60 + int(m.group("m2"))
    if m.group("m"):
        return int(m.group("m"))
    if m.group("half"):
        return 30
    if m.group("hhalf"):
        return 90
    return 60 + int(m.group("onem") or 0)


def _merge_ranges(hits: list[DateHit]) -> list[tuple[dt.date, dt.date]]:
    ranges: list[tuple[dt.date, dt.date]] = []
    for hit in sorted(hits, key=lambda h: h.first or dt.date.min):
        assert hit.first is not None and hit.last is not None
        if ranges and hit.first <= ranges[-1][1] + dt.timedelta(days=1):
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], hit.last))
        else:
            ranges.append((hit.first, hit.last))
    return ranges


def _fmt_days(days: list[dt.date]) -> str:
    """ "Mon 4 Jan", or "4–6 Jan" for consecutive days, joined by commas."""
    spans: list[list[dt.date]] = []
    for day in sorted(set(days)):
        if spans and day == spans[-1][1] + dt.timedelta(days=1):
            spans[-1][1] = day
        else:
            spans.append([day, day])
    return ", ".join(fmt_range(a, b) for a, b in spans)


def _fmt_range(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"{first:%a %d %b %Y}"
    return f"{first:%d %b %Y}–{last:%d %b %Y}"


def _dedupe(requests: list[Request]) -> list[Request]:
    seen: set[str] = set()
    out: list[Request] = []
    for req in requests:
        key = req.model_dump_json()
        if key not in seen:
            seen.add(key)
            out.append(req)
    return out


# -- cancelled cases ------------------------------------------------------------------------


def is_case_cancellation(sentence: str, procedures: list[str]) -> bool:
    """Whether ``sentence`` says a case is called off: a cancel word with a case word, an
    id-like token (``C013``) or a word of one of ``procedures``; never a roster request."""
    if not _CASE_CANCEL.search(sentence) or _REQUEST_WORD.search(sentence):
        return False
    if _CASE_WORD.search(sentence) or _CASE_ID_LIKE.search(sentence):
        return True
    return bool(_procedure_words(sentence, procedures))


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
        except _NotUnderstood as exc:
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
    """The ids of the cases the sentence cancels; ``_NotUnderstood`` with the question."""
    named = [
        t.id
        for t in problem.tasks
        if re.search(rf"(?<![\w-]){re.escape(t.id)}(?![\w-])", sentence, _I)
    ]
    if named:
        return named
    placed = {item.task: item for item in schedule.tasks} if schedule is not None else {}
    words = _procedure_words(sentence, [_procedure(t) for t in problem.tasks])
    people = {m.ids[0] for m in resolver.find_people(sentence, "cases") if len(m.ids) == 1}
    hits = find_dates(sentence, today, resolver.vocab.window("cases"))
    for hit in hits:
        if hit.error:
            raise _NotUnderstood(hit.error)
    days = {day for hit in hits for day in hit.days()}
    if not (words or people):
        raise _NotUnderstood("which case? name it by its id (e.g. 'cancel C013')")

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
        parts += [f"on {_fmt_days(sorted(days))}"] if days else []
        raise _NotUnderstood(
            f"no case of the published plan fits ({', '.join(parts)}); name it by its id"
        )
    shown = [_case_text(problem, t, placed.get(t.id)) for t in fits[:6]]
    more = f" and {len(fits) - 6} more" if len(fits) > 6 else ""
    raise _NotUnderstood(f"{len(fits)} cases fit: {', '.join(shown)}{more}; say which by its id")


def _case_text(problem: Any, task: Any, item: Any) -> str:
    """ "C013 Laparoscopic cholecystectomy (Tue 08 Dec 09:35)" (no time when unplaced)."""
    label = str(getattr(task, "label", "") or task.id)
    name = label if label.startswith(task.id) else f"{task.id} {label}"
    moment = None if item is None else problem.datetime_of(item.start)
    return name if moment is None else f"{name} ({moment:%a %d %b %H:%M})"
