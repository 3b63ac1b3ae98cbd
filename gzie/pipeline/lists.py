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
PAIRS_CHANGES_GAP_RE = re.compile(r"[，,]")  # 外资4101万美元，同比增长18%、…: a clause of changes after the pairs
SHARE_BASE_GAP = 6  # 占全省, 占全市的: between the numerator and the base of a share
SHARED_JOINER_RE = re.compile(r"\s*(?:[、和及与與]|以及)\s*")  # items of a list that share one figure
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
        if heads and heads[0] > 0 and entities[heads[0]].start - entities[heads[0] - 1].end <= SHARE_BASE_GAP \
                and cue_re("share_of").match(view, entities[heads[0] - 1].end):
            # 产值、R&D经费支出占全省生产总值比重分别为34.8%和1.4%: the base after 占 takes nothing; the
            # indicators before it take the shares
            heads, apart = _run_ending_at(entities, view, heads[0] - 1, "INDICATOR"), True
        else:
            apart = False  # heads found away from 分别 need not stand within MAX_GAP of it
        if not heads and before:
            # Pairs of indicator and value before 分别 (新开工项目42个、竣工项目29个，分别比去年同期增加9个、6个)
            pairs = _pairs_ending_at(entities, view, before[-1])
            if len(pairs) >= 2 and mark.start() - entities[before[-1]].end <= MAX_GAP:
                out += _paired_changes(entities, view, pairs, mark.end(), value_runs, sentence, starts)
                continue
            # A second list for the indicators of a first (营业收入、工业投资较同期增长9.4%、6.2%，占全市比重分别
            # 达到38.1%、29.6%): only their figures stand between them and 分别
            heads = _listed_before_figures(entities, view, before)
            apart = bool(heads)
        if not apart and (not heads or mark.start() - entities[heads[-1]].end > MAX_GAP):
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
    indicators and, in the same clause, a run of as many values right after it; or one figure that
    they all share (规上工业增加值、固定资产投资均增长10%); or pairs of indicator and value and a run of as many
    changes right after them (利用内资15.5亿元、外资4101万美元，同比增长18%、17.17%)."""
    out = []
    for run in value_runs:
        if len(run) == 1 and run[0] not in taken:
            out += _shared_figure(entities, view, run[0])
            continue
        if len(run) < 2 or any(v in taken for v in run):
            continue
        first = entities[run[0]]
        before = run[0] - 1
        while before >= 0 and entities[before].label == "PERIOD":  # a base: 较同期增长9.4%、6.2%
            before -= 1
        if before >= 0 and entities[before].label == "VALUE" and change_cue_before(view, first.start):
            # 利用内资15.5亿元、外资4101万美元，同比增长18%、17.17%: the changes of the pairs, by position
            pairs = _pairs_ending_at(entities, view, before)
            gap = view[entities[before].end:first.start]
            if len(pairs) == len(run) >= 2 and len(gap) <= MAX_GAP and PAIRS_CHANGES_GAP_RE.match(gap):
                out += [(h, v, "HAS_CHANGE") for h, v in zip(pairs, run)]
            continue
        if before < 0 or entities[before].label != "INDICATOR":
            continue
        heads = _run_ending_at(entities, view, before, "INDICATOR")
        gap = view[entities[before].end:first.start]
        if len(heads) != len(run) or len(gap) > MAX_GAP or CLAUSE_BREAK_RE.search(gap):
            continue
        label = "HAS_CHANGE" if change_cue_before(view, first.start) else "HAS_VALUE"
        out += [(h, v, label) for h, v in zip(heads, run)]
    return out


def _shared_figure(entities: list[Entity], view: str, value: int) -> list[tuple[int, int, str]]:
    """A figure that every indicator of the list right before it shares: a change (规上工业增加值、固定资产
    投资增长10%; 亩均税收、人均税收和亩均技工贸总收入增长20%以上), or a value after a word for 'each'
    (均达到, 各; cues.tsv each_word), never a sum (合计100亿元)."""
    before = value - 1
    if before < 1 or entities[before].label != "INDICATOR":
        return []
    # not across a comma (…深入推进，PM2.5平均浓度下降8.6%) or nothing
    heads = _run_ending_at(entities, view, before, "INDICATOR", SHARED_JOINER_RE)
    gap = view[entities[before].end:entities[value].start]
    if len(heads) < 2 or len(gap) > MAX_GAP or CLAUSE_BREAK_RE.search(gap):
        return []
    if change_cue_before(view, entities[value].start):
        label = "HAS_CHANGE"
    elif cue_re("each_word").search(gap):
        label = "HAS_VALUE"
    else:
        return []
    return [(h, value, label) for h in heads]


def _listed_before_figures(entities: list[Entity], view: str, before: list[int]) -> list[int]:
    """The run of two or more indicators before a run of as many figures that ends right before 分别's
    clause, with nothing but figures and bases after the indicators (营业收入、工业投资较同期增长9.4%、6.2%，
    占全市比重分别达到…); [] when there is none."""
    k = len(before) - 1
    while k >= 0 and entities[before[k]].label in ("VALUE", "PERIOD"):
        k -= 1
    if k < 0 or entities[before[k]].label != "INDICATOR":
        return []
    figures = [i for i in before[k + 1:] if entities[i].label == "VALUE"]
    heads = _run_ending_at(entities, view, before[k], "INDICATOR")
    return heads if len(heads) >= 2 and len(figures) == len(heads) else []


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


def _run_ending_at(entities: list[Entity], view: str, index: int, label: str,
                   joiner: re.Pattern | None = None) -> list[int]:
    """The run of `label` entities ending at `index`, joined by list marks (`joiner`, else joiners_re)."""
    if entities[index].label != label:
        return []
    joiner = joiner or joiners_re()
    run = [index]
    while run[0] > 0:
        prev = run[0] - 1
        if entities[prev].label != label or not joiner.fullmatch(view, entities[prev].end, entities[run[0]].start):
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
