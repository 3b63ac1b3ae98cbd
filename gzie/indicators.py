"""Indicators: a canonical id for the name an INDICATOR span gives, read off the data tables.

    indicator_id("规上工业总产值") -> "industrial_output_above_scale"
    indicator_id("钛产业产值") -> "industry_output:钛产业"

indicators.tsv lists the measures (id, Chinese and English name, kind, unit) and
indicator_aliases.tsv the surface forms that name each. Matching (pinned by
tests/specs/indicators.jsonl): normalise (traditional to simplified, full to half width, no spaces,
straight quotes); look the form up; then without brackets and quotes; then without leading scope
words (开发区, 全省 … cues.tsv, role indicator_scope), repeatedly; then without one trailing 额, 数,
总额 … (role indicator_tail). A prefix that is no scope word blocks the fallbacks: 制造业实际使用外资 is
a sub-measure and stays unknown (None).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .resources import read_table
from .text import clause_start, cue_re, cue_values, cue_words, longest_prefix, longest_suffix, normalized_view

QUOTES_RE = re.compile(r"[“”‘’\"'「」『』《》]")
BRACKETS_RE = re.compile(r"[(（][^()（）]*[)）]")


def normalise(surface: str) -> str:
    text = normalized_view(unicodedata.normalize("NFKC", surface))
    text = text.replace("（", "(").replace("）", ")")
    return "".join(text.split())


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {normalise(row["surface"]): row["indicator_id"] for row in read_table("indicator_aliases.tsv")}


@lru_cache(maxsize=1)
def indicator_table() -> dict[str, dict]:
    """id -> row of indicators.tsv (name_zh, name_en, kind, unit, description)."""
    return {row["id"]: row for row in read_table("indicators.tsv")}


@lru_cache(maxsize=65536)
def indicator_id(surface: str) -> str | None:
    """The canonical id of an indicator's name, or None when it names no listed measure."""
    aliases = _aliases()
    text = normalise(surface)
    bare = QUOTES_RE.sub("", text)
    for candidate in (text, QUOTES_RE.sub("", text), BRACKETS_RE.sub("", bare)):
        if candidate in aliases:
            return aliases[candidate]
    candidate = BRACKETS_RE.sub("", bare)
    scopes = cue_words("indicator_scope")
    while True:
        scope = longest_prefix(candidate, scopes)
        if not scope or len(scope) == len(candidate):
            break
        candidate = candidate[len(scope):]
        if candidate in aliases:
            return aliases[candidate]
    for tail in sorted(cue_words("indicator_tail"), key=len, reverse=True):
        if candidate.endswith(tail) and candidate[:-len(tail)] in aliases:
            return aliases[candidate[:-len(tail)]]
    if _names_zones(candidate):
        return "zone_count"  # 省级以上开发区, 综合保税区 counted: the number of zones
    offer = longest_suffix(candidate, cue_words("offer_word"))
    if offer and offer != candidate and offer in aliases:
        return aliases[offer]  # 购房补贴, 引荐奖励: what a policy offers, named after its purpose
    return _scoped(candidate)


SCOPE_RE = re.compile(r"[\u3400-\u9fffA-Za-z0-9]{1,12}")
INDUSTRY_END = "业"  # 钛产业, 乳业, 制造业: the scope of an industry's output or revenue


def _scoped(candidate: str) -> str | None:
    """A measure of a named industry or product (钛产业产值, 笔记本电脑产量): the measure's id and the
    scope as written, `industry_output:钛`, so that each industry keeps a series of its own."""
    values = cue_values("scoped_measure")
    suffix = longest_suffix(candidate, values)
    if not suffix:
        return None
    scope = candidate[:-len(suffix)]
    if not SCOPE_RE.fullmatch(scope) or cue_re("scoped_measure_not").search(scope) \
            or scope in cue_words("bare_scope"):
        return None
    if values[suffix].startswith("industry_") and not scope.endswith(INDUSTRY_END):
        return None  # 开发区营业收入 is the zone's, not an industry's
    return f"{values[suffix]}:{scope}"


