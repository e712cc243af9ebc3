"""The changes to relax together say when their amounts are not proven the smallest.

The conflict search is skipped (``core_share=0``) so that the fallback runs on a small
ward whose mildest change is derived in the comment; every roster it reports is
re-checked with the independent checker on the problem relaxed as the words say.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from optimizer.check import check
from optimizer.explain.diagnosis import diagnose_roster, relaxed_for
from optimizer.model.roster import Contract, Pin, RosterProblem, ShiftType, Staff
from optimizer.solvers.cpsat import correction as correction_module
from optimizer.solvers.cpsat.correction import CorrectionResult
from tests.correction_spy import CorrectionSpy, install_spy

NOTE = "the amounts are not proven the smallest: a longer time limit may find milder ones"


def _problem(**extra: Any) -> RosterProblem:
    # Jo alone over 3 days must work 40 h: 3 Nights give at most 30 h, so the minimum is
    # the one rule to relax, and 30 h the mildest amount a roster meets
    fields: dict[str, Any] = {
        "start_date": dt.date(2026, 12, 14),
        "num_days": 3,
        "shifts": (
            ShiftType(id="E", name="Early", start="07:00", length_minutes=480),
            ShiftType(id="N", name="Night", start="21:00", length_minutes=600),
        ),
        "staff": (Staff(id="jo", name="Jo Park", contract=Contract(min_minutes=2400)),),
    }
    fields.update(extra)
    return RosterProblem(**fields)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> CorrectionSpy:
    return install_spy(monkeypatch)


def _verified(problem: RosterProblem, found: CorrectionResult) -> None:
    """The roster breaks something as written, and nothing once relaxed as the words say."""
    assert found.roster is not None and found.broken
    assert not check(problem, found.roster).feasible
    relaxed, _ = relaxed_for(problem, found.roster, found.broken)
    assert check(relaxed, found.roster).feasible


def test_proven_mildest_amounts_get_no_note(spy: CorrectionSpy) -> None:
    problem = _problem()
    diagnosis = diagnose_roster(problem, 10, proven_infeasible=True, core_share=0)
    assert diagnosis.relax_together == ["lower Jo Park's minimum hours from 40 h to 30 h"]
    assert diagnosis.fewest and NOTE not in diagnosis.notes
    (found,) = spy.found
    assert found.mildest
    _verified(problem, found)


def test_amounts_not_minimised_in_time_are_flagged(
    spy: CorrectionSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the mildest stage gets no time (as when the fallback's time runs out first): the
    # amounts printed are the first stage's, and the planner is told they may be milder
    monkeypatch.setattr(correction_module, "_mildest", lambda *args, **kwargs: None)
    problem = _problem()
    diagnosis = diagnose_roster(problem, 10, proven_infeasible=True, core_share=0)
    assert diagnosis.fewest  # one change is proven needed: the note is not about the count
    assert len(diagnosis.relax_together) == 1
    assert diagnosis.relax_together[0].startswith("lower Jo Park's minimum hours from 40 h to ")
    assert NOTE in diagnosis.notes and f"note: {NOTE}" in diagnosis.messages()
    (found,) = spy.found
    assert not found.mildest
    _verified(problem, found)


def test_a_change_without_an_amount_gets_no_amount_note(
    spy: CorrectionSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Jo is pinned to a Night on Mon and to an Early on Tue that overlaps it: unpinning
    # one of them is kept or broken whole, so there is no amount to make milder
    monkeypatch.setattr(correction_module, "_mildest", lambda *args, **kwargs: None)
    problem = _problem(
        shifts=(
            ShiftType(id="E", name="Early", start="05:00", length_minutes=480),
            ShiftType(id="N", name="Night", start="21:00", length_minutes=600),
        ),
        staff=(Staff(id="jo", name="Jo Park"),),
        pins=(Pin(staff="jo", day=0, shift="N"), Pin(staff="jo", day=1, shift="E")),
    )
    diagnosis = diagnose_roster(problem, 10, proven_infeasible=True, core_share=0)
    assert len(diagnosis.relax_together) == 1
    assert diagnosis.relax_together[0].startswith("unpin Jo Park")
    assert NOTE not in diagnosis.notes
    (found,) = spy.found
    _verified(problem, found)


def _page(diagnosis: object) -> None:
    from dashboards.views.roster import show_diagnosis

    show_diagnosis(diagnosis)


def test_the_dashboard_heads_the_list_for_a_planner() -> None:
    diagnosis = diagnose_roster(_problem(), 10, proven_infeasible=True, core_share=0)
    at = AppTest.from_function(_page, kwargs={"diagnosis": diagnosis.model_dump(mode="json")})
    at.run(timeout=60)
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert "**Changes that together give a roster**" in shown
    assert "**Relax together**" not in shown
    assert "- lower Jo Park's minimum hours from 40 h to 30 h" in shown
