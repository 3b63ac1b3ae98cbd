"""Consistency doubts in a corpus: a surface labeled differently, or labeled here and not there."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .io import read_records
from .validate import corpus_files

MIN_SURFACE = 3  # shorter strings (省委, 2家) recur inside other words too often to be doubts


@dataclass
class LintDoubt:
    kind: str  # "label_conflict" or "unlabeled_occurrence"
    surface: str
    labels: dict = field(default_factory=dict)  # label -> count
    unlabeled: int = 0
    examples: list = field(default_factory=list)  # doc ids

    def __str__(self) -> str:
        labels = ", ".join(f"{k}×{v}" for k, v in sorted(self.labels.items()))
        if self.kind == "label_conflict":
            return f"{self.surface!r} labeled differently: {labels} (e.g. {', '.join(self.examples[:3])})"
        return (f"{self.surface!r} labeled {labels} but unlabeled {self.unlabeled}× "
                f"(e.g. {', '.join(self.examples[:3])})")


def lint_records(records: list[dict], min_surface: int = MIN_SURFACE) -> list[LintDoubt]:
    labels: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    label_docs: dict[str, list[str]] = defaultdict(list)
    covered: list[set[int]] = []
    for record in records:
        text, taken = record["text"], set()
        for span in record["spans"]:
            surface = text[span["start"]:span["end"]]
            labels[surface][span["label"]] += 1
            label_docs[surface].append(record["id"])
            taken.update(range(span["start"], span["end"]))
        covered.append(taken)
    doubts = []
    for surface, counts in labels.items():
        if len(counts) > 1:
            doubts.append(LintDoubt("label_conflict", surface, dict(counts), examples=sorted(set(label_docs[surface]))))
    for surface, counts in labels.items():
        if len(surface) < min_surface:
            continue
        missing, examples = 0, []
        for record, taken in zip(records, covered):
            start = record["text"].find(surface)
            while start >= 0:
                if not taken.intersection(range(start, start + len(surface))):
                    missing += 1
                    if record["id"] not in examples:
                        examples.append(record["id"])
                start = record["text"].find(surface, start + 1)
        if missing:
            doubts.append(LintDoubt("unlabeled_occurrence", surface, dict(counts), missing, examples))
    doubts.sort(key=lambda d: (d.kind, -(d.unlabeled + sum(d.labels.values())), d.surface))
    return doubts


def lint_paths(paths: Iterable[str | Path], min_surface: int = MIN_SURFACE) -> list[LintDoubt]:
    records = []
    for path in corpus_files(paths):
        records.extend(read_records(path))
    return lint_records(records, min_surface=min_surface)
