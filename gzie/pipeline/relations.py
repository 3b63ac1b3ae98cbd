"""gzie_relations: classifies typed entity pairs into HAS_VALUE, HAS_CHANGE, IN_PERIOD, IN_ZONE, ISSUED_BY.

The model is a multinomial logistic regression over sparse pair features, fitted with
scikit-learn in ``initialize`` and stored as plain arrays in msgpack, so that loading a model
directory runs no code. Without fitted weights the component falls back to rules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import srsly
from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch

from ..errors import Errors, ModelError
from ..extensions import doc_entities, doc_view, ensure_extensions
from ..schema import RELATION_LABELS
from ..scoring import prf, relation_items, score_sets
from ..text import Entity, change_cue_before, normalized_view
from .candidates import Candidate
from .levels import level_relations
from .lists import list_relations
from .offers import offer_relations
from .relation_features import PairContext, pair_features
from .shares import share_relations

NO_RELATION = "-"
WEIGHTS_FILE = "weights.msgpack"
# Relations an entity can take part in at most once, as (entity role, relation labels).
AT_MOST_ONE = (("child", ("HAS_VALUE", "HAS_CHANGE")), ("head", ("IN_PERIOD",)), ("head", ("IN_ZONE",)))


def gold_labels(doc: Doc, entities: list[Entity], candidates: list[Candidate]) -> list[str]:
    gold = {(tuple(r["head"]), tuple(r["child"])): r["label"] for r in doc._.relations or []}
    labels = []
    for cand in candidates:
        head, child = entities[cand.head], entities[cand.child]
        labels.append(gold.get(((head.start, head.end), (child.start, child.end)), NO_RELATION))
    return labels


def with_list_relations(found: list[tuple[int, int, str, float]],
                        listed: list[tuple[int, int, str]]) -> list[tuple[int, int, str, float]]:
    """The classifier's relations with those a 分别 list states outright (gzie.pipeline.lists) in
    place of the classifier's for the same values, and for the same indicator's periods and zones."""
    if not listed:
        return found
    value_children = {child for _, child, label in listed if label in ("HAS_VALUE", "HAS_CHANGE")}
    linked_heads = {(head, label) for head, _, label in listed if label in ("IN_PERIOD", "IN_ZONE")}
    kept = [item for item in found
            if not (item[2] in ("HAS_VALUE", "HAS_CHANGE") and item[1] in value_children)
            and (item[0], item[2]) not in linked_heads]
    seen = {(head, child) for head, child, _, _ in kept}
    for head, child, label in listed:
        if (head, child) not in seen:
            seen.add((head, child))
            kept.append((head, child, label, 1.0))
    return kept


def decode(candidates: list[Candidate], probs: list[dict[str, float]],
           threshold: float) -> list[tuple[Candidate, str, float]]:
    """Best label per pair above threshold, then keep the best pair where a role allows only one relation."""
    chosen = []
    for cand, dist in zip(candidates, probs):
        label, score = max(((name, dist.get(name, 0.0)) for name in cand.labels), key=lambda item: item[1])
        if score >= threshold and score > dist.get(NO_RELATION, 0.0):
            chosen.append((cand, label, score))
    chosen.sort(key=lambda item: -item[2])
    taken: set = set()
    kept = []
    for cand, label, score in chosen:
        keys = [(role, labels, getattr(cand, role)) for role, labels in AT_MOST_ONE if label in labels]
        if any(key in taken for key in keys):
            continue
        taken.update(keys)
        kept.append((cand, label, score))
    return kept


def rule_probabilities(entities: list[Entity], candidates: list[Candidate], text: str) -> list[dict[str, float]]:
    """Fallback scores: nearest indicator before a value; sentence period and zone; preceding issuers."""
    context = PairContext(entities, text)
    probs = []
    for cand in candidates:
        head, child = entities[cand.head], entities[cand.child]
        feats = pair_features(entities, cand, text, context=context)
        kind = f"{head.label}>{child.label}"
        nearest = feats.get(f"{kind}|same_head_between=0") and feats.get(f"{kind}|dir=after")
        score = 0.0
        label = cand.labels[0]
        if head.label == "INDICATOR" and child.label == "VALUE":
            is_change = change_cue_before(text, child.start) is not None
            # 总投资2998亿元，同比增长35.6%: a change may follow the indicator's own level value.
            values_between_ok = feats.get(f"{kind}|same_child_between=0") or (
                is_change and feats.get(f"{kind}|same_child_between=1"))
            if nearest and values_between_ok:
                score = 0.9
            elif feats.get(f"{kind}|list=aligned"):
                score = 0.8
            label = "HAS_CHANGE" if is_change else "HAS_VALUE"
        elif child.label in ("PERIOD", "ZONE"):
            if not feats.get(f"{kind}|period_is_comparison=True"):
                score = 0.7 if feats.get(f"{kind}|dir=before") else 0.3
        elif head.label == "POLICY":
            score = 0.7 if feats.get(f"{kind}|dir=before") else 0.2
        probs.append({label: score, NO_RELATION: 1.0 - score})
    return probs


def score_relations(examples: Iterable[Example], **kwargs) -> dict:
    """Micro and per-label P/R/F of doc._.relations: rel_micro_p/_r/_f and rel_per_type."""
    pairs = ((relation_items(eg.predicted._.relations or []), relation_items(eg.reference._.relations or []))
             for eg in examples)
    result = score_sets(pairs, key=lambda item: item[2])
    scores = {"rel_micro_p": result["micro"]["p"], "rel_micro_r": result["micro"]["r"],
              "rel_micro_f": result["micro"]["f"]}
    scores["rel_per_type"] = {label: {k: v for k, v in result["per_type"].get(label, prf(0, 0, 0)).items()
                                      if k in "prf"} for label in RELATION_LABELS}
    return scores


def make_relations_scorer() -> Callable[..., dict]:
    """Registered as gzie.relations_scorer.v1 (entry point spacy_scorers)."""
    return score_relations


@Language.factory(
    "gzie_relations",
    assigns=["doc._.relations"],
    requires=["doc.ents"],
    default_config={
        "candidates": {"@misc": "gzie.relation_candidates.v1", "max_sentences": 1},
        "threshold": 0.5,
        "regularization": 1.0,
        "scorer": {"@scorers": "gzie.relations_scorer.v1"},
    },
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0},
)
def make_relations(nlp: Language, name: str, candidates: Callable, threshold: float, regularization: float,
                   scorer: Callable | None):
    return RelationExtractor(nlp.vocab, name, candidates=candidates, threshold=threshold,
                             regularization=regularization, scorer=scorer)


class RelationExtractor(Pipe):
    def __init__(self, vocab, name: str = "gzie_relations", *, candidates: Callable, threshold: float = 0.5,
                 regularization: float = 1.0, scorer: Callable | None = score_relations):
        ensure_extensions()
        self.vocab = vocab
        self.name = name
        self.candidates = candidates
        self.scorer = scorer
        self.cfg = {"threshold": threshold, "regularization": regularization}
        self.classes: list[str] = []
        self.feature_index: dict[str, int] = {}
        self.coef: np.ndarray | None = None       # (n_classes, n_features)
        self.intercept: np.ndarray | None = None  # (n_classes,)

    @property
    def is_trained(self) -> bool:
        return self.coef is not None

    def probabilities(self, entities: list[Entity], candidates: list[Candidate], text: str) -> list[dict[str, float]]:
        if not self.is_trained:
            return rule_probabilities(entities, candidates, text)
        return self._softmax(self._feature_columns(entities, candidates, text), candidates)

    def _feature_columns(self, entities: list[Entity], candidates: list[Candidate], text: str) -> list[list[int]]:
        """The columns of the known features of each candidate pair."""
        context = PairContext(entities, text)
        index = self.feature_index
        return [[column for column in map(index.get, context.feature_names(cand)) if column is not None]
                for cand in candidates]

    def _softmax(self, rows: list[list[int]], candidates: list[Candidate]) -> list[dict[str, float]]:
        """A softmax over the allowed classes per pair. Pairs with the same number of known features
        are scored together, each sum over the same values, in the same order and with the same
        numpy reduction as for one pair alone, so that the probabilities are exactly the same
        (tests/test_fast_paths.py compares them with a pair-by-pair computation) whether the pairs
        come from one document or from a batch."""
        by_length: dict[int, list[int]] = {}
        for i, columns in enumerate(rows):
            by_length.setdefault(len(columns), []).append(i)
        out: list[dict[str, float] | None] = [None] * len(candidates)
        for length, members in by_length.items():
            columns = np.array([rows[i] for i in members], dtype=np.intp).reshape(len(members), length)
            logits = np.ascontiguousarray(self.coef[:, columns].sum(axis=2).T)  # (pairs, classes)
            logits += self.intercept
            allowed = np.array([self._allowed(candidates[i].labels) for i in members])
            logits = np.where(allowed, logits, -np.inf)
            exp = np.exp(logits - logits.max(axis=1, keepdims=True))
            probs = exp / exp.sum(axis=1, keepdims=True)
            for i, row in zip(members, probs.tolist()):
                out[i] = dict(zip(self.classes, row))
        return out

    def _allowed(self, labels: tuple[str, ...]) -> list[bool]:
        return [c == NO_RELATION or c in labels for c in self.classes]

    def predict(self, docs: Iterable[Doc]) -> list[list[dict]]:
        """The relations of each document; the pairs of all the documents are scored together."""
        prepared = []
        scores: list = []  # feature columns per pair (trained) or rule probabilities
        all_candidates: list[Candidate] = []
        for doc in docs:
            text = doc_view(doc)
            entities = doc_entities(doc, text)
            candidates = self.candidates(entities, text)
            prepared.append((entities, candidates, len(all_candidates), text))
            all_candidates.extend(candidates)
            if self.is_trained:
                scores.extend(self._feature_columns(entities, candidates, text))
            else:
                scores.extend(rule_probabilities(entities, candidates, text))
        probs = self._softmax(scores, all_candidates) if self.is_trained else scores
        results = []
        for entities, candidates, offset, text in prepared:
            kept = decode(candidates, probs[offset:offset + len(candidates)], self.cfg["threshold"])
            found = [(cand.head, cand.child, label, score) for cand, label, score in kept]
            relations = []
            stated = (list_relations(entities, text) + share_relations(entities, text)
                      + offer_relations(entities, text) + level_relations(entities, text))
            for head_i, child_i, label, score in with_list_relations(found, stated):
                head, child = entities[head_i], entities[child_i]
                relations.append({"head": [head.start, head.end], "child": [child.start, child.end],
                                  "label": label, "score": round(float(score), 4)})
            relations.sort(key=lambda r: (r["head"], r["child"]))
            results.append(relations)
        return results

    def set_annotations(self, docs: Iterable[Doc], relations: list[list[dict]]) -> None:
        for doc, found in zip(docs, relations):
            doc._.relations = found

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterable[Doc]:
        """Documents in batches of batch_size; the pairs of a batch are scored together."""
        error_handler = self.get_error_handler()
        for batch in minibatch(stream, size=batch_size):
            try:
                self.set_annotations(batch, self.predict(batch))
                yield from batch
            except Exception as error:
                error_handler(self.name, self, batch, error)

    def uncertainty(self, doc: Doc) -> float:
        """Mean of 1 - the best class probability over the document's candidate pairs (0 when none)."""
        text = doc_view(doc)
        entities = doc_entities(doc, text)
        candidates = self.candidates(entities, text)
        if not candidates:
            return 0.0
        probs = self.probabilities(entities, candidates, text)
        return float(np.mean([1.0 - max(dist.values()) for dist in probs]))

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None) -> None:
        """Fit the pair classifier on the gold entities and relations of the training examples."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        rows, labels = [], []
        for eg in get_examples():
            reference = eg.reference
            text = normalized_view(reference.text)
            entities = doc_entities(reference, text)
            candidates = self.candidates(entities, text)
            context = PairContext(entities, text)
            rows.extend(pair_features(entities, cand, text, context=context) for cand in candidates)
            labels.extend(gold_labels(reference, entities, candidates))
        if len(set(labels)) < 2:
            # Nothing to learn from (e.g. examples without relations): keep the rule fallback.
            self.coef = self.intercept = None
            return
        vectorizer = DictVectorizer()
        matrix = vectorizer.fit_transform(rows)
        model = LogisticRegression(C=self.cfg["regularization"], max_iter=2000)
        model.fit(matrix, labels)
        self.classes = [str(c) for c in model.classes_]
        self.feature_index = {name: i for i, name in enumerate(vectorizer.feature_names_)}
        coef, intercept = model.coef_, model.intercept_
        if len(self.classes) == 2:
            # Binary sklearn models keep one row; expand to one row per class for a uniform softmax.
            coef = np.vstack([-coef[0] / 2, coef[0] / 2])
            intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        return self.scorer(examples, **kwargs) if self.scorer else {}

    # Serialization: plain arrays and strings in msgpack; no code is executed on load.
    def _state(self) -> dict:
        state = {"cfg": self.cfg, "classes": self.classes, "features": list(self.feature_index)}
        if self.is_trained:
            state["coef"] = self.coef.tolist()
            state["intercept"] = self.intercept.tolist()
        return state

    def _load_state(self, state: dict, source: str) -> None:
        if not isinstance(state, dict):
            raise ModelError(Errors.E020.format(path=source, detail=f"a {type(state).__name__}, not a map"))
        try:
            self.cfg.update(state.get("cfg", {}))
            self.classes = [str(c) for c in state.get("classes", [])]
            self.feature_index = {str(name): i for i, name in enumerate(state.get("features", []))}
            if "coef" in state:
                shape = (len(self.classes), len(self.feature_index))
                self.coef = np.asarray(state["coef"], dtype=np.float32).reshape(shape)
                self.intercept = np.asarray(state["intercept"], dtype=np.float32).reshape(len(self.classes))
            else:
                self.coef = self.intercept = None
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            raise ModelError(Errors.E020.format(path=source, detail=err)) from err

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "RelationExtractor":
        self._load_state(_unpacked(lambda: srsly.msgpack_loads(bytes_data), "<bytes>"), "<bytes>")
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / WEIGHTS_FILE, self._state())

    def from_disk(self, path, *, exclude=tuple()) -> "RelationExtractor":
        weights = Path(path) / WEIGHTS_FILE
        if not weights.exists():
            raise ModelError(Errors.E002.format(path=path, detail=f"{WEIGHTS_FILE} is missing"))
        self._load_state(_unpacked(lambda: srsly.read_msgpack(weights), str(weights)), str(weights))
        return self


def _unpacked(read, source: str):
    """Read msgpack weights; bytes that are no msgpack (a cut or overwritten file) give E020."""
    try:
        return read()
    except ModelError:
        raise
    except Exception as err:  # msgpack raises many kinds (ExtraData, FormatError, IndexError, ValueError …)
        raise ModelError(Errors.E020.format(path=source, detail=f"not msgpack ({type(err).__name__})")) from None
