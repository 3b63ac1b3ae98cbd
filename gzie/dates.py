"""Document dates: validating the caller's date and finding one in a page header."""

from __future__ import annotations

import datetime as dt
import re

from .errors import Errors, InputError

# Dates as page headers print them: 2022-12-01 17:43, 2022/12/01, 2022年12月1日, 2022.12.01
HEADER_DATE_RE = re.compile(r"(20\d{2}|19\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
HEADER_WINDOW = 400


ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_iso_date(value: str | dt.date | None) -> str | None:
    """Validate a caller's date: YYYY-MM-DD exactly (the same on every Python version), or a
    datetime.date / datetime.datetime (its date); returns the ISO string or None."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    match = ISO_DATE_RE.fullmatch(value.strip()) if isinstance(value, str) else None
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(g) for g in match.groups())).isoformat()
    except ValueError:
        raise InputError(Errors.E010.format(date=value)) from None


def find_document_date(text: str) -> str | None:
    """The first well-formed date in the first lines of a page (its dateline or header), or None."""
    for match in HEADER_DATE_RE.finditer(text[:HEADER_WINDOW]):
        year, month, day = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None