def _names_zones(text: str) -> bool:
    """Whether an indicator's name is a kind or group of zones (省级以上开发区, 国家级经开区)."""
    from .zones import canonical_zone, zone_suffixes

    if not any(text.endswith(suffix) for suffix in zone_suffixes()):
        return False
    zone = canonical_zone(text)
    return zone is not None and zone.get("canonical") is None


# --- finding -----------------------------------------------------------------------------------

FIGURE_GAP_RE = re.compile(r"[^，,；;。！？!?：:\n]{0,8}")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
DIGIT_BEFORE_BOUND_RE = re.compile(r"[0-9][^0-9]{0,3}\Z")
MAX_MODIFIER = 4  # characters between a bound and the listed name it modifies (制造业)


@lru_cache(maxsize=1)
def _names_re() -> re.Pattern:
    from .agencies import trie_regex

    names = [name for name in _aliases() if len(name) >= 2 and not QUOTES_RE.search(name)]
    return re.compile(trie_regex(names))


COUNTED_NOUN_END_RE = re.compile(r"[，,；;。！？!?、：:\n]|\Z")


def find_counted_nouns(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of `view` that name a listed measure written after its figure, the count before the
    noun (入驻412户企业，新建成12万平方米标准厂房。) or, after a verb of having, zones of a level (共有64个
    省级开发区。): the name starts where one of `values` ends and ends its clause (guidelines 8.2, counts)."""
    from .zones import group_at

    found = []
    for start, end in values:
        match = _names_re().match(view, end)
        if match is not None and match.end() > end and (COUNTED_NOUN_END_RE.match(view, match.end())
                                                        or _counted_subject(view, start, end, match.end())):
            found.append(match.span())
        elif (group := group_at(view, start)) is not None and group > end and COUNTED_NOUN_END_RE.match(view, group) \
                and cue_re("zones_counted", "$").search(view, max(0, start - 3), start) is not None \
                and cue_re("group_head").match(view, end) is not None:
            found.append((end, group))  # 共有64个省级开发区。: the zones of a level counted
    return found


@lru_cache(maxsize=1)
def _subject_tail_re() -> re.Pattern:
    adverbs, verbs = cue_re("count_adverb").pattern, cue_re("count_verb").pattern
    closing = cue_re("subject_verb").pattern
    return re.compile(f"{adverbs}?(?:{verbs}|{closing})[\u4e00-\u9fff]{{0,4}}(?=[，,；;。！？!?、\\n]|\\Z)")


def _counted_subject(view: str, start: int, end: int, name_end: int) -> bool:
    """57项重点项目陆续开复工，12家企业入选: a count with its listed noun as the subject of a verb that
    closes the clause (cues.tsv, count_adverb, count_verb and subject_verb) counts that noun."""
    from .normalize import resolve_value

    if _subject_tail_re().match(view, name_end) is None:
        return False
    resolution = resolve_value(view[start:end])
    return resolution is not None and resolution.kind in COUNT_KINDS


COUNTED_NOUN_RE = re.compile(r"[\u4e00-\u9fff“”]{2,10}")
NOT_IN_COUNTED_NOUN = "的每比与前后"  # 负荷的, 每亩, 比清理前, 建成后: no noun of its own
COUNT_KINDS = ("count", "quantity")


def find_nouns_after_verbs(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of `view` naming what a count or quantity counts, between a verb and the figure in one
    clause (建成市政道路23公里, 举办展会46场, 建设保障性租赁住房3 000套): the noun after the last verb
    of newness or work (cues.tsv, count_verb) up to the figure. Money and ratios are left to the
    model and the listed names: their measures are named, not counted."""
    from .normalize import resolve_value

    verbs, edges = cue_re("count_verb"), cue_words("indicator_edge")
    found = []
    for start, end in values:
        resolution = resolve_value(view[start:end])
        if resolution is None or resolution.kind not in COUNT_KINDS:
            continue
        for verb in reversed(list(verbs.finditer(view, clause_start(view, start), start))):
            # the last verb that leaves a noun: in 新建社区养老服务站18个, 服务 leaves only 站
            if COUNTED_NOUN_RE.fullmatch(view, verb.end(), start) is not None:
                noun = view[verb.end():start]
                if not (any(c in NOT_IN_COUNTED_NOUN for c in noun) or verbs.match(noun)
                        or longest_suffix(noun, edges) or longest_prefix(noun, edges)):
                    found.append((verb.end(), start))  # not 累计 (…市场主体累计8.9万户), not 达到
                break
    return found


INDUSTRY_RUN_RE = re.compile(r"[\u4e00-\u9fff]{1,8}业\Z")


@lru_cache(maxsize=1)
def _industry_measure_re() -> re.Pattern:
    words = [w for w, value in cue_values("scoped_measure").items() if value.startswith("industry_")]
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=1)
def _industry_lead_re() -> re.Pattern:
    from .zones import zone_words_alternation

    edges = [w for w, where in cue_values("indicator_edge").items() if where in ("start", "both")]
    return re.compile(f"{zone_words_alternation()}|" + "|".join(re.escape(w) for w in sorted(edges, key=len,
                                                                                              reverse=True)))


