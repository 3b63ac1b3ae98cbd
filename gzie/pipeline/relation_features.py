"""Features of candidate entity pairs for the relation classifier."""

from __future__ import annotations

import bisect

from ..text import Entity, change_cue_before, cue_re, cue_values, cue_words, sentence_starts
from .candidates import Candidate

CLAUSE_PUNCT = "，,；;：:"


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 4, 8, 16, 32, 64):
        if n <= limit:
            return str(limit)
    return "far"


def _value_shape(text: str) -> str:
    """The shape of a value by its unit word (cues.tsv, role value_shape): the first word it holds."""
    return next((shape for word, shape in cue_values("value_shape").items() if word in text), "count")


def _list_positions(entities: list[Entity], head_label: str, child_label: str, text: str,
                    mark: int) -> tuple[dict[Entity, int], dict[Entity, int]]:
    """Position of each entity in the run of heads right before the 分别 at `mark`, and of each
    child-label entity after it (first position for equal entities, as list.index gives)."""
    heads_before = [e for e in entities if e.label == head_label and e.end <= mark]
    run: list[Entity] = []
    for e in reversed(heads_before):
        gap = text[e.end:(run[0].start if run else mark)]
        if run and len(gap) > 2:
            break
        if not run and len(text[e.end:mark]) > 12:
            break
        run.insert(0, e)
    children = [e for e in entities if e.label == child_label and e.start >= mark]
    run_position: dict[Entity, int] = {}
    for position, e in enumerate(run):
        run_position.setdefault(e, position)
    child_position: dict[Entity, int] = {}
    for position, e in enumerate(children):
        child_position.setdefault(e, position)
    return run_position, child_position


