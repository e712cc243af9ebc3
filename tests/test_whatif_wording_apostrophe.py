"""What-if messages in words when ids hold apostrophes: ``'O'Brien'`` is one quoted id, put
as its name whole, not cut at its apostrophe into ``'O'``; unknown quoted text stays."""

from __future__ import annotations

import json

import pytest

from dashboards import whatif
from dashboards.samples import small_theatre
from dashboards.whatif.problem_copy import rebuild
from optimizer.errors import InputError
from optimizer.model.cases import CasePin, CaseProblem

RENAMED = {
    '"S1"': '"O\'Brien"',
    '"Dr Okafor"': '"Dr Siobhan O\'Brien"',
    '"OR1"': '"St Mary\'s"',
    '"C2"': '"C\'2"',
}
"""``small_theatre`` keyed by ids with apostrophes: its surgeon, first theatre and case 2."""


@pytest.fixture(scope="module")
def theatre() -> CaseProblem:
    """``small_theatre`` renamed, plus a surgeon whose id ``O`` is O'Brien's up to the
    apostrophe."""
    text = json.dumps(json.loads(small_theatre().model_dump_json()))
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    data = json.loads(text)
    data["staff"].append({"id": "O", "name": "Dr Oyelaran", "roles": ["surgeon"]})
    return CaseProblem.model_validate(data)


def refused(problem: CaseProblem, pin: CasePin) -> InputError:
    """The model's refusal of ``pin``."""
    with pytest.raises(InputError) as caught:
        rebuild(problem, pins=(pin,))
    return caught.value


def test_a_refused_pin_names_the_case_room_and_person_whose_ids_hold_apostrophes(
    theatre: CaseProblem,
) -> None:
    # start 400 (06:40): before O'Brien's duty (08:00) and before both theatres open
    raw = refused(theatre, CasePin(task="C'2", start=400, staff=("O'Brien",)))
    assert "pins[0] of task 'C'2'" in raw.message and "staff 'O'Brien'" in raw.message
    assert whatif.in_words(theatre, raw).message == (
        "the pin of Case 2 (C'2): at Mon 07 Dec 06:40 its 90 minutes Mon 07 Dec 06:40–08:10 "
        "fit in no opening of its eligible rooms (Theatre 1, Theatre 2) (overtime included); "
        "the pin of Case 2 (C'2): named staff Dr Siobhan O'Brien is not on duty for the "
        "whole of Mon 07 Dec 06:40–08:10"
    )


def test_a_pin_of_an_unknown_case_with_an_apostrophe_keeps_its_id_whole(
    theatre: CaseProblem,
) -> None:
    raw = refused(theatre, CasePin(task="C'9", start=500))
    assert whatif.in_words(theatre, raw).message == "the pin of case C'9: unknown task 'C'9'"


@pytest.mark.parametrize(
    ("message", "worded"),
    [
        (
            "task 'C'2': named staff 'O'Brien' listed 2 times",
            "task Case 2: named staff Dr Siobhan O'Brien listed 2 times",
        ),
        (  # 'O' is an id too: each is put as its own name
            "named staff 'O' and 'O'Brien' are both away",
            "named staff Dr Oyelaran and Dr Siobhan O'Brien are both away",
        ),
        ("room 'St Mary's' is closed", "room Theatre 1 is closed"),
        (  # an unknown id stays as typed, the known one is named
            "unknown task 'C'9' (did you mean 'C'2'?)",
            "unknown task 'C'9' (did you mean Case 2?)",
        ),
        (  # ids without apostrophes as before
            "task 'C1': named staff 'A1' listed 2 times",
            "task Case 1: named staff Dr Lee listed 2 times",
        ),
        ("task 'C1': role 'scrub' required 2 times", "task Case 1: role 'scrub' required 2 times"),
    ],
)
def test_quoted_ids_are_put_as_names_whole(theatre: CaseProblem, message: str, worded: str) -> None:
    assert whatif.in_words(theatre, InputError(message)).message == worded
