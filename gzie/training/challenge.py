"""The real-news challenge set: short passages in the forms real releases use, each with the facts
an analyst expects (tests/challenge/<form>.jsonl). Scored per form, it shows which mechanisms hold.

A passage is {"id", "form", "date", "text", "facts": [{"indicator", "value", "unit", "change",
"period": [start, end] | null, and optionally "change_unit", "zone", "qualifier"}]}. A predicted fact
matches an expected one when every field the expected fact gives agrees (numbers to 1e-6, relative).
Per form, fact accuracy is matched / (expected + predicted facts not matched): it falls with every
missing fact and with every extra one.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Callable, Iterable

from ..errors import CorpusError, Errors

REQUIRED_FIELDS = ("indicator", "value", "unit", "change", "period")
OPTIONAL_FIELDS = ("change_unit", "zone", "qualifier")


def is_challenge_record(record: dict) -> bool:
    return isinstance(record, dict) and "facts" in record and "form" in record and "spans" not in record


def read_challenge(paths: Iterable[str | Path]) -> list[dict]:
    """The passages of challenge files (a folder means its *.jsonl files)."""
    passages = []
    for path in map(Path, paths):
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        if not files or not all(f.is_file() for f in files):
            raise CorpusError(Errors.E040.format(path=path))
        for file in files:
            for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError as err:
                    raise CorpusError(Errors.E041.format(problem=f"{file}:{number}: invalid JSON: {err}")) from None
                if not is_challenge_record(record):
                    raise CorpusError(Errors.E041.format(problem=f"{file}:{number}: not a challenge passage "
                                                                 "(needs id, form, text and facts)"))
                passages.append(record)
    return passages


def _same_number(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-12)


def fact_matches(expected: dict, predicted: dict) -> bool:
    period = predicted.get("period") or {}
    got_period = [period.get("start"), period.get("end")] if period else None
    if got_period == [None, None]:
        got_period = None
    checks = [
        expected["indicator"] == predicted.get("indicator"),
        _same_number(expected["value"], predicted.get("value")),
        expected["value"] is None or expected["unit"] == predicted.get("unit"),
        _same_number(expected["change"], predicted.get("change")),
        expected["period"] == got_period,
    ]
    for key in OPTIONAL_FIELDS:
        if key in expected and not (key == "change_unit" and expected["change"] is None):
            checks.append(expected[key] == predicted.get(key))
    return all(checks)


def score_passage(expected: list[dict], predicted: list[dict]) -> tuple[int, int, int]:
    """(matched, expected not found, predicted not expected), matching greedily in order."""
    left = list(predicted)
    matched = 0
    for fact in expected:
        hit = next((i for i, p in enumerate(left) if fact_matches(fact, p)), None)
        if hit is not None:
            left.pop(hit)
            matched += 1
    return matched, len(expected) - matched, len(left)


def evaluate_challenge(extract: Callable[[str, str | None, str], dict], passages: list[dict]) -> dict:
    """Scores per form and overall; `extract(text, date, doc_id)` gives a gzie output record."""
    per_form: dict[str, dict] = defaultdict(lambda: {"passages": 0, "exact": 0, "matched": 0, "missed": 0,
                                                     "extra": 0})
    failures = []
    for passage in passages:
        record = extract(passage["text"], passage.get("date"), passage["id"])
        matched, missed, extra = score_passage(passage["facts"], record["facts"])
        form = per_form[passage["form"]]
        form["passages"] += 1
        form["exact"] += not missed and not extra
        form["matched"] += matched
        form["missed"] += missed
        form["extra"] += extra
        if missed or extra:
            failures.append({"id": passage["id"], "form": passage["form"], "expected": passage["facts"],
                             "predicted": record["facts"]})
    total = {"passages": 0, "exact": 0, "matched": 0, "missed": 0, "extra": 0}
    for form in per_form.values():
        for key in total:
            total[key] += form[key]
        _rates(form)
    return {"forms": dict(sorted(per_form.items())), "total": _rates(total), "failures": failures}


def _rates(counts: dict) -> dict:
    m, missed, extra = counts["matched"], counts["missed"], counts["extra"]
    counts["accuracy"] = m / (m + missed + extra) if m + missed + extra else 1.0
    counts["precision"] = m / (m + extra) if m + extra else 1.0
    counts["recall"] = m / (m + missed) if m + missed else 1.0
    counts["passage_accuracy"] = counts["exact"] / counts["passages"] if counts["passages"] else 1.0
    return counts


def format_challenge(scores: dict) -> str:
    lines = [f"{'form':<36}{'passages':>9}{'facts':>7}{'accuracy':>10}{'P':>7}{'R':>7}{'exact':>7}"]

    def row(name: str, s: dict) -> str:
        return (f"{name:<36}{s['passages']:>9}{s['matched'] + s['missed']:>7}{s['accuracy'] * 100:>9.1f}%"
                f"{s['precision'] * 100:>7.1f}{s['recall'] * 100:>7.1f}{s['passage_accuracy'] * 100:>7.1f}")

    lines += [row(name, s) for name, s in scores["forms"].items()]
    lines.append(row("all", scores["total"]))
    return "\n".join(lines)