def _industry_starts(view: str, lower: int, upper: int) -> set[int]:
    """Where an industry's name may start between `lower`, the clause start, and `upper`: there,
    after a zone word (全区, 园区) or after a verb an INDICATOR never starts with (完成, 实现)."""
    return {lower} | {match.end() for match in _industry_lead_re().finditer(view, lower, upper)}


def find_industry_measures(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of `view` naming the output, value added or revenue of a named industry (先进制造业增加值,
    装备制造业产值) right before one of `values` in the same clause: the industry's name from the
    clause start, a zone word or a verb up to the measure. Such names are open-ended, so no list
    holds them; the scope must pass indicator_id's industry check (it ends in 业 and is no group
    such as 主导产业)."""
    found: list[tuple[int, int]] = []
    for figure, _ in values:
        lower = clause_start(view, figure)
        measures = [m for m in _industry_measure_re().finditer(view, lower, figure)
                    if FIGURE_GAP_RE.fullmatch(view, m.end(), figure)]
        if not measures:
            continue
        measure = measures[-1]
        run = INDUSTRY_RUN_RE.search(view, max(lower, measure.start() - 9), measure.start())
        if run is None:
            continue
        starts = _industry_starts(view, lower, measure.start())
        for start in range(run.start(), measure.start() - 1):
            if start in starts and _scoped(normalise(view[start:measure.end()])) is not None:
                if (start, measure.end()) not in found:
                    found.append((start, measure.end()))
                break
    return found


def find_indicators(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of `view` that name a listed measure (indicator_aliases.tsv) and are followed, in the
    same clause and within a few characters, by one of `values` (VALUE spans), or that begin a list
    of names before 分别 and its figures: an indicator is the quantity a figure measures
    (guidelines), so a name without a figure is none."""
    starts = sorted(start for start, _ in values)
    found = []
    position = 0
    while (match := _names_re().search(view, position)) is not None:
        start, end = match.span()
        position = max(end, start + 1)
        if end == start:
            continue
        gap = FIGURE_GAP_RE.match(view, end)
        limit = gap.end() if gap else end
        if any(end <= s <= limit for s in starts) or _heads_a_list(view, end, starts):
            found.append((_after_threshold(view, start), end))
    return found


@lru_cache(maxsize=1)
def _list_items_re() -> re.Pattern:
    """The rest of a list of names up to its list mark (、进出口总额、固定资产投资分别)."""
    return re.compile(f"(?:[、和及与][\u4e00-\u9fff“”]{{2,12}}?){{1,6}}{cue_re('list_mark').pattern}")


