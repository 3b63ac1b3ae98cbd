"""The one reader of the rule and fact tables shipped in gzie/data.

Every table is a UTF-8 TSV file: blank lines and lines starting with ``#`` are comments, the
first other line names the columns, and every further line is one row. Missing trailing cells
read as empty strings; a row with more cells than the header is an error (E050).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.resources import files

from .errors import Errors, TableError

DATA_PACKAGE = "gzie.data"
TABLE_SUFFIX = ".tsv"


def data_text(name: str) -> str:
    """The text of a file in gzie/data."""
    return files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def parse_table(text: str, name: str = "<table>") -> tuple[dict[str, str], ...]:
    """The rows of a table's text as dicts keyed by the header's column names."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise TableError(Errors.E050.format(name=name, detail="no header line"))
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) > len(header):
            raise TableError(Errors.E050.format(
                name=name, detail=f"row {number} has {len(cells)} cells for {len(header)} columns: {line!r}"))
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)))))
    return tuple(rows)


@lru_cache(maxsize=None)
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of ``gzie/data/<name>`` (cached: tables do not change while gzie runs)."""
    return parse_table(data_text(name), name)


def table_names() -> list[str]:
    """The names of all tables in gzie/data, sorted."""
    return sorted(entry.name for entry in files(DATA_PACKAGE).iterdir() if entry.name.endswith(TABLE_SUFFIX))


def tables_hash() -> str:
    """SHA-256 over the names and contents of all tables: a model records the tables it was
    trained with, and loading it with other tables warns (W001)."""
    digest = hashlib.sha256()
    for name in table_names():
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(files(DATA_PACKAGE).joinpath(name).read_bytes() + b"\0")
    return digest.hexdigest()
