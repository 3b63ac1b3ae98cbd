"""gzie_facts: builds doc._.facts from entities, relations and the normalizers."""

from __future__ import annotations

from typing import Callable, Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc
from spacy.training import Example

from ..extensions import doc_entities, doc_text, ensure_extensions
from ..facts import assemble_facts, fact_keys
from ..scoring import score_sets


def _facts_of(doc: Doc) -> list[dict]:
    return assemble_facts(doc_text(doc), doc_entities(doc), doc._.relations or [], doc._.date)


def score_facts(examples: Iterable[Example], **kwargs) -> dict:
    """A fact counts when its indicator, value, change and period all match the gold fact."""
    pairs = []
    for eg in examples:
        predicted = eg.predicted._.facts
        if predicted is None:
            predicted = _facts_of(eg.predicted)
        pairs.append((fact_keys(predicted), fact_keys(_facts_of(eg.reference))))
    micro = score_sets(pairs, key=lambda item: "FACT")["micro"]
    return {"facts_p": micro["p"], "facts_r": micro["r"], "facts_f": micro["f"]}


def make_facts_scorer() -> Callable[..., dict]:
    """Registered as gzie.facts_scorer.v1 (entry point spacy_scorers)."""
    return score_facts


@Language.factory(
    "gzie_facts",
    assigns=["doc._.facts"],
    requires=["doc.ents", "doc._.relations"],
    default_config={"scorer": {"@scorers": "gzie.facts_scorer.v1"}},
    default_score_weights={"facts_f": 1.0, "facts_p": 0.0, "facts_r": 0.0},
)
def make_facts(nlp: Language, name: str, scorer: Callable | None):
    return FactBuilder(name, scorer=scorer)


class FactBuilder(Pipe):
    """Sets doc._.facts; it has no state of its own, so nothing is saved with a model."""

    def __init__(self, name: str = "gzie_facts", *, scorer: Callable | None = score_facts):
        ensure_extensions()
        self.name = name
        self.scorer = scorer

    def __call__(self, doc: Doc) -> Doc:
        doc._.facts = _facts_of(doc)
        return doc
