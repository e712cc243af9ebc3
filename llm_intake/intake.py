"""Free text → ``Proposal``, with the rule parser (default) or an LLM, through one resolver."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from llm_intake.grounding import named_people, unnamed_case, unnamed_person
from llm_intake.proposal import Proposal, describe, make_proposal
from llm_intake.requests import Request, Unparsed, request_to_json
from llm_intake.resolver import Resolver, Unresolved, resolve_request
from llm_intake.rules import RuleParser, case_plans
from llm_intake.vocabulary import build_vocabulary

if TYPE_CHECKING:
    import httpx

    from llm_intake.llm import LLMConfig


def propose(
    text: str,
    problems: list[Any],
    today: dt.date,
    parser: str = "rules",
    llm: LLMConfig | None = None,
    transport: httpx.BaseTransport | None = None,
    published: Any = None,
) -> Proposal:
    """Understand ``text`` against the loaded problems; nothing is applied.

    The LLM path needs an explicit ``llm`` config and raises ``LLMError`` when the
    model cannot give a valid answer (fail closed); a request for someone, or a case,
    the text does not name is refused (see ``llm_intake.grounding``). ``published``
    (the last case ``Result`` or ``CaseSchedule``) lets the rule parser find a cancelled
    case by its day ("the hernia repair on Tuesday"); without it, a case problem's own
    baseline schedule is used.
    """
    vocab = build_vocabulary(problems)
    resolver = Resolver(vocab)
    if parser == "rules":
        plans = case_plans(problems, published)
        extraction = RuleParser(resolver, today, plans).parse(text)
        return make_proposal(list(extraction.requests), list(extraction.unparsed), vocab)
    if llm is None:
        raise ValueError("the LLM parser needs an LLMConfig")
    from llm_intake.llm import LLMClient
    from llm_intake.privacy import pseudonymise, restore

    sent = text
    aliases: dict[str, tuple[str, ...]] = {}
    table = None
    if llm.pseudonymise:
        sent, table = pseudonymise(text, resolver)
        aliases = table.aliases
    people = list(aliases) if table is not None else None
    extraction = LLMClient(llm, transport).extract(sent, vocab, today, people)

    def shown(value: str) -> str:
        return restore(value, table, resolver) if table is not None else value

    requests: list[Request] = []
    unparsed: list[Unparsed] = [
        Unparsed(text=shown(u.text), reason=shown(u.reason)) for u in extraction.unparsed
    ]
    named = named_people(text, resolver)
    for request in extraction.requests:
        try:
            resolved = resolve_request(request, resolver, aliases)
        except Unresolved as exc:
            raw = json.dumps(request_to_json(request), ensure_ascii=False)
            unparsed.append(Unparsed(text=shown(raw), reason=shown(str(exc))))
            continue
        described = describe(resolved, vocab)
        refusal = unnamed_person(resolved, text, named, resolver, described)
        if refusal := refusal or unnamed_case(resolved, text, vocab, described):
            unparsed.append(refusal)
        else:
            requests.append(resolved)
    return make_proposal(requests, unparsed, vocab)
