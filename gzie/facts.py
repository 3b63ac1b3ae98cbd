"""Fact records: one per figure, assembled from entities, relations and the normalizers.

A fact is an INDICATOR with a value and/or a change, the period it covers and the zone it is
about. Real releases state a period or a zone once and leave it implicit afterwards, so the
builder reads context with one precedence rule for each:

Period
    1. a PERIOD linked to the indicator by IN_PERIOD;
    2. otherwise the period in scope: the last PERIOD stated before the figure, in its own
       sentence or anywhere earlier in the document (a headline, a lead, an earlier paragraph).
    A base of comparison (比上年同期, 较上半年, 与2019年相比, 去年同期) is never a fact's period; a
    target (到2025年) governs only its own sentence, an aside (6月当月) only its own clause (up to
    ；), a period mentioned after every figure of its sentence (扭转了去年以来的下滑) only that
    sentence; 当年 and 同年 are read against the period in scope, not against the publication date,
    and 全年 against a year named before it in its paragraph (2022年，…全年实现), else the publication date.
    A period inside an eligibility condition (对上年度…超过300万元的企业), the base of a rate
    (按企业上年度研发费用的10%), a plan's name (完成全年目标任务的) or an earlier level (由2020年末的548家)
    is no fact's period and governs nothing. A ``分别`` list over a range of years gives each item its
    own year (a change after the list, 年均增长12.9%, keeps the range), and a list of periods, linked
    or right before 分别, pairs with a list of values position by position.
Zone
    1. a ZONE linked by IN_ZONE;
    2. otherwise the last ZONE stated earlier in the document, or the zone named inside a zone
       body (合肥高新区管委会发布数据 -> 合肥高新区) when that comes later; a figure for a whole city,
       province or county (全市规模以上工业增加值) has no zone, nor does a figure after a bare zone
       word of another kind than the group of zones in scope (全市开发区…。高新区拥有…).
    A zone named in a 其中 breakdown governs its own sentence only; the field of a rank (位居全省园区
    前三) is no zone in scope; a bare zone word heading a clause brings back the last zone of its kind
    named before (西安高新区…云谷软件城…。高新区实现…) when another zone is in scope, and before any zone
    is named, the one zone of its kind the text names later.
    A ZONE heading a clause of a 其中 breakdown, or of an enumeration of zones, followed by figures
    no indicator took (其中丹霞产业园完成286.4亿元，增长13.1%) is that zone's part: the figures take
    the indicator and period of the figure before it with the same unit.
Values and changes
    An indicator with several values gives one fact per value; each change pairs with the value
    before it (a change in 百分点 with a share); changes listed after several indicators with one
    value each (研发平台97个，比上年末分别增加41家和14个) go to them by position; in 由A提高到B the value
    is B and A is a base; a change right after a bracketed breakdown (86.4亿元（其中出口51.2亿元），同比增长4.6%)
    is the change of the figure before the bracket. A change of a growth rate (增速比上半年提高0.6个百分点),
    a contribution (拉动), a two-year average or progress against a plan is not a figure of the
    indicator and is left out; a growth rate written as the value (增速达到14.6%) is the change.
    A qualifier written before a value (突破, 最高) qualifies it, unless it ends another word (签约).

Everything is read off the normalized view of the text (gzie.text.normalized_view), so a page in
half-width punctuation or traditional characters gives the same facts; texts in the records
(indicator, value_text, sentence …) quote the original.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from .indicators import indicator_id, shared_head_lists, split_last_item, takes_shared_head
from .normalize import resolve_period, resolve_value
from .normalize.numbers import parse_number
from .resources import read_table
from .text import (
    Entity,
    change_cue_before,
    change_signs,
    clause_end,
    clause_start,
    clutter_spans,
    cue_re,
    cue_values,
    cue_words,
    eligible_re,
    longest_prefix,
    longest_suffix,
    normalized_view,
    qualifier_lookalike_before,
    sentence_index,
    sentence_starts,
)
from .zones import canonical_zone, ends_in_zone_word, is_bare, is_group, zone_suffixes, zone_words_alternation

DOC_NUMBER_RE = re.compile(r"^[》\s（(]*([\u4e00-\u9fff]{1,12}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号)")
CLAUSE_GROUP_END_RE = re.compile(r"[；;]")  # an aside period (6月当月) governs up to here
SENTENCE_CHARS = 300  # the longest `sentence` a fact carries
HEADLINE_BODY_RE = re.compile(r"[。！？!?]")  # the first line holding one of these ends the headline lines
MEASURE_WORDS = "个家所"  # the measure word after a count of zones (37个, 158家)
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s?年")  # a year the text names
WHOLE_YEAR = "whole_year"  # context_period value of 全年: read as a whole year, not against the named year
LIST_CHANGE_GAP = 8  # characters between 分别 and the first figure of its list (分别比上年末增加)
PERIOD_JOINER_RE = re.compile(r"\s*[、和及与與]\s*")  # between the periods of a list (2021年、2022年和2023年)
RATE_WORD = "增速"  # the name of a growth rate whose change the text states without naming it
LIST_GAP_BREAK_RE = re.compile(r"[。；;！？!?\n]")  # a list of periods and its 分别 share a clause group
LEVEL_FROM_WINDOW = 14  # characters between 由 and the earlier level (由2020年末的548家)


def _parse_date(date: str | None) -> dt.date | None:
    return dt.date.fromisoformat(date) if date else None


def _round(number: float, scale: int = 1) -> float:
    """number / scale without binary noise: 0.9 / 100 -> 0.009, not 0.009000000000000001."""
    return float(Decimal(repr(number)) / scale)


def _clause_before(view: str, start: int) -> str:
    """The text from the last clause break before `start` up to `start`."""
    return view[clause_start(view, start):start]


# --- periods -----------------------------------------------------------------------------------


@dataclass
class _Period:
    entity: Entity
    comparison: bool
    target: bool
    sentence: int
    context: bool  # 当年, 同年, 全年: read against the period in scope
    until: bool = False  # 到6月底 in a release after June: from an open start up to that day
    aside: bool = False  # 6月当月, 其中10月当月: governs its own clause only (up to ；)
    condition: bool = False  # 对上年度…的企业, 完成全年目标的: part of a condition or a plan, no fact's period
    whole_year: bool = False  # 全年: the year named in scope in its paragraph (2022年), else the document date's
    bracket_end: int | None = None  # 31个(2021年全年30个): governs the figures in its brackets only


def _is_comparison(view: str, period: Entity) -> bool:
    before = view[max(0, period.start - 4):period.start]
    after = view[period.end:period.end + 3]
    return (cue_re("comparison_before", "$").search(before) is not None
            or cue_re("comparison_after", "^").search(after) is not None
            or cue_re("comparison_inside").search(period.text) is not None)


@lru_cache(maxsize=1)
def _later_level_re() -> re.Pattern:
    """The words to the later level and its first digit (增加到1286家, 提高至37.4%, 上升到第16位)."""
    return re.compile(f"(?:{cue_re('level_to').pattern})\\s*第?[0-9０-９一二三四五六七八九十两兩]")


def _is_earlier_level(view: str, period: Entity) -> bool:
    """The date of an earlier level in 由A提高到B (由2020年末的548家增加到1286家) or of a figure after 从/由
    and 的 (从当年的3平方公里起步): a base of comparison."""
    if cue_re("level_from", "$").search(view, max(0, period.start - 2), period.start) is None:
        return False
    if EARLIER_FIGURE_RE.match(view, period.end):
        return True  # 从当年的3平方公里起步区（发展到…）: the year of the earlier figure
    return _later_level_re().search(view, period.end, clause_end(view, period.end)) is not None


def _is_target(view: str, period: Entity) -> bool:
    """A target (到2025年) or the year of a plan (2022年工作安排): it governs its own sentence only."""
    return (cue_re("target_before", "$").search(view[max(0, period.start - 4):period.start]) is not None
            or cue_re("target_after", "^").search(view[period.end:period.end + 4]) is not None)


def _is_condition(view: str, period: Entity) -> bool:
    """A period inside an eligibility condition (对上年度研发费用超过300万元的企业, 对2023年新认定的
    企业: its clause ends in 的 and whom it makes eligible) or in the base of a rate (按企业上年度研发费用
    的10%)."""
    end = clause_end(view, period.end)
    basis = cue_re("basis_before").search(view, clause_start(view, period.start), period.start)
    if basis is not None and "的" in view[period.end:end]:
        return True  # 按企业上年度研发费用的10%: the period of the base of a rate
    return any(match.end() == end for match in eligible_re().finditer(view, period.end, end))


def _is_plan_reference(view: str, period: Entity) -> bool:
    """A period inside a plan's name after a verb of progress (完成全年目标任务的111.7%, 提前完成全年招引
    2个重大项目的任务)."""
    if cue_re("progress_before", "$").search(view, max(0, period.start - 4), period.start) is None:
        return False
    return (cue_re("plan_after", "^").match(view[period.end:period.end + 2]) is not None
            or _plan_named_after_re().search(view, period.end, clause_end(view, period.end)) is not None
            or _plan_noun_after_re().match(view, period.end) is not None)


@lru_cache(maxsize=1)
def _plan_noun_after_re() -> re.Pattern:
    """A plan word closing the noun phrase right after the period (制定全年项目投资计划，)."""
    return re.compile(f"[\u4e00-\u9fff]{{0,6}}?{cue_re('plan_after').pattern}(?=[，,；;。、\\s]|$)")


@lru_cache(maxsize=1)
def _plan_named_after_re() -> re.Pattern:
    """的 and a plan word closing the plan's name (完成全年招引2个重大项目的任务)."""
    return re.compile(f"的{cue_re('plan_after').pattern}")


