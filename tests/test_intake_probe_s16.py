"""Probe s16/p4 of the free-text intake: one test per defect fixed, each with the probe's
sentence (or a close one) on the demo hospital."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from llm_intake.apply import affects, apply_requests
from llm_intake.intake import propose
from llm_intake.llm import LLMClient, LLMConfig, LLMError
from llm_intake.proposal import Proposal
from llm_intake.requests import AddCase, PinShift, ShiftWish, Unavailable
from llm_intake.vocabulary import build_vocabulary
from optimizer.cli import app
from optimizer.errors import InputError
from tests.test_intake_edge_cases import demo_surgery, demo_ward
from tests.test_intake_fixtures import Step, fake_llm_server

DATA = Path(__file__).resolve().parents[1] / "data"
MONDAY = dt.date(2026, 12, 7)  # day 0 of both demo plans
WEDNESDAY = dt.date(2026, 12, 9)


def d(day: int) -> dt.date:
    return dt.date(2026, 12, day)


def both() -> list[Any]:
    return [demo_ward(), demo_surgery()]


def reasons(proposal: Proposal) -> str:
    return " | ".join(f"{u.text}: {u.reason}" for u in proposal.unparsed)


# -- 1. "for N days from X" keeps the N days ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("Fatima Hassan is off sick for 3 days from tomorrow", d(10), d(12)),
        ("Fatima Hassan off for two days from Monday", d(14), d(15)),
        ("Fatima Hassan on leave for 5 days starting 21 Dec", d(21), d(25)),
    ],
)
def test_a_length_before_its_first_day_is_kept(text: str, first: dt.date, last: dt.date) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert [(r.staff, r.from_, r.to) for r in proposal.requests] == [  # type: ignore[union-attr]
        ("N09", first, last)
    ]
    assert proposal.unparsed == []


# -- 2. "till the end of next week" runs from today --------------------------------------------


def test_till_the_end_of_next_week_starts_today() -> None:
    proposal = propose("Fatima Hassan off till the end of next week", both(), WEDNESDAY)
    assert proposal.requests == [Unavailable(staff="N09", from_=d(9), to=d(20))]
    without_until = propose("Fatima Hassan is off at the end of next week", both(), WEDNESDAY)
    assert without_until.requests == []
    assert "'the end of next week': which days?" in reasons(without_until)


# -- 3. a negated room is never chosen ---------------------------------------------------------


def test_not_in_a_room_never_puts_the_case_in_it() -> None:
    text = "Add a 30 minute cystoscopy for Mr Okafor on Wednesday, not in OR 6"
    proposal = propose(text, [demo_surgery()], MONDAY)
    assert not [r for r in proposal.requests if isinstance(r, AddCase) and r.room == "OR6"]
    assert proposal.requests == []
    assert "a negated detail ('not in OR 6')" in reasons(proposal)


# -- 4. a willingness is a soft request, never a pin -------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Beth Taylor is happy to do nights next week", list(range(14, 21))),
        ("Beth Taylor is willing to do nights next week", list(range(14, 21))),
        ("Beth Taylor has offered to do the night on Friday", [11]),
        ("Beth Taylor is happy to do an extra night on Friday", [11]),
    ],
)
def test_a_willingness_is_a_wish_not_a_pin(text: str, days: list[int]) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert not [r for r in proposal.requests if isinstance(r, PinShift)]
    assert proposal.requests == [
        ShiftWish(staff="N22", date=d(day), shift="N", want=True) for day in days
    ]
    applied = apply_requests(demo_ward(), list(proposal.requests))
    assert applied.problem.pins == demo_ward().pins


# -- 5. "theatre cases" is the theatre's Ana Silva, not the ward's -----------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Ana Silva can't do her theatre cases on Tuesday",
        "Ana Silva the scrub nurse is off sick on Tuesday",
    ],
)
def test_a_theatre_word_never_picks_the_ward_nurse(text: str) -> None:
    # SN01 is off duty on Tuesday 8 Dec: the absence changes nothing there, but it is hers
    proposal = propose(text, both(), MONDAY)
    assert proposal.requests == [Unavailable(staff="SN01", from_=d(8), to=d(8))]
    assert not affects(demo_ward(), list(proposal.requests))


# -- 6. a hedged day is asked about, the firm one kept -----------------------------------------


def test_a_hedged_day_is_not_a_firm_absence() -> None:
    proposal = propose("Kwame Mensah is off on the 14th, and maybe the 15th", both(), WEDNESDAY)
    assert proposal.requests == [Unavailable(staff="N05", from_=d(14), to=d(14))]
    (note,) = proposal.unparsed
    assert note.text == "maybe the 15th"
    assert "not a firm change" in note.reason
    whole = propose("Kwame Mensah might be off on Friday", both(), WEDNESDAY)
    assert whole.requests == []
    assert "'might' is not a firm change" in reasons(whole)


# -- 7. a part of the sentence is never dropped silently ---------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Kwame Mensah can't do nights next week, or the weekend after", "'the weekend after'"),
        ("Kwame Mensah is off this week and next", "'and next'"),
        ("Kwame Mensah off 3 days next week", "'3 days'"),
    ],
)
def test_an_unread_period_is_reported(text: str, phrase: str) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert proposal.requests == []
    assert f"{phrase}: which dates are meant?" in reasons(proposal)


# -- 8. unknown rooms, roles and times of a new case are refused --------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Add a 30 minute cystoscopy in OR 7 on Friday", "unknown room 'OR 7'"),
        ("Add a 30 minute cystoscopy in theatre 9 on Friday", "unknown room 'theatre 9'"),
        ("Add a 30 minute cystoscopy in the cath lab on Friday", "unknown room 'the cath lab'"),
        ("Add a 30 minute cystoscopy on Friday, needs 2 perfusionists", "unknown role"),
        ("Add a 30 minute cystoscopy on Friday at 2pm", "a case time of '2pm'"),
        ("Add a 30 minute cystoscopy on Wednesday evening", "a case time of 'evening'"),
    ],
)
def test_a_case_detail_that_would_be_lost_is_refused(text: str, reason: str) -> None:
    proposal = propose(text, [demo_surgery()], MONDAY)
    assert proposal.requests == []
    assert reason in reasons(proposal)


# -- 9. an afternoon absence of case staff is not widened to the day ----------------------------


def test_an_afternoon_list_is_not_a_whole_day_absence() -> None:
    text = "Dr Raman can't do the afternoon list on Wednesday"
    proposal = propose(text, both(), MONDAY)
    wednesday = MONDAY + dt.timedelta(days=2)
    assert [r.model_dump() for r in proposal.requests] == [
        Unavailable(staff="AN01", from_=wednesday, to=wednesday, from_time=dt.time(12)).model_dump()
    ]
    ward = propose("Kwame Mensah is off Friday afternoon", both(), WEDNESDAY)
    assert ward.requests == []
    assert "'afternoon' is not a shift of the ward" in reasons(ward)


# -- 10. "over Christmas" is asked about ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Mei Chen AL over Christmas", "'over Christmas'"),
        ("Mei Chen off for the Christmas period", "'for the Christmas period'"),
        ("Increase RN cover on earlies by one over Christmas", "'over Christmas'"),
    ],
)
def test_christmas_as_a_period_is_asked_about(text: str, phrase: str) -> None:
    proposal = propose(text, [demo_ward()], WEDNESDAY)
    assert proposal.requests == []
    assert f"{phrase}: which days?" in reasons(proposal)
    day = propose("Mei Chen is off on Christmas Day", [demo_ward()], WEDNESDAY)
    assert day.requests == [Unavailable(staff="N11", from_=d(25), to=d(25))]


# -- 11. bad LLM options: one message, exit 2 ----------------------------------------------------


@pytest.mark.parametrize(
    ("options", "env", "message"),
    [
        (["--llm-timeout", "nan"], {}, "above 0 and at most 86400, not nan"),
        (["--llm-timeout", "inf"], {}, "not inf"),
        (["--llm-timeout", "0"], {}, "not 0"),
        (["--llm-timeout", "-5"], {}, "not -5"),
        ([], {"CAREALLOC_LLM_TIMEOUT": "nan"}, "field 'CAREALLOC_LLM_TIMEOUT'"),
        (["--llm-base-url", "http://[::1"], {}, "is not a valid URL"),
        ([], {"CAREALLOC_LLM_BASE_URL": "http://[::1"}, "field 'CAREALLOC_LLM_BASE_URL'"),
    ],
)
def test_bad_llm_options_exit_2_with_one_message(
    options: list[str], env: dict[str, str], message: str
) -> None:
    gives_url = "--llm-base-url" in options or "CAREALLOC_LLM_BASE_URL" in env
    url = [] if gives_url else ["--llm-base-url", "http://127.0.0.1:9"]
    runner = CliRunner(env={"CAREALLOC_LLM_BASE_URL": "", "CAREALLOC_LLM_TIMEOUT": "", **env})
    args = ["intake", "Priya Patel is off sick next Tuesday", "--problem"]
    args += [str(DATA / "demo_ward.json"), "--today", "2026-12-09", "--parser", "llm"]
    done = runner.invoke(app, [*args, *url, *options])
    assert done.exit_code == 2, done.output
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.exception is None or isinstance(done.exception, SystemExit)
    with pytest.raises(InputError, match="above 0"):
        LLMConfig(base_url="http://127.0.0.1:9", timeout=float("nan"))


# -- 12. titles, lower-case names, and the whole unknown name ----------------------------------


@pytest.mark.parametrize(
    ("text", "staff"),
    [
        ("Sr Helen Murray is off sick tomorrow", "N04"),
        ("Sr. Murray is off sick tomorrow", "N04"),
        ("Charge Nurse Helen Murray is off sick tomorrow", "N04"),
        ("grace okafor off sick tomorrow", "N02"),
    ],
)
def test_titles_and_lower_case_full_names_resolve(text: str, staff: str) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert proposal.requests == [Unavailable(staff=staff, from_=d(10), to=d(10))]
    assert proposal.unparsed == []


def test_an_unknown_name_is_named_whole_with_close_matches() -> None:
    zoe = propose("Zoe Chen off sick tomorrow", both(), WEDNESDAY)
    assert zoe.requests == []
    assert (
        "no staff member called 'Zoe Chen'; did you mean Mei Chen (N11) or Mei Chen (SN17)?"
        in reasons(zoe)
    )
    tom = propose("Tom Baker off sick tomorrow", both(), WEDNESDAY)
    assert "no staff member called 'Tom Baker'" in reasons(tom)
    assert "Mr Tom Whitfield (ORTH1)" in reasons(tom)
    jo = propose("put jo park on earlies friday and saturday", both(), WEDNESDAY)
    assert jo.requests == [PinShift(staff="N07", date=d(day), shift="E") for day in (11, 12)]


# -- 13. a morning case names the morning window -------------------------------------------------


def test_a_morning_case_too_long_names_the_morning_rule() -> None:
    surgery = demo_surgery()
    text = "Add a 6 hour hernia repair for Ms Donnelly on Tuesday morning"
    proposal = propose(text, [surgery], MONDAY)
    with pytest.raises(InputError) as err:
        apply_requests(surgery, list(proposal.requests))
    assert "not on duty long enough that morning (a morning case must end by 13:00; on duty" in (
        str(err.value)
    )


# -- 14. the applied line says the priority, room and part of day ------------------------------


def test_the_added_case_line_says_what_was_applied() -> None:
    surgery = demo_surgery()
    text = "Add an urgent 60 min hernia repair for Mr Okafor in OR 4 on Wednesday afternoon"
    proposal = propose(text, [surgery], MONDAY)
    applied = apply_requests(surgery, list(proposal.requests))
    assert applied.changes == [
        "added case intake-1: hernia repair, 60 min, urgent, in Theatre 4 (general) on "
        "Wed 09 Dec afternoon"
    ]


# -- 15. an LLM answer longer than the schema allows fails closed ------------------------------


def test_an_llm_answer_with_too_many_requests_fails_closed() -> None:
    many = json.dumps(
        {
            "requests": [
                {"kind": "unavailable", "staff": f"N{i:02d}", "from": "2026-12-15"}
                | {"to": "2026-12-15", "shifts": None}
                for i in range(1, 31)
            ],
            "unparsed": [],
        }
    )
    vocab = build_vocabulary([demo_ward()])
    with fake_llm_server([Step(many), Step(many)]) as server:
        client = LLMClient(LLMConfig(base_url=server.base_url, timeout=5.0))
        with pytest.raises(LLMError, match="invalid twice"):
            client.extract("Priya Patel is off sick next Tuesday", vocab, WEDNESDAY)
    assert "requests: 30 items, at most 20" in server.received[1]["body"]["messages"][-1]["content"]


# -- 16. "off Dec 14th" reads like "off on Dec 14th" -------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fatima Hassan off Dec 14th", Unavailable(staff="N09", from_=d(14), to=d(14))),
        ("Mei Chen off Dec 24 through Dec 26", Unavailable(staff="N11", from_=d(24), to=d(26))),
    ],
)
def test_off_before_a_month_is_an_absence(text: str, expected: Unavailable) -> None:
    proposal = propose(text, [demo_ward()], WEDNESDAY)
    assert proposal.requests == [expected]


# -- 17. a planner's instruction stays a pin, the consent beside it ignored --------------------


@pytest.mark.parametrize(
    "text",
    [
        "Put Jo Park on the early on Friday, she's happy to",
        "Please roster Jo Park on the early on Friday as she has offered",
        "Book Jo Park for the early on Friday, she is willing to",
        "Jo Park volunteered, so put her on the early on Friday",
    ],
)
def test_an_instruction_with_consent_is_still_a_pin(text: str) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert proposal.requests == [PinShift(staff="N07", date=d(11), shift="E")]
    assert proposal.unparsed == []
    applied = apply_requests(demo_ward(), list(proposal.requests))
    assert [(p.staff, p.shift) for p in applied.problem.pins if p not in demo_ward().pins] == [
        ("N07", "E")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Jo Park is happy to do the early on Friday",
        "Jo Park is happy to be put on the early on Friday",
        "Jo Park has offered to work the early on Friday",
    ],
)
def test_the_persons_own_willingness_is_a_soft_request(text: str) -> None:
    proposal = propose(text, both(), WEDNESDAY)
    assert proposal.requests == [ShiftWish(staff="N07", date=d(11), shift="E", want=True)]
    applied = apply_requests(demo_ward(), list(proposal.requests))
    assert applied.problem.pins == demo_ward().pins


# -- 18. --apply --json: the same heading as without --json, on stderr ---------------------------


@pytest.mark.parametrize("as_json", [False, True])
def test_the_applied_heading_is_the_same_with_and_without_json(
    tmp_path: Path, as_json: bool
) -> None:
    out = tmp_path / "new.json"
    args = ["intake", "Fatima Hassan is off sick tomorrow", "--problem"]
    args += [str(DATA / "demo_ward.json"), "--today", "2026-12-09", "--apply", "--out", str(out)]
    done = CliRunner().invoke(app, [*args, *(["--json"] if as_json else [])])
    assert done.exit_code == 0, done.output
    heading = f"applied 1 request(s); new problem written to {out}"
    listed = done.stderr if as_json else done.stdout
    line = "  • Fatima Hassan: unavailable, Thu 10 Dec (contract minimum 3360 → 3240 min)"
    assert listed.splitlines()[-2:] == [heading, line]
    assert f"applied to {out}" not in done.output
    if as_json:
        assert set(json.loads(done.stdout)) == {"requests", "unparsed", "summary"}


# -- 19. ward or theatre is settled request by request, as the doc says ------------------------


def test_a_shift_in_one_request_does_not_place_another() -> None:
    text = "Ana Silva is off sick on 10 Dec and wants the late shift on 11 Dec"
    proposal = propose(text, both(), WEDNESDAY)
    assert proposal.requests == [ShiftWish(staff="N01", date=d(11), shift="L", want=True)]
    (note,) = proposal.unparsed
    assert note.text == "Ana Silva is off sick on 10 Dec"
    assert "'Ana Silva' could be Ana Silva (N01) or Ana Silva (SN01); which one?" in note.reason
    settled = propose("Ana Silva is off sick from the ward on 10 Dec", both(), WEDNESDAY)
    assert settled.requests == [Unavailable(staff="N01", from_=d(10), to=d(10), reason="sickness")]


# -- 20. a bad dialect names where it came from -------------------------------------------------


@pytest.mark.parametrize(
    ("options", "env", "field"),
    [
        (["--llm-dialect", "bogus"], {}, "--llm-dialect"),
        ([], {"CAREALLOC_LLM_DIALECT": "bogus"}, "CAREALLOC_LLM_DIALECT"),
        (["--llm-dialect", "bogus"], {"CAREALLOC_LLM_DIALECT": "prompt"}, "--llm-dialect"),
    ],
)
def test_a_bad_dialect_names_the_option_or_the_variable(
    options: list[str], env: dict[str, str], field: str
) -> None:
    runner = CliRunner(env={"CAREALLOC_LLM_TIMEOUT": "", "CAREALLOC_LLM_DIALECT": "", **env})
    args = ["intake", "Priya Patel is off sick next Tuesday", "--problem"]
    args += [str(DATA / "demo_ward.json"), "--today", "2026-12-09", "--parser", "llm"]
    done = runner.invoke(app, [*args, "--llm-base-url", "http://127.0.0.1:9", *options])
    assert done.exit_code == 2, done.output
    assert f"field '{field}'" in done.stderr
    assert "unknown LLM dialect 'bogus'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_empty_dialect_variable_is_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREALLOC_LLM_DIALECT", "")
    assert LLMConfig.from_env("http://127.0.0.1:9").dialect == "json_schema"
    monkeypatch.setenv("CAREALLOC_LLM_DIALECT", "prompt")
    assert LLMConfig.from_env("http://127.0.0.1:9").dialect == "prompt"
