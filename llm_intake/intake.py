"""Free text → ``Proposal``, with the rule parser (default) or an LLM, through one resolver."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from llm_intake.grounding import Grounding
from llm_intake.proposal import Proposal, make_proposal
from llm_intake.requests import AddCase, Request, Unparsed, request_to_json
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
    model cannot give a valid answer (fail closed); a request the text does not support
    (someone or a case it does not name, a name that fits several people, a sentence the
    rule parser refuses or reads otherwise) is refused (see ``llm_intake.grounding``),
    with the same question whether or not names were pseudonymised. ``published``
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
    grounding = Grounding(text, resolver, today, case_plans(problems, published))
    for request in extraction.requests:
        try:
            resolved = resolve_request(request, resolver, aliases)
        except Unresolved as exc:
            ambiguous = aliases.get(_person_field(request), ())
            if len(ambiguous) > 1 and exc.ambiguous:
                unparsed.append(grounding.which_one(ambiguous))
                continue
            raw = json.dumps(request_to_json(request), ensure_ascii=False)
            unparsed.append(Unparsed(text=shown(raw), reason=shown(str(exc))))
            continue
        if refusal := grounding.refusal(resolved):
            unparsed.append(refusal)
        else:
            requests.append(grounding.with_reason(resolved))
    return make_proposal(requests, unparsed, vocab)


def _person_field(request: Request) -> str:
    """The staff (or surgeon) value the model wrote, "" when there is none."""
    value = getattr(request, "surgeon" if isinstance(request, AddCase) else "staff", None)
    return value.strip() if isinstance(value, str) else ""