def _is_look_back(text: str) -> bool:
    """近三年, 过去五年, 五年来: a period over the years up to the document date (cues.tsv, look_back)."""
    words = cue_values("look_back")
    return (longest_prefix(text, [w for w, at in words.items() if at == "start"]) is not None
            or longest_suffix(text, [w for w, at in words.items() if at == "end"]) is not None
            and not any(c.isdigit() for c in text))


def _is_aside(period: Entity) -> bool:
    """An aside (6月当月 in a release on 1-6月): it governs its own clause only."""
    return cue_re("aside_inside").search(period.text) is not None


EARLIER_FIGURE_RE = re.compile(r"的[约近]?[0-9０-９]")  # 从当年的3平方公里: a figure of that date
EVENT_DAY_RE = re.compile(r"(?:[0-9０-９一二三四五六七八九十]月|[日号號])\Z")
BRACKET_OPEN_BEFORE_RE = re.compile(r"[(（][^()（）\n]{0,20}\Z")
BRACKET_CLOSE_AFTER_RE = re.compile(r"[^()（）\n]{0,40}?[)）]")


def _closing_bracket(view: str, entity: Entity) -> re.Match | None:
    """The rest of the brackets an entity stands in, up to the closing bracket (for 2021年全年 in
    (2021年全年30个): 30个)); None when it stands in none."""
    opening = BRACKET_OPEN_BEFORE_RE.search(view, max(0, entity.start - 21), entity.start)
    return BRACKET_CLOSE_AFTER_RE.match(view, entity.end) if opening is not None else None


def _bracket_end(view: str, period: Entity, values: list[Entity]) -> int | None:
    """Where the brackets close around a period with a figure after it (招引项目31个(2021年全年30个),
    增长了近110倍(1991年时22家)): the figure in brackets is a base for the one outside, and the period
    governs that figure only, not the figures around the brackets."""
    closing = _closing_bracket(view, period)
    if closing is None or not any(period.end <= v.start and v.end <= closing.end() for v in values):
        return None
    return closing.end()


def _is_event_date(view: str, period: Entity) -> bool:
    """The date of an event (2012年经国务院批复, 1998年，设立, 成立于2001年8月), not of figures; 2019年，纳入监测的
    全区26个开发区 is the period of the figures of the zones counted (event_lookalike)."""
    after = period.end + (view[period.end:period.end + 1] in "，, ")
    after += view[after:after + 1] in "初底末"  # 本月初挂牌运行的自贸试验区
    if cue_re("event_before", "$").search(view, max(0, period.start - 4), period.start) is not None:
        return True  # 成立于2001年8月
    return (cue_re("event_after").match(view, after) is not None
            and cue_re("event_lookalike").match(view, after) is None)


