"""Candidate entity pairs for relation classification: typed pairs within a sentence window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..schema import RELATION_TYPES
from ..text import Entity, sentence_index, sentence_starts


@dataclass(frozen=True)
class Candidate:
    head: int   # index into the entity list
    child: int
    labels: tuple[str, ...]  # relation labels possible for this pair of entity types


def _labels_by_types() -> dict[tuple[str, str], tuple[str, ...]]:
    table: dict[tuple[str, str], list[str]] = {}
    for label, types in RELATION_TYPES.items():
        table.setdefault(types, []).append(label)
    return {types: tuple(labels) for types, labels in table.items()}


LABELS_BY_TYPES = _labels_by_types()
HEAD_LABELS = frozenset(head for head, _ in LABELS_BY_TYPES)


def typed_pairs_in_window(entities: list[Entity], text: str, max_sentences: int = 1) -> list[Candidate]:
    """Pairs whose entity types fit some relation and whose sentences are at most max_sentences - 1 apart,
    ordered by head index, then child index.

    The entities are visited in text order (doc.ents already are), so the partners of an entity
    within the window are one run of that order and only that run is visited.
    """
    starts = sentence_starts(text)
    order = sorted(range(len(entities)), key=lambda k: entities[k].start)
    sentence_of = [sentence_index(starts, entities[k].start) for k in order]
    candidates = []
    n = len(order)
    lo = hi = 0
    for position, i in enumerate(order):
        head = entities[i]
        sentence = sentence_of[position]
        while lo < n and sentence_of[lo] <= sentence - max_sentences:
            lo += 1
        while hi < n and sentence_of[hi] < sentence + max_sentences:
            hi += 1
        if head.label not in HEAD_LABELS:
            continue
        for j in order[lo:hi]:
            labels = LABELS_BY_TYPES.get((head.label, entities[j].label))
            if labels and i != j:
                candidates.append(Candidate(i, j, labels))
    if any(a > b for a, b in zip(order, order[1:])):
        candidates.sort(key=lambda c: (c.head, c.child))
    return candidates


def make_relation_candidates(max_sentences: int = 1) -> Callable[[list[Entity], str], list[Candidate]]:
    """Registered as gzie.relation_candidates.v1 (entry point spacy_misc)."""

    def generate(entities: list[Entity], text: str) -> list[Candidate]:
        return typed_pairs_in_window(entities, text, max_sentences=max_sentences)

    return generate
