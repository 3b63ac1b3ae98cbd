"""Counts and coverage of a corpus (what `gzie corpus stats` prints)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from ..resources import read_table
from ..schema import ENTITY_LABELS, RELATION_LABELS
from ..text import cue_re, is_traditional
from .forms import form_counts
from .io import read_records
from .validate import corpus_files

FULL_WIDTH_RE = re.compile(r"[０-９]")


@lru_cache(maxsize=None)
def _number_re() -> re.Pattern:
    """A run of numeral characters (numerals.tsv), digits and separators."""
    roles = ("digit", "unit", "big", "point")
    chars = "".join(row["char"] for row in read_table("numerals.tsv") if row["role"] in roles)
    return re.compile("[0-9０-９.．,，/" + re.escape(chars) + "]+")


@lru_cache(maxsize=None)
def _chinese_digit_re() -> re.Pattern:
    chars = "".join(row["char"] for row in read_table("numerals.tsv") if row["role"] in ("digit", "unit"))
    return re.compile("[" + re.escape(chars) + "]")


@lru_cache(maxsize=None)
def _qualifier_re() -> re.Pattern:
    """Qualifier words (qualifiers.tsv) at the start or the end of a value."""
    rows = read_table("qualifiers.tsv")
    before = sorted({r["word"] for r in rows if r["position"] == "prefix"}, key=len, reverse=True)
    after = sorted({r["word"] for r in rows if r["position"] != "prefix"}, key=len, reverse=True)
    return re.compile("^(?:" + "|".join(map(re.escape, before)) + ")|(?:" + "|".join(map(re.escape, after)) + ")$")


def period_form(text: str) -> str:
    """A period with its numbers abstracted: 2022年1—9月 -> N年N—N月."""
    return re.sub(r"[0-9０-９]+", "N", text)


def unit_form(text: str) -> str:
    """The unit of a value span: 超2998亿元 -> 亿元 (numbers and qualifiers removed)."""
    qualifier = _qualifier_re()
    text = qualifier.sub("", text.strip())
    text = qualifier.sub("", text)
    pieces = [p for p in _number_re().split(text) if p]
    unit = pieces[-1] if pieces else ""
    if "分之" in text:
        unit = "分之"
    elif "/" in text:
        unit = "/"
    return qualifier.sub("", unit) or unit


def split_name(path: Path) -> str:
    return path.stem


def token_alignment(records: Iterable[dict], make_doc) -> float:
    """Share of gold spans whose boundaries fall on token boundaries of `make_doc`."""
    aligned = total = 0
    for record in records:
        doc = make_doc(record["text"])
        for span in record["spans"]:
            aligned += doc.char_span(span["start"], span["end"]) is not None
            total += 1
    return aligned / total if total else 1.0


def corpus_stats(paths: Iterable[str | Path], make_doc=None) -> dict:
    """Counts and coverage; `make_doc` (default: spaCy's zh character tokenizer) is used for token alignment."""
    import spacy

    make_doc = make_doc or spacy.blank("zh").make_doc
    files = corpus_files(paths)
    all_records = []
    records_per_split: dict[str, list[dict]] = {}
    years: set[int] = set()
    docs_per_split: Counter = Counter()
    spans: Counter = Counter()
    relations: Counter = Counter()
    surfaces: dict[str, set] = {label: set() for label in ENTITY_LABELS}
    regions, genres, periods, units = set(), Counter(), Counter(), Counter()
    lengths = []
    traditional = clutter = chinese_numeral_docs = full_width_docs = 0
    chinese_numeral_values = full_width_values = 0
    for path in files:
        for record in read_records(path):
            all_records.append(record)
            docs_per_split[split_name(path)] += 1
            text = record["text"]
            lengths.append(len(text))
            meta = record.get("meta") or {}
            if meta.get("region"):
                regions.add(meta["region"])
            genres[meta.get("genre") or "unknown"] += 1
            traditional += is_traditional(text)
            records_per_split.setdefault(split_name(path), []).append(record)
            date = str(meta.get("date") or "")
            if date[:4].isdigit():
                years.add(int(date[:4]))
            clutter += bool(cue_re("clutter").search(text))
            has_cn = has_fw = False
            for span in record["spans"]:
                surface = text[span["start"]:span["end"]]
                spans[span["label"]] += 1
                surfaces[span["label"]].add(surface)
                if span["label"] == "PERIOD":
                    periods[period_form(surface)] += 1
                elif span["label"] == "VALUE":
                    units[unit_form(surface)] += 1
                    number = _number_re().search(surface)
                    if number and _chinese_digit_re().search(number.group(0)):
                        has_cn, chinese_numeral_values = True, chinese_numeral_values + 1
                    if FULL_WIDTH_RE.search(surface):
                        has_fw, full_width_values = True, full_width_values + 1
            chinese_numeral_docs += has_cn
            full_width_docs += has_fw
            for rel in record["relations"]:
                relations[rel["label"]] += 1
    n_docs = sum(docs_per_split.values())
    return {
        "documents": n_docs,
        "documents_per_split": dict(docs_per_split),
        "characters": {"total": sum(lengths), "min": min(lengths, default=0), "max": max(lengths, default=0)},
        "spans": sum(spans.values()),
        "spans_per_label": {label: spans[label] for label in ENTITY_LABELS},
        "relations": sum(relations.values()),
        "relations_per_label": {label: relations[label] for label in RELATION_LABELS},
        "regions": len(regions),
        "region_names": sorted(regions),
        "genres": dict(genres.most_common()),
        "distinct_agencies": len(surfaces["AGENCY"]),
        "distinct_policies": len(surfaces["POLICY"]),
        "distinct_indicators": len(surfaces["INDICATOR"]),
        "distinct_zones": len(surfaces["ZONE"]),
        "distinct_period_forms": len(periods),
        "period_forms": dict(periods.most_common()),
        "distinct_unit_forms": len(units),
        "unit_forms": dict(units.most_common()),
        "documents_with_chinese_numeral_values": chinese_numeral_docs,
        "chinese_numeral_values": chinese_numeral_values,
        "documents_with_full_width_values": full_width_docs,
        "full_width_values": full_width_values,
        "traditional_documents": traditional,
        "traditional_share": traditional / n_docs if n_docs else 0.0,
        "documents_with_page_clutter": clutter,
        "years": sorted(years),
        "documents_over_2500_characters": sum(n > 2500 for n in lengths),
        "forms_per_split": {split: form_counts(records) for split, records in sorted(records_per_split.items())},
        "token_alignment": token_alignment(all_records, make_doc),
    }


def format_stats(stats: dict) -> str:
    def counts(key: str) -> str:
        return ", ".join(f"{k} {v}" for k, v in stats[key].items())

    chars = stats["characters"]
    lines = [f"documents: {stats['documents']} ({counts('documents_per_split')})",
             f"characters: {chars['total']:,} (per document {chars['min']}..{chars['max']})",
             f"spans: {stats['spans']} ({counts('spans_per_label')})",
             f"relations: {stats['relations']} ({counts('relations_per_label')})",
             f"regions: {stats['regions']} ({'、'.join(stats['region_names'])})",
             f"distinct agencies {stats['distinct_agencies']}, policies {stats['distinct_policies']}, "
             f"indicators {stats['distinct_indicators']}, zones {stats['distinct_zones']}",
             f"period forms: {stats['distinct_period_forms']}; unit forms: {stats['distinct_unit_forms']}",
             f"values in Chinese numerals: {stats['chinese_numeral_values']} in "
             f"{stats['documents_with_chinese_numeral_values']} documents; in full-width digits: "
             f"{stats['full_width_values']} in {stats['documents_with_full_width_values']} documents",
             f"traditional-character documents: {stats['traditional_documents']} ({stats['traditional_share']:.1%})",
             f"documents with page clutter: {stats['documents_with_page_clutter']}",
             f"years: {len(stats['years'])} ({min(stats['years'], default='-')}..{max(stats['years'], default='-')}); "
             f"documents over 2,500 characters: {stats['documents_over_2500_characters']}",
             f"gold spans on token boundaries: {stats['token_alignment']:.2%}"]
    return "\n".join(lines)
