"""Evaluate a parser on the labelled corpus: precision and recall per field, timing.

    python -m llm_intake.evaluate [--corpus data/intake/corpus.jsonl] [--parser rules|llm]

Each corpus line: ``{"id", "text", "today", "problems": [file, ...] (relative to the
corpus file), "expected": [request, ...], "tags": [...]}``. Predicted and
expected requests of one message are paired greedily (same kind, most equal
fields); every field of a pair counts as a true positive when equal, otherwise
as a false positive *and* a false negative; unpaired predictions are false
positives, unpaired expectations false negatives. ``wrong_person`` counts
predicted staff ids that are not among the expected ones (must stay 0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from llm_intake.requests import request_to_json

DEFAULT_CORPUS = Path(__file__).resolve().parents[1] / "data" / "intake" / "corpus.jsonl"


@dataclass
class Scores:
    """Counts per field and the list of disagreements."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    wrong_person: int = 0
    out_of_scope_with_requests: int = 0
    messages: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    def precision(self, key: str | None = None) -> float:
        tp = self.tp[key] if key else sum(self.tp.values())
        fp = self.fp[key] if key else sum(self.fp.values())
        return tp / (tp + fp) if tp + fp else 1.0

    def recall(self, key: str | None = None) -> float:
        tp = self.tp[key] if key else sum(self.tp.values())
        fn = self.fn[key] if key else sum(self.fn.values())
        return tp / (tp + fn) if tp + fn else 1.0

    def fields(self) -> list[str]:
        return sorted(set(self.tp) | set(self.fp) | set(self.fn))


def load_corpus(path: Path) -> list[dict[str, Any]]:
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            entry = json.loads(line)
            entry["_line"] = number
            entries.append(entry)
    return entries


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.lower().split())
    if isinstance(value, list):
        return sorted(_norm(v) for v in value)
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def _agree(expected: dict[str, Any], predicted: dict[str, Any]) -> int:
    return sum(_norm(expected.get(k)) == _norm(predicted.get(k)) for k in expected)


def score_message(
    expected: list[dict[str, Any]], predicted: list[dict[str, Any]], scores: Scores
) -> bool:
    """Add one message's counts; True when everything agreed."""
    remaining = list(predicted)
    exact = len(expected) == len(predicted)
    for exp in expected:
        same_kind = [p for p in remaining if p.get("kind") == exp.get("kind")]
        if not same_kind:
            for key in exp:
                scores.fn[key] += 1
            exact = False
            continue
        best = max(same_kind, key=lambda p: _agree(exp, p))
        remaining.remove(best)
        for key in set(exp) | set(best):
            if _norm(exp.get(key)) == _norm(best.get(key)):
                scores.tp[key] += 1
            else:
                scores.fp[key] += 1
                scores.fn[key] += 1
                exact = False
    for pred in remaining:
        for key in pred:
            scores.fp[key] += 1
        exact = False
    expected_staff = {e.get("staff") for e in expected} | {e.get("surgeon") for e in expected}
    for pred in predicted:
        for key in ("staff", "surgeon"):
            if pred.get(key) is not None and pred.get(key) not in expected_staff:
                scores.wrong_person += 1
    return exact


def evaluate(
    corpus: Path = DEFAULT_CORPUS, parser: str = "rules", llm: Any = None, verbose: bool = False
) -> Scores:
    """Run ``parser`` on every corpus message and score it."""
    from llm_intake.intake import propose
    from llm_intake.resolver import Resolver
    from llm_intake.rules import CasePlan, RuleParser, case_plans
    from llm_intake.vocabulary import build_vocabulary
    from optimizer.io.project import load_project

    scores = Scores()
    loaded: dict[tuple[str, ...], tuple[list[Any], Resolver, list[CasePlan]]] = {}
    for entry in load_corpus(corpus):
        key = tuple(entry["problems"])
        if key not in loaded:
            problems = [load_project(corpus.parent / name) for name in key]
            plans = case_plans(problems)
            loaded[key] = (problems, Resolver(build_vocabulary(problems)).warm(), plans)
            warm_up = "Priya is off sick tomorrow; add a lap chole for Mr X, 60 min, OR 1"
            RuleParser(loaded[key][1], dt.date.fromisoformat(entry["today"]), plans).parse(warm_up)
        problems, resolver, plans = loaded[key]
        today = dt.date.fromisoformat(entry["today"])
        started, cpu_started = time.perf_counter(), time.process_time()
        if parser == "rules":
            extraction = RuleParser(resolver, today, plans).parse(entry["text"])
            requests = [request_to_json(r) for r in extraction.requests]
        else:
            proposal = propose(entry["text"], problems, today, "llm", llm)
            requests = proposal.to_json()["requests"]
        scores.seconds.append(time.perf_counter() - started)
        scores.cpu_seconds.append(time.process_time() - cpu_started)
        scores.messages += 1
        if "out_of_scope" in entry.get("tags", []) and requests:
            scores.out_of_scope_with_requests += 1
        if not score_message(entry["expected"], requests, scores):
            scores.failures.append(
                f"{entry['id']}: {entry['text']!r}\n    expected {json.dumps(entry['expected'])}"
                f"\n    got      {json.dumps(requests)}"
            )
    return scores


def report(scores: Scores) -> str:
    lines = [f"{'field':<14}{'precision':>10}{'recall':>9}{'tp':>6}{'fp':>5}{'fn':>5}"]
    for key in scores.fields():
        lines.append(
            f"{key:<14}{100 * scores.precision(key):>9.1f}%{100 * scores.recall(key):>8.1f}%"
            f"{scores.tp[key]:>6}{scores.fp[key]:>5}{scores.fn[key]:>5}"
        )
    lines.append(
        f"{'ALL':<14}{100 * scores.precision():>9.1f}%{100 * scores.recall():>8.1f}%"
        f"{sum(scores.tp.values()):>6}{sum(scores.fp.values()):>5}{sum(scores.fn.values()):>5}"
    )
    lines.append(
        f"messages {scores.messages}; exact {scores.messages - len(scores.failures)}; "
        f"wrong person {scores.wrong_person}; out-of-scope with requests "
        f"{scores.out_of_scope_with_requests}"
    )
    for label, values in (("wall", scores.seconds), ("cpu", scores.cpu_seconds)):
        ms = sorted(1000 * s for s in values)
        if ms:
            p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
            lines.append(
                f"{label} time per message: median {statistics.median(ms):.2f} ms, "
                f"p95 {p95:.2f} ms, max {ms[-1]:.2f} ms"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--parser", choices=("rules", "llm"), default="rules")
    ap.add_argument("--llm-base-url", default=None)
    ap.add_argument("--llm-model", default=None)
    ap.add_argument("--llm-dialect", default=None)
    ap.add_argument("--pseudonymise", action="store_true")
    ap.add_argument("--repeat", type=int, default=1, help="runs (timing: the last run counts)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    args = ap.parse_args(argv)
    llm = None
    if args.parser == "llm":
        from llm_intake.llm import LLMConfig

        llm = LLMConfig.from_env(
            args.llm_base_url,
            model=args.llm_model,
            dialect=args.llm_dialect,
            pseudonymise=args.pseudonymise,
        )
    scores = Scores()
    for _ in range(max(1, args.repeat)):
        scores = evaluate(args.corpus, args.parser, llm)
    print(report(scores))
    if args.verbose:
        print("\n".join(scores.failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