class _PeriodScope:
    """The periods of a document, classified, with the period in scope at any offset."""

    def __init__(self, view: str, entities: list[Entity], starts: list[int], ref: dt.date | None):
        self.view, self.ref, self.starts = view, ref, starts
        context, whole_years = cue_re("context_period", "^"), cue_values("context_period")
        last_figure: dict[int, int] = {}  # sentence -> end of its last figure
        first_figure: dict[int, int] = {}  # sentence -> start of its first figure
        values = [e for e in entities if e.label == "VALUE"]
        for e in values:
            sentence = sentence_index(starts, e.start)
            last_figure[sentence] = max(last_figure.get(sentence, 0), e.end)
            first_figure[sentence] = min(first_figure.get(sentence, e.start), e.start)
        self.periods = []
        for e in entities:
            if e.label != "PERIOD":
                continue
            until = self._is_until(view, e)
            sentence = sentence_index(starts, e.start)
            # A period mentioned in passing after every figure of its sentence (……增长8.4%，扭转了去年以来
            # 持续下滑的局面) governs no later sentence, like a target.
            passing = sentence in last_figure and last_figure[sentence] <= e.start
            # A look-back after a figure of its sentence (近2700家，近三年平均增长超20%) is that figure's only.
            if not passing and sentence in first_figure and first_figure[sentence] < e.start:
                passing = _is_look_back(e.text)
            word = context.match(e.text)
            self.periods.append(_Period(e, _is_comparison(view, e) or _is_earlier_level(view, e),
                                        (_is_target(view, e) or passing) and not until,
                                        sentence, word is not None, until, _is_aside(e),
                                        _is_condition(view, e) or _is_plan_reference(view, e),
                                        word is not None and whole_years.get(word.group(0)) == WHOLE_YEAR,
                                        _bracket_end(view, e, values)))
        self.by_entity = {(p.entity.start, p.entity.end): p for p in self.periods}
        # The date of an event (2012年经国务院批复, 1998年设立, 2019年8月，省政府提出…) is no period for the
        # figures after it.
        self.usable = [p for p in self.periods
                       if not p.comparison and not p.condition and not _is_event_date(view, p.entity)
                       and not (p.sentence not in first_figure and self._is_event_day(p))]
        self.ends = [p.entity.end for p in self.usable]
        self._records: dict[tuple[int, int], dict] = {}

    def _is_until(self, view: str, period: Entity) -> bool:
        """到/至 before a day that has passed by the document date (到6月底, 至6月末): the figures run
        up to it, an as-of period, not a target (到2025年 in a 2023 release is one)."""
        if cue_re("until_before", "$").search(view[max(0, period.start - 2):period.start]) is None:
            return False
        resolved = resolve_period(period.text, self.ref)
        return bool(resolved and resolved.end and self.ref and resolved.end <= self.ref.isoformat())

    def _is_event_day(self, period: _Period) -> bool:
        """A month or a day heading a clause (2019年8月，省政府提出…; 3月15日，园区举行…): in a sentence with no
        figure it dates an event, not the figures of later sentences. A span of months (1-8月), a month's
        end (9月底) and an as-of day govern on."""
        view, entity = self.view, period.entity
        if period.until or view[entity.end:entity.end + 1] not in ("，", ",") or not EVENT_DAY_RE.search(entity.text):
            return False
        resolved = resolve_period(entity.text, self.ref)
        return bool(resolved and resolved.start and resolved.end and resolved.start[:7] == resolved.end[:7])

    def get(self, entity: Entity) -> _Period | None:
        return self.by_entity.get((entity.start, entity.end))

    def in_scope(self, offset: int) -> _Period | None:
        """The last usable period ending at or before `offset`; a target only within its sentence."""
        sentence = sentence_index(self.starts, offset)
        k = bisect.bisect_right(self.ends, offset)
        while k:
            k -= 1
            period = self.usable[k]
            if period.aside and (period.sentence != sentence or CLAUSE_GROUP_END_RE.search(self.view, period.entity.end,
                                                                                         offset)):
                continue
            if period.bracket_end is not None and offset >= period.bracket_end:
                continue
            if not period.target or period.sentence == sentence:
                return period
        return None

    def _year_named_in_paragraph(self, offset: int) -> dt.date | None:
        """The last year named before `offset` in its paragraph, outside periods that are bases,
        targets, conditions or passing mentions, and not after the document date."""
        start = self.view.rfind("\n", 0, offset) + 1
        usable = {id(p) for p in self.usable}
        unusable = [(p.entity.start, p.entity.end) for p in self.periods if id(p) not in usable or p.target]
        years = [int(m.group(1)) for m in YEAR_RE.finditer(self.view, start, offset)
                 if not any(a <= m.start() < b for a, b in unusable)]
        years = [y for y in years if self.ref is None or y <= self.ref.year]
        return dt.date(years[-1], 12, 31) if years else None

    def bracketing(self, offset: int) -> _Period | None:
        """The period in brackets before `offset` in the same brackets (2021年全年 for 30个 in
        (2021年全年30个))."""
        return next((p for p in self.usable if p.bracket_end is not None and p.entity.end <= offset < p.bracket_end),
                    None)

    def reference(self, period: _Period) -> dt.date | None:
        """The date a period is read against: the document date, or for 当年 the end of the period
        in scope before it."""
        if not period.context:
            return self.ref
        before = self.in_scope(period.entity.start)
        while before is not None and before.context and before.entity.start >= period.entity.start:
            before = self.in_scope(before.entity.start)
        if period.whole_year and before is not None and before.context:
            end = self.resolve(before)[1]  # 全年…。全年…: the year the first one was read as
            if end is not None:
                return dt.date(int(end[:4]), 12, 31)
        if period.whole_year and (before is None or YEAR_RE.search(before.entity.text) is None
                                  or ("\n" in self.view[before.entity.end:period.entity.start]
                                      and (period.target or not _heads_a_report(self.view, before.entity)))):
            # 2023年交出了一份答卷。全年完成…: a year the paragraph names before 全年 outside any period
            # in scope; else 全年 after a relative period (四季度), after a year in an earlier paragraph that
            # heads no report (2011年国务院批复…) or in a target (力争全年…), or with none in scope:
            # the document date's
            return self._year_named_in_paragraph(period.entity.start) or self.ref
        if before is None:
            # No period in scope: the last year the text names before (2007年升格为省级开发区，当年…)
            years = YEAR_RE.findall(self.view, 0, period.entity.start)
            return dt.date(int(years[-1]), 12, 31) if years else self.ref
        resolved = resolve_period(before.entity.text, self.reference(before))
        if resolved is None or resolved.end is None:
            return self.ref
        if period.whole_year and (resolved.start or resolved.end)[:7] == resolved.end[:7]:
            return self.ref  # a dateline's day or month (2020年3月) names no year of figures
        end = dt.date.fromisoformat(resolved.end)
        # 2022年，经开区全年实现…: the year the period in scope names
        return dt.date(end.year, 12, 31) if period.whole_year else end

    def resolve(self, period: _Period) -> tuple[str | None, str | None]:
        resolved = resolve_period(period.entity.text, self.reference(period))
        if resolved is None:
            return None, None
        return (None if period.until else resolved.start), resolved.end


def _year_split(start: str | None, end: str | None) -> list[tuple[str, str]]:
    """The calendar years of a period that covers two or more whole years, else []."""
    if not start or not end or start[5:] != "01-01" or end[5:] != "12-31":
        return []
    first, last = int(start[:4]), int(end[:4])
    return [(f"{y}-01-01", f"{y}-12-31") for y in range(first, last + 1)] if last > first else []


# --- zones -------------------------------------------------------------------------------------


def _zone_of_body(agency: Entity) -> Entity | None:
    """The zone inside a zone body's name: 合肥高新区管委会 -> 合肥高新区 (same offsets)."""
    match = cue_re("zone_body", "$").search(agency.text)
    if match is None or match.start() < 2:
        return None
    name = agency.text[:match.start()]
    if cue_re("zone_word", "$").search(name) is None:
        return None
    return Entity(agency.start, agency.start + len(name), "ZONE", name)


class _ZoneScope:
    """The zones of a document with the zone in scope at any offset.

    - A bare zone word of another kind than the group of zones in scope (全市开发区…。高新区拥有…)
      names one member of the group without naming it: from there on no zone is in scope until the
      next zone is named.
    - A zone named in a 其中 breakdown (其中，国家高新区实现…) governs its own sentence only; after it the
      zone in scope before the breakdown takes over again.
    - A zone that is the field of a rank (居全省园区第二, 在全市开发区中排名第7) or a title sought or won
      (打造成…工业基地, 争创国家级高新区) is no zone in scope.
    - A zone named in brackets (含双流园区, 未含潜江高新区) governs nothing outside them.
    - A bare zone word heading a clause (。高新区实现…) brings back the last zone named before of its
      kind (西安高新区) when another zone (a sub-park named in passing) is in scope; before any zone
      is named, it brings in the one zone of its kind the text names later."""

    def __init__(self, view: str, entities: list[Entity], starts: list[int]):
        self.view = view
        zones = [e for e in entities if e.label == "ZONE"]
        zones += [z for e in entities if e.label == "AGENCY" and (z := _zone_of_body(e)) is not None]
        zones = sorted(zones, key=lambda e: (e.end, e.start))
        taken = [(e.start, e.end) for e in entities]
        self.entries: list[tuple[int, Entity | None, int]] = []  # (end, zone it puts in scope, last offset)
        for k, group in enumerate(zones):
            if _names_no_zone_in_scope(view, group):
                continue  # 在全省高新区中排名第八。园区…: the field of a rank names no group in scope
            stop = zones[k + 1].start if k + 1 < len(zones) else len(view)
            member = _member_of_group_between(view, group, stop, taken)
            if member is not None:
                self.entries.append((member[1], None, len(view)))
        for zone in zones:
            if not _names_no_zone_in_scope(view, zone):
                last = _breakdown_sentence_end(view, starts, zone)
                self.entries.append((zone.end, zone, min(last, _zone_bracket_end(view, zone))))
        self.entries.sort(key=lambda entry: entry[0])
        self.ends = [entry[0] for entry in self.entries]
        for match in _bare_zone_re().finditer(view):
            if any(a < match.end() and match.start() < b for a, b in taken):
                continue
            named = self._named_before(match.group(0), match.start()) or self._named_later(match.group(0),
                                                                                          match.start(), zones)
            if named is not None:
                k = bisect.bisect_right(self.ends, match.end())
                self.entries.insert(k, (match.end(), named, len(view)))
                self.ends.insert(k, match.end())

    def _named_before(self, word: str, offset: int) -> Entity | None:
        """The zone a bare zone word at `offset` brings back: the last zone named before it whose name
        ends in the word or its long form, when the zone in scope is another one (not a group)."""
        current = self.in_scope(offset)
        if current is None or is_group(current.text) or ends_in_zone_word(current.text, word):
            return None
        for end, zone, _ in reversed(self.entries[:bisect.bisect_right(self.ends, offset)]):
            if zone is not None and not is_group(zone.text) and ends_in_zone_word(zone.text, word):
                return zone
        return None

    def _named_later(self, word: str, offset: int, zones: list[Entity]) -> Entity | None:
        """The zone a bare zone word brings in before any zone is named (高新区实现营业收入…。…厦门火炬
        高新区管委会表示…): the one zone of its kind that the text names later, if it names one."""
        if self.ends and self.ends[0] <= offset:  # ends are sorted: a zone is named before
            return None
        later = [z for z in zones if z.start > offset and not is_group(z.text) and ends_in_zone_word(z.text, word)]
        if not later or len({normalized_view(z.text) for z in later}) > 1:
            return None
        return later[0]

    def in_scope(self, offset: int) -> Entity | None:
        k = bisect.bisect_right(self.ends, offset)
        while k:
            k -= 1
            _, zone, last = self.entries[k]
            if offset <= last:
                return zone
        return None


