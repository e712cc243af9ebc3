"""Which words can be names: common words that never are, nicknames, surname shapes."""

from __future__ import annotations

import re

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

NAME_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W\d_])?", re.UNICODE)
"""A word that may be (part of) a name: letters, joined by ``'`` ``’`` ``.`` or ``-``."""

_CONTRACTION_TAILS = frozenset({"t", "s", "m", "d", "re", "ll", "ve"})
"""What follows the apostrophe of "can't", "she's", "I'm", "we'd", "they're", "I'll", "I've"."""


def joined_name_word(raw: str, lowercase: bool) -> bool:
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
