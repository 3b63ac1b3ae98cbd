"""gzie_facts: builds doc._.facts from entities, relations and the normalizers."""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from ..extensions import doc_entities, doc_text, ensure_extensions
from ..facts import assemble_facts, fact_keys
from .scoring import score_sets


def score_facts(examples: Iterable[Example], **kwargs) -> dict:
    """A fact counts when its indicator, value, change and period all match the gold fact."""
    pairs = []
    for eg in examples:
        gold = eg.reference
        gold_facts = assemble_facts(gold.text, doc_entities(gold), gold._.relations or [], gold._.date)
        predicted = eg.predicted._.facts
        if predicted is None:
            predicted = assemble_facts(eg.predicted.text, doc_entities(eg.predicted), eg.predicted._.relations or [],
                                       eg.predicted._.date)
        pairs.append((fact_keys(predicted), fact_keys(gold_facts)))
    micro = score_sets(pairs, key=lambda item: "FACT")["micro"]
    return {"facts_p": micro["p"], "facts_r": micro["r"], "facts_f": micro["f"]}


def make_facts_scorer():
    return score_facts


@Language.factory(
    "gzie_facts",
    assigns=["doc._.facts"],
    requires=["doc.ents", "doc._.relations"],
    default_config={},
    default_score_weights={"facts_f": 1.0, "facts_p": 0.0, "facts_r": 0.0},
)
def make_facts(nlp: Language, name: str):
    return FactBuilder(name)


class FactBuilder:
    def __init__(self, name: str = "gzie_facts"):
        ensure_extensions()
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.facts = assemble_facts(text, doc_entities(doc, text), doc._.relations or [], doc._.date)
        return doc

    def score(self, examples: Iterable[Example], **kwargs) -> dict:
        return score_facts(examples)

    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return b""

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "FactBuilder":
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        return None

    def from_disk(self, path, *, exclude=tuple()) -> "FactBuilder":
        return self
