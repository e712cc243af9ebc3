"""The fixed words of a case: verbs, durations, priorities, parts of a day, times, rooms,
roles and procedures, with the short forms of procedures ("lap chole", "THR")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from llm_intake.vocabulary import fold

_I = re.IGNORECASE

CASE_VERB = re.compile(
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
DURATION = re.compile(
    r"\b(?:(?P<h>\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\b"
    + _AND_MINUTES.format("hm")
    + r"|(?P<h2>\d+)h(?P<m2>\d{1,2})\b|(?P<m>\d+)\s*-?\s*"
    r"(?:m|min|mins|minute|minutes)\b|(?P<half>half\s+an\s+hour)|(?P<hhalf>an\s+hour\s+and\s+"
    r"a\s+half|one\s+and\s+a\s+half\s+hours)|(?P<one>an\s+hour|one\s+hour)"
    + _AND_MINUTES.format("onem")
    + ")",
    _I,
)


PRIORITY = (
    ("emergency", re.compile(r"\b(?:emergency|emergent|emerg|stat|immediately)\b", _I)),
    ("urgent", re.compile(r"\b(?:urgent|urgently|asap|expedite|priority|soon)\b", _I)),
)
NOT_URGENT = re.compile(
    r"\b(?:non[\s-]?(?:urgent|emergency)|not\s+(?:very\s+|that\s+|too\s+|an?\s+)?(?:urgent|"
    r"emergency|priority)|(?:low|normal|standard|routine)[\s-]+priority|no\s+(?:rush|hurry)|"
    r"routine)\b",
    _I,
)
"""Words that make a case elective, though "urgent" or "priority" is in them."""
PRIORITY_WORDS = re.compile(r"\b(?:(?:high|top|medium|moderate)[\s-]+)?priority\b", _I)
CASE_PARTS = (
    ("morning", re.compile(r"\b(?:morning|am|a\.m\.|first\s+thing)\b", _I)),
    ("afternoon", re.compile(r"\b(?:afternoon|pm|p\.m\.)\b", _I)),
)


CASE_TIME = re.compile(
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|\b\d{1,2}:\d{2}\b|\b(?:noon|midday|"
    r"lunch(?:time)?|evening|night|o['’]?clock)\b",
    _I,
)
"""A time of a new case other than "morning" or "afternoon" (a clock time, "evening")."""
ROOM_LIKE = re.compile(
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
ROLE_COUNT = re.compile(
    rf"\b(?:\d+|an?|one|two|three|four|five|six|a\s+couple\s+of)\s+(?:more\s+|extra\s+)?"
    rf"(?P<role>{_ROLE_WORD})|\b(?P<role2>{_ROLE_WORD})\s*(?:x|×)\s*\d+\b",
    _I,
)
"""A team member counted in a new case ("needs 2 perfusionists"): a known role or refused."""
PROCEDURE_PHRASE = re.compile(
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

TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor)\.?\s+(?P<name>[A-Z][\w'’-]+)")


PROCEDURE_ALIASES: dict[str, tuple[str, ...]] = {
    "lap chole": ("laparoscopic", "cholecystectomy"),
    "lap": ("laparoscopic",),
    "chole": ("cholecystectomy",),
    "thr": ("total", "hip", "replacement"),
    "tha": ("total", "hip", "replacement"),
    "tkr": ("total", "knee", "replacement"),
    "tka": ("total", "knee", "replacement"),
    "arthroplasty": ("replacement",),
    "tah": ("total", "abdominal", "hysterectomy"),
    "tlh": ("total", "laparoscopic", "hysterectomy"),
    "pcnl": ("percutaneous", "nephrolithotomy"),
    "urs": ("ureteroscopy",),
    "ralp": ("robotic", "assisted", "radical", "prostatectomy"),
    "rarp": ("robotic", "assisted", "radical", "prostatectomy"),
    "asd": ("arthroscopic", "subacromial", "decompression"),
    "ctr": ("carpal", "tunnel", "release"),
    "ctd": ("carpal", "tunnel"),
    "turp": ("transurethral", "resection", "prostate"),
    "turbt": ("transurethral", "resection", "bladder", "tumour"),
    "acl": ("acl",),
    "tumor": ("tumour",),
}
"""Standard short forms of procedures (folded words → the words of the procedure name):
"lap chole" is a laparoscopic cholecystectomy, "THR" a total hip replacement. A word the
procedure names hold itself ("TURP" in "… of prostate (TURP)") is matched as written."""
CASE_PHRASE_FILLERS = frozenset(
    """
    the a an this that these those is are was were be been being has have had will would shall
    should to of on in at for with by from under and also too both all every whole entire please
    pls kindly now s his her their its it they them our my your i we you us me case cases list
    lists op ops operation operations surgery surgeries procedure procedures slot session theatre
    theatres theater room mr mrs ms miss mx dr prof professor patient patients pt booked scheduled
    planned listed elective same sorry unfortunately sadly hi hello fyi note just got team
    surgeon surgeons consultant
    """.split()  # noqa: SIM905
)
"""Words of a case phrase that say nothing about which case ("the", "Mr", "list", "booked")."""


def procedure_vocabulary(procedures: Sequence[str]) -> frozenset[str]:
    """The folded words of ``procedures`` that can pick out a case ("hip", "acl", "repair")."""
    return frozenset(w for p in procedures for w in fold(p).split()) - CASE_PHRASE_FILLERS


def phrase_words(text: str, known: frozenset[str]) -> tuple[set[str], list[str], list[str]]:
    """The procedure words ``text`` names (short forms expanded: "lap chole" → laparoscopic,
    cholecystectomy), the words as written, and the content words that are in no procedure
    (``known``); fillers and tokens with digits are skipped."""
    tokens = [t for t in fold(text).split() if not any(c.isdigit() for c in t)]
    words: set[str] = set()
    shown: list[str] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        pair = " ".join(tokens[i : i + 2])
        step = 2 if pair in PROCEDURE_ALIASES and i + 1 < len(tokens) else 1
        token = pair if step == 2 else tokens[i]
        i += step
        if token in known:
            words.add(token)
        elif token in PROCEDURE_ALIASES:
            words.update(PROCEDURE_ALIASES[token])
        elif token in CASE_PHRASE_FILLERS:
            continue
        else:
            unknown.append(token)
        shown.append(token)
    return words, shown, unknown
