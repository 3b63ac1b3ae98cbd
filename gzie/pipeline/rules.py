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
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

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

    standalone_labels=None lets every rule span stand alone.
    """
    priority = set(rule_priority_labels)
    standalone = None if standalone_labels is None else set(standalone_labels)
    model = list(model)
    if _in_order(model):
        return _merge_in_order(model, rules, priority, standalone)
    kept_model = model
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


def _in_order(spans: list[tuple[int, int, str]]) -> bool:
    """Whether the spans are sorted and do not overlap (as doc.ents are)."""
    return all(s[0] <= s[1] for s in spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def _merge_in_order(model: list[tuple[int, int, str]], rules: Iterable[tuple[int, int, str]], priority: set[str],
                    standalone: set[str] | None) -> list[tuple[int, int, str]]:
    """merge_entities for model spans in order: the same decisions, with each rule's rivals found by
    bisection instead of a scan of all model spans."""
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

    # Rule components have no learned state: the tables ship with the package.
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        return b""

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "EntityRules":
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        return None

    def from_disk(self, path, *, exclude=tuple()) -> "EntityRules":
        return self
