"""``carealloc intake``: free text → proposal (printed), optionally applied to a new file.

With ``--apply`` every change made is listed (on stderr with ``--json``). ``--previous``
(the last case result) also lets the rule parser find a cancelled case by its day.

Exit codes: 1 the LLM gave no valid answer (fail closed), ``--apply`` found nothing
to apply, or ``--apply`` wrote the understood part while some text was not
understood (listed on stderr); 2 bad input; 0 otherwise (without ``--apply`` also
when nothing was understood: the proposal's ``unparsed`` says so).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from llm_intake.proposal import Proposal, make_proposal
from llm_intake.requests import Unparsed
from optimizer.errors import InputError
from optimizer.io.solution import check_output_path

BENCHMARK_SUFFIXES = (".txt", ".sm")
"""Problem files other commands read but intake does not: benchmark instances (their
people and days have no names or dates to find in a planner's words)."""


def parse_today(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"'{value}' is not a date; use YYYY-MM-DD", field="--today") from None


def load_problem_file(path: Path) -> Any:
    """A project JSON or a table bundle (workbook, ZIP or folder of CSV files), as
    ``solve`` reads them; a benchmark file is refused."""
    from optimizer.io.load import load_problem

    if path.suffix.lower() in BENCHMARK_SUFFIXES and not path.is_dir():
        raise InputError(
            "intake reads project JSON or a table bundle, not a benchmark file: its people "
            "and days have no names or dates a message could use",
            file=str(path),
            field="--problem",
        )
    return load_problem(path)


def run_intake(
    text: str,
    problem_files: list[Path],
    today: str,
    *,
    parser: str = "rules",
    as_json: bool = False,
    apply: bool = False,
    out: Path | None = None,
    previous: Path | None = None,
    llm_base_url: str | None = None,
    llm_model: str | None = None,
    llm_dialect: str | None = None,
    llm_timeout: float | None = None,
    pseudonymise: bool = False,
) -> int:
    """The whole command; returns the exit code. Raises ``InputError`` for bad input."""
    from llm_intake.apply import affects, apply_requests
    from llm_intake.intake import propose
    from llm_intake.vocabulary import build_vocabulary
    from optimizer.io.project import load_result, save_project

    if parser not in ("rules", "llm"):
        raise InputError(f"unknown parser '{parser}'; expected rules or llm", field="--parser")
    if not problem_files:
        raise InputError("give at least one --problem FILE", field="--problem")
    if apply != (out is not None):
        raise InputError("--apply and --out FILE go together", field="--out")
    if out is not None:
        check_output_path(out, "--out", (".json",))
    if not text.strip():
        raise InputError("the text is empty", field="TEXT")
    reference = parse_today(today)
    problems = [load_problem_file(path) for path in problem_files]
    llm_config = None
    if parser == "llm":
        from llm_intake.llm import LLMConfig

        llm_config = LLMConfig.from_env(
            llm_base_url,
            model=llm_model,
            dialect=llm_dialect,
            timeout=llm_timeout,
            pseudonymise=pseudonymise,
        )
    last: Any = load_result(previous) if previous is not None else None
    code = 0
    try:
        proposal = propose(text, problems, reference, parser, llm_config, published=last)
    except Exception as exc:
        from llm_intake.llm import LLMError

        if not isinstance(exc, LLMError):
            raise
        failed = [Unparsed(text=text.strip(), reason=f"LLM failed, nothing applied: {exc}")]
        proposal = make_proposal([], failed, build_vocabulary(problems))
        code = 1
    _print(proposal, as_json, apply)
    if not apply or code:
        return code
    assert out is not None
    touched = [p for p in problems if affects(p, list(proposal.requests))]
    if not touched:
        print("nothing to apply: no request was understood", file=sys.stderr)
        return 1
    if len(touched) > 1:
        raise InputError(
            "the requests change more than one problem; apply them one problem at a time",
            field="--out",
        )
    applied = apply_requests(touched[0], list(proposal.requests), last)
    save_project(applied.problem, out)
    _print_applied(len(proposal.requests), applied.changes, out, as_json)
    if proposal.unparsed:
        _warn_partial(proposal, out)
        return 1
    return 0


def _print_applied(count: int, changes: list[str], out: Path, as_json: bool) -> None:
    """Say what was changed, one line each (pins dropped included): on stdout after the
    summary, or on stderr with ``--json`` (stdout holds only the JSON object)."""
    head = f"applied {count} request(s); new problem written to {out}"
    lines = [head, *(f"  • {change}" for change in changes)]
    print("\n".join(lines), file=sys.stderr if as_json else sys.stdout)


def _warn_partial(proposal: Proposal, out: Path) -> None:
    """Say on stderr which text was not understood and so not applied."""
    lines = [
        f"warning: only the part understood was applied ({len(proposal.requests)} "
        f"request(s), written to {out}); the following was NOT applied:"
    ]
    lines += [f"  • “{u.text}” ({u.reason})" for u in proposal.unparsed]
    lines.append("Re-phrase it and run intake on the new file, or make the change by hand.")
    print("\n".join(lines), file=sys.stderr)


def _print(proposal: Proposal, as_json: bool, applying: bool) -> None:
    if as_json:
        print(json.dumps(proposal.to_json(), ensure_ascii=False))
        return
    print(proposal.summary)
    if proposal.requests and not applying:
        print("Nothing has changed yet: re-run with --apply --out FILE to apply.")