class PairContext:
    """The features of the candidate pairs of one document, with what pairs share computed once:
    the features of the head alone and of the child alone are built once per entity, and counts of
    entities between two offsets come from bisection. Entities never overlap (the guidelines and
    doc.ents both forbid it), so sorted by start their ends ascend too. The names come in a fixed
    order, which the relation classifier's sums follow.
    """

    def __init__(self, entities: list[Entity], text: str, starts: list[int] | None = None):
        self.entities = entities
        self.text = text
        self.starts = starts if starts is not None else sentence_starts(text)
        self._bounds: dict[str | None, tuple[list[int], list[int]]] = {None: ([], [])}
        for e in sorted(entities, key=lambda e: (e.start, e.end)):
            for key in (None, e.label):
                starts_, ends_ = self._bounds.setdefault(key, ([], []))
                starts_.append(e.start)
                ends_.append(e.end)
        self._child_parts: dict[tuple[str, int], tuple[list[str], list[str]]] = {}
        self._head_parts: dict[tuple[str, int], list[str]] = {}
        self._lists: dict[tuple[int, str, str], tuple[dict, dict]] = {}

    def count_between(self, label: str | None, lo: int, hi: int) -> int:
        """How many entities (of `label`, or of any label for None) have lo <= start and end <= hi."""
        bounds = self._bounds.get(label)
        if bounds is None:
            return 0
        # Starts and ends both ascend: start >= lo holds for a suffix, end <= hi for a prefix.
        count = bisect.bisect_right(bounds[1], hi) - bisect.bisect_left(bounds[0], lo)
        return count if count > 0 else 0

    def list_alignment(self, head: Entity, child: Entity) -> str:
        found = cue_re("list_mark").search(self.text, head.end, child.start) if child.start > head.end else None
        mark = found.start() if found else -1
        if mark < 0:
            return "none"
        key = (mark, head.label, child.label)
        positions = self._lists.get(key)
        if positions is None:
            positions = self._lists[key] = _list_positions(self.entities, head.label, child.label, self.text, mark)
        run_position, child_position = positions
        if head not in run_position or child not in child_position:
            return "outside"
        return "aligned" if run_position[head] == child_position[child] else "misaligned"

    def _child(self, prefix: str, index: int) -> tuple[list[str], list[str]]:
        """The child's context features and its label-specific features."""
        key = (prefix, index)
        parts = self._child_parts.get(key)
        if parts is None:
            text, child = self.text, self.entities[index]
            context = [f"{prefix}child_left2={text[max(0, child.start - 2):child.start]}",
                       f"{prefix}child_left1={text[max(0, child.start - 1):child.start]}",
                       f"{prefix}child_right1={text[child.end:child.end + 1]}"]
            typed = []
            if child.label == "VALUE":
                cue = change_cue_before(text, child.start)
                comparison = any(c in text[max(0, child.start - 10):child.start] for c in cue_words("comparison_cue"))
                typed += [f"{prefix}change_cue={cue or 'none'}", f"{prefix}value_shape={_value_shape(child.text)}",
                          f"{prefix}comparison_before={comparison}"]
            if child.label == "PERIOD":
                typed += [f"{prefix}period_text={child.text[-3:]}",
                          f"{prefix}period_is_comparison={'同期' in child.text}"]
            if child.label in ("ZONE", "AGENCY"):
                typed.append(f"{prefix}child_suffix={child.text[-2:]}")
            typed.append(f"{prefix}bias")
            parts = self._child_parts[key] = (context, typed)
        return parts

    def _head(self, prefix: str, index: int) -> list[str]:
        key = (prefix, index)
        parts = self._head_parts.get(key)
        if parts is None:
            text, head = self.text, self.entities[index]
            parts = self._head_parts[key] = [f"{prefix}head_left1={text[max(0, head.start - 1):head.start]}",
                                             f"{prefix}head_right2={text[head.end:head.end + 2]}"]
        return parts

    def feature_names(self, candidate: Candidate) -> list[str]:
        """The names of the features that fire for the pair (each has the value 1.0)."""
        entities, text, starts = self.entities, self.text, self.starts
        head, child = entities[candidate.head], entities[candidate.child]
        # Every feature is conjoined with the pair type: the classes mean different things per type.
        prefix = f"{head.label}>{child.label}|"
        after = child.start >= head.end
        lo, hi = (head.end, child.start) if after else (child.end, head.start)
        between = text[lo:hi] if hi > lo else ""
        sentence_start = starts[bisect.bisect_right(starts, min(head.start, child.start)) - 1]
        child_context, child_typed = self._child(prefix, candidate.child)
        names = [
            prefix + ("dir=after" if after else "dir=before"),
            prefix + "gap=" + _bucket(len(between)),
            prefix + "ents_between=" + _bucket(self.count_between(None, lo, hi)),
            prefix + "same_child_between=" + _bucket(self.count_between(child.label, lo, hi)),
            prefix + "same_head_between=" + _bucket(self.count_between(head.label, lo, hi)),
            prefix + "clause_breaks=" + _bucket(sum(between.count(p) for p in CLAUSE_PUNCT) if between else 0),
            prefix + ("has_semicolon=True" if "；" in between or ";" in between else "has_semicolon=False"),
            prefix + "list=" + self.list_alignment(head, child),
            *child_context,
            *self._head(prefix, candidate.head),
            prefix + ("child_at_sentence_start=True" if child.start - sentence_start <= 2
                      else "child_at_sentence_start=False"),
            prefix + ("head_at_sentence_start=True" if head.start - sentence_start <= 2
                      else "head_at_sentence_start=False"),
        ]
        if len(between) <= 6:
            names.append(prefix + "between=" + between)
        else:
            names += [prefix + "between_first3=" + between[:3], prefix + "between_last3=" + between[-3:]]
        names += child_typed
        return names


def pair_features(entities: list[Entity], candidate: Candidate, text: str, starts: list[int] | None = None,
                  context: PairContext | None = None) -> dict:
    """The features of one candidate pair as {name: 1.0}; pass a PairContext built once per document
    when featurizing many pairs of it."""
    if context is None:
        context = PairContext(entities, text, starts)
    return dict.fromkeys(context.feature_names(candidate), 1.0)
