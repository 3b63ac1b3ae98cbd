"""Read the rule tables shipped as package data in gzie/data.

Each table is a UTF-8 TSV file: lines starting with ``#`` are comments, the first other
line names the columns, and every further line is one row. Missing trailing cells read
as empty strings.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files


@lru_cache(maxsize=None)
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``gzie/data/<name>`` as dicts keyed by the header's column names."""
    text = files("gzie.data").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header, body = lines[0].split("\t"), lines[1:]
    rows = []
    for number, line in enumerate(body, start=2):
        cells = line.split("\t")
        if len(cells) > len(header):
            raise ValueError(f"{name}: row {number} has {len(cells)} cells for {len(header)} columns: {line!r}")
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return tuple(rows)


def longest_prefix(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` starts with, or None."""
    longest = max(map(len, words), default=0)
    for size in range(min(len(text), longest), 0, -1):
        if text[:size] in words:
            return text[:size]
    return None


def longest_suffix(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` ends with, or None."""
    longest = max(map(len, words), default=0)
    for size in range(min(len(text), longest), 0, -1):
        if text[-size:] in words:
            return text[-size:]
    return None
