"""gzie_rules: high-precision regex finders merged with the statistical entities, and the
boundary and clutter rules every entity obeys.

Precedence, when a rule span and a model span overlap:
1. a model span that strictly contains the rule span wins (ZONE 99个省级监测开发区 beats VALUE 99个;
   VALUE 超2000亿元 beats VALUE 2000亿元), except that a model VALUE reaching past a rule VALUE
   into a word that is not a qualifier loses to it (500万元奖励 -> 500万元);
2. otherwise a rule span whose label is in ``rule_priority_labels`` wins;
3. otherwise the model span wins.
Rule spans that overlap no model span are added only for ``standalone_labels``: a figure, a quoted
title, a state organ found in the gazetteer (gzie.agencies) or a zone named by a national list or
a place (gzie.zones) or a listed measure followed by a figure (gzie.indicators) is an entity wherever
it stands,
while whether a period is one depends on context (a meeting date, a page header) that the
statistical model sees and the rules do not.
Labels in ``lead_labels`` also stand alone where they lead a clause (2023年，…).
Then an INDICATOR loses the function words at its edges (完成, 的, 同比, 给予 …; cues.tsv) and takes
the rest of its noun phrase (extend_indicator); a VALUE whose unit begins another word (百亿台阶) or
a PERIOD that begins inside another word (提前两个月) is none, and a VALUE leaves out a qualifier that
ends another word (签约8个); nothing on a clutter line (来源：, 浏览次数 …) stays an entity. The finders
read the normalized view.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Callable, Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.scorer import Scorer
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans

from ..agencies import central_names, is_place_run
from ..extensions import char_span_expanded, doc_view, ensure_extensions
from ..indicators import (
    find_counted_nouns,
    find_indicators,
    find_industry_measures,
    find_nouns_after_verbs,
    indicator_id,
    shared_head_lists,
    split_last_item,
)
from ..normalize import resolve_value
from ..normalize.values import qualifier_words
from ..text import (
    clause_end,
    clause_start,
    clutter_spans,
    cue_re,
    cue_values,
    cue_words,
    eligible_re,
    longest_prefix,
    longest_suffix,
    qualifier_lookalike_before,
    word_across,
)
from ..zones import group_at, is_bare, zone_words_alternation
from .finders import find_spans
from .offers import find_offers

DEFAULT_SPANS_KEY = "gzie_rules"
DEFAULT_RULE_PRIORITY = ["VALUE", "PERIOD", "POLICY", "AGENCY"]
DEFAULT_STANDALONE = ["VALUE", "POLICY", "AGENCY", "ZONE", "INDICATOR"]
DEFAULT_LEAD = ["PERIOD"]
CLAUSE_LEAD_BREAKS = "，,：:"
NOT_A_NOUN_START = "的和及与或、"
BARE_DATE_RE = re.compile(r"\d{4}年|\d{1,2}月")
HEADING_LEAD_RE = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十0-9]+[）)]|[0-9]+[、.．])"
                             r"\s*")
YEAR_LIST_LEAD_RE = re.compile(r"(?:\s*[、和及与]\s*\d{4}年)+[，,：:]")
HAN_RE = re.compile(r"[\u3400-\u9fff]")
AMOUNT_IN_PERIOD_RE = re.compile(r"[0-9０-９][万亿千百萬億]*(?:元|美元)")
DIGIT_RE = re.compile(r"[0-9０-９]")
TRAILING_BRACKET_RE = re.compile(r"(?:（[^（）]*）)?$")  # 开发区（园区）: the zone word is before the brackets


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _strictly_contains(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1] and outer != inner


def merge_entities(model: Iterable[tuple[int, int, str]], rules: Iterable[tuple[int, int, str]],
                   rule_priority_labels: Iterable[str], standalone_labels: Iterable[str] | None = None,
                   standalone_spans: Iterable[tuple[int, int, str]] = ()) -> list[tuple[int, int, str]]:
    """Merge (start, end, label) spans by the precedence in this module's docstring.

    The model spans must not overlap one another (doc.ents never do); they are taken in text order,
    and each rule's rivals are found by bisection. standalone_labels=None lets every rule span
    stand alone; rule spans in `standalone_spans` stand alone whatever their label.
    """
    priority = set(rule_priority_labels)
    alone = set(standalone_spans)
    standalone = None if standalone_labels is None else set(standalone_labels)
    model = sorted(model)
    starts = [m[0] for m in model]
    ends = [m[1] for m in model]
    removed: set[int] = set()
    added_rules: list[tuple[int, int, str]] = []
    added_end = -1  # rules come in text order: a rule overlaps an added one iff it starts before this
    for rule in sorted(rules):
        rule_range = rule[:2]
        # Model spans overlapping the rule: start < rule end (a prefix), end > rule start (a suffix).
        first, last = bisect.bisect_right(ends, rule[0]), bisect.bisect_left(starts, rule[1])
        rivals = [i for i in range(first, last) if i not in removed]
        if any(_strictly_contains(model[i][:2], rule_range) for i in rivals):
            continue
        if rivals and rule[2] not in priority:
            continue
        if not rivals and standalone is not None and rule[2] not in standalone and rule not in alone:
            continue
        removed.update(rivals)
        if rule[0] >= added_end:
            added_rules.append(rule)
            added_end = rule[1]
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


def _only_qualifiers(text: str) -> bool:
    """Whether text is made of qualifier words (qualifiers.tsv) and spaces only."""
    rest = text.strip()
    while rest:
        word = longest_prefix(rest, qualifier_words())
        if word is None:
            return False
        rest = rest[len(word):].strip()
    return True


def trim_model_values(model: list[tuple[int, int, str]], rules: list[tuple[int, int, str]],
                      view: str) -> list[tuple[int, int, str]]:
    """Model VALUE spans (character offsets) that reach past a rule VALUE they contain into a word
    that is not a qualifier (500万元奖励) give way to the rule span: dropped here, so it stands alone."""
    rule_values = [r for r in rules if r[2] == "VALUE"]
    kept = []
    for span in model:
        inner = next((r for r in rule_values if span[0] <= r[0] and r[1] <= span[1] and r[:2] != span[:2]), None)
        if (span[2] == "VALUE" and inner is not None
                and not _only_qualifiers(view[span[0]:inner[0]] + view[inner[1]:span[1]])):
            continue
        kept.append(span)
    return kept


def trim_indicator(view: str, start: int, end: int) -> tuple[int, int]:
    """The INDICATOR span without the function words at its edges (cues.tsv, indicator_edge)."""
    edges = cue_values("indicator_edge")
    starts = [w for w, where in edges.items() if where in ("start", "both")]
    ends = [w for w, where in edges.items() if where in ("end", "both")]
    changed = True
    while changed and start < end:
        changed = False
        word = longest_prefix(view[start:end], starts)
        if word and len(word) < end - start:
            start, changed = start + len(word), True
        word = longest_suffix(view[start:end], ends)
        if word and len(word) < end - start:
            end, changed = end - len(word), True
        while start < end and view[start].isspace():
            start, changed = start + 1, True
        while start < end and view[end - 1].isspace():
            end, changed = end - 1, True
    return start, end


INDUSTRY_BEFORE_RE = re.compile(r"[\u4e00-\u9fff]{1,6}业\Z")
QUOTED_BEFORE_RE = re.compile(r"[“\"][\u3400-\u9fff]{1,8}[”\"]\Z")
QUOTE_OPEN_BEFORE_RE = re.compile(r"[“\"][\u3400-\u9fff]{1,8}\Z")
VALUE_RUN_ON_RE = re.compile(r"[0-9０-９][\u3400-\u9fff]{4,}\Z")  # 4.0高端摩托车生产项目: a name, no value
OWNER_MAX = 10  # characters of the owner's name before a possessed measure (政府投资引导基金)
CLAUSE_BREAKS = CLAUSE_LEAD_BREAKS + "。；;\n"


@lru_cache(maxsize=1)
def _zone_word_re() -> re.Pattern:
    return re.compile(zone_words_alternation())


def owner_start(view: str, start: int, lower: int) -> int:
    """Where the name of what a possessed measure measures starts (产业引导基金 before 总规模), or
    `start` where none stands right before it. The name is the run of Han characters ending in a
    measure_owner word, after the last zone word in the run (开发区产业发展基金规模 -> 产业发展基金规模),
    and it must start at a clause break, a zone word or `lower`, the end of the entity before it."""
    left = max(lower, start - OWNER_MAX - 1)
    if not longest_suffix(view[left:start], cue_words("measure_owner")):
        return start
    run = start
    while run > left and HAN_RE.match(view, run - 1):
        run -= 1
    zones = list(_zone_word_re().finditer(view, run, start))
    if zones:
        run = zones[-1].end()
    elif run > lower and view[run - 1] not in CLAUSE_BREAKS:
        return start  # the run goes back past OWNER_MAX characters or into a word that is no break
    return run


def find_owned_measures(view: str, figures: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """INDICATOR spans of a possessed measure with its owner right before a figure (产业引导基金总规模10亿元)."""
    found = []
    for start, _ in figures:
        measure = longest_suffix(view[max(0, start - 4):start], cue_words("possessed_measure"))
        if measure:
            owner = owner_start(view, start - len(measure), clause_start(view, start))
            if owner < start - len(measure):
                found.append((owner, start))
    return found


@lru_cache(maxsize=1)
def _contribution_re() -> re.Pattern:
    """对…的贡献率 (or 贡献率 alone) and the verb before its figure (达, 为, 达到), ending where the figure starts."""
    word = cue_re("contribution").pattern
    return re.compile(f"(?P<span>(?:对[^，,；;。！？!?\\n]{{1,20}}?的)?(?:增长)?{word})[达为是到]{{0,2}}\\Z")


def find_contributions(view: str, figures: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """INDICATOR spans of a contribution rate right before its figure (对全市工业增长的贡献率达34.6%;
    cues.tsv, contribution): a measure of its own, never a figure of the indicator before it."""
    found = []
    for start, _ in figures:
        match = _contribution_re().search(view, clause_start(view, start), start)
        if match is not None:
            found.append(match.span("span"))
    return found


@lru_cache(maxsize=1)
def _item_lead_re() -> re.Pattern:
    """A scope or zone word leading the first item of a list (园区第一产业、…): no part of the item."""
    words = [cue_re(role).pattern for role in ("bare_zone", "wide_scope")] + [f"(?:{zone_words_alternation()})"]
    return re.compile("(?:" + "|".join(words) + ")(?:内|內)?")


def find_shared_head_items(view: str, figures: list[tuple[int, int]],
                           entities: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """INDICATOR spans of the items of a list whose last item alone carries the measure they share
    (第一产业、第二产业、第三产业增加值分别增长3.1%、5.2%和6.8%): as many items as figures in the clause
    after the list mark, the first without a zone, period or scope word before it."""
    found = []
    for items, _ in shared_head_lists(view):
        mark_end = items[-1][1]
        clause = clause_end(view, mark_end)
        count = sum(1 for start, _ in figures if mark_end <= start < clause)
        if count != len(items):
            items = split_last_item(view, items)
            if count != len(items):
                continue
        if any(label in ("ZONE", "AGENCY") and start < items[-1][1] and items[1][0] < end
               for start, end, label in entities):
            continue  # 高新区、经开区营业收入分别…: a list over zones pairs one indicator with each zone
        first_start, first_end = items[0]
        for start, end, label in entities:
            if label in ("ZONE", "PERIOD", "AGENCY") and start < first_end and first_start < end:
                first_start = max(first_start, end)
        lead = _item_lead_re().match(view, first_start, first_end)
        if lead is not None and lead.end() < first_end:
            first_start = lead.end()
        if not 0 < first_end - first_start <= 12 or not HAN_RE.match(view, first_start):
            continue
        found += [(first_start, first_end)] + items[1:]
    return found


def without_indicators_across(spans: list[tuple[int, int, str]],
                              found: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """The spans without the INDICATORs that overlap one of the `found` INDICATOR spans a rule gives."""
    return [x for x in spans if x[2] != "INDICATOR" or not any(a < x[1] and x[0] < b for a, b in found)]


def find_bounded_nouns(view: str, thresholds: list[tuple[int, int]],
                       figures: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """INDICATOR spans of a bound and the bare noun it bounds, right before a count (引进5000万元以上
    项目14个 -> 5000万元以上项目): without its bound 项目 names no measure (guidelines 8.5)."""
    starts = {start for start, _ in figures}
    found = []
    for start, end in thresholds:
        noun = longest_prefix(view[end:end + 2], cue_words("bare_counted_noun"))
        if noun and end + len(noun) in starts and cue_re("threshold_end", "$").search(view, start, end):
            found.append((start, end + len(noun)))
    return found


def extend_indicator(view: str, start: int, end: int, lower: int, upper: int) -> tuple[int, int]:
    """The INDICATOR span with the rest of its noun phrase that the statistical model tends to leave
    out (guidelines 7 and 8.5): a quoted name right before it and a verb of newness before that
    (新增“四上”企业) or the rest of a quoted name it stands in (“僵尸企业”), a closing noun right after it
    (市场主体总数), the owner before a measure that needs one (产业引导基金总规模). It grows no further than
    `lower` and `upper`, the edges of the entities beside it."""
    industry = INDUSTRY_BEFORE_RE.search(view, max(lower, start - 8), start)
    if (industry is not None and view[start:end] in cue_values("scoped_measure")
            and (industry.start() == lower or view[industry.start() - 1] in CLAUSE_BREAKS)):
        start = industry.start()  # 新兴产业产值 where the model read 产值: the industry is what is measured
    if view[start:end] in cue_words("possessed_measure"):
        start = owner_start(view, start, lower)  # 产业引导基金总规模 where the model read 总规模
    quoted = QUOTED_BEFORE_RE.search(view, max(lower, start - 10), start)
    if quoted is not None:
        start = quoted.start()
    opening = QUOTE_OPEN_BEFORE_RE.search(view, max(lower, start - 9), start)
    if opening is not None and view[end:end + 1] in ("”", '"') and end < upper:
        start, end = opening.start(), end + 1  # “僵尸企业”7家 where the model read 企业: the quoted name whole
    newness = longest_suffix(view[max(lower, start - 4):start], cue_words("indicator_newness"))
    if newness:
        start -= len(newness)
    head = longest_prefix(view[end:min(upper, end + 4)], cue_words("indicator_head"))
    if head and not longest_prefix(view[start:end][-2:], cue_words("indicator_head")) \
            and view[end + len(head):end + len(head) + 1] != "的":
        end += len(head)
    return start, end


INDICATOR_JOINERS_RE = re.compile(r"[、和及与]")


def split_indicator(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """An INDICATOR that joins two listed measures (固定资产投资和社会消费品零售总额) as two spans;
    a name that is one measure (进出口总额, 研究与试验发展经费) stays whole."""
    if indicator_id(view[start:end]) is not None:
        return [(start, end)]
    for joiner in INDICATOR_JOINERS_RE.finditer(view, start, end):
        left, right = (start, joiner.start()), (joiner.end(), end)
        if left[1] > left[0] and right[1] > right[0] and indicator_id(view[slice(*left)]) is not None \
                and indicator_id(view[slice(*right)]) is not None:
            return [left, right]
    return [(start, end)]


def is_threshold(view: str, start: int, end: int) -> bool:
    """A bound inside a noun phrase (10亿元以上制造业项目): an amount or count ending in 以上/以下
    that runs straight on into a noun is no figure (七成以上的产值, a share, is one); nor is an
    amount followed by 的 and whom it makes eligible (超过1000万元的企业)."""
    resolution = resolve_value(view[start:end])
    share = resolution is not None and resolution.unit == "%"
    if not share and eligible_re().match(view, end):
        return True  # 对研发投入超过1000万元的企业, 1亿元以上的工业项目: who is eligible, no figure
    if (not share and resolution is not None and resolution.qualifier == "more_than"
            and not view[start].isdigit() and HAN_RE.match(view, end) and view[end] not in NOT_A_NOUN_START):
        return True  # 超10亿元项目: a bound written before the figure that runs on into a noun names the noun
    if cue_re("threshold_end", "$").search(view, start, end) is None or not HAN_RE.match(view, end):
        return False
    return not share  # 10亿元以上制造业项目, 2000万元及以上的法人单位; 七成以上的产值 is a share


def after_qualifier_lookalike(view: str, start: int, end: int) -> int:
    """Where a VALUE starts once a qualifier that ends another word is left out (签约8个项目 -> 8个,
    not 约8个)."""
    qualifier = longest_prefix(view[start:end], cue_words("qualifier_before"))
    lookalike = qualifier_lookalike_before(view, start + len(qualifier)) if qualifier else None
    return start + len(qualifier) if lookalike and len(lookalike) > len(qualifier) else start


AGENCY_BREAKS_RE = re.compile(r"[，。；！？,;!?、]|\.\s")


def is_organ_name(view: str, start: int, end: int) -> bool:
    """Whether a model AGENCY can name an organ: it ends like one (organ_end: 局, 委, 政府 …) and
    runs across no clause or list break (国家发改委利用外资和 or 中东市场. 安徽省商务厅 are none)."""
    return (cue_re("organ_end", "$").search(view, start, end) is not None
            and AGENCY_BREAKS_RE.search(view, start, end) is None)


def valid_model_spans(model: list[tuple[int, int, str]], rules: list[tuple[int, int, str]],
                      view: str) -> list[tuple[int, int, str]]:
    """The model spans that may compete with rule spans. Cut or dropped before merging, so that they
    hide no rule span: a span inside a rule AGENCY or ZONE (a name a gazetteer knows whole) goes,
    an INDICATOR that runs into a rule VALUE ends before it (利税6.2亿元 -> 利税),
    a ZONE that does not end in a zone word (公安部严厉), an AGENCY that is no organ's
    name, and an AGENCY around a gazetteer organ with more than a place before it (上半年重庆…管委会)
    or an internal department after it (国家能源局发展规划司: the organ is 国家能源局)."""
    agencies = [r for r in rules if r[2] == "AGENCY"]
    values = [r for r in rules if r[2] == "VALUE"]
    names = [r for r in rules if r[2] in ("AGENCY", "ZONE")]
    internal = cue_re("agency_internal", "$")
    kept = []
    for start, end, label in model:
        if label == "ZONE" and not is_zone_name(view, start, end):
            continue
        if label == "VALUE" and VALUE_RUN_ON_RE.search(view, start, end) and resolve_value(view[start:end]) is None:
            continue  # a number run on into a name (恒达4.0智能焊接生产项目)
        if any(r[0] <= start and end <= r[1] and (r[0], r[1]) != (start, end) for r in names):
            continue  # a piece of a name the gazetteers know whole (各类 in 全市各类开发区)
        if label == "INDICATOR":
            # An indicator run into its figure (利税6.2亿元): the name is what stands before the figure.
            # A figure at its start or inside it is a threshold in the name (超10亿元项目) and stays there.
            last = [r for r in values if start < r[0] and r[1] == end and not is_threshold(view, r[0], r[1])]
            if last:
                if last[0][0] - start < 2:
                    continue
                end = last[0][0]
            start = after_bound(view, start, end, values)
        if label == "AGENCY":
            if not is_organ_name(view, start, end):
                continue
            inside = [r for r in agencies if start <= r[0] and r[1] <= end and (r[0], r[1]) != (start, end)]
            if any((r[0] > start and not is_place_run(view[start:r[0]]))
                   or (r[1] < end and internal.search(view, r[1], end)) for r in inside):
                continue
        kept.append((start, end, label))
    return kept


def names_another_measure(named: tuple[int, int], model: list[tuple[int, int, str]],
                          figures: list[tuple[int, int]]) -> bool:
    """Whether the statistical model found an INDICATOR between a listed name and its figure: the
    figure is that one's (投资 in 政府投资引导基金总规模超过1000亿元 is part of the fund's name).
    `model` and `figures` are sorted by start."""
    at = bisect.bisect_left(figures, (named[1],))
    if at == len(figures):
        return False
    first = bisect.bisect_left(model, (named[1],))
    return any(label == "INDICATOR" for s, _, label in model[first:bisect.bisect_left(model, (figures[at][0],))])


def after_bound(view: str, start: int, end: int, values: list[tuple[int, int, str]]) -> int:
    """Where a model INDICATOR holding a bound starts: after the bound where a modifier follows it
    (新开工总投资10亿元以上制造业项目 -> 制造业项目); a bound before a bare noun stays in (新引进10亿元以上项目)."""
    bounds = [r for r in values if start <= r[0] and r[1] < end and is_threshold(view, r[0], r[1])
              and cue_re("threshold_end", "$").search(view, r[0], r[1])]
    if not bounds:
        return start
    bound = bounds[-1]
    return start if view[bound[1]:end] in cue_words("bare_counted_noun") else bound[1]


def is_zone_name(view: str, start: int, end: int) -> bool:
    """A ZONE ends in a zone word (before a trailing bracket: 开发区（园区）), not in a word for an area of a
    city or a country (都市区, 地区), and is no bare zone word."""
    zone_end = cue_re("zone_word", "$")
    bracket = len(TRAILING_BRACKET_RE.search(view, start, end).group(0))
    return zone_end.search(view, start, end - bracket) is not None and not is_bare(view[start:end]) \
        and cue_re("not_zone_end", "$").search(view, start, end - bracket) is None


def _before_open_bracket(view: str, start: int, end: int) -> int:
    """The end of a span cut before a bracket it opens and does not close (西安关中综合保税区(经开区片区
    → 西安关中综合保税区); `end` when every bracket inside closes."""
    depth, cut = 0, None
    for k in range(start, end):
        if view[k] in "(（":
            depth, cut = depth + 1, cut if depth else k
        elif view[k] in ")）" and depth:
            depth, cut = depth - 1, cut if depth > 1 else None
    return cut if depth and cut is not None and cut > start else end


def _after_inner_break(view: str, start: int, end: int) -> int:
    """Where a ZONE's name starts: after the last word inside it that no zone's name holds (河南推进产业集聚区
    -> 产业集聚区, then a bare zone word, no ZONE); `start` when there is none."""
    breaks = list(cue_re("zone_inner_break").finditer(view, start, end))
    return breaks[-1].end() if breaks else start


def clean_entities(spans: list[tuple[int, int, str]], view: str) -> list[tuple[int, int, str]]:
    """Character spans obeying the boundary rules: INDICATOR edges trimmed, a ZONE ends in a zone
    word, a VALUE is no threshold inside a noun phrase, and nothing stays on a clutter line."""
    clutter = clutter_spans(view)
    not_agency = cue_re("not_agency_end", "$")
    out = []
    for start, end, label in spans:
        if any(s < end and start < t for s, t in clutter):
            continue
        if label == "INDICATOR" and out and out[-1][2] == "INDICATOR" and view[out[-1][1]:start] in ("（", "(") \
                and view[end:end + 1] in ("）", ")"):
            continue  # 地区生产总值（GDP）: the name in brackets is the same measure's other name
        if label == "INDICATOR" and view[start:end] in cue_words("indicator_newness"):
            continue  # 新建成 alone names no measure: the counted noun after the figure does
        if label == "INDICATOR" and view[start:end] in cue_words("eligible_noun") \
                and longest_suffix(view[max(0, start - 2):start], cue_words("per_unit")):
            continue  # 每家企业最高100万元: whom each offer goes to, no measure
        if label == "INDICATOR":
            start, end = trim_indicator(view, start, end)
            start, end = extend_indicator(view, start, end, out[-1][1] if out else 0,
                                          next((s for s, _, _ in spans if s >= end), len(view)))
            parts = split_indicator(view, start, end)
            if len(parts) > 1:
                out += [(a, b, label) for a, b in parts]
                continue
        elif label == "ZONE" and ((end := _before_open_bracket(view, start, end))
                                  <= (start := _after_inner_break(view, start, end))
                                  or not is_zone_name(view, start, end)):
            continue
        elif label == "VALUE" and is_threshold(view, start, end):
            continue
        elif label == "VALUE" and word_across(view, end, cue_words("unit_lookalike")):
            continue  # 两个百亿台阶: 台 begins 台阶, no unit
        elif label == "VALUE" and cue_re("duration_end", "$").search(view, start, end) \
                and resolve_value(view[start:end]) is None:
            continue  # 33年间增长了近110倍: a span of years, no figure
        elif label == "VALUE":
            start = after_qualifier_lookalike(view, start, end)
        elif label == "AGENCY" and not_agency.search(view, start, end) and view[start:end] not in central_names():
            continue
        elif label == "PERIOD" and word_across(view, start, cue_words("period_lookalike")):
            continue  # 提前两个月完成: no period 前两个月
        elif label == "PERIOD" and AMOUNT_IN_PERIOD_RE.search(view, start, end):
            continue  # 其中10~30亿元项目9个: a range of amounts, no period
        elif label == "PERIOD" and not DIGIT_RE.search(view, start, end) \
                and not cue_re("period_char").search(view, start, end):
            continue  # ---以 before a heading's clause: neither a digit nor a word of time
        elif label == "POLICY" and view.count("《", start, end) != view.count("》", start, end):
            continue  # 关于印发《: a piece of a title's frame, the title in 《》 is the POLICY
        if end > start:
            out.append((start, end, label))
    return out


def without_verbs_before_counts(spans: list[tuple[int, int, str]], counted: list[tuple[int, int]],
                                view: str) -> list[tuple[int, int, str]]:
    """The spans without an INDICATOR right before a count whose counted noun follows it (入驻412户企业,
    新建成12万平方米标准厂房: the verb names no measure, 企业 and 标准厂房 do), unless it is a
    listed measure itself."""
    drop = set()
    for noun_start, _ in counted:
        value = next((x for x in spans if x[2] == "VALUE" and x[1] == noun_start), None)
        verb = next((x for x in spans if value and x[2] == "INDICATOR" and x[1] == value[0]), None)
        if verb is not None and indicator_id(view[verb[0]:verb[1]]) is None:
            drop.add(verb)
    return [x for x in spans if x not in drop]


def with_offers(spans: list[tuple[int, int, str]], view: str) -> list[tuple[int, int, str]]:
    """The spans and the INDICATOR of each policy offer next to a VALUE (gzie.pipeline.offers)
    where no other span stands; a longer span holding the offer word gives way (最高资助 -> 资助)
    unless it ends with the offer word and names the offer (人才补贴; no qualifier, 单个 or 给予 in front)."""
    values = [(s, e) for s, e, label in spans if label == "VALUE"]
    out = list(spans)
    for start, end in find_offers(view, values):
        rivals = [x for x in out if x[0] < end and start < x[1]]
        if (len(rivals) == 1 and rivals[0][2] == "INDICATOR" and rivals[0][0] < start and rivals[0][1] == end
                and not any(word in view[rivals[0][0]:start]
                            for word in (*qualifier_words(), *cue_words("per_unit"), *cue_words("offer_verb")))):
            continue  # 人才补贴: the model's name of the offer, longer than the offer word
        if all(x[2] == "INDICATOR" for x in rivals):
            out = [x for x in out if x not in rivals] + [(start, end, "INDICATOR")]
    return sorted(out)


CLAUSE_HEAD_RE = re.compile(r"[\n。！？!?；;]")
SENTENCE_STOP_RE = re.compile(r"[\n。！？!?]")
CLAUSE_MARK_RE = re.compile(r"[\n。！？!?；;，,、]")
LEAD_GAP_RE = re.compile(r"[\s，,：:]*")


@lru_cache(maxsize=1)
def _unnamed_zone_re() -> re.Pattern:
    return re.compile(f"(?P<name>[\u4e00-\u9fff]{{2,3}}?)(?:{zone_words_alternation()})")


@lru_cache(maxsize=1)
def _not_zone_names() -> frozenset[str]:
    """Words before a zone word that name no zone: kinds of zone (化工, 科技), verbs (推动, 建成) and
    qualifiers (超过)."""
    return frozenset(cue_words("zone_kind_word") + cue_words("count_verb") + cue_words("name_breaker")
                     + tuple(qualifier_words()))


def _breakdown_heads(view: str) -> set[int]:
    """Clause heads of a 其中 breakdown (其中，A经开区增长9.1%，B高新区增长6.4%): right after 其中, and
    after each comma, semicolon or 、 from there to the end of its sentence."""
    heads = set()
    for mark in cue_re("breakdown_word").finditer(view):
        stop = SENTENCE_STOP_RE.search(view, mark.end())
        heads.add(mark.end())
        heads |= {m.end() for m in CLAUSE_MARK_RE.finditer(view, mark.end(), stop.start() if stop else len(view))}
    return heads


def find_unnamed_zones(view: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Zones named without a place (梧桐高新区, 丹霞产业园: sub-parks and zones a gazetteer cannot know)
    where they head a clause: at the start of a line or sentence, after 其中 or a clause break of a
    其中 breakdown, after a leading PERIOD or after a zone and a list joiner (梧桐高新区、白鹭综保区营业收入),
    two or three characters that no zone_name_breaker holds,
    then a zone word of two or more characters; and then an INDICATOR, a predicate (zone_predicate:
    完成, 实现 …), a VALUE in the same clause or, in the headline, anything. Elsewhere such names are
    left to the statistical model."""
    heads = {0} | {m.end() for m in CLAUSE_HEAD_RE.finditer(view)} | _breakdown_heads(view)
    heads |= {end for _, end, label in spans if label == "PERIOD"}
    # the next item of a list of zones (梧桐高新区、丹霞经开区、白鹭综保区营业收入分别…)
    heads |= {end + 1 for _, end, label in spans if label == "ZONE" and INDICATOR_JOINERS_RE.match(view, end)}
    indicator_starts = {start for start, _, label in spans if label == "INDICATOR"}
    value_starts = sorted(start for start, _, label in spans if label == "VALUE")
    breakers = set(cue_words("zone_name_breaker"))
    clutter = clutter_spans(view)
    headline_end = view.find("\n") if "\n" in view else len(view)
    found = []
    pending = sorted(heads)
    k = 0
    while k < len(pending):
        head = pending[k]
        k += 1
        start = LEAD_GAP_RE.match(view, head).end()
        match = _unnamed_zone_re().match(view, start)
        group = group_at(view, start)  # 其中国家高新区实现…: a group heading the clause
        if group is not None:
            end = group
            if end in value_starts:
                continue  # 省级高新区12家: the group counted, no zone
        elif match is None:
            continue
        else:
            end = match.end()
            if (breakers.intersection(match.group("name")) or is_bare(view[start:end])
                    or match.group("name") in _not_zone_names()):
                continue  # 推动园区, 产业园区 / 化工园区 (a zone word or kind, no name)
        if any(a < end and start < b for a, b in clutter):
            continue  # a page header
        clause = CLAUSE_MARK_RE.search(view, end)
        clause_end = clause.start() if clause else len(view)
        value = bisect.bisect_left(value_starts, end)
        next_item = INDICATOR_JOINERS_RE.match(view, end) is not None and end + 1 not in pending
        if (end in indicator_starts or cue_re("zone_predicate", "^").match(view[end:end + 8]) or end <= headline_end
                or (value < len(value_starts) and value_starts[value] < clause_end) or next_item):
            found.append((start, end))
            if next_item:
                bisect.insort(pending, end + 1)  # the next zone of the list
    return found


def with_unnamed_zones(spans: list[tuple[int, int, str]], view: str) -> list[tuple[int, int, str]]:
    """The spans and each zone named without a place (find_unnamed_zones) that overlaps no span, or
    that the model read as an INDICATOR of exactly its extent (丹霞产业园: a zone name is no measure)."""
    out = list(spans)
    for start, end in find_unnamed_zones(view, spans):
        rivals = [x for x in out if x[0] < end and start < x[1]]
        if not rivals or (len(rivals) == 1 and rivals[0] == (start, end, "INDICATOR")):
            out = [x for x in out if x not in rivals] + [(start, end, "ZONE")]
    return sorted(out)


@lru_cache(maxsize=1)
def _goals_after_re() -> re.Pattern:
    """The goals of a year named right after it and introduced (主要预期目标是：, 主要指标为; cues.tsv goal_word)."""
    goals = cue_re("goal_word").pattern
    return re.compile(f"[\u4e00-\u9fff]{{0,10}}?{goals}[是为為：]")


def stands_alone(view: str, span: tuple[int, int, str], lead_labels: Iterable[str]) -> bool:
    """Whether a rule span of a lead label stands alone: where it leads a clause (2023年，…), in the
    headline (the first line: 南岭高新区2020年经济数据出炉), before the goals it is the year of
    (2014年主要预期目标是：), heading a clause about a whole area (；2020年全市工业园区…), or for a PERIOD,
    whenever it names a period rather than a bare year or month (前三季度, 1—9月)."""
    start, end, label = span
    if label not in lead_labels:
        return False
    if view[end:end + 1] and view[end:end + 1] in CLAUSE_LEAD_BREAKS:
        return True
    if label == "PERIOD" and YEAR_LIST_LEAD_RE.match(view, end):
        return True  # a list of years leading a clause (2020年、2021年和2022年，…)
    if "\n" not in view[:start] and "\n" in view[end:]:
        return True
    if label == "PERIOD" and HEADING_LEAD_RE.fullmatch(view, view.rfind("\n", 0, start) + 1, start):
        return True  # a year opening a numbered heading (一、2024年工作回顾)
    if label == "PERIOD" and _goals_after_re().match(view, end):
        return True  # 部署2014年主要预期发展指标是：… the year of the goals listed after it
    if label == "PERIOD" and (start == 0 or view[start - 1] in CLAUSE_BREAKS) \
            and cue_re("wide_scope", "^").match(view[end:end + 3]):
        return True  # ；2020年全市工业园区完成…: a year heading a clause about a whole area
    return label == "PERIOD" and BARE_DATE_RE.fullmatch(view, start, end) is None


@Language.factory(
    "gzie_rules",
    assigns=["doc.ents", "doc.spans"],
    default_config={"spans_key": DEFAULT_SPANS_KEY, "rule_priority_labels": DEFAULT_RULE_PRIORITY,
                    "standalone_labels": DEFAULT_STANDALONE, "lead_labels": DEFAULT_LEAD, "annotate_ents": True,
                    "scorer": {"@scorers": "gzie.rules_scorer.v1"}},
)
def make_rules(nlp: Language, name: str, spans_key: str, rule_priority_labels: list[str],
               standalone_labels: list[str], lead_labels: list[str], annotate_ents: bool, scorer: Callable | None):
    return EntityRules(nlp, name, spans_key=spans_key, rule_priority_labels=rule_priority_labels,
                       standalone_labels=standalone_labels, lead_labels=lead_labels, annotate_ents=annotate_ents,
                       scorer=scorer)


class EntityRules(Pipe):
    """Finds VALUE, PERIOD, POLICY and AGENCY spans with the rule tables and merges them into doc.ents.
    It has no learned state: the tables ship with the package, so nothing is saved with a model."""

    def __init__(self, nlp: Language, name: str = "gzie_rules", *, spans_key: str = DEFAULT_SPANS_KEY,
                 rule_priority_labels: list[str] = DEFAULT_RULE_PRIORITY,
                 standalone_labels: list[str] = DEFAULT_STANDALONE, lead_labels: list[str] = DEFAULT_LEAD,
                 annotate_ents: bool = True, scorer: Callable | None = score_rules):
        ensure_extensions()
        self.name = name
        self.spans_key = spans_key
        self.rule_priority_labels = list(rule_priority_labels)
        self.standalone_labels = list(standalone_labels)
        self.lead_labels = list(lead_labels)
        self.annotate_ents = annotate_ents
        self.scorer = scorer
        self.cfg = {"spans_key": spans_key}

    def __call__(self, doc: Doc) -> Doc:
        view = doc_view(doc)
        found = [f for f in find_spans(view)]
        rule_spans = [span for f in found if (span := char_span_expanded(doc, f.start, f.end, f.label)) is not None]
        doc.spans[self.spans_key] = rule_spans
        if self.annotate_ents:
            rules = [(s.start_char, s.end_char, s.label_) for s in rule_spans]
            model = valid_model_spans([(e.start_char, e.end_char, e.label_) for e in doc.ents], rules, view)
            model = trim_model_values(model, rules, view)
            lead = [r for r in rules if stands_alone(view, r, self.lead_labels)]
            # Listed measures followed by a figure are INDICATOR rule spans (standing alone where the
            # model found nothing when INDICATOR is a standalone label).
            figures, thresholds = [], []
            for start, end, label in rules:
                if label == "VALUE":
                    (thresholds if is_threshold(view, start, end) else figures).append((start, end))
            # 对全省工业增长的贡献率: the model's 工业 inside is no measure of its own
            contributions = find_contributions(view, figures)
            model = without_indicators_across(model, contributions)
            # 第一产业、第二产业、第三产业增加值: the items replace the names across them
            shared = find_shared_head_items(view, figures, rules + model)
            model, rules = without_indicators_across(model, shared), without_indicators_across(rules, shared)
            counted = find_counted_nouns(view, figures)
            listed = [n for n in find_indicators(view, figures)
                      if INDICATOR_JOINERS_RE.match(view, n[1]) or not names_another_measure(n, model, figures)]
            bounded = find_bounded_nouns(view, thresholds, figures)
            if bounded:  # the bound is inside the INDICATOR now, no VALUE of its own
                rules = [r for r in rules if not any(b[0] <= r[0] and r[1] <= b[1] for b in bounded)]
            named = [(s, e, "INDICATOR") for s, e in
                     shared + contributions + listed + counted + find_owned_measures(view, figures) + bounded]
            named += [(s, e, "INDICATOR") for s, e in find_industry_measures(view, figures)
                      if not any(n[0] < e and s < n[1] for n in named)]
            named += [(s, e, "INDICATOR") for s, e in find_nouns_after_verbs(view, figures)
                      if not any(n[0] < e and s < n[1] for n in named)]
            rules = sorted(rules + [n for n in named if not any(r[0] < n[1] and n[0] < r[1] for r in rules)])
            merged = clean_entities(merge_entities(model, rules, self.rule_priority_labels, self.standalone_labels,
                                                   lead), view)
            merged = without_verbs_before_counts(with_offers(merged, view), counted, view)
            merged = with_unnamed_zones(merged, view)
            spans = [span for start, end, label in merged
                     if (span := char_span_expanded(doc, start, end, label)) is not None]
            doc.set_ents(filter_spans(spans), default="outside")
        return doc
