"""The intake cancels a case: a ``cancel_case`` request from the rule parser or the LLM,
applied as the re-plan's ``CancelCase`` (pins and precedences go with the case)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from llm_intake.apply import apply_requests
from llm_intake.intake import propose
from llm_intake.llm import LLMConfig, llm_schema
from llm_intake.proposal import Proposal
from llm_intake.requests import (
    REQUEST_KINDS,
    CancelCase,
    Unavailable,
    extraction_schema,
    parse_request,
    request_to_json,
)
from llm_intake.vocabulary import build_vocabulary
from optimizer.errors import InputError
from optimizer.io.project import load_project, load_result, save_project, save_result
from optimizer.model.cases import CaseBaseline, CasePin, CaseProblem, Precedence, Task
from optimizer.model.result import CaseSchedule, ScheduledTask
from tests.test_intake_apply import run_cli
from tests.test_intake_fixtures import TODAY, Step, fake_llm_server, small_theatres
from tests.verify import solve_verified

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo_surgery.json"
MON = "2026-12-07"


def theatres() -> CaseProblem:
    """Three cases: a hip replacement (c1, Helen Ward) before a hernia repair (c2, Omar
    Haddad), and a second hernia repair (c3, Helen Ward); c1 is pinned."""
    base = small_theatres()
    tasks = (
        *base.tasks,
        Task(id="c2", procedure="hernia repair", duration=60, staff=("d2",)),
        Task(id="c3", procedure="hernia repair", duration=60, staff=("d1",)),
    )
    return base.model_copy(
        update={
            "tasks": tasks,
            "precedences": (Precedence(before="c1", after="c2"),),
            "pins": (CasePin(task="c1", room="OR1"),),
        }
    )


# -- the request ---------------------------------------------------------------------


def test_the_request_round_trips_through_the_json_contract() -> None:
    request = CancelCase(case="C013")
    data = request_to_json(request)
    assert data == {"kind": "cancel_case", "case": "C013"}
    assert parse_request(json.loads(json.dumps(data))) == request
    assert "cancel_case" in REQUEST_KINDS
    assert "CancelCase" in extraction_schema()["$defs"]
    with pytest.raises(ValidationError):
        parse_request({"kind": "cancel_case", "case": ""})
    with pytest.raises(ValidationError):
        parse_request({"kind": "cancel_case", "case": "C013", "reason": "x"})


# -- the rule parser -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cases"),
    [
        ("c2 is cancelled", ["c2"]),
        ("Please cancel C3", ["c3"]),
        ("the hip replacement is cancelled", ["c1"]),
        ("c2 and c3 are called off", ["c2", "c3"]),
    ],
)
def test_the_rule_parser_produces_the_request(text: str, cases: list[str]) -> None:
    proposal = propose(text, [theatres()], TODAY)
    assert proposal.requests == [CancelCase(case=c) for c in cases]
    assert proposal.unparsed == []
    assert "cancelled" in proposal.summary


def test_the_rule_parser_asks_instead_of_guessing() -> None:
    proposal = propose(
        "The hernia repair is cancelled. C9 is cancelled. The hernia repair on Tuesday is "
        "called off.",
        [theatres()],
        TODAY,
    )
    assert proposal.requests == []
    reasons = [u.reason for u in proposal.unparsed]
    assert reasons[0].startswith("2 cases fit: c2 hernia repair, c3 hernia repair;")
    assert reasons[1].startswith("there is no case 'C9' in the loaded case schedule")
    assert reasons[2].startswith("without a published schedule I cannot tell which cases")


@pytest.mark.parametrize("source", ["--previous", "the problem's baseline"])
def test_a_published_schedule_settles_a_case_by_its_day(source: str) -> None:
    problem = theatres()
    on = {"c1": 0, "c2": 24 * 60 + 8 * 60, "c3": 8 * 60}  # c2 on Tue 8 Dec, c1 and c3 Mon
    schedule = CaseSchedule(
        tasks=tuple(
            ScheduledTask(task=t, start=s, end=s + 60, room="OR2", staff=()) for t, s in on.items()
        )
    )
    text = "The hernia repair on Tuesday is cancelled"
    if source == "--previous":
        proposal = propose(text, [problem], dt.date(2026, 12, 7), published=schedule)
    else:
        problem = problem.model_copy(update={"baseline": CaseBaseline(schedule=schedule)})
        proposal = propose(text, [problem], dt.date(2026, 12, 7))
    assert (proposal.requests, proposal.unparsed) == ([CancelCase(case="c2")], [])


@pytest.mark.parametrize(
    "text",
    [
        "c2 is cancelled and c3 moves to Friday",  # c3 is not cancelled
        "c2 is cancelled, add a 60 min hernia repair for Helen Ward",  # the new case
        "c2 is cancelled because Omar Haddad is away on Friday",  # the absence
        "c2 is cancelled because c1 overran",
    ],
)
def test_a_cancellation_that_says_another_change_too_is_asked_about(text: str) -> None:
    proposal = propose(text, [theatres()], TODAY)
    assert proposal.requests == []
    assert "say each change in a sentence of its own" in proposal.unparsed[0].reason


def test_a_reason_without_names_or_dates_is_no_other_change() -> None:
    proposal = propose("c2 is cancelled as the patient is unwell", [theatres()], TODAY)
    assert (proposal.requests, proposal.unparsed) == ([CancelCase(case="c2")], [])


def test_a_withdrawn_roster_request_is_still_refused() -> None:
    proposal = propose("Please cancel Sam Lee's request for Friday", [theatres()], TODAY)
    assert proposal.requests == []


# -- applying ------------------------------------------------------------------------


def test_apply_takes_the_case_out_with_its_pin_and_precedence() -> None:
    problem = theatres()
    applied = apply_requests(problem, [CancelCase(case="c1"), CancelCase(case="c1")])
    new = applied.problem
    assert [t.id for t in new.tasks] == ["c2", "c3"]
    assert (new.precedences, new.pins) == ((), ())
    assert applied.changes == [
        "case c1 (hip replacement) cancelled; its precedence with c2 dropped; its pin dropped"
    ]
    assert [t.id for t in problem.tasks] == ["c1", "c2", "c3"]  # the old version untouched


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        (theatres(), "there is no case 'c9' in the case problem"),
        (small_theatres(), "is the only case of the problem"),
    ],
)
def test_apply_refuses_a_case_it_cannot_cancel(problem: CaseProblem, message: str) -> None:
    case = "c9" if len(problem.tasks) > 1 else "c1"
    with pytest.raises(InputError, match=message):
        apply_requests(problem, [CancelCase(case=case)])


def demo_with_links() -> CaseProblem:
    """The demo surgery with C013 before C014 and C012 before C015, C013 and C001 pinned."""
    demo = load_project(DEMO)
    assert isinstance(demo, CaseProblem)
    return demo.model_copy(
        update={
            "precedences": (
                Precedence(before="C013", after="C014"),
                Precedence(before="C012", after="C015"),
            ),
            "pins": (CasePin(task="C013"), CasePin(task="C001")),
        }
    )


def test_cli_apply_on_the_demo_surgery_cancels_the_case(tmp_path: Path) -> None:
    problem = demo_with_links()
    source, previous, out = tmp_path / "surgery.json", tmp_path / "last.json", tmp_path / "new.json"
    save_project(problem, source)
    last, _ = solve_verified(problem, time_limit=3)
    assert last.schedule is not None
    assert "C013" in {t.task for t in last.schedule.tasks}  # pinned, so placed
    save_result(last, previous)
    done = run_cli(
        "C013 is cancelled",
        *("--problem", str(source), "--today", MON),
        *("--apply", "--out", str(out), "--previous", str(previous)),
    )
    assert done.returncode == 0, done.stderr
    line = "case C013 (Laparoscopic cholecystectomy) cancelled; its precedence with C014 dropped"
    assert f"  • {line}; its pin dropped\n" in done.stdout
    new = load_project(out)
    assert isinstance(new, CaseProblem)
    assert "C013" not in new.task_index
    assert len(new.tasks) == len(problem.tasks) - 1
    assert new.precedences == (Precedence(before="C012", after="C015"),)
    assert new.pins == (CasePin(task="C001"),)
    assert new.baseline is not None
    placed = {t.task for t in new.baseline.schedule.tasks}
    assert "C013" not in placed and len(placed) == len(last.schedule.tasks) - 1
    result, _ = solve_verified(new, time_limit=3)
    assert result.schedule is not None
    assert "C013" not in {t.task for t in result.schedule.tasks}
    assert load_result(previous).schedule == last.schedule  # the inputs stay untouched


def test_cli_refuses_a_case_that_is_not_there(tmp_path: Path) -> None:
    source, out = tmp_path / "surgery.json", tmp_path / "new.json"
    save_project(theatres(), source)
    args = ("--problem", str(source), "--today", MON)
    done = run_cli("C9 is cancelled", *args, "--json")
    assert done.returncode == 0  # a proposal only: the unparsed part says why
    data = json.loads(done.stdout)
    assert data["requests"] == []
    assert "no case 'C9'" in data["unparsed"][0]["reason"]
    done = run_cli("C9 is cancelled", *args, "--apply", "--out", str(out))
    assert done.returncode == 1
    assert "nothing to apply" in done.stderr and not out.exists()


# -- the LLM path --------------------------------------------------------------------


def _ask(text: str, requests: list[dict[str, Any]]) -> Proposal:
    answer = json.dumps({"requests": requests, "unparsed": []})
    with fake_llm_server([Step(answer)]) as server:
        llm = LLMConfig(base_url=server.base_url, timeout=5)
        return propose(text, [theatres()], TODAY, "llm", llm)


@pytest.mark.parametrize(
    ("text", "case"),
    [("C2 is off the list today", "c2"), ("the hip replacement won't go ahead", "c1")],
)
def test_the_llm_path_accepts_a_case_the_text_names(text: str, case: str) -> None:
    proposal = _ask(text, [{"kind": "cancel_case", "case": case.upper()}])
    assert (proposal.requests, proposal.unparsed) == ([CancelCase(case=case)], [])


@pytest.mark.parametrize(
    ("text", "case", "reason"),
    [
        ("the hernia repair is cancelled", "c2", "that case is not named in the text"),
        ("the list is called off", "c1", "that case is not named in the text"),
        ("c9 is cancelled", "c9", "no case 'c9' in the loaded case schedule"),
    ],
)
def test_the_llm_path_refuses_a_case_the_text_does_not_name(
    text: str, case: str, reason: str
) -> None:
    proposal = _ask(text, [{"kind": "cancel_case", "case": case}])
    assert proposal.requests == []
    assert reason in proposal.unparsed[0].reason


def test_the_llm_schema_limits_the_case_to_the_loaded_ids() -> None:
    schema = llm_schema(build_vocabulary([theatres()]))
    assert schema["$defs"]["CancelCase"]["properties"]["case"]["enum"] == ["c1", "c2", "c3"]


def test_a_mixed_llm_answer_keeps_the_absence_and_the_case() -> None:
    absence = {"kind": "unavailable", "staff": "d2", "from": "2026-12-10", "to": "2026-12-10"}
    proposal = _ask(
        "Omar Haddad is off sick tomorrow, so c2 is cancelled",
        [{**absence, "shifts": None}, {"kind": "cancel_case", "case": "c2"}],
    )
    assert proposal.requests == [
        Unavailable(staff="d2", from_=dt.date(2026, 12, 10), to=dt.date(2026, 12, 10)),
        CancelCase(case="c2"),
    ]
