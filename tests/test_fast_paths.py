"""The fast paths of the non-neural components give exactly what the plain computations give."""

import random
from pathlib import Path

import numpy as np
import pytest

import gzie
from gzie.api import make_input_doc
from gzie.corpus.io import read_records
from gzie.extensions import doc_entities, doc_text
from gzie.normalize import resolve_period, resolve_value
from gzie.pipeline.candidates import LABELS_BY_TYPES, typed_pairs_in_window
from gzie.pipeline.relation_features import PairContext
from gzie.pipeline.relations import NO_RELATION
from gzie.pipeline.rules import merge_entities
from gzie.schema import ENTITY_LABELS
from gzie.text import Entity, sentence_index, sentence_starts

ROOT = Path(__file__).parents[1]


def random_entities(rng: random.Random, text: str, n: int, shuffled: bool = False) -> list[Entity]:
    """Non-overlapping entities (as spans always are), in text order unless shuffled."""
    spans, position = [], 0
    for _ in range(n):
        start = position + rng.randint(0, 3)
        end = start + rng.randint(1, 5)
        if end > len(text):
            break
        position = end
        spans.append(Entity(start, end, rng.choice(ENTITY_LABELS), text[start:end]))
    if shuffled:
        rng.shuffle(spans)
    return spans


def test_candidates_are_those_of_the_full_loop():
    rng = random.Random(0)
    for _ in range(300):
        text = "".join(rng.choice("ab。，\n") for _ in range(80))
        entities = random_entities(rng, text, rng.randint(0, 12), shuffled=rng.random() < 0.3)
        sentence_of = [sentence_index(sentence_starts(text), e.start) for e in entities]
        for window in (1, 2, 3):
            expected = [(i, j) for i, head in enumerate(entities) for j, child in enumerate(entities)
                        if i != j and (head.label, child.label) in LABELS_BY_TYPES
                        and abs(sentence_of[i] - sentence_of[j]) < window]
            assert [(c.head, c.child) for c in typed_pairs_in_window(entities, text, window)] == expected


def test_counts_between_offsets_match_a_scan():
    rng = random.Random(1)
    for _ in range(200):
        text = "x" * 80
        entities = random_entities(rng, text, rng.randint(0, 12), shuffled=rng.random() < 0.3)
        context = PairContext(entities, text)
        for _ in range(20):
            lo, hi = sorted(rng.randint(0, 80) for _ in range(2))
            for label in (None, *ENTITY_LABELS):
                expected = sum(1 for e in entities if (label is None or e.label == label) and lo <= e.start
                               and e.end <= hi)
                assert context.count_between(label, lo, hi) == expected


def merge_by_scan(model, rules, priority, standalone):
    """The plain computation of gzie_rules' merge: each rule's rivals found by scanning every model span."""
    kept_model, added_rules = list(model), []
    for rule in rules:
        rivals = [m for m in kept_model if m[0] < rule[1] and rule[0] < m[1]]
        if any(m[0] <= rule[0] and rule[1] <= m[1] and m[:2] != rule[:2] for m in rivals):
            continue
        if rivals and rule[2] not in priority:
            continue
        if not rivals and standalone is not None and rule[2] not in standalone:
            continue
        kept_model = [m for m in kept_model if m not in rivals]
        if not any(r[0] < rule[1] and rule[0] < r[1] for r in added_rules):
            added_rules.append(rule)
    return sorted(kept_model + added_rules)


def test_merge_by_bisection_matches_the_scan():
    rng = random.Random(3)
    for _ in range(500):
        text = "x" * 80
        model = [(e.start, e.end, e.label) for e in random_entities(rng, text, rng.randint(0, 10), shuffled=True)]
        rules = [(e.start, e.end, e.label) for e in random_entities(rng, text, rng.randint(0, 8))]
        priority = set(rng.sample(ENTITY_LABELS, rng.randint(0, 4)))
        standalone = None if rng.random() < 0.2 else set(rng.sample(ENTITY_LABELS, rng.randint(0, 3)))
        assert merge_entities(model, rules, priority, standalone) == merge_by_scan(model, rules, priority, standalone)


def per_pair_probabilities(rel, entities, candidates, text):
    """The classifier's softmax computed pair by pair."""
    context = PairContext(entities, text)
    out = []
    for cand in candidates:
        columns = [rel.feature_index[f] for f in context.feature_names(cand) if f in rel.feature_index]
        logits = rel.intercept + rel.coef[:, columns].sum(axis=1)
        allowed = np.array([c == NO_RELATION or c in cand.labels for c in rel.classes])
        logits = np.where(allowed, logits, -np.inf)
        exp = np.exp(logits - logits.max())
        probs = exp / exp.sum()
        out.append(dict(zip(rel.classes, probs.tolist())))
    return out


@pytest.fixture(scope="module")
def nlp():
    return gzie.load()


def test_batched_relation_probabilities_equal_per_pair_ones(nlp):
    rel = nlp.get_pipe("gzie_relations")
    records = read_records(ROOT / "corpora" / "dev.jsonl")
    docs = [make_input_doc(nlp, r["text"], (r.get("meta") or {}).get("date"), r["id"]) for r in records]
    with nlp.select_pipes(enable=["tok2vec", "ner", "gzie_rules"]):
        docs = list(nlp.pipe(docs))
    compared = 0
    for doc in docs:
        entities = doc_entities(doc)
        candidates = rel.candidates(entities, doc.text)
        # Exact equality: the scores decide ties and thresholds.
        assert rel.probabilities(entities, candidates, doc.text) == per_pair_probabilities(rel, entities, candidates,
                                                                                            doc.text)
        compared += len(candidates)
    assert compared > 1000


def test_doc_text_is_the_doc_text(nlp):
    doc = nlp.make_doc("前三季度，全省开发区完成规模以上工业总产值8426.5亿元。")
    assert doc_text(doc) == doc.text
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:4])
    assert doc_text(doc) == doc.text
    doc = nlp("前三季度，全省开发区完成规模以上工业总产值8426.5亿元。")
    assert doc.ents
    assert [(e.text, e.start, e.end) for e in doc_entities(doc)] == [(e.text, e.start_char, e.end_char)
                                                                      for e in doc.ents]


def test_cached_normalizers_still_check_their_arguments():
    assert resolve_value("超2000亿元") is resolve_value("超2000亿元")
    with pytest.raises(TypeError):
        resolve_value(["2000亿元"])
    with pytest.raises(TypeError):
        resolve_period("前三季度", "2022-11-15")
