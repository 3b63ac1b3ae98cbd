"""Access to the rule tables shipped in gzie/data."""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files


def data_text(name: str) -> str:
    return files("gzie.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def read_tsv(name: str) -> tuple[dict, ...]:
    """Rows of a TSV table in gzie/data; lines starting with # are comments, the first other line is the header."""
    lines = [line for line in data_text(name).splitlines() if line.strip() and not line.startswith("#")]
    return tuple(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
