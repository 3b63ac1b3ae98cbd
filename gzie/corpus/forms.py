"""How often a corpus uses each form of real releases (docs/real-news.md), so that gaps are visible.

Each form is counted from the gold annotations and the text, with the same readers the pipeline
uses (the normalized view, the cue tables, the fact builder), one count per occurrence:

    period_scope        facts whose period was stated in an earlier sentence (headline, lead, paragraph)
    qita_breakdown      其中 followed by an indicator in its sentence
    comparison_base     PERIOD spans that are bases of comparison (比上年同期, 较上半年)
    period_first_months 前10个月, 前5月 …            period_month_range   1~2月, 1- 8月, 1至9月 …
    period_single_month 5月当月, 10月份 …             period_context       当年, 同年
    period_full_year    2023年全年, 全年              period_as_of         截至二季度末, 上年末 …
    period_since        今年以来, 年初以来 …           period_year_range    2019年至2021年 …
    share_of_total      a % value of an indicator with 占 before it
    count_nouns         counts of zones (37个省级以上开发区) and counts before their noun (326家企业)
    fenbie_list         分别 with two or more values of one indicator
    bracket_value       a value in brackets          thousands_separator 3 500万美元, 1,234.5万元
    absolute_change     a change in 家, 元, 个 … (多出612家)    percentage_points  a change in 百分点
    rate_change         a growth rate's change left unlinked (增速提高0.6个百分点)
    not_a_figure        拉动, 两年平均, 超计划 … before an unlinked value
    qualifier_before    突破, 最高 … right before a value    value_qualifier   超2000亿元, 80%以上 …
    zone_body           zone bodies as AGENCY (合肥高新区管委会)
    wide_scope          全市/全省 figures (no zone)
    agency_central / agency_provincial / agency_prefecture / agency_county / agency_township / agency_zone
                        AGENCY spans by the level they link to
    half_width / traditional / clutter / soft_line_break   documents with these text forms
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from ..agencies import DocumentPlaces, link_agency
from ..facts import _clause_before, _is_comparison, assemble_facts
from ..normalize import resolve_value
from ..resources import read_table
from ..text import Entity, clutter_spans, cue_re, is_traditional, normalized_view, sentence_index, sentence_starts

HALF_WIDTH_RE = re.compile(r"[\u4e00-\u9fff][,;:!?]|[,;:!?][\u4e00-\u9fff]")
PERIOD_FORMS = ("period_first_months", "period_month_range", "period_single_month", "period_context",
                "period_full_year", "period_as_of", "period_since", "period_year_range")
FORMS = ("period_scope", "qita_breakdown", "comparison_base", *PERIOD_FORMS, "share_of_total", "count_nouns",
         "fenbie_list", "bracket_value", "thousands_separator", "absolute_change", "percentage_points",
         "rate_change", "not_a_figure", "qualifier_before", "value_qualifier", "zone_body", "wide_scope",
         "agency_central", "agency_provincial", "agency_prefecture", "agency_county", "agency_township",
         "agency_zone", "half_width", "traditional", "clutter", "soft_line_break")


@lru_cache(maxsize=1)
def period_form_patterns() -> dict[str, re.Pattern]:
    return {row["form"]: re.compile(row["pattern"]) for row in read_table("period_forms.tsv")}


def _entities(record: dict, view: str) -> list[Entity]:
    return sorted((Entity(s["start"], s["end"], s["label"], view[s["start"]:s["end"]]) for s in record["spans"]),
                  key=lambda e: (e.start, e.end))


def record_forms(record: dict) -> Counter:
    """The forms one gold record uses, with their counts."""
    text = record["text"]
    view = normalized_view(text)
    entities = _entities(record, view)
    spans = record["spans"]
    counts: Counter = Counter()
    linked_children = {r["child"] for r in record["relations"]}
    starts = sentence_starts(view)
    relations = [{"head": [spans[r["head"]]["start"], spans[r["head"]]["end"]],
                  "child": [spans[r["child"]]["start"], spans[r["child"]]["end"]], "label": r["label"]}
                 for r in record["relations"]]
    for fact in assemble_facts(text, entities, relations, (record.get("meta") or {}).get("date")):
        period = fact.get("period")
        if period and sentence_index(starts, fact["start"]) != sentence_index(starts, _period_offset(text, fact)):
            counts["period_scope"] += 1
    for e in entities:
        if e.label == "PERIOD":
            if _is_comparison(view, e):
                counts["comparison_base"] += 1
            for form, pattern in period_form_patterns().items():
                if pattern.search(e.text):
                    counts[form] += 1
        elif e.label == "ZONE" and re.match(r"^(?:全[省市区县州])?(?:\d+|[一二两三四五六七八九十百]+)[个家所]", e.text):
            counts["count_nouns"] += 1
        elif e.label == "AGENCY":
            if cue_re("zone_body", "$").search(e.text):
                counts["zone_body"] += 1
            linked = link_agency(e.text, DocumentPlaces(view), e.start)
            if linked and linked.get("level"):
                counts[f"agency_{linked['level']}"] += 1
        elif e.label == "VALUE":
            before = view[max(0, e.start - 1):e.start]
            if before in ("（", "("):
                counts["bracket_value"] += 1
            if re.search(r"\d[ ,]\d{3}", e.text):
                counts["thousands_separator"] += 1
            resolution = resolve_value(e.text)
            if resolution is not None and resolution.qualifier:
                counts["value_qualifier"] += 1
            if cue_re("qualifier_before", "$").search(view[max(0, e.start - 5):e.start].rstrip()):
                counts["qualifier_before"] += 1
    for index, span in enumerate(spans):
        if span["label"] != "VALUE" or index in linked_children:
            continue
        clause = _clause_before(view, span["start"])
        if cue_re("rate_head").search(clause):
            counts["rate_change"] += 1
        elif cue_re("not_a_figure").search(clause):
            counts["not_a_figure"] += 1
    by_head: dict[int, list[dict]] = {}
    for r in record["relations"]:
        by_head.setdefault(r["head"], []).append(r)
    for head, rels in by_head.items():
        indicator = spans[head]
        values = [spans[r["child"]] for r in rels if r["label"] in ("HAS_VALUE", "HAS_CHANGE")]
        for r in rels:
            child = spans[r["child"]]
            resolution = resolve_value(text[child["start"]:child["end"]])
            if r["label"] == "HAS_CHANGE" and resolution is not None:
                if resolution.unit == "百分点":
                    counts["percentage_points"] += 1
                elif resolution.unit not in (None, "%", "倍"):
                    counts["absolute_change"] += 1
            if r["label"] == "HAS_VALUE" and resolution is not None and resolution.unit == "%" and \
                    "占" in view[indicator["end"]:child["start"]]:
                counts["share_of_total"] += 1
        if len(values) >= 2 and "分别" in view[indicator["end"]:max(v["start"] for v in values)]:
            counts["fenbie_list"] += 1
        if cue_re("wide_scope", "$").search(view[max(0, indicator["start"] - 3):indicator["start"]]):
            counts["wide_scope"] += 1
    for match in re.finditer("其中", view):
        s = sentence_index(starts, match.start())
        if any(e.label == "INDICATOR" and e.start > match.start() and sentence_index(starts, e.start) == s
               for e in entities):
            counts["qita_breakdown"] += 1
    counts["half_width"] += bool(HALF_WIDTH_RE.search(text))
    counts["traditional"] += is_traditional(text)
    counts["clutter"] += bool(clutter_spans(view))
    counts["soft_line_break"] += text.count("\n") - view.count("\n")
    return counts


def _period_offset(text: str, fact: dict) -> int:
    """Where a fact's period stands: the first occurrence of its text before the fact."""
    period = fact["period"]["text"]
    at = text.rfind(period, 0, fact["start"] + 1)
    return at if at >= 0 else fact["start"]


def form_counts(records: Iterable[dict]) -> dict[str, int]:
    """Every form's count over the records (documents for the text forms, occurrences otherwise)."""
    total: Counter = Counter()
    for record in records:
        total.update(record_forms(record))
    return {form: total.get(form, 0) for form in FORMS}