@lru_cache(maxsize=1)
def _rank_after_re() -> re.Pattern:
    """The rank right after the field it is taken in (中排名第7, 综合排名中位列第八, 前三, 首位; cues.tsv
    rank_lead, rank_mark);
    前 with a number, but not a period (前三季度)."""
    lead, mark = cue_re("rank_lead").pattern, cue_re("rank_mark").pattern
    return re.compile(f"(?:{lead}){{0,3}}(?:{mark}|前[一二三四五六七八九十0-9]+(?![季个個月年天周]))")


def _heads_a_report(view: str, period: Entity) -> bool:
    """A year that heads a report of its figures: at a clause head (2008年，全区…) or a reporting year
    (2020年度省内经济开发区…), unlike the date of an event (2011年国务院批复…)."""
    return view[period.end:period.end + 1] in ("，", ",") or period.text.endswith("年度")


def _names_no_zone_in_scope(view: str, zone: Entity) -> bool:
    """A zone mention that puts no zone in scope: the field of a rank or a title sought or won."""
    return _is_rank_field(view, zone) or _is_title(view, zone)


def _is_title(view: str, zone: Entity) -> bool:
    """A zone named as a title sought or won, right after a verb of becoming (打造成西宁地区新型工业基地,
    争创国家级高新区; cues.tsv title_verb)."""
    return cue_re("title_verb", "$").search(view, max(0, zone.start - 5), zone.start) is not None


def _is_rank_field(view: str, zone: Entity) -> bool:
    """A zone that is the field a rank is taken in (居全省园区第二, 在全市开发区中排名第7): right after
    it, in the same clause, the rank (第, 前三, 首位, 的第23名), or right before it a verb of ranking
    (排名全国230家国家级经开区的第23名; cues.tsv rank_verb)."""
    if cue_re("rank_verb", "$").search(view, max(0, zone.start - 4), zone.start) is not None:
        return True
    after = zone.end + (view[zone.end:zone.end + 1] == "的")
    return _rank_after_re().match(view, after) is not None


def _zone_bracket_end(view: str, zone: Entity) -> int:
    """Where the brackets around a zone close (营业收入2066亿元(未含潜江高新区), 成都高新综合保税区(含双流
    园区)): a zone named in brackets governs nothing outside them; else the end of the text. A zone that
    is the whole bracket after a district's name (金湾区(珠海经济技术开发区)) is that district's other name
    and governs on."""
    if view[zone.start - 1:zone.start] in ("(", "（") and view[zone.end:zone.end + 1] in (")", "）") \
            and cue_re("level_word", "$").search(view, max(0, zone.start - 3), zone.start - 1) is not None:
        return len(view)
    closing = _closing_bracket(view, zone)
    return closing.start() if closing is not None else len(view)


def _breakdown_sentence_end(view: str, starts: list[int], zone: Entity) -> int:
    """The end of the zone's sentence when the zone stands in a 其中 breakdown there, else the end of
    the text: the parts of a figure govern no later sentence."""
    s = sentence_index(starts, zone.start)
    if cue_re("breakdown_word").search(view, starts[s], zone.start) is None:
        return len(view)
    return starts[s + 1] - 1 if s + 1 < len(starts) else len(view)


def _wide_scope_between(view: str, lower: int, offset: int) -> bool:
    """Whether a city-, province- or county-wide scope word (全市) stands in the clause before
    `offset`, after `lower`: the figure is then for the whole area, not for a zone."""
    return cue_re("wide_scope").search(view, max(lower, clause_start(view, offset)), offset) is not None


# --- values and changes ------------------------------------------------------------------------


def _context_start(view: str, indicator: Entity, value: Entity) -> int:
    """Where the words before a value start: after the indicator, or at the start of the value's
    clause if later."""
    begin = clause_start(view, value.start)
    return max(begin, indicator.end) if indicator.end <= value.start else begin


def _context_before(view: str, indicator: Entity, value: Entity) -> str:
    """The words between the indicator (or the start of the value's clause, if later) and a value:
    where cues about the value stand, outside the indicator's own name (贡献率 may be an indicator)."""
    return view[_context_start(view, indicator, value):value.start]


def _not_a_figure(view: str, indicator: Entity, value: Entity) -> bool:
    """A value in a clause that says it is no figure of an indicator (拉动…, 贡献率, 完成年度目标的),
    whether the cue stands before the indicator or after it; not in its own name (对工业增长的贡献率达34.6%)."""
    begin = clause_start(view, value.start)
    if begin <= indicator.start and indicator.end <= value.start:
        context = view[begin:indicator.start] + "\n" + view[indicator.end:value.start]
    else:
        context = view[begin:value.start]
    return cue_re("not_a_figure").search(context) is not None


def _to_level(view: str, value: Entity) -> bool:
    """A change word followed by 至/到 before the value (回落至4.1%): the value is a new level."""
    cue = change_cue_before(view, value.start)
    return cue is not None and view[max(0, value.start - 1):value.start] in ("至", "到")


def _rate_change(view: str, indicator: Entity, change: Entity) -> bool:
    """A change of a growth rate (增速比上半年提高0.6个百分点): a rate word before the value and a
    change word of its own right before it, not one that brings the rate to a level (回落至4.1%)."""
    if cue_re("rate_head").search(_context_before(view, indicator, change)) is None:
        return False
    cue = change_cue_before(view, change.start)
    return cue is not None and cue not in cue_words("rate_head") and not _to_level(view, change)


def _rate_as_value(view: str, indicator: Entity, value: Entity) -> bool:
    """A growth rate written as the value: 增速达到14.6%, 增幅为8.4%, 增速回落至4.1%."""
    resolution = resolve_value(value.text)
    if resolution is None or resolution.unit != "%":
        return False
    return cue_re("rate_head").search(_context_before(view, indicator, value)) is not None and (
        change_cue_before(view, value.start) in (None, *cue_words("rate_head")) or _to_level(view, value))


def _figures(view: str, indicator: Entity, values: list[Entity],
             changes: list[Entity]) -> tuple[list[Entity], list[Entity]]:
    """The values and changes that are figures of the indicator."""
    kept_values, kept_changes = [], []
    for change in changes:
        if not _not_a_figure(view, indicator, change) and not _rate_change(view, indicator, change):
            kept_changes.append(change)
    for value in values:
        if _not_a_figure(view, indicator, value):
            continue
        (kept_changes if _rate_as_value(view, indicator, value) else kept_values).append(value)
    kept_values = [v for v in kept_values if not _round_threshold(view, v, kept_values)]
    if not any(_is_share(v) for v in kept_values) and any(_is_share(c) for c in kept_changes):
        # 增长3.8%，比1-10月提高0.5个百分点: with no share to change, points change the growth rate.
        kept_changes = [c for c in kept_changes if not _is_points(c)]
    return kept_values, sorted(kept_changes, key=lambda e: e.start)