def _heads_a_list(view: str, end: int, starts: list[int]) -> bool:
    """Whether a name ending at `end` is the first item of a list of names that a list mark and
    figures follow in its clause (财政收入、进出口总额分别增长31.9%和42.7%)."""
    items = _list_items_re().match(view, end)
    return items is not None and any(items.end() < s <= items.end() + 12 for s in starts)


def _after_threshold(view: str, start: int) -> int:
    """Where a listed name starts once the modifier between a bound and it is taken in: in
    总投资10亿元以上制造业项目 the bound is no figure (guidelines 8.4) and the measure is 制造业项目."""
    for size in range(1, MAX_MODIFIER + 1):
        begin = start - size
        if begin < 0 or not HAN_RE.match(view, begin):
            break
        bound = longest_suffix(view[max(0, begin - 3):begin], cue_words("threshold_end"))
        if bound and DIGIT_BEFORE_BOUND_RE.search(view, max(0, begin - len(bound) - 4), begin - len(bound)):
            return begin
    return start


# --- lists sharing one head word ---------------------------------------------------------------

ITEM_RE = re.compile(r"[\u4e00-\u9fff“”]{1,12}")
ITEM_JOINER_RE = re.compile(r"[和及与]")
COUNTED_GROUP_RE = re.compile(r"[0-9一二三四五六七八九十两兩]+[大个個类類项項]")


def shared_head_lists(view: str) -> list[tuple[list[tuple[int, int]], str]]:
    """Lists of names whose last item alone carries the measure they share, right before a list mark
    (第一产业、第二产业、第三产业增加值分别增长…; 教育、科学技术和社会保障支出分别…; cues.tsv shared_head):
    the spans of the items, the last with the head, and the head. An item may be cut at a joiner
    (和, 及, 与) only where the list needs it to match the items to the figures; callers check that."""
    lists = []
    heads = cue_words("shared_head")
    for mark in cue_re("list_mark").finditer(view):
        head = longest_suffix(view[max(0, mark.start() - 8):mark.start()], heads)
        if head is None:
            continue
        begin = clause_start(view, mark.start())
        run = view[begin:mark.start()]
        if "、" not in run:
            continue
        items, position = [], begin
        for part in run.split("、"):
            items.append((position, position + len(part)))
            position += len(part) + 1
        if any(ITEM_RE.fullmatch(view, s, e) is None for s, e in items[1:]) or items[-1][1] - items[-1][0] <= len(head):
            continue
        if "的" in view[items[-1][0]:items[-1][1]] or COUNTED_GROUP_RE.search(view, *items[-1]):
            continue  # 来自香港、日本的外资项目, 汽车、装备制造三大产业产值: the items are kinds of one measure
        zone_end = cue_re("zone_word", "$")
        if any(zone_end.search(view, s, e) for s, e in items[:-1] + [(items[-1][0], items[-1][1] - len(head))]):
            continue  # 梧桐高新区、白鹭综保区营业收入分别…: a list of zones, not of measures
        lists.append((items, head))
    return lists


def split_last_item(view: str, items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The items with the last cut at its first joiner (科学技术和社会保障支出 -> 科学技术, 社会保障支出)."""
    start, end = items[-1]
    joiner = ITEM_JOINER_RE.search(view, start, end)
    if joiner is None or joiner.start() == start:
        return items
    return items[:-1] + [(start, joiner.start()), (joiner.end(), end)]


MEASURE_END_RE = re.compile(r"(?:[值额額量率数數]|[A-Za-z])\Z")


def takes_shared_head(item: str) -> bool:
    """Whether a list item names no measure of its own and takes the head the list shares (第一产业 of
    第一产业、第三产业增加值 does; 地区生产总值 and GDP, measures already, do not)."""
    return (indicator_id(item) is None and MEASURE_END_RE.search(item) is None
            and longest_suffix(item, cue_words("shared_head")) is None)
