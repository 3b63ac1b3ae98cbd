"""Evaluation of a model (or of a file of predictions) against gold corpus records."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable, Iterable

from ..corpus.convert import doc_to_record
from ..corpus.io import read_records
from ..errors import CorpusError, Errors
from ..fileio import atomic_open
from ..scoring import entity_items, relation_items
from ..text import sentence_around
from .agency_eval import evaluate_agencies, format_agencies, is_agency_file, read_agency_documents
from .challenge import evaluate_challenge, format_challenge, is_challenge_record, read_challenge
from .metrics import normalization_rates, record_relations, score_records


def error_rows(pairs: list[tuple[dict, dict]]) -> Iterable[dict]:
    """Every false positive and false negative entity and relation, with its sentence."""
    for pred, gold in pairs:
        text = gold["text"]
        for kind, items in (("entity", lambda r: entity_items(r.get("spans", []))),
                            ("relation", lambda r: relation_items(record_relations(r)))):
            predicted, expected = items(pred), items(gold)
            for error, found in (("false_positive", predicted - expected), ("false_negative", expected - predicted)):
                for item in sorted(found, key=str):
                    if kind == "entity":
                        start, end, label = item
                        row = {"text": text[start:end], "start": start, "end": end}
                    else:
                        (hs, he), (cs, ce), label = item
                        row = {"head": text[hs:he], "child": text[cs:ce], "head_start": hs, "child_start": cs}
                        start = min(hs, cs)
                    yield {"id": gold.get("id"), "kind": kind, "error": error, "label": label, **row,
                           "sentence": sentence_around(text, start)}


def predict_records(nlp, gold: list[dict], batch_size: int = 32,
                    progress: Callable[[int, int], None] | None = None) -> tuple[list[dict], float]:
    """Run the pipeline over the gold texts; returns predicted records and seconds spent."""
    from ..api import extraction_batches, make_input_doc, run_pipeline

    predicted = []
    start = time.perf_counter()
    for batch in extraction_batches(gold, batch_size, text_of=lambda r: r["text"]):  # as gzie extract batches
        docs = [make_input_doc(nlp, r["text"], (r.get("meta") or {}).get("date"), r.get("id")) for r in batch]
        for doc in run_pipeline(nlp, docs, batch_size=batch_size):
            predicted.append(doc_to_record(doc))
            if progress:
                progress(len(predicted), len(gold))
    return predicted, time.perf_counter() - start


def read_predictions(path: Path, gold: list[dict]) -> list[dict]:
    """Predicted records from a JSONL file (corpus format, or gzie extract output), aligned to gold by
    id. Records of gzie extract carry no text: the gold text is used, and its entities become spans."""
    by_id = {}
    for record in read_prediction_records(path):
        if "entities" in record and "spans" not in record:
            record = dict(record, spans=[{k: e[k] for k in ("start", "end", "label")} for e in record["entities"]])
        by_id[str(record.get("id"))] = record
    if not any(str(g.get("id")) in by_id for g in gold):
        raise CorpusError(Errors.E043.format(path=path))
    pairs = []
    for g in gold:
        record = by_id.get(str(g.get("id")), {"spans": [], "relations": []})
        pairs.append({"relations": [], **record, "id": g["id"], "text": g["text"], "meta": g.get("meta") or {}})
    return pairs


def read_prediction_records(path: Path) -> list[dict]:
    """The records of a predictions file, each checked enough to be scored (one clear error if not)."""
    records = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except (ValueError, RecursionError):
                raise CorpusError(Errors.E041.format(problem=f"{path}:{number}: invalid JSON")) from None
            problem = _prediction_problem(record)
            if problem:
                raise CorpusError(Errors.E041.format(problem=f"{path}:{number}: {problem}"))
            records.append(record)
    return records


def _prediction_problem(record) -> str | None:
    if not isinstance(record, dict):
        return "a record must be a JSON object"
    items = record.get("spans", record.get("entities"))
    if not isinstance(items, list) or not all(isinstance(s, dict) and isinstance(s.get("start"), int)
                                              and isinstance(s.get("end"), int) and isinstance(s.get("label"), str)
                                              for s in items):
        return "spans (or entities) must be a list of {start, end, label}"
    relations = record.get("relations", [])
    n = len(items)
    if not isinstance(relations, list) or not all(
            isinstance(r, dict) and isinstance(r.get("head"), int) and isinstance(r.get("child"), int)
            and 0 <= r["head"] < n and 0 <= r["child"] < n and isinstance(r.get("label"), str) for r in relations):
        return "relations must be a list of {head, child, label} pointing into the spans"
    return None


def _is_challenge(data: list[str | Path]) -> bool:
    """Whether the data are challenge files (tests/challenge): passages with expected facts."""
    for path in map(Path, data):
        files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                with file.open(encoding="utf-8") as handle:
                    first = handle.readline()
                try:
                    return is_challenge_record(json.loads(first))
                except ValueError:
                    return False
    return False


def evaluate_passages(model: str | Path, data: list[str | Path], errors_path: str | Path | None = None) -> dict:
    """Per-form scores of `model` on challenge passages (see gzie.training.challenge)."""
    from ..api import extract, load

    passages = read_challenge(data)
    nlp = load(model)
    scores = evaluate_challenge(lambda text, date, doc_id: extract(text, date=date, doc_id=doc_id, nlp=nlp),
                                passages)
    failures = scores.pop("failures")
    if errors_path:
        _write_jsonl(errors_path, failures)
    return {"kind": "challenge", **scores}


def evaluate_agency_files(model: str | Path, data: list[str | Path], errors_path: str | Path | None = None) -> dict:
    """AGENCY recognition and linking of `model` on agency test files (see gzie.training.agency_eval)."""
    from ..api import extract, load

    nlp = load(model)
    documents = [doc for path in data for doc in read_agency_documents(path)]
    scores = evaluate_agencies(lambda text, date, doc_id, region: extract(text, date=date, doc_id=doc_id, nlp=nlp,
                                                                          region=region), documents)
    wrong = scores.pop("wrong_links")
    if errors_path:
        _write_jsonl(errors_path, wrong)
    return scores


def _write_jsonl(path: str | Path, rows: Iterable[dict]) -> None:
    with atomic_open(path) as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def evaluate(model: str | Path, data: Iterable[str | Path], *, errors_path: str | Path | None = None,
             batch_size: int = 32, progress: Callable[[int, int], None] | None = None) -> dict:
    """Scores of `model` (a model directory, "default", or a predictions .jsonl) on gold corpus files,
    or per form on challenge passages (tests/challenge)."""
    data = list(data)
    if data and all(is_agency_file(Path(d)) for d in data):
        return evaluate_agency_files(model, data, errors_path)
    if _is_challenge(data):
        return evaluate_passages(model, data, errors_path)
    gold = read_records(data)
    if not gold:
        raise CorpusError(Errors.E042.format(path=", ".join(map(str, data))))
    model_path = Path(str(model))
    seconds = None
    if model_path.suffix == ".jsonl" and model_path.is_file():
        predicted = read_predictions(model_path, gold)
    else:
        from ..api import load

        nlp = load(model)
        predicted, seconds = predict_records(nlp, gold, batch_size=batch_size, progress=progress)
    pairs = list(zip(predicted, gold))
    scores = score_records(pairs)
    scores["normalization"] = normalization_rates(gold)
    n_chars = sum(len(g["text"]) for g in gold)
    scores["speed"] = {"chars_per_second": n_chars / seconds if seconds else None, "seconds": seconds,
                       "n_chars": n_chars}
    if errors_path:
        _write_jsonl(errors_path, error_rows(pairs))
    return scores


def format_table(scores: dict) -> str:
    """A readable table of the scores (what `gzie evaluate` prints)."""
    if scores.get("kind") == "challenge":
        return format_challenge(scores)
    if scores.get("kind") == "agencies":
        return format_agencies(scores)
    lines = []

    def row(name: str, p: float, r: float, f: float) -> None:
        lines.append(f"{name:<22}{p * 100:>7.1f}{r * 100:>7.1f}{f * 100:>7.1f}")

    header = f"{'':<22}{'P':>7}{'R':>7}{'F':>7}"
    strict, lenient = scores["entities"], scores["entities_lenient"]
    lines += ["Entities (strict | lenient F)", header]
    for label, s in strict["per_type"].items():
        row(label, s["p"], s["r"], s["f"])
        lines[-1] += f"   | {lenient['per_type'].get(label, {'f': 0.0})['f'] * 100:5.1f}"
    row("micro", strict["micro"]["p"], strict["micro"]["r"], strict["micro"]["f"])
    lines[-1] += f"   | {lenient['micro']['f'] * 100:5.1f}"
    lines += ["", "Relations", header]
    for label, s in scores["relations"]["per_type"].items():
        row(label, s["p"], s["r"], s["f"])
    micro = scores["relations"]["micro"]
    row("micro", micro["p"], micro["r"], micro["f"])
    lines += ["", "Facts (indicator, value, change and period all right)", header]
    facts = scores["facts"]
    row("facts", facts["p"], facts["r"], facts["f"])
    norm = scores["normalization"]
    lines += ["", f"Normalization: {norm['value_resolved'] * 100:.1f}% of {norm['n_values']} gold values resolved, "
                  f"{norm['period_resolved'] * 100:.1f}% of {norm['n_periods']} gold periods anchored to dates"]
    speed = scores["speed"]
    if speed["chars_per_second"]:
        lines.append(f"Speed: {speed['chars_per_second']:,.0f} characters per second "
                     f"({speed['n_chars']:,} characters in {speed['seconds']:.1f} s)")
    lines.append(f"Documents: {scores['n_docs']}")
    return "\n".join(lines)