def _round_threshold(view: str, value: Entity, values: list[Entity]) -> bool:
    """A round threshold next to the exact figure of the same indicator in the same sentence, before
    it (突破五百亿元，达到512.6亿元) or after it (完成1718.2亿元，首次突破1700亿元): no figure of its own."""
    if _qualifier_before(view, value) != "more_than":
        return False
    bound = resolve_value(value.text)
    if bound is None or bound.number is None:
        return False
    for other in values:
        if other is value or _qualifier_before(view, other) == "more_than":
            continue
        exact = resolve_value(other.text)
        between = view[value.end:other.start] if other.start > value.end else view[other.end:value.start]
        if ("。" not in between and exact is not None and exact.number is not None and exact.unit == bound.unit
                and exact.number >= bound.number and exact.qualifier is None):
            return True
    return False


def _is_points(value: Entity) -> bool:
    resolution = resolve_value(value.text)
    return resolution is not None and resolution.unit == "百分点"


def _is_share(value: Entity) -> bool:
    resolution = resolve_value(value.text)
    return resolution is not None and resolution.unit == "%"


def _pair(values: list[Entity], changes: list[Entity], view: str) -> list[tuple[Entity | None, Entity | None]]:
    """(value, change) pairs: each change with the nearest unpaired value before it, a change in
    百分点 with a share (%) and other changes with other values where there is a choice. A list of
    values followed by as many changes (分别为x、y，分别增长a、b) pairs by position. A change stated
    before any value pairs with the level after it (净增126家，达到682家), not with the first item of a
    分别 list (年均增长10.8%，2021年、2022年分别为x、y). A growth in % pairs with no share or rate in %
    (同比增长9.5%，占全市比重44.9%): each is a fact of its own."""
    if len(values) == len(changes) > 1 and max(v.start for v in values) < min(c.start for c in changes):
        return list(zip(values, changes))
    if len(changes) == 1 and len(values) > 1 and changes[0].start > values[-1].end \
            and cue_re("list_mark").search(view, max(0, values[0].start - LIST_CHANGE_GAP), values[0].start):
        # 分别为x、y、z，年均增长a: a change over the whole list, no item's
        return [(v, None) for v in values] + [(None, changes[0])]
    paired: dict[int, Entity] = {}
    alone: list[Entity] = []
    for change in changes:
        before = [i for i, v in enumerate(values) if v.start < change.start and i not in paired]
        if not before:
            alone.append(change)
            continue
        points = (resolve_value(change.text) or resolve_value("0")).unit == "百分点"
        fitting = [i for i in before if _is_share(values[i]) == points]
        if not fitting and not points:
            alone.append(change)  # 占全市比重44.9%，同比增长9.5%: a growth is no change of a share
            continue
        paired[(fitting or before)[-1]] = change
    for change in list(alone):
        # 净增126家，达到682家: a change stated first, then the level it brought
        after = [i for i, v in enumerate(values) if v.start > change.end and i not in paired]
        if after and _is_share(values[after[0]]) and not _is_points(change):
            continue  # 同比增长9.5%，占全市比重44.9%: the share is another measure's level
        if after and not (len(values) > 1 and cue_re("list_mark").search(view, change.end, values[after[0]].start)):
            paired[after[0]] = change
            alone.remove(change)
    pairs = [(v, paired.get(i)) for i, v in enumerate(values)]
    pairs += [(None, c) for c in alone]
    return sorted(pairs, key=lambda p: min(e.start for e in p if e is not None))


def _signed_change(view: str, change: Entity) -> tuple[float | None, str | None]:
    resolution = resolve_value(change.text)
    if resolution is None or resolution.number is None:
        return None, None
    number = resolution.number
    if resolution.unit == "百分点":
        number = _round(number, 100)  # a change in percentage points, as a fraction like the percents
    cue = change_cue_before(view, change.start)
    # A rate brought to a level (增速回落至4.1%) is the growth rate itself: no sign from the cue.
    sign = change_signs().get(cue, 1) if cue and not _to_level(view, change) else 1
    return sign * number, resolution.unit


def _change_text(view: str, source: str, change: Entity) -> str:
    cue = change_cue_before(view, change.start)
    if not cue:
        return source[change.start:change.end]
    cue_start = view.rfind(cue, max(0, change.start - 10), change.start)
    found = cue_re("change_prefix", "$").search(view[max(0, cue_start - 7):cue_start])
    start = cue_start - (len(found.group(0)) if found else 0)
    return source[start:change.end]


def _qualifier_before(view: str, value: Entity) -> str | None:
    """The qualifier right before a value, or before the offer word right before it (最多补助200万元)."""
    before = view[max(0, value.start - 12):value.start].rstrip()
    found = cue_re("qualifier_before", "$").search(before)
    if found is None:
        offer = cue_re("offer_word", "$").search(before)
        if offer is not None:
            found = cue_re("qualifier_before", "$").search(before[:offer.start()].rstrip())
    lookalike = qualifier_lookalike_before(before, found.end()) if found is not None else None
    if lookalike is not None and len(lookalike) > len(found.group(0)):
        return None  # 签约8个项目: the 约 of 签约 is no 'about'
    return cue_values("qualifier_before")[found.group(0)] if found else None


# --- assembly ----------------------------------------------------------------------------------


