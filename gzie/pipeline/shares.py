"""Relations that a share states outright: ``X占(全市)Y(的)比重为Z%，比上年提高N个百分点``.

    上半年，园区工业投资21.6亿元，占全县工业投资的63.5%。
    研发经费投入占营业收入比重达到6.3%，较上年提高0.4个百分点。
    一般贸易进出口占比下降至36.2%，比上年同期降低3.1个百分点。

The indicator right before 占 (the numerator; or the one before its own figures and a comma)
takes the first share after it in the clause (a percentage, 成 or a fraction: HAS_VALUE, even
after 下降至) and the first change in percentage points after that share in the sentence
(HAS_CHANGE), or, when the numerator has a figure of its own before 占, the first change with a
change word (…2368亿元，占全市…的37.9%，同比增长14.2%). An indicator between 占 and the share is
the denominator: it takes neither.
These relations replace what the classifier found for those values.
"""

from __future__ import annotations

import re

from ..normalize import resolve_value
from ..text import Entity, change_cue_before, cue_re, sentence_index, sentence_starts

MAX_GAP = 8  # characters between the numerator and 占
CLAUSE_BREAK_RE = re.compile(r"[，,；;。！？!?\n]")
SHARE_UNITS = ("%", "成", "分之")


def _is_share(entity: Entity) -> bool:
    resolution = resolve_value(entity.text)
    return resolution is not None and (resolution.unit == "%" or any(u in entity.text for u in SHARE_UNITS[1:]))


def _is_points(entity: Entity) -> bool:
    resolution = resolve_value(entity.text)
    return resolution is not None and resolution.unit == "百分点"


def _numerator(entities: list[Entity], view: str, mark: int) -> int | None:
    """The indicator whose share follows 占 at `mark`: the one right before it in the clause, or,
    after the indicator's own figures and a comma (工业投资21.6亿元，占全县…), the one before them."""
    last = next((i for i in range(len(entities) - 1, -1, -1) if entities[i].end <= mark), None)
    if last is None:
        return None
    gap = view[entities[last].end:mark]
    if entities[last].label == "INDICATOR":
        return last if len(gap) <= MAX_GAP and not CLAUSE_BREAK_RE.search(gap) else None
    if entities[last].label != "VALUE" or gap.strip() not in ("，", ","):
        return None
    for i in range(last - 1, -1, -1):
        if entities[i].label == "INDICATOR":
            return i if "。" not in view[entities[i].end:mark] else None
        if entities[i].label != "VALUE":
            return None
    return None


def share_relations(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """(head index, child index, label) of the relations a share construction states."""
    starts = sentence_starts(view)
    out: list[tuple[int, int, str]] = _shares_of_following(entities, view) + _ratio_changes(entities, view, starts)
    for mark in cue_re("share_of").finditer(view):
        numerator = _numerator(entities, view, mark.start())
        if numerator is None:
            continue
        share = None
        for i in range(numerator + 1, len(entities)):
            entity = entities[i]
            if entity.start < mark.end():
                continue
            if CLAUSE_BREAK_RE.search(view, mark.end(), entity.start):
                break
            if entity.label == "VALUE":
                share = i if _is_share(entity) else None
                break
        if share is None or cue_re("list_mark").search(view, mark.end(), entities[share].start):
            continue  # 占全市比重分别达到38.1%、29.6%: a list of shares, paired by position (gzie.pipeline.lists)
        out.append((numerator, share, "HAS_VALUE"))
        # 规上工业总产值2368亿元，占全市…的37.9%，同比增长14.2%: the growth is of the figure before 占
        own_figure = any(e.label == "VALUE" for e in entities[numerator + 1:share] if e.end <= mark.start())
        sentence = sentence_index(starts, entities[share].start)
        for i in range(share + 1, len(entities)):
            entity = entities[i]
            if sentence_index(starts, entity.start) != sentence or entity.label == "INDICATOR":
                break
            if entity.label == "VALUE":
                growth = change_cue_before(view, entity.start) is not None and not cue_re("level_to", "$").search(
                    view, max(0, entity.start - 4), entity.start)  # 提高到44.7% is a new level
                if _is_points(entity) or (own_figure and growth):
                    out.append((numerator, i, "HAS_CHANGE"))
                break
    return out


def _shares_of_following(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """A share before 的 and an indicator is that indicator's (贡献了全县近七成的工业增加值)."""
    out = []
    for i in range(len(entities) - 1):
        value, indicator = entities[i], entities[i + 1]
        if value.label == "VALUE" and indicator.label == "INDICATOR" and view[value.end:indicator.start] == "的" \
                and _is_share(value):
            out.append((i + 1, i, "HAS_VALUE"))
    return out


def _ratio_changes(entities: list[Entity], view: str, starts: list[int]) -> list[tuple[int, int, str]]:
    """A ratio and, in the next clause, its change in percentage points against a base
    (资产负债率为56.2%，较上年末回落1.4个百分点): both the indicator's."""
    out = []
    for i in range(len(entities) - 2):
        indicator, value = entities[i], entities[i + 1]
        k = i + 2
        while k < len(entities) and entities[k].label == "PERIOD":  # the base: 较上年末
            k += 1
        if k == len(entities):
            continue
        change = entities[k]
        if indicator.label != "INDICATOR" or value.label != "VALUE" or change.label != "VALUE":
            continue
        if not _is_share(value) or not _is_points(change) or len(view[indicator.end:value.start]) > 4 \
                or change_cue_before(view, value.start):
            continue  # a ratio stated as a level (为56.2%), not a growth rate (增长9.2%)
        previous_end = entities[i - 1].end if i else 0
        if cue_re("share_of").search(view, previous_end, indicator.start):
            continue  # the base of a share (占规上工业总产值比重为46.8%) takes nothing
        between = view[value.end:change.start]
        if between[:1] in ("，", ",") and CLAUSE_BREAK_RE.search(between[1:]) is None and \
                sentence_index(starts, value.start) == sentence_index(starts, change.start):
            out += [(i, i + 1, "HAS_VALUE"), (i, k, "HAS_CHANGE")]
    return out
