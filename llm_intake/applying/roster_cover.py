"""Cover changes on a roster: a demand raised, lowered or set, refused when it names
no skill where cover is set per skill or asks for more staff than the ward has."""

from __future__ import annotations

from llm_intake.applying.roster_draft import RosterDraft
from llm_intake.applying.wording import day_text
from llm_intake.requests import CoverChange
from optimizer.errors import InputError
from optimizer.model.roster import CoverDemand


def change_cover(draft: RosterDraft, req: CoverChange) -> None:
    """Change the demand of ``req``'s day, shift and skill (a new demand if none)."""
    day = draft.day(req.date)
    _check_skill_named(draft, req, day)
    for i, demand in enumerate(draft.cover):
        if (demand.day, demand.shift, demand.skill) == (day, req.shift, req.skill):
            required = req.set_ if req.set_ is not None else demand.required + (req.delta or 0)
            required = max(0, required)
            _check_ward_size(draft, req, required, demand.required)
            draft.cover[i] = demand.model_copy(
                update={
                    "required": required,
                    "min_required": min(demand.min_required, required),
                }
            )
            draft.changes.append(_cover_text(draft, req, day, demand.required, required))
            return
    required = max(0, req.set_ if req.set_ is not None else (req.delta or 0))
    _check_ward_size(draft, req, required, 0)
    draft.cover.append(CoverDemand(day=day, shift=req.shift, skill=req.skill, required=required))
    draft.changes.append(_cover_text(draft, req, day, 0, required))


def _check_skill_named(draft: RosterDraft, req: CoverChange, day: int) -> None:
    """A change without a skill to a shift whose cover is set per skill is refused.

    A new "any staff" demand next to the skill demands would change nothing the
    planner meant (the skilled staff already fill it); which skill is not guessed.
    """
    if req.skill is not None:
        return
    rows = [c for c in draft.cover if (c.day, c.shift) == (day, req.shift)]
    if not rows or any(c.skill is None for c in rows):
        return
    per_skill = ", ".join(f"{c.skill} {c.required}" for c in rows)
    skill = rows[0].skill
    if req.delta is not None:
        more = "more" if req.delta > 0 else "fewer"
        ask = f"which skill needs {req.delta:+d} (e.g. '{abs(req.delta)} {more} {skill}')"
    else:
        ask = f"which skill to set to {req.set_} (e.g. '{req.set_} {skill}')"
    raise InputError(
        f"the {draft.shift_name(req.shift)} cover on {day_text(req.date)} is set per skill "
        f"({per_skill}); say {ask}",
        field="cover",
    )


def _check_ward_size(draft: RosterDraft, req: CoverChange, required: int, before: int) -> None:
    """A cover raised above the number of staff who could fill it is refused."""
    size = sum(1 for s in draft.p.staff if req.skill is None or req.skill in s.skills)
    if required > max(size, before):
        who = f"{size} staff with {req.skill}" if req.skill else f"{size} staff"
        raise InputError(
            f"a cover of {required} on the {draft.shift_name(req.shift)} shift of "
            f"{day_text(req.date)} is more than the {who} on the ward",
            field="cover",
        )


def _cover_text(draft: RosterDraft, req: CoverChange, day: int, before: int, after: int) -> str:
    """ "+1 RN on Early shifts, Mon 07 Dec (5 → 6)" (as the dashboard forms write it)."""
    who = req.skill or "staff"
    shift = draft.shift_name(req.shift)
    if req.delta is not None:
        what = f"{req.delta:+d} {who} on {shift} shifts"
    else:
        what = f"{who} on {shift} shifts set to {req.set_}"
    return f"{what}, {draft.on(day)} ({before} → {after})"
