"""A self-contained HTML page for people to read extraction results: the entities of each document
highlighted in the text (displaCy's entity view) and a table of its facts."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Iterable

from .fileio import atomic_write_text
from .schema import ENTITY_LABELS

REPORT_LIMIT = 200  # documents rendered at most; a page for thousands would not open
LABEL_COLORS = {
    "AGENCY": "#aec7e8",
    "POLICY": "#ffbb78",
    "INDICATOR": "#98df8a",
    "VALUE": "#ff9896",
    "PERIOD": "#c5b0d5",
    "ZONE": "#9edae5",
}
FACT_COLUMNS = (("indicator", "indicator"), ("value", "value"), ("unit", "unit"), ("value_text", "as written"),
                ("change", "change"), ("change_text", "change as written"), ("period", "period"), ("zone", "zone"))
STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto;
       max-width: 72em; padding: 0 1em; color: #222; }
section { border-top: 1px solid #ccc; margin-top: 2em; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.note { background: #fff6d5; padding: 0.5em 1em; }
.legend mark { padding: 0.2em 0.5em; margin-right: 0.5em; border-radius: 0.3em; }
"""


def _cell(fact: dict, key: str) -> str:
    value = fact.get(key)
    if key == "period" and value:
        dates = f" ({value['start']} – {value['end']})" if value.get("start") else ""
        return escape(value["text"] + dates)
    if key == "change" and value is not None:
        unit = fact.get("change_unit")
        if unit == "百分点":
            return escape(f"{value * 100:+.4g} 个百分点")
        if unit in ("%", "倍"):
            return escape(f"{value * 100:+.4g}%")
        return escape(f"{value:+.6g} {unit or ''}".strip())
    if key == "value" and isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() and abs(value) < 1e18 else f"{value:,.6g}"
    return "" if value is None else escape(str(value))


def _facts_table(facts: list[dict]) -> str:
    if not facts:
        return "<p>No facts.</p>"
    head = "".join(f"<th>{escape(title)}</th>" for _, title in FACT_COLUMNS)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(fact, key)}</td>" for key, _ in FACT_COLUMNS) + "</tr>"
                   for fact in facts)
    return f"<table><tr>{head}</tr>{rows}</table>"


def _entities_html(text: str, record: dict) -> str:
    from spacy import displacy

    ents = [{"start": e["start"], "end": e["end"], "label": e["label"]} for e in record["entities"]]
    # displaCy escapes the text; the labels are gzie's own.
    return displacy.render({"text": text, "ents": ents}, style="ent", manual=True, page=False, jupyter=False,
                           options={"ents": list(ENTITY_LABELS), "colors": LABEL_COLORS})


def _document_html(text: str, record: dict) -> str:
    title = escape(str(record["id"]))
    date = f"<p>date: {escape(record['date'])}</p>" if record.get("date") else ""
    policies = "".join(f"<li>《{escape(p['title'])}》"
                       + (f" — {escape('、'.join(p['issuers']))}" if p["issuers"] else "")
                       + (f" ({escape(p['doc_number'])})" if p.get("doc_number") else "") + "</li>"
                       for p in record.get("policies", []))
    policies = f"<h3>Policies</h3><ul>{policies}</ul>" if policies else ""
    return (f"<section><h2>{title}</h2>{date}{_entities_html(text, record)}"
            f"<h3>Facts</h3>{_facts_table(record['facts'])}{policies}</section>")


def render_report(documents: Iterable[tuple[str, dict]], *, extracted: int, skipped: int = 0,
                  limit: int = REPORT_LIMIT, title: str = "gzie extraction report") -> str:
    """The page for (text, output record) pairs; at most `limit` of them are rendered, and the page
    says how many of the `extracted` documents it leaves out."""
    shown = [_document_html(text, record) for text, record in list(documents)[:limit]]
    notes = [f"{extracted} documents extracted in this run; {len(shown)} shown."]
    if extracted > len(shown):
        notes.append(f"Only the first {len(shown)} are rendered here; all of them are in the output file.")
    if skipped:
        notes.append(f"{skipped} documents already in the output (--resume) were not extracted again "
                     "and are not shown.")
    legend = "".join(f'<mark style="background: {LABEL_COLORS[label]}">{label}</mark>' for label in ENTITY_LABELS)
    return ("<!DOCTYPE html>\n<html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{escape(title)}</h1><p class=\"note\">{' '.join(escape(n) for n in notes)}</p>"
            f"<p class=\"legend\">{legend}</p>{''.join(shown)}</body></html>\n")


def write_report(path: str | Path, documents: Iterable[tuple[str, dict]], **kwargs) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, render_report(documents, **kwargs))
