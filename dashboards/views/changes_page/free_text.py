"""A change described in words: understood by ``llm_intake``, shown, applied only
on confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import streamlit as st

from dashboards import whatif
from dashboards.optional import feature
from dashboards.state import Family, Workspace
from dashboards.views.changes_page.pending import add_change, pending_changes
from optimizer.errors import InputError
from optimizer.model.result import Result


def free_text(ws: Workspace, family: Family) -> None:
    """Free-text intake: understand, show the proposal, apply only on confirmation."""
    propose = feature("llm_intake.intake", "propose")
    apply_requests = feature("llm_intake.apply", "apply_requests")
    if propose is None or apply_requests is None:
        return
    st.subheader("Describe a change in words")
    problem, _ = pending_changes(ws, family)
    key = f"free_text_{family.kind}"
    if st.session_state.pop(f"clear_{key}", False):  # confirmed: the box starts empty
        st.session_state[key] = ""
    text = st.text_area(
        "For example: “Priya Patel is off sick Tuesday and Wednesday”", key=key, height=80
    )
    start = getattr(problem, "start_date", None) or getattr(problem, "start", None)
    default_today = start.date() if isinstance(start, dt.datetime) else start or dt.date.today()
    today = st.date_input(
        "Relative dates (“tomorrow”, “next Tuesday”) count from",
        default_today,
        key=f"today_{family.kind}",
    )
    if st.button("Understand", key=f"understand_{family.kind}"):
        ws.proposal = None
        if not text.strip():
            st.warning("Type a change in the box first, e.g. “Jo Park is off sick on Tuesday”.")
        else:
            try:
                proposal = propose(text, [problem], today)
                found = _with_cancellations(family, problem, proposal, text, today)
                ws.proposal = (family.kind, *found)
            except Exception as exc:  # the intake fails closed; show why
                st.error(f"Could not understand the text: {exc}")
    if ws.proposal is None or ws.proposal[0] != family.kind:
        return
    _, proposal, unparsed, cancelled = ws.proposal
    understood = [*_understood(problem, proposal.requests), *_cancel_texts(problem, cancelled)]
    if understood:
        st.info("I understood: " + "; ".join(understood) + ".")
    for item in unparsed:
        st.warning(f"Not understood: “{item.text}” — {item.reason}")
    if not understood and not unparsed:
        st.info("I did not find a change I can apply.")
    cols = st.columns(2)
    if understood and cols[0].button("Confirm and add", key=f"confirm_{family.kind}"):
        try:
            new, texts = _apply_proposal(problem, proposal, cancelled, family.result)
            add_change(ws, family.kind, new, texts)
            ws.proposal = None
            st.session_state[f"clear_{key}"] = True
            st.rerun()
        except InputError as exc:
            st.error(str(exc))
    if cols[1].button("Discard", key=f"discard_{family.kind}"):
        ws.proposal = None
        st.rerun()


def _with_cancellations(
    family: Family, problem: Any, proposal: Any, text: str, today: dt.date
) -> tuple[Any, list[Any], list[str]]:
    """The proposal, what is left not understood, and the ids of the cases the text
    cancels (a case problem only): sentences that cancel a case are understood by
    ``llm_intake.rules.case_cancellations`` against the published plan, in place of the
    proposal's ``cancel_case`` requests."""
    find = feature("llm_intake.rules", "case_cancellations")
    if family.kind != "cases" or find is None or family.result is None:
        return proposal, list(proposal.unparsed), []
    kept = [r for r in proposal.requests if getattr(r, "kind", "") != "cancel_case"]
    proposal = proposal.model_copy(update={"requests": kept})
    found, unsettled = find(text, problem, family.result.schedule, today)
    handled = {c.text for c in found} | {u.text for u in unsettled}
    unparsed = [u for u in proposal.unparsed if u.text not in handled] + list(unsettled)
    return proposal, unparsed, list(dict.fromkeys(c.task for c in found))


def _cancel_texts(problem: Any, cancelled: list[str]) -> list[str]:
    return [f"{whatif.case_words(problem.task(t))} is cancelled" for t in cancelled]


def _apply_proposal(
    problem: Any, proposal: Any, cancelled: list[str], published: Result | None
) -> tuple[Any, list[str]]:
    """The confirmed requests applied, then the cancelled cases taken out."""
    texts: list[str] = []
    if proposal.requests:
        apply_requests = feature("llm_intake.apply", "apply_requests")
        assert apply_requests is not None  # the box is only drawn when the intake is there
        applied = apply_requests(problem, list(proposal.requests))
        texts += _with_reasons(problem, list(applied.changes), proposal.requests)
        problem = applied.problem
    for task_id in cancelled:
        assert published is not None
        problem, text = whatif.with_cancelled_case(problem, published, task_id)
        texts.append(text)
    return problem, texts


def _understood(problem: Any, requests: list[Any]) -> list[str]:
    """Each understood request in words; an absence with its reason ("sickness")."""
    summarize = feature("llm_intake.proposal", "summarize")
    vocabulary = feature("llm_intake.vocabulary", "build_vocabulary")
    if summarize is None or vocabulary is None:
        return [str(r) for r in requests]
    vocab = vocabulary([problem])
    texts = []
    for request in requests:
        text = str(summarize([request], [], vocab)).removeprefix("I understood: ")
        text = text.removesuffix(".")
        reason = _reason(request)
        if reason and reason not in text:
            text = text.replace(" unavailable", f": {reason},", 1)
        texts.append(text)
    return texts


def _reason(request: Any) -> str | None:
    """Why someone is away (``Unavailable.reason``), for an absence request."""
    if getattr(request, "kind", "") != "unavailable":
        return None
    reason = getattr(request, "reason", None)
    return str(reason) if reason else None


def _with_reasons(problem: Any, changes: list[str], requests: list[Any]) -> list[str]:
    """The applied changes with "unavailable" replaced by each absence's reason."""
    texts = list(changes)
    for request in requests:
        reason = _reason(request)
        if reason is None or request.staff not in problem.staff_index:
            continue
        head = f"{problem.person(request.staff).label}: unavailable"
        index = next((i for i, t in enumerate(texts) if t.startswith(head)), None)
        if index is not None:
            label = problem.person(request.staff).label
            texts[index] = f"{label}: {reason}" + texts[index][len(head) :]
    return texts
