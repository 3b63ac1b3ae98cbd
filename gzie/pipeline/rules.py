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

from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..corpus.convert import char_span_expanded
from ..extensions import ensure_extensions
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

    standalone_labels=None lets every rule span stand alone.
    """
    priority = set(rule_priority_labels)
    standalone = None if standalone_labels is None else set(standalone_labels)
    kept_model = list(model)
    added_rules = []
    for rule in rules:
        rule_range = rule[:2]
        rivals = [m for m in kept_model if _overlaps(m[:2], rule_range)]
        if any(_strictly_contains(m[:2], rule_range) for m in rivals):
            continue
        if rivals and rule[2] not in priority:
            continue
        if not rivals and standalone is not None and rule[2] not in standalone:
            continue
        kept_model = [m for m in kept_model if m not in rivals]
        if not any(_overlaps(r[:2], rule_range) for r in added_rules):
            added_rules.append(rule)
    return sorted(kept_model + added_rules)


@Language.factory(
    "gzie_rules",
    assigns=["doc.ents", "doc.spans"],
    default_config={"spans_key": DEFAULT_SPANS_KEY, "rule_priority_labels": DEFAULT_RULE_PRIORITY,
                    "standalone_labels": DEFAULT_STANDALONE, "annotate_ents": True},
)
def make_rules(nlp: Language, name: str, spans_key: str, rule_priority_labels: list[str],
               standalone_labels: list[str], annotate_ents: bool):
    return EntityRules(nlp, name, spans_key=spans_key, rule_priority_labels=rule_priority_labels,
                       standalone_labels=standalone_labels, annotate_ents=annotate_ents)


class EntityRules:
    """Finds VALUE, PERIOD, POLICY and AGENCY spans with the rule tables and merges them into doc.ents."""

    def __init__(self, nlp: Language, name: str = "gzie_rules", *, spans_key: str = DEFAULT_SPANS_KEY,
                 rule_priority_labels: list[str] = DEFAULT_RULE_PRIORITY,
                 standalone_labels: list[str] = DEFAULT_STANDALONE, annotate_ents: bool = True):
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.rule_priority_labels = list(rule_priority_labels)
        self.standalone_labels = list(standalone_labels)
        self.annotate_ents = annotate_ents

    def __call__(self, doc: Doc) -> Doc:
        rule_spans = []
        for found in find_spans(doc.text):
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

    # Rule components have no learned state: the tables ship with the package.
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return b""

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "EntityRules":
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        return None

    def from_disk(self, path, *, exclude=tuple()) -> "EntityRules":
        return self
