"""Relations that a ``分别`` list states outright, position by position.

    工业总产值、固定资产投资、一般公共预算收入分别完成206.3亿元、41.8亿元和9.6亿元，分别增长6.4%、12.1%和4.7%
    2021年、2022年、2023年，营业收入分别为10亿元、12亿元、15亿元

A run of entities of one label joined only by list marks (、 和 及 与 , and spaces) is a list. When a
list of indicators is followed by 分别 and a list of values of the same length, each indicator pairs
with the value in its position: HAS_CHANGE where a change word stands before the values, else
HAS_VALUE. A single indicator before 分别 takes every value of the list; a list of periods or zones
of the same length before it links to the indicator too, and the fact builder pairs them (or the
years of a range, 2021年至2023年) with the values by position. These relations replace what the
classifier found for the same values.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import CUE_LINKS, Entity, change_cue_before, change_signs, cue_re, sentence_index, sentence_starts

JOINERS = r"[、，,和及与以及\s]{0,3}"


@lru_cache(maxsize=1)
def joiners_re() -> re.Pattern:
    """List marks between the items of a list; after 、 和 及 与 a change word may follow
    (分别增长8.7%和下降4.2%), never after a comma (100亿元，增长10% is no list)."""
    cues = "|".join(map(re.escape, sorted(change_signs(), key=len, reverse=True)))
    return re.compile(f"{JOINERS}|\\s*[、和及与]\\s*(?:{cues})[{CUE_LINKS}]?")
# Between a list and 分别, and between 分别 and its values, only a few characters may stand (a verb:
# 完成, 增长, 达到, 为).
MAX_GAP = 8
CLAUSE_BREAK_RE = re.compile(r"[，,；;。：:！？!?\n]")


def _runs(entities: list[Entity], view: str, label: str) -> list[list[int]]:
    """Maximal runs of `label` entities joined only by list marks, as index lists."""
    runs, current = [], []
    for i, e in enumerate(entities):
        if e.label != label:
            if current:
                runs.append(current)
                current = []
            continue
        if current and not joiners_re().fullmatch(view[entities[current[-1]].end:e.start]):
            runs.append(current)
            current = []
        current.append(i)
    if current:
        runs.append(current)
    return runs


def list_relations(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """(head index, child index, label) of the relations 分别 lists state (entities in text order)."""
    starts = sentence_starts(view)
    value_runs = _runs(entities, view, "VALUE")
    out: list[tuple[int, int, str]] = []
    for mark in cue_re("list_mark").finditer(view):
        sentence = sentence_index(starts, mark.start())
        before = [i for i, e in enumerate(entities) if e.end <= mark.start()
                  and sentence_index(starts, e.start) == sentence]
        heads = _run_ending_at(entities, view, before[-1], "INDICATOR") if before else []
        if not heads and before:
            # Pairs of indicator and value before 分别 (新开工项目42个、竣工项目29个，分别比去年同期增加9个、6个)
            pairs = _pairs_ending_at(entities, view, before[-1])
            if len(pairs) >= 2 and mark.start() - entities[before[-1]].end <= MAX_GAP:
                out += _paired_changes(entities, view, pairs, mark.end(), value_runs, sentence, starts)
                continue
        if not heads or mark.start() - entities[heads[-1]].end > MAX_GAP:
            # 分别 before the indicator (梧桐高新区分别新增高新技术企业42家、56家、71家)
            after = next((i for i, e in enumerate(entities) if e.start >= mark.end()), None)
            if after is None or entities[after].label != "INDICATOR" or \
                    entities[after].start - mark.end() > MAX_GAP // 2:
                continue
            heads = [after]
        lists_before = {label: _run_before(entities, view, heads[0], label, sentence, starts)
                        for label in ("PERIOD", "ZONE")}
        for run in value_runs:
            first = entities[run[0]]
            if first.start < mark.end() or sentence_index(starts, first.start) != sentence:
                continue
            if first.start - mark.end() > MAX_GAP and not _follows_run(entities, view, run, value_runs):
                continue
            label = "HAS_CHANGE" if change_cue_before(view, first.start) else "HAS_VALUE"
            if len(heads) == len(run):
                out += [(h, v, label) for h, v in zip(heads, run)]
            elif len(heads) == 1:
                # One indicator and 分别: every value is its own (the items are periods, zones or the
                # years of a range, 2021年至2023年, that the fact builder gives out by position).
                out += [(heads[0], v, label) for v in run]
                for other, relation in (("PERIOD", "IN_PERIOD"), ("ZONE", "IN_ZONE")):
                    items = lists_before[other]
                    if len(items) == len(run) > 1:
                        out += [(heads[0], p, relation) for p in items]
                        break
            break_after = _next_mark(view, mark.end())
            if break_after is not None and first.start > break_after:
                break
    return out + _implicit_lists(entities, view, value_runs, {child for _, child, _ in out})


def _implicit_lists(entities: list[Entity], view: str, value_runs: list[list[int]],
                    taken: set[int]) -> list[tuple[int, int, str]]:
    """Lists paired without 分别 (营业收入、工业投资较同期增长9.4%、6.2%): a run of two or more
    indicators and, in the same clause, a run of as many values right after it."""
    out = []
    for run in value_runs:
        if len(run) < 2 or any(v in taken for v in run):
            continue
        first = entities[run[0]]
        before = run[0] - 1
        while before >= 0 and entities[before].label == "PERIOD":  # a base: 较同期增长9.4%、6.2%
            before -= 1
        if before < 0 or entities[before].label != "INDICATOR":
            continue
        heads = _run_ending_at(entities, view, before, "INDICATOR")
        gap = view[entities[before].end:first.start]
        if len(heads) != len(run) or len(gap) > MAX_GAP or CLAUSE_BREAK_RE.search(gap):
            continue
        label = "HAS_CHANGE" if change_cue_before(view, first.start) else "HAS_VALUE"
        out += [(h, v, label) for h, v in zip(heads, run)]
    return out


def _pairs_ending_at(entities: list[Entity], view: str, index: int) -> list[int]:
    """The indicators of a list of (indicator, value) pairs ending with the value at `index`."""
    heads: list[int] = []
    while index >= 1 and entities[index].label == "VALUE" and entities[index - 1].label == "INDICATOR" \
            and len(view[entities[index - 1].end:entities[index].start]) <= 4:
        heads.insert(0, index - 1)
        previous = index - 2
        if previous < 0 or entities[previous].label != "VALUE" or \
                not joiners_re().fullmatch(view[entities[previous].end:entities[index - 1].start]):
            break
        index = previous
    return heads


def _paired_changes(entities: list[Entity], view: str, heads: list[int], after: int,
                    value_runs: list[list[int]], sentence: int, starts: list[int]) -> list[tuple[int, int, str]]:
    """The changes listed after 分别, position by position, for the indicators of a list of pairs."""
    for run in value_runs:
        first = entities[run[0]]
        if first.start < after or sentence_index(starts, first.start) != sentence:
            continue
        if first.start - after > MAX_GAP * 2 or len(run) != len(heads):
            return []
        label = "HAS_CHANGE" if change_cue_before(view, first.start) else "HAS_VALUE"
        return [(h, v, label) for h, v in zip(heads, run)]
    return []


def _run_ending_at(entities: list[Entity], view: str, index: int, label: str) -> list[int]:
    if entities[index].label != label:
        return []
    run = [index]
    while run[0] > 0:
        prev = run[0] - 1
        if entities[prev].label != label or not joiners_re().fullmatch(view[entities[prev].end:entities[run[0]].start]):
            break
        run.insert(0, prev)
    return run


def _run_before(entities: list[Entity], view: str, head: int, label: str, sentence: int,
                starts: list[int]) -> list[int]:
    """The run of `label` entities in the sentence before entity `head` (a list of years or zones)."""
    candidates = [i for i in range(head) if entities[i].label == label
                  and sentence_index(starts, entities[i].start) == sentence]
    if not candidates:
        return []
    return _run_ending_at(entities, view, candidates[-1], label)


def _follows_run(entities: list[Entity], view: str, run: list[int], value_runs: list[list[int]]) -> bool:
    """Whether a value run follows another one closely (…分别完成A、B和C，分别增长a、b和c), with
    only comparison bases between (…分别为A、B，实际利用外资分别为a、b is another indicator's list)."""
    return any(other[-1] < run[0] and entities[run[0]].start - entities[other[-1]].end <= MAX_GAP * 2
               and all(e.label == "PERIOD" for e in entities[other[-1] + 1:run[0]])  # 分别比上年增长
               for other in value_runs)


def _next_mark(view: str, start: int) -> int | None:
    found = cue_re("list_mark").search(view, start)
    return found.start() if found else None
