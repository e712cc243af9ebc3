"""An LLM-produced request's names and words → the loaded problems' ids, or a refusal."""

from __future__ import annotations

import datetime as dt

from llm_intake.requests import AddCase, CancelCase, CoverChange, Request, Unavailable
from llm_intake.resolving.cover_limits import cover_count_error
from llm_intake.resolving.families import same_name_case_staff, settle_families
from llm_intake.resolving.resolver import Resolver
from optimizer.model.common import canonical_id


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
