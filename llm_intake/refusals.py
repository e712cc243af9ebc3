"""Why the rule parser refused a piece of text, as a kind (``Unparsed.kind``).

The kind is set where the refusal is made, beside its message, so that code deciding on
a refusal (the LLM grounding checks: may another reading override it?) reads the kind,
never the words of the message: a message can be reworded without changing behaviour.
"""

from __future__ import annotations

from enum import StrEnum, auto


class RefusalKind(StrEnum):
    """What kind of sentence (or clause) the rule parser refused to turn into requests."""

    NEGATED = auto()
    """A negated change ("Ali is not off on Monday", "don't cancel C013")."""
    HEDGED = auto()
    """A tentative change ("maybe", "tbc"): asked about, never applied."""
    QUESTION = auto()
    """A question, not a change ("Should C013 be cancelled?")."""
    CONDITIONAL = auto()
    """A change on a condition ("if", "unless", "in case")."""
    EXCEPTION = auto()
    """An exception or a replacement ("except", "instead of", "but not")."""
    SWAP = auto()
    """A shift swap between people."""
    MOVE = auto()
    """A move from one shift to another."""
    COVER = auto()
    """Someone covering for someone else."""
    PAST = auto()
    """A date in the past."""
    RECURRING = auto()
    """A recurring change ("every Monday")."""
    RETURN_FROM_LEAVE = auto()
    """A return from leave ("back on Monday")."""
    AMBIGUOUS_NAME = auto()
    """A name that fits several people: "'Patel' could be …; which one?"."""
    SEVERAL_NAMED = auto()
    """Several shifts, dates or rooms where the request takes one: "…; which one?"."""
    WITHDRAWAL = auto()
    """Cancelling or withdrawing an earlier request."""
    WHICH_CASE = auto()
    """A cancelled case not settled: none named, none of the plan fits, or several fit."""
    ALTERNATIVES = auto()
    """Cases given as alternatives ("cancel C013 or C014")."""
    OUTSIDE_PLAN = auto()
    """Days outside the loaded plan."""
    UNREADABLE = auto()
    """Anything else: nothing recognised, or a detail missing, unclear or not supported."""
