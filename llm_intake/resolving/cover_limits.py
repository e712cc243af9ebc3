"""The ward's size as the limit of a cover change."""

from __future__ import annotations

from llm_intake.vocabulary import Vocabulary


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
