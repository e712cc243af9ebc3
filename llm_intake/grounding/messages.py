"""The refusals the grounding checks write themselves (a guard's refusal is the rule
parser's, see ``guards.guarded``)."""

from __future__ import annotations

from llm_intake.requests import Unparsed


def unnamed(text: str, who: str, described: str) -> Unparsed:
    """The refusal of a request on someone (``who``: "Name (id)") the text does not name."""
    return Unparsed(
        text=text.strip(),
        reason=f"the language model proposed '{described}', but {who} is not named "
        f"in the text, so nothing is proposed for them; name the person and try again",
    )


def other_reading(text: str, described: str, read: str) -> Unparsed:
    """The refusal of a request where the rule parser reads the sentence as ``read``."""
    return Unparsed(
        text=text,
        reason=f"the language model proposed '{described}', but the rule parser reads "
        f"this as {read}; nothing is proposed from it, say it again more plainly",
    )


def other_dates(text: str, described: str, said: str) -> Unparsed:
    """The refusal of days outside the dates the sentence gives (``said``)."""
    return Unparsed(
        text=text,
        reason=f"the language model proposed '{described}', but the text gives "
        f"{said}; nothing is proposed from it, say the dates again",
    )


def other_times(text: str, described: str, missing: str, said: str) -> Unparsed:
    """The refusal of a time of day (``missing``: "from 09:00") the sentence does not give
    (``said``: the times it does give, "" for none)."""
    given = f"only {said}" if said else "no time of day"
    return Unparsed(
        text=text,
        reason=f"the language model proposed '{described}', but the text does not give "
        f"{missing} (it gives {given}); nothing is proposed from it, say the time again",
    )


def not_cancelled(text: str, why: str, described: str) -> Unparsed:
    """The refusal of a cancelled case in a sentence that cancels nothing (``why``)."""
    return Unparsed(
        text=text,
        reason=f"{why}; the language model proposed '{described}', so nothing is "
        "cancelled: say 'cancel' and the case's id to cancel it",
    )


def case_unnamed(text: str, described: str, question: str = "") -> Unparsed:
    """The refusal of a case the text does not name (with the rule parser's question)."""
    detail = f" (the rule parser: {question})" if question else ""
    return Unparsed(
        text=text.strip(),
        reason=f"the language model proposed '{described}', but that case is not named "
        f"in the text{detail}, so it is not cancelled; name the case by its id and try again",
    )
