"""Facts as CSV rows: one row per fact, nested fields flattened."""

from __future__ import annotations

import csv
import io

CSV_ENCODING = "utf-8-sig"  # with a byte order mark, so spreadsheet programs read the Chinese text as UTF-8
CSV_COLUMNS = ("doc_id", "date", "indicator", "value", "unit", "kind", "qualifier", "value_text",
               "change", "change_unit", "change_text", "period_text", "period_start", "period_end",
               "zone", "start", "end", "sentence")


# A text cell starting with one of these is a formula to spreadsheet programs (OWASP, "CSV
# injection"): such a cell gets a leading apostrophe, which they show as text and do not evaluate.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same number, as in the JSONL
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def fact_rows(record: dict) -> list[list[str]]:
    """The CSV rows of one output record (none when it has no facts)."""
    rows = []
    for fact in record["facts"]:
        period = fact.get("period") or {}
        flat = {**fact, "doc_id": record["id"], "date": record["date"], "period_text": period.get("text"),
                "period_start": period.get("start"), "period_end": period.get("end")}
        rows.append([_cell(flat.get(column)) for column in CSV_COLUMNS])
    return rows


def csv_text(rows: list[list[str]]) -> str:
    """Rows as CSV text (RFC 4180: CRLF line ends, fields with commas, quotes or newlines quoted)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def csv_header() -> str:
    return csv_text([list(CSV_COLUMNS)])
