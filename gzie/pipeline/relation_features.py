"""Features of a candidate entity pair for the relation classifier (pure functions)."""

from __future__ import annotations

import re
from functools import lru_cache

from ..resources import read_tsv
from .candidates import Candidate, Entity, sentence_index, sentence_starts

CLAUSE_PUNCT = "，,；;：:"
LIST_MARK = "分别"
COMPARISON_CUES = ("比", "较", "較", "同比", "环比", "環比")


@lru_cache(maxsize=None)
def change_cue_re() -> re.Pattern:
    cues = sorted((row["cue"] for row in read_tsv("change_cues.tsv")), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, cues)) + r")[了为為至到达達]?$")


@lru_cache(maxsize=None)
def change_signs() -> dict[str, int]:
    return {row["cue"]: int(row["sign"]) for row in read_tsv("change_cues.tsv")}


def change_cue_before(text: str, start: int, window: int = 8) -> str | None:
    """The change word right before a value (同比增长35.6% -> 增长), or None."""
    match = change_cue_re().search(text[max(0, start - window):start])
    if not match:
        return None
    return match.group(0).rstrip("了为為至到达達")


def _bucket(n: int) -> str:
    for limit in (0, 1, 2, 4, 8, 16, 32, 64):
        if n <= limit:
            return str(limit)
    return "far"


def _value_shape(text: str) -> str:
    for suffix, shape in (("百分点", "pp"), ("百分點", "pp"), ("%", "pct"), ("％", "pct"), ("倍", "times"),
                          ("成", "tenths"), ("元", "money"), ("持平", "flat")):
        if suffix in text:
            return shape
    if "分之" in text or "/" in text:
        return "fraction"
    return "count"


def _rank(entities: list[Entity], index: int, label: str, lo: int, hi: int) -> int:
    """How many entities of `label` lie strictly between offsets lo and hi."""
    return sum(1 for e in entities if e.label == label and lo <= e.start and e.end <= hi)


def _list_alignment(entities: list[Entity], head: Entity, child: Entity, text: str) -> str:
    """For 分别 lists: does the head's position among its run match the child's among values?"""
    mark = text.find(LIST_MARK, head.end, child.start) if child.start > head.end else -1
    if mark < 0:
        return "none"
    heads_before = [e for e in entities if e.label == head.label and e.end <= mark]
    run = []
    for e in reversed(heads_before):
        gap = text[e.end:(run[0].start if run else mark)]
        if run and len(gap) > 2:
            break
        if not run and len(text[e.end:mark]) > 12:
            break
        run.insert(0, e)
    children = [e for e in entities if e.label == child.label and e.start >= mark]
    if head not in run or child not in children:
        return "outside"
    return "aligned" if run.index(head) == children.index(child) else "misaligned"


def pair_features(entities: list[Entity], candidate: Candidate, text: str, starts: list[int] | None = None) -> dict:
    head, child = entities[candidate.head], entities[candidate.child]
    starts = starts if starts is not None else sentence_starts(text)
    kind = f"{head.label}>{child.label}"
    after = child.start >= head.end
    lo, hi = (head.end, child.start) if after else (child.end, head.start)
    between = text[lo:hi] if hi > lo else ""
    sentence_start = starts[sentence_index(starts, min(head.start, child.start))]
    features = {
        "dir": "after" if after else "before",
        "gap": _bucket(len(between)),
        "ents_between": _bucket(sum(1 for e in entities if lo <= e.start and e.end <= hi)),
        "same_child_between": _bucket(_rank(entities, candidate.child, child.label, lo, hi)),
        "same_head_between": _bucket(_rank(entities, candidate.head, head.label, lo, hi)),
        "clause_breaks": _bucket(sum(between.count(p) for p in CLAUSE_PUNCT)),
        "has_semicolon": "；" in between or ";" in between,
        "list": _list_alignment(entities, head, child, text),
        "child_left2": text[max(0, child.start - 2):child.start],
        "child_left1": text[max(0, child.start - 1):child.start],
        "child_right1": text[child.end:child.end + 1],
        "head_left1": text[max(0, head.start - 1):head.start],
        "head_right2": text[head.end:head.end + 2],
        "child_at_sentence_start": child.start - sentence_start <= 2,
        "head_at_sentence_start": head.start - sentence_start <= 2,
    }
    if len(between) <= 6:
        features["between"] = between
    else:
        features["between_first3"] = between[:3]
        features["between_last3"] = between[-3:]
    if child.label == "VALUE":
        cue = change_cue_before(text, child.start)
        features["change_cue"] = cue or "none"
        features["value_shape"] = _value_shape(child.text)
        features["comparison_before"] = any(c in text[max(0, child.start - 10):child.start] for c in COMPARISON_CUES)
    if child.label == "PERIOD":
        features["period_text"] = child.text[-3:]
        features["period_is_comparison"] = "同期" in child.text
    if child.label in ("ZONE", "AGENCY"):
        features["child_suffix"] = child.text[-2:]
    # Every feature is conjoined with the pair type: the classes mean different things per type.
    out = {f"{kind}|{name}={value}": 1.0 for name, value in features.items()}
    out[f"{kind}|bias"] = 1.0
    return out