@dataclass
class _Context:
    source: str
    view: str
    starts: list[int]
    periods: _PeriodScope
    zones: _ZoneScope
    facts: list[dict] = field(default_factory=list)
    heads: dict[int, str] = field(default_factory=dict)  # end of a list item -> the head it shares (增加值)

    def period_record(self, period: _Period | None, dates: tuple[str | None, str | None] | None = None) -> dict | None:
        if period is None:
            return None
        start, end = dates if dates is not None else self.periods.resolve(period)
        e = period.entity
        return {"text": self.source[e.start:e.end], "start": start, "end": end}

    def sentence(self, offset: int) -> str:
        """The sentence around `offset`; of a sentence longer than SENTENCE_CHARS (a text without
        sentence ends), the SENTENCE_CHARS characters around it, so no fact carries a whole book."""
        s = sentence_index(self.starts, offset)
        start = self.starts[s]
        end = self.starts[s + 1] if s + 1 < len(self.starts) else len(self.view)
        if end - start > SENTENCE_CHARS:
            start = max(start, offset - SENTENCE_CHARS // 3)
            end = min(end, start + SENTENCE_CHARS)
        return self.source[start:end].strip()


def _links(entities: list[Entity], relations: Iterable[dict]) -> dict[tuple[int, int], dict[str, list[Entity]]]:
    by_offsets = {(e.start, e.end): e for e in entities}
    links: dict[tuple[int, int], dict[str, list[Entity]]] = {}
    for rel in relations:
        head, child = by_offsets.get(tuple(rel["head"])), by_offsets.get(tuple(rel["child"]))
        if head is not None and child is not None:
            links.setdefault((head.start, head.end), {}).setdefault(rel["label"], []).append(child)
    return links


def _unlink_figures(links: dict, figures) -> None:
    """Remove `figures` from every indicator's HAS_VALUE and HAS_CHANGE in `links`."""
    for by_label in links.values():
        for label in ("HAS_VALUE", "HAS_CHANGE"):
            if label in by_label:
                by_label[label] = [child for child in by_label[label] if child not in figures]


def _changes_listed_after(view: str, starts: list[int], entities: list[Entity], links: dict) -> None:
    """Give the changes of a 分别 list after several indicators with one value each to those indicators
    by position (有效高新技术企业318家，研发平台97个，比上年末分别增加41家和14个), in `links`."""
    values = [e for e in entities if e.label == "VALUE"]
    value_starts = [e.start for e in values]
    entity_starts = [e.start for e in entities]  # entities come sorted by start
    for mark in cue_re("list_mark").finditer(view):
        k = bisect.bisect_left(value_starts, mark.end())
        if k == len(values) or values[k].start - mark.end() > LIST_CHANGE_GAP \
                or change_cue_before(view, values[k].start) is None:
            continue
        run = [values[k]]
        while k + len(run) < len(values) and PERIOD_JOINER_RE.fullmatch(view, run[-1].end, values[k + len(run)].start):
            run.append(values[k + len(run)])
        sentence_start = starts[sentence_index(starts, mark.start())]
        first = bisect.bisect_left(entity_starts, sentence_start)
        heads = [e for e in entities[first:bisect.bisect_left(entity_starts, mark.start())]
                 if e.label == "INDICATOR" and e.end <= mark.start()]
        own = {h: [v for v in links.get((h.start, h.end), {}).get("HAS_VALUE", []) if v not in run] for h in heads}
        with_one_value = [h for h in heads if len(own[h]) == 1 and own[h][0].end <= mark.start()]
        if len(run) < 2 or len(with_one_value) < len(run) or any(len(held) > 1 for held in own.values()):
            continue
        _unlink_figures(links, run)
        for head, change in zip(with_one_value[-len(run):], run):
            links[(head.start, head.end)].setdefault("HAS_CHANGE", []).append(change)


BRACKET_ASIDE_RE = re.compile(r"\s*[(（][^()（）]{1,80}[)）][，,\s]*")
CHANGE_AFTER_ASIDE_RE = re.compile(r"[^，,；;。！？!?\n]{0,8}")


def _change_after_bracket(view: str, entities: list[Entity], links: dict) -> None:
    """A change right after a bracketed breakdown (进出口总额86.4亿元（其中，出口51.2亿元，进口35.2亿元），同比
    增长1%) is the change of the figure before the bracket, not of the last part inside it: fixed
    in `links`."""
    values = [e for e in entities if e.label == "VALUE"]
    holder = {(v.start, v.end): head for head, by_label in links.items() for v in by_label.get("HAS_VALUE", [])}
    for k, before in enumerate(values):
        aside = BRACKET_ASIDE_RE.match(view, before.end)
        if aside is None or (before.start, before.end) not in holder:
            continue
        change = next((v for v in values[k + 1:] if aside.end() <= v.start), None)
        if (change is None or not CHANGE_AFTER_ASIDE_RE.fullmatch(view, aside.end(), change.start)
                or change_cue_before(view, change.start) is None):
            continue
        _unlink_figures(links, (change,))
        links[holder[(before.start, before.end)]].setdefault("HAS_CHANGE", []).append(change)


def _levels_from_to(view: str, entities: list[Entity], links: dict) -> None:
    """In 由A提高到B (高新技术企业由2020年末的548家增加到1286家, 比重由上年的27.9%提高到37.4%), B is the
    indicator's value and A, the earlier level, no figure of a fact: fixed in `links`."""
    values = [e for e in entities if e.label == "VALUE"]
    for earlier, later in zip(values, values[1:]):
        if not cue_re("level_to").fullmatch(view[earlier.end:later.start].strip()):
            continue
        clause = clause_start(view, earlier.start)
        if cue_re("level_from").search(view, max(clause, earlier.start - LEVEL_FROM_WINDOW), earlier.start) is None:
            continue
        heads = [e for e in entities if e.label == "INDICATOR" and clause <= e.start and e.end <= earlier.start]
        _unlink_figures(links, (earlier, later) if heads else (earlier,))
        if heads:  # the indicator the levels are of: the last one before 由 in the clause
            links.setdefault((heads[-1].start, heads[-1].end), {}).setdefault("HAS_VALUE", []).append(later)


def _outside_clutter(entities: list[Entity], view: str) -> list[Entity]:
    clutter = clutter_spans(view)
    if not clutter:
        return entities
    return [e for e in entities if not any(s < e.end and e.start < t for s, t in clutter)]


def _listed_periods(ctx: _Context, first_value: Entity, count: int) -> list[_Period] | None:
    """The periods of a list right before 分别 (2021年、2022年和2023年分别为x、y、z), one per value,
    when the list has as many periods as there are values."""
    before = [p for p in ctx.periods.usable if p.entity.end <= first_value.start]
    if not before:
        return None
    last = before[-1]
    gap = ctx.view[last.entity.end:first_value.start]
    if cue_re("list_mark").search(gap) is None or LIST_GAP_BREAK_RE.search(gap):
        return None
    run = [last]
    for period in reversed(before[:-1]):
        if PERIOD_JOINER_RE.fullmatch(ctx.view, period.entity.end, run[0].entity.start) is None:
            break
        run.insert(0, period)
    return run if len(run) == count > 1 else None


def _periods_for(ctx: _Context, linked: list[Entity], pairs: list, anchor: int) -> list[tuple]:
    """The period (and its dates) of each pair: linked periods position by position when there are
    as many as pairs, a list of as many periods before 分别, one year each from a range of years
    before 分别, else one period for all."""
    scope = ctx.periods
    values = [value for value, _ in pairs if value is not None]
    usable = [p for p in (scope.get(e) for e in sorted(linked, key=lambda e: e.start))
              if p and not p.comparison and not p.condition
              and (p.bracket_end is None or any(p.entity.end <= v.start < p.bracket_end for v in values))]
    if len(usable) > 1 and len(usable) == len(pairs):
        return [(p, None) for p in usable]
    bracketed = scope.bracketing(values[0].start) if len(values) == 1 else None
    period = usable[0] if usable else bracketed or scope.in_scope(anchor)
    listed = _listed_periods(ctx, values[0], len(values)) if len(values) > 1 else None
    if listed:
        items = iter(listed)
        return [(next(items), None) if value is not None else (period, None) for value, _ in pairs]
    # The items of a list over a range of years: the values, or the changes where no value is listed.
    items = [i for i, (value, _) in enumerate(pairs) if value is not None] if len(values) > 1 else range(len(pairs))
    if period is not None and len(items) > 1:
        years = _year_split(*scope.resolve(period))
        first = min(e.start for e in pairs[items[0]] if e is not None)
        if len(years) == len(items) and cue_re("list_mark").search(ctx.view, period.entity.end, first):
            dates = dict(zip(items, years))  # a change over the whole range (年均增长12.9%) keeps the range
            return [(period, dates.get(i)) for i in range(len(pairs))]
    return [(period, None)] * len(pairs)


def _zones_for(ctx: _Context, linked: list[Entity], indicator: Entity, pairs: list) -> list[Entity | None]:
    """The zone of each pair: linked zones position by position when there are as many as pairs
    (a 分别 list over zones), else the first linked zone, else the zone in scope."""
    linked = sorted(linked, key=lambda e: e.start)
    if len(linked) > 1 and len(linked) == len(pairs):
        return linked
    if linked:
        return [linked[0]] * len(pairs)
    zone = ctx.zones.in_scope(indicator.start)
    if _wide_scope_between(ctx.view, zone.end if zone else 0, indicator.start):
        zone = None
    return [zone] * len(pairs)


def _member_of_group_between(view: str, group: Entity, stop: int,
                             taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The first bare zone word of another kind than `group` (a group of zones: 全市开发区) between
    the group and `stop`, outside every entity (`taken`): 高新区 after 全市开发区 names a member."""
    found = canonical_zone(group.text)
    if found is None or found["canonical"] is not None or found["zone_type"] is None:
        return None  # not a group of zones
    head = next((w for w in zone_suffixes() if group.text.endswith(w)), "")
    for match in _bare_zone_re().finditer(view, group.end, stop):
        word = match.group(0)
        if (is_bare(word) and not head.endswith(word) and not word.endswith(head or "\0")
                and not any(a < match.end() and match.start() < b for a, b in taken)):
            return match.span()
    return None


@lru_cache(maxsize=1)
def _bare_zone_re() -> re.Pattern:
    """Zone words of two or more characters standing alone, not run on from a name (高新区 in 。高新区…,
    not in 合肥高新区): at the start of the text or right after a clause break."""
    return re.compile(f"(?:^|(?<=[，,。；;：:！？!?\\n、]))(?:{zone_words_alternation()})")


def _shared_heads(view: str) -> dict[int, str]:
    """The end of every item of a list whose last item alone carries the measure they share, and
    that measure (第一产业、第二产业、第三产业增加值分别…: 第一产业 and 第二产业 share 增加值)."""
    heads = {}
    for items, head in shared_head_lists(view):
        for _, end in items[:-1] + split_last_item(view, items)[:-1]:
            heads[end] = head
    return heads


def _fact(ctx: _Context, indicator: Entity, value: Entity | None, change: Entity | None, period: dict | None,
          zone: Entity | None) -> dict:
    source, view = ctx.source, ctx.view
    name = source[indicator.start:indicator.end]
    head = ctx.heads.get(indicator.end)
    if head is not None and takes_shared_head(view[indicator.start:indicator.end]):
        name += head  # 第一产业 in 第一产业、第二产业、第三产业增加值分别…: 第一产业增加值
    fact = {"indicator": name, "value": None, "unit": None, "kind": None,
            "qualifier": None, "value_text": None, "change": None, "change_unit": None, "change_text": None,
            "period": period, "zone": source[zone.start:zone.end] if zone else None}
    if value is not None:
        resolution = resolve_value(value.text)
        fact["value_text"] = source[value.start:value.end]
        if resolution is not None:
            fact.update(value=resolution.number, unit=resolution.unit, kind=resolution.kind,
                        qualifier=resolution.qualifier or _qualifier_before(view, value))
    if change is not None:
        fact["change"], fact["change_unit"] = _signed_change(view, change)
        fact["change_text"] = _change_text(view, source, change)
    parts = [e for e in (indicator, value, change) if e is not None]
    fact["start"] = min(e.start for e in parts)
    fact["end"] = max(e.end for e in parts)
    fact["sentence"] = ctx.sentence(indicator.start)
    fact["spans"] = {"indicator": [indicator.start, indicator.end],
                     "value": [value.start, value.end] if value else None,
                     "change": [change.start, change.end] if change else None,
                     "zone": [zone.start, zone.end] if zone else None}
    return fact


@lru_cache(maxsize=1)
def _zone_count_re() -> re.Pattern:
    """A count and its measure word at the start of a zone group, after its scope (全省99个…)."""
    numerals = "".join(row["char"] for row in read_table("numerals.tsv") if row["role"] in ("digit", "unit"))
    return re.compile(f"(?P<count>[0-9]+|[{re.escape(numerals)}]+)(?P<measure>[{MEASURE_WORDS}])")


def _zone_count_fact(ctx: _Context, zone: Entity) -> dict | None:
    """A count fact from a zone group that starts with a count (37个省级以上开发区, 全省99个…)."""
    match = _zone_count_re().match(zone.text, _after_group_scope(zone))
    if match is None or len(zone.text) - match.end() < 2:
        return None
    count = parse_number(match["count"])
    if count is None:
        return None
    count_start, noun_start = zone.start + match.start(), zone.start + match.end()
    return _count_of_zones(ctx, zone, noun_start, (count_start, noun_start), count, match["measure"], "count", None)


def _zones_counted_after(ctx: _Context, zone: Entity, value: Entity) -> dict | None:
    """A count fact from a zone group followed by its count (全省现有省级以上开发区96家): the
    group, without its scope, is what is counted, when no indicator took the count."""
    if value.label != "VALUE" or ctx.view[zone.end:value.start].strip() not in ("", *cue_words("zones_counted")):
        return None
    resolution = resolve_value(value.text)
    if resolution is None or resolution.unit not in MEASURE_WORDS or resolution.number is None:
        return None
    noun_start = zone.start + _after_group_scope(zone)
    if indicator_id(ctx.view[noun_start:zone.end]) != "zone_count":
        return None
    return _count_of_zones(ctx, zone, noun_start, (value.start, value.end), resolution.number, resolution.unit,
                           resolution.kind, resolution.qualifier)


def _after_group_scope(zone: Entity) -> int:
    """Where a zone group's name starts after its scope word (全省 of 全省99个开发区), in zone.text."""
    scope = cue_re("group_scope", "^").match(zone.text)
    return scope.end() if scope else 0


def _count_of_zones(ctx: _Context, zone: Entity, noun_start: int, count: tuple[int, int], number: float,
                    unit: str, kind: str, qualifier: str | None) -> dict:
    """The fact record of a count of zones: the group's name from `noun_start` is the indicator,
    the characters at `count` its value."""
    period = ctx.periods.in_scope(zone.start)
    return {"indicator": ctx.source[noun_start:zone.end], "value": number, "unit": unit, "kind": kind,
            "qualifier": qualifier, "value_text": ctx.source[count[0]:count[1]],
            "change": None, "change_unit": None, "change_text": None, "period": ctx.period_record(period),
            "zone": ctx.source[zone.start:zone.end], "start": zone.start, "end": max(zone.end, count[1]),
            "sentence": ctx.sentence(zone.start),
            "spans": {"indicator": [noun_start, zone.end], "value": [count[0], count[1]],
                      "change": None, "zone": [zone.start, zone.end]}}


BREAKDOWN_GAP_RE = re.compile(r"[\s，,：:]*\Z")
BREAKDOWN_PART_RE = re.compile(r"[，,；;、]\s*\Z")
CLAUSE_BREAK_RE = re.compile(r"[；;。！？!?\n，,、]")
CLAUSE_GROUP_BREAK_RE = re.compile(r"[；;。！？!?\n]")  # a sentence end or a semicolon


def _breakdown_by_zone(ctx: _Context, entities: list[Entity], at: int, linked_values: set[Entity],
                       facts: list[dict]) -> list[dict]:
    """Facts of a zone's part of a figure before it, the indicator left unsaid (……主营业务收入
    412.6亿元，增长10.2%；其中丹霞产业园完成286.4亿元，增长13.1%): a ZONE heading a clause of a 其中
    breakdown, or heading a clause after another zone's figures in the same sentence, and followed
    by figures no indicator took. Each figure gets the indicator and period of
    the last fact of the sentence before 其中 whose value has the same unit (开工6个 -> the count of
    projects, not the amount invested); a change goes with its value, or alone with the last fact."""
    zone, view = entities[at], ctx.view
    figures = []
    for entity in entities[at + 1:]:
        if (entity.label != "VALUE" or entity in linked_values
                or CLAUSE_GROUP_BREAK_RE.search(view, zone.end, entity.start)):
            break
        if not figures and CLAUSE_BREAK_RE.search(view, zone.end, entity.start):
            break
        figures.append(entity)
    if not figures:
        return []  # most zones: nothing after them that no indicator took
    sentence = sentence_index(ctx.starts, zone.start)
    heads_clause = BREAKDOWN_PART_RE.search(view, max(0, zone.start - 3), zone.start) is not None
    marks = list(cue_re("breakdown_word").finditer(view, ctx.starts[sentence] if sentence >= 0 else 0, zone.start))
    lead = marks[-1].start() if marks else -1
    if lead < 0 or not (heads_clause or BREAKDOWN_GAP_RE.match(view, marks[-1].end(), zone.start)):
        # An enumeration of zones (国家级经开区实现营业收入9860亿元，增长8.9%；省级开发区增长5.1%): the
        # clause before names another zone of this sentence with its own figures.
        last = next((f for f in reversed(facts)
                     if f["end"] <= zone.start and sentence_index(ctx.starts, f["start"]) == sentence), None)
        other = last["spans"]["zone"] if last else None
        if not (heads_clause and other and sentence_index(ctx.starts, other[0]) == sentence):
            return []
        lead = zone.start
    if sentence > 0 and not view[ctx.starts[sentence]:lead].strip():
        sentence -= 1  # 。其中：东川工业园区增长15.43%: the parts of the figures of the sentence before
    before = [f for f in facts if f["end"] <= lead and sentence_index(ctx.starts, f["start"]) == sentence]
    if not before:
        return []
    out = []
    changes = [f for f in figures if change_cue_before(view, f.start)]
    values = [f for f in figures if f not in changes]
    for value, change in _pair(values, changes, view):
        unit = (resolve_value(value.text) or resolve_value("0")).unit if value else None
        fitting = [f for f in before if value is None or f["unit"] == unit]
        if not fitting:
            continue
        last = fitting[-1]
        indicator = next(e for e in entities if [e.start, e.end] == last["spans"]["indicator"])
        out.append(_fact(ctx, indicator, value, change, last["period"], zone))
    return out


def assemble_facts(text: str, entities: list[Entity], relations: Iterable[dict], date: str | None) -> list[dict]:
    """The facts of a document from its entities (any order; their offsets matter, not their texts)
    and relations (by character offsets), with `date` (ISO) as the reference for relative periods."""
    view = normalized_view(text)
    entities = _outside_clutter(sorted((Entity(e.start, e.end, e.label, view[e.start:e.end]) for e in entities),
                                       key=lambda e: (e.start, e.end)), view)
    starts = sentence_starts(view)
    periods = _PeriodScope(view, entities, starts, _parse_date(date))
    ctx = _Context(text, view, starts, periods, _ZoneScope(view, entities, starts), heads=_shared_heads(view))
    links = _links(entities, relations)
    _changes_listed_after(view, starts, entities, links)
    _change_after_bracket(view, entities, links)
    _levels_from_to(view, entities, links)
    facts = []
    linked_values = {child for by_label in links.values() for label, children in by_label.items()
                     if label in ("HAS_VALUE", "HAS_CHANGE") for child in children}
    for at, entity in enumerate(entities):
        if entity.label == "ZONE":
            count_fact = _zone_count_fact(ctx, entity)
            following = entities[at + 1] if at + 1 < len(entities) else None
            if count_fact is None and following is not None and following not in linked_values:
                count_fact = _zones_counted_after(ctx, entity, following)
            if count_fact is not None:
                facts.append(count_fact)
            else:
                facts += _breakdown_by_zone(ctx, entities, at, linked_values, facts)
            continue
        if entity.label != "INDICATOR":
            continue
        linked = links.get((entity.start, entity.end), {})
        values, changes = _figures(view, entity, sorted(linked.get("HAS_VALUE", []), key=lambda e: e.start),
                                   sorted(linked.get("HAS_CHANGE", []), key=lambda e: e.start))
        if not values and not changes:
            continue
        anchor = min(e.start for e in values + changes)
        pairs = _pair(values, changes, view)
        periods = _periods_for(ctx, linked.get("IN_PERIOD", []), pairs, anchor)
        zones = _zones_for(ctx, linked.get("IN_ZONE", []), entity, pairs)
        for (value, change), (period, dates), zone in zip(pairs, periods, zones):
            facts.append(_fact(ctx, entity, value, change, ctx.period_record(period, dates), zone))
        candidates = linked.get("HAS_CHANGE", []) + linked.get("HAS_VALUE", [])
        candidates += _unlinked_after(ctx, entities, entity, values + changes, linked_values)
        for change in _rate_changes(view, entity, candidates, changes):
            facts.append(_rate_change_fact(ctx, entity, change, periods[0][0], zones[0]))
    return _without_headline_repeats(view, facts)


def _without_headline_repeats(view: str, facts: list[dict]) -> list[dict]:
    """The facts without those of the headline lines that a later line states again (兰州新区前三季度地区
    生产总值增长15.4%, then 原标题：… and the same figure in the text): one fact, the last, with its
    context. The headline lines are the lines before the first that ends a sentence (。)."""
    body = HEADLINE_BODY_RE.search(view)
    if body is None:
        return facts
    header_end = view.rfind("\n", 0, body.start()) + 1
    last: dict[tuple, int] = {}  # (indicator, value, change) -> start of its last statement
    for fact in facts:
        key = (fact["indicator"], fact["value"], fact["change"])
        last[key] = max(last.get(key, -1), fact["start"])
    return [f for f in facts if f["start"] >= header_end or (f["value"], f["change"]) == (None, None)
            or last[(f["indicator"], f["value"], f["change"])] == f["start"]]


def _unlinked_after(ctx: _Context, entities: list[Entity], indicator: Entity, figures: list[Entity],
                    linked_values: set) -> list[Entity]:
    """The VALUEs no indicator took that follow the indicator's last figure in its sentence, before
    the next INDICATOR (增长3.8%，比1-10月加快0.5个百分点: the 0.5 the classifier left alone)."""
    last = max(e.end for e in figures)
    s = sentence_index(ctx.starts, last)
    stop = ctx.starts[s + 1] if s + 1 < len(ctx.starts) else len(ctx.view)
    found = []
    for e in entities:
        if e.start < last:
            continue
        if e.start >= stop or e.label == "INDICATOR":
            break
        if e.label == "VALUE" and e not in linked_values:
            found.append(e)
    return found


def _rate_changes(view: str, indicator: Entity, linked: list[Entity], kept: list[Entity]) -> list[Entity]:
    """The changes of the indicator's growth rate among its linked figures (增速比上半年提高0.6个百分点;
    增长3.8%，比1-10月加快0.5个百分点): in 百分点, stated as a change, and no figure of the indicator."""
    found = []
    for change in sorted(linked, key=lambda e: e.start):
        if change in kept or not _is_points(change) or change_cue_before(view, change.start) is None:
            continue
        if _not_a_figure(view, indicator, change):
            continue  # 拉动…增长2.9个百分点, 高于全省6.9个百分点: a pull or a gap, no change of the rate
        if _rate_change(view, indicator, change) or cue_re("comparison_cue").search(_clause_before(view, change.start)):
            found.append(change)
    return found


def _rate_change_fact(ctx: _Context, indicator: Entity, change: Entity, period: _Period | None,
                      zone: Entity | None) -> dict:
    """The fact of a change of the indicator's growth rate: the indicator's name with its rate word
    (增速, as the text writes it, or 增速 where it writes none), the change in 百分点, no value."""
    fact = _fact(ctx, indicator, None, change, ctx.period_record(period), zone)
    rate = cue_re("rate_head").search(ctx.view, _context_start(ctx.view, indicator, change), change.start)
    fact["indicator"] += ctx.source[rate.start():rate.end()] if rate else RATE_WORD
    return fact


def fact_key(fact: dict) -> tuple:
    """Identity of a fact for scoring: indicator, value and change by position, period by text and dates."""
    spans = fact["spans"]
    period = fact.get("period") or {}
    return (tuple(spans["indicator"]), tuple(spans["value"] or ()), tuple(spans["change"] or ()),
            period.get("text"), period.get("start"), period.get("end"))


def fact_keys(facts: Iterable[dict]) -> set[tuple]:
    return {fact_key(f) for f in facts}


def assemble_policies(text: str, entities: list[Entity], relations: Iterable[dict]) -> list[dict]:
    issuers: dict[tuple[int, int], list[str]] = {}
    by_offsets = {(e.start, e.end): e for e in entities}
    for rel in relations:
        if rel["label"] == "ISSUED_BY" and tuple(rel["child"]) in by_offsets:
            child = by_offsets[tuple(rel["child"])]
            issuers.setdefault(tuple(rel["head"]), []).append(text[child.start:child.end])
    policies = []
    for policy in sorted((e for e in entities if e.label == "POLICY"), key=lambda e: e.start):
        match = DOC_NUMBER_RE.match(text[policy.end:policy.end + 30])
        policies.append({"title": text[policy.start:policy.end], "issuers": issuers.get((policy.start, policy.end), []),
                         "doc_number": match.group(1) if match else None,
                         "start": policy.start, "end": policy.end})
    return policies
