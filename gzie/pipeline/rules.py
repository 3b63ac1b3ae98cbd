"""gzie_rules: high-precision regex finders merged with the statistical entities.

Precedence, when a rule span and a model span overlap:
1. a model span that strictly contains the rule span wins (ZONE 99个省级监测开发区 beats VALUE 99个;
   VALUE 超2000亿元 beats VALUE 2000亿元);
2. otherwise a rule span whose label is in ``rule_priority_labels`` wins;
3. otherwise the model span wins.
Rule spans that overlap no model span are added only for ``standalone_labels``: a figure or a
quoted title is an entity wherever it stands, while whether a period or an agency is one depends
on context (a meeting date, a page header) that the statistical model sees and the rules do not.
"""

from __future__ import annotations

import bisect
from typing import Callable, Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import Scorer
from spacy.tokens import Doc, Span
from spacy.training import Example

from ..extensions import char_span_expanded, doc_text, ensure_extensions
from .finders import find_spans

DEFAULT_SPANS_KEY = "gzie_rules"
DEFAULT_RULE_PRIORITY = ["VALUE", "PERIOD", "POLICY", "AGENCY"]
DEFAULT_STANDALONE = ["VALUE", "POLICY"]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _strictly_contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer != inner


def merge_entities(model: Iterable[tuple[int, int, str]], rules: Iterable[tuple[int, int, str]],
                   rule_priority_labels: Iterable[str],
                   standalone_labels: Iterable[str] | None = None) -> list[tuple[int, int, str]]:
    """Merge (start, end, label) spans by the precedence in this module's docstring.

    The model spans must not overlap one another (doc.ents never do); they are taken in text order,
    and each rule's rivals are found by bisection. standalone_labels=None lets every rule span
    stand alone.
    """
    priority = set(rule_priority_labels)
    standalone = None if standalone_labels is None else set(standalone_labels)
    model = sorted(model)
    starts = [m[0] for m in model]
    ends = [m[1] for m in model]
    removed: set[int] = set()
    added_rules: list[tuple[int, int, str]] = []
    for rule in rules:
        rule_range = rule[:2]
        # Model spans overlapping the rule: start < rule end (a prefix), end > rule start (a suffix).
        first, last = bisect.bisect_right(ends, rule[0]), bisect.bisect_left(starts, rule[1])
        rivals = [i for i in range(first, last) if i not in removed]
        if any(_strictly_contains(model[i][:2], rule_range) for i in rivals):
            continue
        if rivals and rule[2] not in priority:
            continue
        if not rivals and standalone is not None and rule[2] not in standalone:
            continue
        removed.update(rivals)
        if not any(_overlaps(r[:2], rule_range) for r in added_rules):
            added_rules.append(rule)
    kept_model = [m for i, m in enumerate(model) if i not in removed]
    return sorted(kept_model + added_rules)


def score_rules(examples: Iterable[Example], spans_key: str = DEFAULT_SPANS_KEY, **kwargs) -> dict:
    """P/R/F of the rule spans alone (doc.spans[spans_key]) against the gold entities:
    spans_{key}_p/_r/_f and _per_type."""

    def getter(doc: Doc, attr: str):
        return doc.spans[spans_key] if spans_key in doc.spans else doc.ents

    return Scorer.score_spans(examples, f"spans_{spans_key}", getter=getter, has_annotation=lambda doc: True)


def make_rules_scorer() -> Callable[..., dict]:
    """Registered as gzie.rules_scorer.v1 (entry point spacy_scorers)."""
    return score_rules


@Language.factory(
    "gzie_rules",
    assigns=["doc.ents", "doc.spans"],
    default_config={"spans_key": DEFAULT_SPANS_KEY, "rule_priority_labels": DEFAULT_RULE_PRIORITY,
                    "standalone_labels": DEFAULT_STANDALONE, "annotate_ents": True,
                    "scorer": {"@scorers": "gzie.rules_scorer.v1"}},
)
def make_rules(nlp: Language, name: str, spans_key: str, rule_priority_labels: list[str],
               standalone_labels: list[str], annotate_ents: bool, scorer: Callable | None):
    return EntityRules(nlp, name, spans_key=spans_key, rule_priority_labels=rule_priority_labels,
                       standalone_labels=standalone_labels, annotate_ents=annotate_ents, scorer=scorer)


class EntityRules(Pipe):
    """Finds VALUE, PERIOD, POLICY and AGENCY spans with the rule tables and merges them into doc.ents.
    It has no learned state: the tables ship with the package, so nothing is saved with a model."""

    def __init__(self, nlp: Language, name: str = "gzie_rules", *, spans_key: str = DEFAULT_SPANS_KEY,
                 rule_priority_labels: list[str] = DEFAULT_RULE_PRIORITY,
                 standalone_labels: list[str] = DEFAULT_STANDALONE, annotate_ents: bool = True,
                 scorer: Callable | None = score_rules):
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.rule_priority_labels = list(rule_priority_labels)
        self.standalone_labels = list(standalone_labels)
        self.annotate_ents = annotate_ents
        self.scorer = scorer
        self.cfg = {"spans_key": spans_key}

    def __call__(self, doc: Doc) -> Doc:
        rule_spans = []
        for found in find_spans(doc_text(doc)):
            span = char_span_expanded(doc, found.start, found.end, found.label)
            if span is not None:
                rule_spans.append(span)
        doc.spans[self.spans_key] = rule_spans
        if self.annotate_ents:
            model = [(e.start, e.end, e.label_) for e in doc.ents]
            rules = [(s.start, s.end, s.label_) for s in rule_spans]
            merged = merge_entities(model, rules, self.rule_priority_labels, self.standalone_labels)
            doc.set_ents([Span(doc, start, end, label=label) for start, end, label in merged], default="outside")
        return doc
