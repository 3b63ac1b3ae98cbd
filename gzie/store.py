"""The facts store: `gzie extract` output in one embedded DuckDB file, to follow an indicator of a zone
across releases.

    summary = load(["out/facts.jsonl"], "facts.duckdb")    # incremental: documents already there are skipped
    series("facts.duckdb", "规上工业总产值", zone="贵阳经开区")  # a DataFrame, one row per series point
    with open("facts.duckdb") as store: store.df("SELECT count(*) FROM facts")

Tables: documents (id, date, n_facts, source), entities and facts (one row per item of a record, keyed
by doc_id and idx, its position in the record), policies, series_points, and series_names (the
indicator and zone names that lead to a series, for lookups). A **series point** is
one figure however many releases repeat it: facts with the same indicator (indicator_id, or the
normalised indicator text when there is none), zone (zone_canonical, or the normalised zone text),
period (start, end) and unit, whose values lie within 0.5% of each other (|a - b| <= 0.005 * max(|a|,
|b|), for every pair). Facts without a value are grouped by their change instead, apart from
facts with one. series_points is rebuilt after every load that adds documents; its doc_ids and dates list every
release that gave the figure, oldest first. Two points of one key whose releases differ are a
**conflict** (keys without any period date are left out: undated figures of different releases
may be of different times).

Loads are idempotent: a document already in the store (by id) is skipped with everything it holds,
so loading the same output twice, or output that overlaps, changes nothing. A bad line is a
Problem (file:line) in the summary, never an exception. A database that cannot be used raises
StoreError with a code (E080-E089).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import shutil
import unicodedata
import uuid
import warnings
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Union

from .errors import Errors, InputError, Problem, StoreError
from .fileio import atomic_write_bytes
from .inputs import display_path

if TYPE_CHECKING:
    import duckdb
    import pandas

SCHEMA_VERSION = "1"
TOLERANCE = 0.005  # values within 0.5% of each other are one figure
CHUNK_DOCUMENTS = 10_000  # documents staged and inserted at a time (bounds memory, not atomicity)
TABLES = ("documents", "entities", "facts", "policies", "series_points", "series_names")
INPUT_SUFFIXES = (".jsonl", ".parquet")
# Files `gzie extract` writes next to its output, skipped when a folder is read.
SIDE_FILE_SUFFIXES = (".errors.jsonl", ".done.jsonl")
# The cluster engine writes OUT/part-00000.jsonl … and, once all are done, OUT/merged.jsonl of them all.
PART_FILE_RE = re.compile(r"part-\d{5,}\.(jsonl|parquet)")
MERGED_FILES = ("merged.jsonl", "merged.parquet")
SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
             "WenQuanYi Micro Hei", "Sarasa Gothic SC", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC",
             "STHeiti", "Droid Sans Fallback", "AR PL UMing CN", "Arial Unicode MS")
DUCKDB_MAGIC = b"DUCK"
LOCK_HOLDER_RE = re.compile(r"lock is held in (.+?)(?:\. See also|$)")

DB = Union[str, os.PathLike, "Store"]

SCHEMA = """
CREATE TABLE store_meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE documents (id VARCHAR PRIMARY KEY, date DATE, n_facts INTEGER NOT NULL, source VARCHAR);
CREATE TABLE entities (
    doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, start INTEGER, "end" INTEGER, label VARCHAR, text VARCHAR,
    canonical VARCHAR, level VARCHAR, region VARCHAR, zone_type VARCHAR,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE facts (
    doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, indicator VARCHAR, indicator_id VARCHAR, value DOUBLE,
    unit VARCHAR, kind VARCHAR, qualifier VARCHAR, value_text VARCHAR, change DOUBLE, change_unit VARCHAR,
    change_text VARCHAR, period_text VARCHAR, period_start DATE, period_end DATE, zone VARCHAR,
    zone_canonical VARCHAR, zone_type VARCHAR, sentence VARCHAR, indicator_key VARCHAR, zone_key VARCHAR,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE policies (
    doc_id VARCHAR NOT NULL, idx INTEGER NOT NULL, title VARCHAR, doc_number VARCHAR, issuers VARCHAR[],
    issuers_canonical VARCHAR[], start INTEGER, "end" INTEGER,
    PRIMARY KEY (doc_id, idx));
CREATE TABLE series_points (
    indicator_key VARCHAR, indicator_id VARCHAR, indicator VARCHAR, zone_key VARCHAR, zone_type VARCHAR,
    period_start DATE, period_end DATE, period_text VARCHAR, value DOUBLE, unit VARCHAR, change DOUBLE,
    change_unit VARCHAR, n_sources INTEGER, doc_ids VARCHAR[], dates DATE[]);
CREATE TABLE series_names (kind VARCHAR, name VARCHAR, key VARCHAR);
"""

# Column names and Arrow types of the staged rows, in the order _record_rows builds them.
_COLUMNS = {
    "documents": (("id", "string"), ("date", "date"), ("n_facts", "int"), ("source", "string")),
    "entities": (("doc_id", "string"), ("idx", "int"), ("start", "int"), ("end", "int"), ("label", "string"),
                 ("text", "string"), ("canonical", "string"), ("level", "string"), ("region", "string"),
                 ("zone_type", "string")),
    "facts": (("doc_id", "string"), ("idx", "int"), ("indicator", "string"), ("indicator_id", "string"),
              ("value", "float"), ("unit", "string"), ("kind", "string"), ("qualifier", "string"),
              ("value_text", "string"), ("change", "float"), ("change_unit", "string"), ("change_text", "string"),
              ("period_text", "string"), ("period_start", "date"), ("period_end", "date"), ("zone", "string"),
              ("zone_canonical", "string"), ("zone_type", "string"), ("sentence", "string"),
              ("indicator_key", "string"), ("zone_key", "string")),
    "policies": (("doc_id", "string"), ("idx", "int"), ("title", "string"), ("doc_number", "string"),
                 ("issuers", "strings"), ("issuers_canonical", "strings"), ("start", "int"), ("end", "int")),
}

# The key of a series: facts of one key and close values are one point.
_KEY = "indicator_key, zone_key, period_start, period_end, unit, value IS NULL"

_POINTS_SQL = """
INSERT INTO series_points
WITH fp AS (
    SELECT f.*, p.point, d.date FROM facts f
    JOIN _fact_points p ON p.doc_id = f.doc_id AND p.idx = f.idx
    JOIN documents d ON d.id = f.doc_id),
sources AS (SELECT point, doc_id, any_value(date) AS date FROM fp GROUP BY point, doc_id),
by_point AS (
    SELECT point, list(doc_id ORDER BY date NULLS LAST, doc_id) AS doc_ids,
           list(date ORDER BY date NULLS LAST, doc_id) AS dates, count(*) AS n_sources
    FROM sources GROUP BY point)
SELECT first(indicator_key), first(indicator_id), mode(indicator), first(zone_key), mode(zone_type),
       first(period_start), first(period_end), mode(period_text), quantile_disc(value, 0.5), first(unit),
       quantile_disc(change, 0.5), mode(change_unit), any_value(s.n_sources), any_value(s.doc_ids),
       any_value(s.dates)
FROM fp JOIN by_point s USING (point)
GROUP BY point
"""

# Names that lead to a series: indicator texts to indicator keys, zone texts and canonical names to
# zone keys, of the facts in series points (a small table, so that a query need not scan the points).
_NAMES_SQL = """
INSERT INTO series_names
WITH _in_points AS (
    SELECT f.* FROM facts f SEMI JOIN _fact_points p ON p.doc_id = f.doc_id AND p.idx = f.idx)
SELECT DISTINCT 'indicator', indicator, indicator_key FROM _in_points WHERE indicator IS NOT NULL
UNION SELECT DISTINCT 'zone', zone, zone_key FROM _in_points WHERE zone IS NOT NULL AND zone_key IS NOT NULL
UNION SELECT DISTINCT 'zone', zone_canonical, zone_key FROM _in_points
      WHERE zone_canonical IS NOT NULL AND zone_key IS NOT NULL
"""

_CONFLICTS_SQL = f"""
WITH keyed AS (
    SELECT *, count(*) OVER key AS n_values,
           len(list_distinct(flatten(list(doc_ids) OVER key))) AS n_documents,
           (max(coalesce(value, change)) OVER key - min(coalesce(value, change)) OVER key)
               / nullif(max(abs(coalesce(value, change))) OVER key, 0) AS spread
    FROM series_points
    WHERE period_start IS NOT NULL OR period_end IS NOT NULL
    WINDOW key AS (PARTITION BY {_KEY}))
SELECT indicator_key, indicator, zone_key, period_start, period_end, period_text, value, unit, change,
       change_unit, spread, n_sources, doc_ids, CAST(dates AS VARCHAR[]) AS dates
FROM keyed WHERE n_values > 1 AND n_documents > 1
ORDER BY indicator_key, zone_key NULLS LAST, period_end NULLS FIRST, period_start NULLS FIRST, unit, value, change
"""

_SERIES_COLUMNS = ("indicator_key, indicator, zone_key, zone_type, period_start, period_end, period_text, value, "
                   "unit, change, change_unit, n_sources, doc_ids, CAST(dates AS VARCHAR[]) AS dates")


class _Bad(ValueError):
    """A record that cannot be loaded; the message says which field."""


# --- opening --------------------------------------------------------------------------------


class Store:
    """An open facts store: the DuckDB connection and a few helpers. Close it (or use `with`) so
    that another process can write the file."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    def sql(self, query: str, params: Any = None) -> duckdb.DuckDBPyRelation:
        """A DuckDB relation: `.df()`, `.arrow()`, `.fetchall()`, or more SQL on it."""
        return self.con.sql(query, params=params)

    def df(self, query: str, params: Any = None) -> pandas.DataFrame:
        return self.con.execute(query, params).df()

    def facts(self) -> pandas.DataFrame:
        """Every fact with its document's date, in order of date, document and position."""
        return self.df("SELECT f.*, d.date FROM facts f JOIN documents d ON d.id = f.doc_id "
                       "ORDER BY d.date NULLS LAST, f.doc_id, f.idx")

    def series(self, indicator: str, zone: str | None = None) -> pandas.DataFrame:
        return series(self, indicator, zone=zone)

    def conflicts(self) -> pandas.DataFrame:
        return conflicts(self)

    def load(self, paths: Iterable[str | os.PathLike]) -> dict:
        return load(paths, self)

    def export_parquet(self, folder: str | os.PathLike) -> dict:
        return export_parquet(self, folder)

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<gzie.store.Store {display_path(self.path)}{' (read-only)' if self.read_only else ''}>"


def open(path: str | os.PathLike, read_only: bool = False) -> Store:  # shadows the builtin here, as io.open
    """Open the facts store at `path`, creating it unless `read_only`. Raises StoreError when the file
    is not a DuckDB database (E081), is in use by another process (E082), is missing (E083, read-only
    only) or is a DuckDB database of something else (E084)."""
    _require_pandas_and_arrow()
    path = Path(path)
    con = _connect(path, read_only)
    try:
        _check_schema(con, path, read_only)
    except BaseException:
        con.close()
        raise
    return Store(con, path, read_only)


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    import duckdb

    shown = display_path(path)
    if path.is_dir():
        raise StoreError(Errors.E081.format(path=shown))
    if read_only and not path.exists():
        raise StoreError(Errors.E083.format(path=shown))
    if path.exists() and not _is_duckdb_file(path):
        # Checked here: DuckDB 2 opens a JSON, CSV or Parquet file as a read-only database of it.
        raise StoreError(Errors.E081.format(path=shown))
    try:
        if not read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(Errors.E080.format(path=shown, detail=err.strerror or err)) from None
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.ConnectionException:
        # This process has the file open already, with the other setting of read_only.
        if not read_only:
            raise StoreError(Errors.E082.format(path=shown, holder="opened read-only in this process")) from None
        try:
            return duckdb.connect(str(path))  # share the writer's connection
        except duckdb.Error as err:
            raise _store_error(path, err) from None
    except duckdb.Error as err:
        raise _store_error(path, err) from None


def _is_duckdb_file(path: Path) -> bool:
    """Whether the file starts as a DuckDB database does (a checksum, then DUCK at byte 8)."""
    try:
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == DUCKDB_MAGIC
    except OSError:
        return True  # let DuckDB report why it cannot open it


def _store_error(path: Path, err: Exception) -> StoreError:
    message = str(err)
    shown = display_path(path)
    if "not a valid DuckDB database file" in message:
        return StoreError(Errors.E081.format(path=shown))
    if "Could not set lock" in message or "Conflicting lock" in message:
        match = LOCK_HOLDER_RE.search(message)
        return StoreError(Errors.E082.format(path=shown, holder=match.group(1) if match else "another process"))
    return StoreError(Errors.E080.format(path=shown, detail=message.removeprefix("IO Error: ")))


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, read_only: bool) -> None:
    tables = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
    ).fetchall()}
    shown = display_path(path)
    if "store_meta" not in tables:
        if tables:
            detail = f"it holds other tables ({', '.join(sorted(tables)[:5])}) and no store_meta"
            raise StoreError(Errors.E084.format(path=shown, detail=detail))
        if read_only:
            raise StoreError(Errors.E084.format(path=shown, detail="an empty DuckDB database"))
        con.execute("BEGIN")
        con.execute(SCHEMA)
        con.execute("INSERT INTO store_meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        con.execute("COMMIT")
        return
    version = _first(con, "SELECT value FROM store_meta WHERE key = 'schema_version'")
    missing = [t for t in TABLES if t not in tables]
    if not version or version[0] != SCHEMA_VERSION or missing:
        detail = (f"tables missing: {', '.join(missing)}" if missing else
                  f"schema version {version[0] if version else None}, this gzie reads version {SCHEMA_VERSION}")
        raise StoreError(Errors.E084.format(path=shown, detail=detail))


def _first(con: duckdb.DuckDBPyConnection, query: str, params: Any = None) -> tuple | None:
    """The first row of a query, or None. (DuckDB 2 refuses other work while a result is unfetched,
    so never fetchone().)"""
    rows = con.execute(query, params).fetchall()
    return rows[0] if rows else None


class _Using:
    """A Store for `db`: the caller's own (left open), or one opened here and closed on exit."""

    def __init__(self, db: DB, read_only: bool):
        self.given = db if isinstance(db, Store) else None
        self.db = db
        self.read_only = read_only
        self.store: Store | None = None

    def __enter__(self) -> Store:
        if self.given is not None:
            if self.given.read_only and not self.read_only:
                raise StoreError(Errors.E080.format(path=display_path(self.given.path),
                                                    detail="opened read-only, cannot load into it"))
            return self.given
        self.store = open(self.db, read_only=self.read_only)
        return self.store

    def __exit__(self, *exc) -> None:
        if self.store is not None:
            self.store.close()


# --- reading extract output -----------------------------------------------------------------


def _folder_files(folder: Path) -> list[Path]:
    """The record files under a folder, without the side files of `gzie extract` and of the cluster
    engine, and without its part files where the merged file of the same parts is there."""
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
                   and not p.name.startswith(".") and not p.name.lower().endswith(SIDE_FILE_SUFFIXES))
    merged = {p.parent for p in found if p.name in MERGED_FILES}
    return [p for p in found if not (p.parent in merged and PART_FILE_RE.fullmatch(p.name))]


def _input_files(paths: Iterable[str | os.PathLike], problems: list[Problem]) -> list[Path]:
    files = []
    for path in map(Path, paths):
        shown = display_path(path)
        if path.is_dir():
            found = _folder_files(path)
            if not found:
                problems.append(Problem(shown, "folder holds no .jsonl or .parquet files"))
            files.extend(found)
        elif not path.exists():
            problems.append(Problem(shown, "no such file or folder"))
        elif not path.is_file():
            problems.append(Problem(shown, "not a regular file, skipped"))
        else:
            files.append(path)
    return files


def _read_records(path: Path, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
    """(line or row number, record) of a JSONL or Parquet file; unreadable lines become problems."""
    if path.suffix.lower() == ".parquet":
        yield from _read_parquet(path, problems)
    else:
        yield from _read_jsonl(path, problems)


def _parse_line(text: str) -> Any:
    """A JSON value; ValueError when it is not JSON or holds a lone surrogate (no UTF-8 for it)."""
    import json

    value = json.loads(text)
    if SURROGATE_ESCAPE_RE.search(text):  # an escaped surrogate: a pair is fine, a lone one is not
        json.dumps(value, ensure_ascii=False).encode("utf-8")  # UnicodeEncodeError is a ValueError
    return value


def _read_jsonl(path: Path, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
    shown = display_path(path)
    try:
        handle = path.open("rb")
    except OSError as err:
        problems.append(Problem(shown, f"cannot read: {err.strerror or err}"))
        return
    with handle:
        for number, raw in enumerate(handle, 1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if not raw.strip():
                continue
            try:
                yield number, _parse_line(raw.decode("utf-8"))
            except UnicodeDecodeError as err:
                problems.append(Problem(shown, f"not UTF-8 (byte {err.start}), line skipped", line=number))
            except UnicodeEncodeError:
                problems.append(Problem(shown, "a lone surrogate (\\ud800-\\udfff) in a string, line skipped",
                                        line=number))
            except ValueError as err:
                problems.append(Problem(shown, f"not a JSON record ({err}), line skipped", line=number))


def _read_parquet(path: Path, problems: list[Problem]) -> Iterator[tuple[int, Any]]:
    """Records of a Parquet file in either layout: the cluster engine's (columns id, date, record,
    where record is the JSON line), or one column per field of a record (id, date, entities, facts,
    policies). Problems name the row."""
    shown = display_path(path)
    try:
        import pyarrow.parquet as pq
    except ImportError:
        problems.append(Problem(shown, "reading Parquet needs pyarrow: pip install pyarrow"))
        return
    try:
        parquet = pq.ParquetFile(path)
        names = set(parquet.schema_arrow.names)
        as_json = "record" in names
        if not as_json and not {"id", "facts"} <= names:
            problems.append(Problem(shown, "not a file of `gzie extract` records (no record column, nor id and "
                                           "facts), skipped"))
            return
        row = 0
        for batch in parquet.iter_batches(batch_size=2048, columns=["record"] if as_json else None):
            for record in batch.column("record").to_pylist() if as_json else batch.to_pylist():
                row += 1
                if not as_json:
                    yield row, record
                    continue
                try:
                    if not isinstance(record, str):
                        raise ValueError("no record")
                    yield row, _parse_line(record)
                except ValueError as err:
                    problems.append(Problem(shown, f"record is not a JSON record ({err}), row skipped", line=row))
    except (OSError, ValueError) as err:  # pyarrow's ArrowInvalid is a ValueError, ArrowIOError an OSError
        problems.append(Problem(shown, f"not a readable Parquet file: {err}"))


@lru_cache(maxsize=65_536)
def _normalised(text: str) -> str:
    from .indicators import normalise

    return normalise(text)


@lru_cache(maxsize=4096)
def _iso_date(text: str) -> dt.date:
    from .dates import parse_iso_date

    return dt.date.fromisoformat(parse_iso_date(text))


def _date(value: Any, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return _iso_date(value)
        except InputError:
            pass
    raise _Bad(f"{what} {value!r:.40} is not an ISO date (YYYY-MM-DD)")


def _str(value: Any, what: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _Bad(f"{what} is not a string: {value!r:.40}")


def _int(value: Any, what: str) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and -2**31 <= value < 2**31):
        return value
    raise _Bad(f"{what} is not an integer (32 bits): {value!r:.40}")


def _number(value: Any, what: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise _Bad(f"{what} is not a finite number: {value!r:.40}")


def _strings(value: Any, what: str) -> list | None:
    if value is None:
        return None
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, str) for v in value):
        return list(value)
    raise _Bad(f"{what} is not a list of strings: {value!r:.40}")


def _items(record: dict, key: str) -> list[dict]:
    items = record.get(key)
    if items is None:
        return []
    if isinstance(items, (list, tuple)) and all(isinstance(item, dict) for item in items):
        return list(items)
    raise _Bad(f'"{key}" is not a list of objects')


def _record_rows(record: Any, source: str) -> tuple[str, tuple, list, list, list]:
    """The document id and the rows of one record for documents, entities, facts and policies."""
    if not isinstance(record, dict):
        raise _Bad("not a JSON object")
    doc_id = record.get("id")
    if isinstance(doc_id, int) and not isinstance(doc_id, bool):
        doc_id = str(doc_id)
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise _Bad('no document id ("id")')
    if not isinstance(record.get("facts"), (list, tuple)):
        raise _Bad('not a `gzie extract` record: no "facts" list')
    entities = []
    for i, e in enumerate(_items(record, "entities")):
        w = f"entities[{i}]"
        entities.append((doc_id, i, _int(e.get("start"), f"{w}.start"), _int(e.get("end"), f"{w}.end"),
                         _str(e.get("label"), f"{w}.label"), _str(e.get("text"), f"{w}.text"),
                         _str(e.get("canonical"), f"{w}.canonical"), _str(e.get("level"), f"{w}.level"),
                         _str(e.get("region"), f"{w}.region"), _str(e.get("zone_type"), f"{w}.zone_type")))
    facts = [_fact_row(doc_id, i, f) for i, f in enumerate(_items(record, "facts"))]
    policies = []
    for i, p in enumerate(_items(record, "policies")):
        w = f"policies[{i}]"
        policies.append((doc_id, i, _str(p.get("title"), f"{w}.title"), _str(p.get("doc_number"), f"{w}.doc_number"),
                         _strings(p.get("issuers"), f"{w}.issuers"),
                         _strings(p.get("issuers_canonical"), f"{w}.issuers_canonical"),
                         _int(p.get("start"), f"{w}.start"), _int(p.get("end"), f"{w}.end")))
    document = (doc_id, _date(record.get("date"), "date"), len(facts), source)
    return doc_id, document, entities, facts, policies


def _fact_row(doc_id: str, i: int, fact: dict) -> tuple:
    w = f"facts[{i}]"
    period = fact.get("period")
    if period is None:
        period = {}
    elif not isinstance(period, dict):
        raise _Bad(f"{w}.period is not an object")
    indicator = _str(fact.get("indicator"), f"{w}.indicator")
    indicator_id = _str(fact.get("indicator_id"), f"{w}.indicator_id")
    zone = _str(fact.get("zone"), f"{w}.zone")
    zone_canonical = _str(fact.get("zone_canonical"), f"{w}.zone_canonical")
    indicator_key = indicator_id or (_normalised(indicator) if indicator else None) or None
    zone_key = zone_canonical or (_normalised(zone) if zone else None) or None
    return (doc_id, i, indicator, indicator_id, _number(fact.get("value"), f"{w}.value"),
            _str(fact.get("unit"), f"{w}.unit"), _str(fact.get("kind"), f"{w}.kind"),
            _str(fact.get("qualifier"), f"{w}.qualifier"), _str(fact.get("value_text"), f"{w}.value_text"),
            _number(fact.get("change"), f"{w}.change"), _str(fact.get("change_unit"), f"{w}.change_unit"),
            _str(fact.get("change_text"), f"{w}.change_text"), _str(period.get("text"), f"{w}.period.text"),
            _date(period.get("start"), f"{w}.period.start"), _date(period.get("end"), f"{w}.period.end"),
            zone, zone_canonical, _str(fact.get("zone_type"), f"{w}.zone_type"),
            _str(fact.get("sentence"), f"{w}.sentence"), indicator_key, zone_key)


# --- loading --------------------------------------------------------------------------------
#
# Two paths give the same rows. The fast one parses a whole file with pyarrow's JSON reader (or reads
# Parquet batches) into Arrow, checks it with vectorised kernels and flattens it without a Python
# loop per item. The careful one, record by record in Python, names every bad line. A file takes
# the fast path unless something in it is not as `gzie extract` writes it; then the whole file is
# read again the careful way (documents the fast path inserted already are skipped as known).


class _Unsuitable(Exception):
    """The fast path cannot take this file as it is; read it the careful way."""


def _arrow_types() -> dict[str, Any]:
    import pyarrow as pa

    return {"string": pa.string(), "date": pa.date32(), "int": pa.int32(), "float": pa.float64(),
            "strings": pa.list_(pa.string())}


@lru_cache(maxsize=1)
def _record_schema():
    """The fields of a `gzie extract` record that the store reads, as Arrow types (dates as text)."""
    import pyarrow as pa

    types = _arrow_types()

    def struct(table: str, skip: int = 2, extra: tuple = ()) -> Any:
        fields = [(name, types["string"] if kind == "date" else types[kind]) for name, kind in _COLUMNS[table][skip:]]
        return pa.struct([f for f in fields if f[0] not in _DERIVED] + list(extra))

    period = pa.struct([("text", pa.string()), ("start", pa.string()), ("end", pa.string())])
    fact = struct("facts", extra=(("period", period),))
    return pa.schema([("id", pa.string()), ("date", pa.string()), ("entities", pa.list_(struct("entities"))),
                      ("facts", pa.list_(fact)), ("policies", pa.list_(struct("policies")))])


# Fact columns that are not fields of a record: the period's parts, and the keys the store derives.
_DERIVED = frozenset({"period_text", "period_start", "period_end", "indicator_key", "zone_key"})


def _arrow_table(table: str, rows: list[tuple]):
    import pyarrow as pa

    types = _arrow_types()
    columns = _COLUMNS[table]
    values = list(zip(*rows)) if rows else [()] * len(columns)
    return pa.table({name: pa.array(column, type=types[kind]) for (name, kind), column in zip(columns, values)})


def _insert(con: duckdb.DuckDBPyConnection, staged: dict[str, Any]) -> int:
    """Insert staged Arrow tables, leaving out documents already in the store with everything they
    hold; returns how many documents were new."""
    for table, arrow in staged.items():
        con.register(f"_stage_{table}", arrow)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _new AS "
                    "SELECT s.id FROM _stage_documents s ANTI JOIN documents d ON d.id = s.id")
        for table in ("entities", "facts", "policies"):
            con.execute(f"INSERT OR IGNORE INTO {table} BY NAME SELECT s.* FROM _stage_{table} s "
                        "SEMI JOIN _new n ON n.id = s.doc_id")
        con.execute("INSERT OR IGNORE INTO documents BY NAME SELECT s.* FROM _stage_documents s "
                    "SEMI JOIN _new n ON n.id = s.id")
        return _first(con, "SELECT count(*) FROM _new")[0]
    finally:
        for table in staged:
            _unregister(con, f"_stage_{table}")
        _quietly(con, "DROP TABLE IF EXISTS _new")


def _fast_batches(path: Path) -> Iterator[Any]:
    """Record batches of a file in _record_schema, about CHUNK_DOCUMENTS records each; raises
    _Unsuitable (or a pyarrow error) where the file does not fit the schema."""
    import pyarrow as pa
    import pyarrow.json as pj

    schema = _record_schema()
    options = pj.ParseOptions(explicit_schema=schema, unexpected_field_behavior="ignore")
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        names = parquet.schema_arrow.names
        if "record" in names:  # the cluster engine's layout: each record as its JSON line
            for batch in parquet.iter_batches(batch_size=CHUNK_DOCUMENTS, columns=["record"]):
                lines = batch.column("record")
                if lines.null_count:
                    raise _Unsuitable
                data = "\n".join(lines.to_pylist()).encode("utf-8")
                read = pj.ReadOptions(block_size=max(len(data), 1) + 1)
                table = pj.read_json(io.BytesIO(data), read_options=read, parse_options=options)
                if table.num_rows != batch.num_rows:
                    raise _Unsuitable  # a blank record
                yield from table.combine_chunks().to_batches()
            return
        if not {"id", "facts"} <= set(names):
            raise _Unsuitable
        for batch in parquet.iter_batches(batch_size=CHUNK_DOCUMENTS, columns=[n for n in schema.names if n in names]):
            columns = [batch.column(f.name).cast(f.type) if f.name in names else pa.nulls(batch.num_rows, f.type)
                       for f in schema]
            yield pa.RecordBatch.from_arrays(columns, schema=schema)
        return
    read = pj.ReadOptions(block_size=8 << 20)  # a block must hold the longest record, else the careful path
    if hasattr(pj, "open_json"):  # pyarrow >= 17 streams; before, the whole file is read at once
        reader = pj.open_json(path, read_options=read, parse_options=options)
    else:
        reader = pj.read_json(path, read_options=read, parse_options=options).to_batches()
    pending, rows = [], 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_DOCUMENTS:
            yield from pa.Table.from_batches(pending, schema=schema).combine_chunks().to_batches()
            pending, rows = [], 0
    if pending:
        yield from pa.Table.from_batches(pending, schema=schema).combine_chunks().to_batches()


def _all(mask) -> bool:
    import pyarrow.compute as pc

    return pc.all(mask).as_py() is not False  # nulls do not count; all null is fine


def _blank_to_null(strings):
    import pyarrow as pa
    import pyarrow.compute as pc

    return pc.if_else(pc.equal(strings, ""), pa.scalar(None, pa.string()), strings)


def _dates(strings):
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = _blank_to_null(strings)
    if not _all(pc.match_substring_regex(strings, r"^\d{4}-\d{2}-\d{2}$")):
        raise _Unsuitable
    return pc.cast(strings, pa.date32())  # ArrowInvalid for 2024-02-30


def _finite(numbers):
    import pyarrow.compute as pc

    if not _all(pc.is_finite(numbers)):
        raise _Unsuitable
    return numbers


def _keys(primary, text):
    """primary, or where it is null or empty the normalised text (as _fact_row computes the keys)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    distinct = pc.unique(text)
    normalised = pa.array([(_normalised(t) or None) if t else None for t in distinct.to_pylist()], pa.string())
    return pc.coalesce(_blank_to_null(primary), pc.take(normalised, pc.index_in(text, value_set=distinct)))


def _items_of(batch, column: str, doc_ids) -> tuple[Any, Any, dict[str, Any]]:
    """The items of a list column: their doc ids, their positions in the record, their fields."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = batch.column(column)
    items = lists.flatten()
    if items.null_count:
        raise _Unsuitable  # a null where an object should be
    parents = pc.list_parent_indices(lists).to_numpy()
    positions = np.arange(len(parents)) - np.searchsorted(parents, parents)
    fields = dict(zip((f.name for f in items.type), items.flatten()))
    return pc.take(doc_ids, pa.array(parents)), pa.array(positions, pa.int32()), fields


def _stage_batch(batch, source: str) -> dict[str, Any]:
    """The rows of a batch of records for documents, entities, facts and policies, as Arrow tables."""
    import pyarrow as pa
    import pyarrow.compute as pc

    batch.validate(full=True)  # invalid UTF-8 in a string
    ids = batch.column("id")
    if ids.null_count or batch.column("facts").null_count:
        raise _Unsuitable
    if not _all(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(ids)), 0)):
        raise _Unsuitable  # a blank id
    n_facts = pc.list_value_length(batch.column("facts")).cast(pa.int32())
    staged = {"documents": pa.table({"id": ids, "date": _dates(batch.column("date")), "n_facts": n_facts,
                                     "source": pa.array([source] * batch.num_rows, pa.string())})}
    for table in ("entities", "facts", "policies"):
        doc_ids, positions, fields = _items_of(batch, table, ids)
        if table == "facts":
            period = dict(zip(("text", "start", "end"), fields.pop("period").flatten()))
            fields.update(period_text=period["text"], period_start=_dates(period["start"]),
                          period_end=_dates(period["end"]), value=_finite(fields["value"]),
                          change=_finite(fields["change"]), indicator_key=_keys(fields["indicator_id"],
                                                                                fields["indicator"]),
                          zone_key=_keys(fields["zone_canonical"], fields["zone"]))
        columns = {"doc_id": doc_ids, "idx": positions}
        columns.update((name, fields[name]) for name, _ in _COLUMNS[table][2:])
        staged[table] = pa.table(columns)
    return staged


class _Loader:
    """Loads files into an open transaction, each document once (the first time its id is seen)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, problems: list[Problem]):
        self.con = con
        self.problems = problems
        self.seen: set[str] = set()
        self.repeated = 0  # records whose id came earlier in this load

    def file(self, path: Path) -> None:
        import pyarrow as pa

        added: list[str] = []
        repeated = self.repeated
        try:
            for batch in _fast_batches(path):
                batch = self._first_seen(batch, added)
                if batch.num_rows:
                    _insert(self.con, _stage_batch(batch, display_path(path)))
            return
        except (_Unsuitable, pa.ArrowException, OSError):
            self.seen.difference_update(added)
            self.repeated = repeated
        self._careful(path)

    def _first_seen(self, batch, added: list[str]):
        import pyarrow as pa

        keep = []
        for doc_id in batch.column("id").to_pylist():
            fresh = doc_id not in self.seen
            if fresh:
                self.seen.add(doc_id)
                added.append(doc_id)
            else:
                self.repeated += 1
            keep.append(fresh)
        return batch if all(keep) else batch.filter(pa.array(keep))

    def _careful(self, path: Path) -> None:
        shown = display_path(path)
        staged: dict[str, list[tuple]] = {t: [] for t in ("documents", "entities", "facts", "policies")}
        for number, record in _read_records(path, self.problems):
            try:
                doc_id, document, entities, facts, policies = _record_rows(record, shown)
            except _Bad as err:
                doc = record.get("id") if isinstance(record, dict) else None
                self.problems.append(Problem(shown, f"{err}, record skipped", line=number,
                                             doc_id=doc if isinstance(doc, str) else None))
                continue
            if doc_id in self.seen:
                self.repeated += 1
                continue
            self.seen.add(doc_id)
            staged["documents"].append(document)
            staged["entities"] += entities
            staged["facts"] += facts
            staged["policies"] += policies
            if len(staged["documents"]) >= CHUNK_DOCUMENTS:
                _insert(self.con, {t: _arrow_table(t, rows) for t, rows in staged.items()})
                staged = {t: [] for t in staged}
        if staged["documents"]:
            _insert(self.con, {t: _arrow_table(t, rows) for t, rows in staged.items()})


def _unregister(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Drop a registered Arrow table; in a failed transaction DuckDB refuses, and the failure that
    matters is the one already raised."""
    try:
        con.unregister(name)
    except Exception:  # duckdb.Error, without importing duckdb here
        pass


def _quietly(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Clean up after a load step, unless the transaction failed (see _unregister)."""
    try:
        con.execute(statement)
    except Exception:
        pass


def refresh_series(con: duckdb.DuckDBPyConnection, tolerance: float = TOLERANCE) -> int:
    """Rebuild series_points from facts; returns the number of points.

    Facts are sorted by key and value (or change, when they have no value); walking up the sorted
    values, a fact starts a new point when it is more than `tolerance` (relative) away from the
    first value of the current point, so every pair within a point is within the tolerance."""
    import pyarrow as pa

    ordered = con.execute(f"""
        SELECT doc_id, idx, dense_rank() OVER (ORDER BY {_KEY}) AS key, coalesce(value, change) AS measure
        FROM facts WHERE indicator_key IS NOT NULL AND coalesce(value, change) IS NOT NULL
        ORDER BY key, measure""").fetchnumpy()  # (fetchnumpy: in DuckDB 1.1 and 2 alike)
    points = []
    point, current, anchor = -1, None, 0.0
    for key, measure in zip(ordered["key"].tolist(), ordered["measure"].tolist()):
        if key != current or abs(measure - anchor) > tolerance * max(abs(measure), abs(anchor)):
            point, current, anchor = point + 1, key, measure
        points.append(point)
    con.register("_fact_points", pa.table({"doc_id": pa.array(ordered["doc_id"], type=pa.string()),
                                           "idx": pa.array(ordered["idx"], type=pa.int64()),
                                           "point": pa.array(points, type=pa.int64())}))
    try:
        con.execute("DELETE FROM series_points")
        con.execute(_POINTS_SQL)
        con.execute("DELETE FROM series_names")
        con.execute(_NAMES_SQL)
    finally:
        _unregister(con, "_fact_points")
    return point + 1


def load(paths: Iterable[str | os.PathLike], db_path: DB) -> dict:
    """Load `gzie extract` output (JSONL files, Parquet files of records, folders of them) into the
    store at `db_path` (created if missing), then rebuild series_points. Returns a summary: files,
    documents (new ones), entities, facts, policies, skipped (documents already in the store or
    repeated in the input), series_points and conflicts (in the whole store), problems (bad lines,
    each a Problem with file:line; their records are not loaded).

    One load is one transaction: it is in the store whole or not at all."""
    problems: list[Problem] = []
    files = _input_files(paths, problems)
    summary: dict[str, Any] = {"files": len(files)}
    with _Using(db_path, read_only=False) as store:
        con = store.con
        before = _counts(con)
        con.execute("BEGIN")
        try:
            loader = _Loader(con, problems)
            for path in files:
                loader.file(path)
            after = _counts(con)
            for table in ("documents", "entities", "facts", "policies"):
                summary[table] = after[table] - before[table]
            summary["skipped"] = loader.repeated + len(loader.seen) - summary["documents"]
            if summary["documents"]:
                refresh_series(con)
            con.execute("COMMIT")
        except BaseException as err:
            con.execute("ROLLBACK")
            if isinstance(err, StoreError) or not _is_duckdb_error(err):
                raise
            raise StoreError(Errors.E080.format(path=display_path(store.path), detail=str(err))) from None
        summary["series_points"] = _counts(con)["series_points"]
        summary["conflicts"] = len(_conflict_keys(con))
    summary["problems"] = problems
    return summary


def _require_pandas_and_arrow() -> None:
    """pandas and pyarrow, which the store needs (DuckDB hands tables over through them)."""
    try:
        import pandas  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise StoreError(Errors.E088.format(what="the facts store", package="pandas and pyarrow",
                                            install="pandas pyarrow")) from None


def _is_duckdb_error(err: BaseException) -> bool:
    import duckdb

    return isinstance(err, duckdb.Error)


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: _first(con, f"SELECT count(*) FROM {t}")[0] for t in TABLES}


def _conflict_keys(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"SELECT DISTINCT indicator_key, zone_key, period_start, period_end, unit "
                       f"FROM ({_CONFLICTS_SQL})").fetchall()


# --- querying -------------------------------------------------------------------------------


def _lists(frame: pandas.DataFrame, columns: Iterable[str]) -> pandas.DataFrame:
    for column in columns:
        frame[column] = [list(v) if v is not None else [] for v in frame[column]]
    return frame


def conflicts(db: DB) -> pandas.DataFrame:
    """Figures that releases disagree on: for each key (indicator, zone, period, unit) with points
    more than 0.5% apart from different documents, one row per point: its value (or change), the
    documents that give it and their dates, and the key's spread ((max - min) / max |value|)."""
    with _Using(db, read_only=True) as store:
        return _lists(store.con.execute(_CONFLICTS_SQL).df(), ("doc_ids", "dates"))


def _candidates(name: str) -> list[str]:
    from .indicators import indicator_id

    found = [name.strip(), _normalised(name), indicator_id(name)]
    return sorted({c for c in found if c})


def _zone_candidates(name: str) -> list[str]:
    from .zones import canonical_zone

    found = [name.strip(), _normalised(name), (canonical_zone(name) or {}).get("canonical")]
    return sorted({c for c in found if c})


def series(db: DB, indicator: str, zone: str | None = None) -> pandas.DataFrame:
    """The series points of one indicator (an id such as industrial_output_above_scale, or a name:
    matched through gzie.indicators.indicator_id and by its text), in every zone or in `zone` (a
    canonical name or a mention, 贵阳经开区), by zone and period. Raises StoreError E085 when no
    fact has the indicator, E086 when none of them is in the zone."""
    with _Using(db, read_only=True) as store:
        con = store.con
        shown = display_path(store.path)
        keys = _keys_named(con, "indicator", _candidates(indicator))
        if not keys:
            known = [row[0] for row in con.execute(
                "SELECT indicator_key FROM series_points GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 8").fetchall()]
            raise StoreError(Errors.E085.format(indicator=indicator, path=shown, known=", ".join(known) or "none"))
        query = f"SELECT {_SERIES_COLUMNS} FROM series_points WHERE list_contains($keys, indicator_key)"
        params: dict[str, Any] = {"keys": keys}
        if zone is not None:
            query += " AND list_contains($zones, zone_key)"
            params["zones"] = _keys_named(con, "zone", _zone_candidates(zone))
        query += (" ORDER BY indicator_key, zone_key NULLS LAST, period_end NULLS LAST, period_start NULLS FIRST, "
                  "dates[1], value")
        frame = con.execute(query, params).df()
        if frame.empty:
            known = [row[0] for row in con.execute(
                "SELECT DISTINCT zone_key FROM series_points WHERE list_contains($keys, indicator_key) "
                "AND zone_key IS NOT NULL ORDER BY 1 LIMIT 8", {"keys": keys}).fetchall()]
            raise StoreError(Errors.E086.format(zone=zone, indicator=indicator, path=shown,
                                                known=", ".join(known) or "none"))
        return _lists(frame, ("doc_ids", "dates"))


def _keys_named(con: duckdb.DuckDBPyConnection, kind: str, names: list[str]) -> list[str]:
    """The keys of series that any of `names` is the key of or a name of."""
    return [row[0] for row in con.execute(
        "SELECT DISTINCT key FROM series_names WHERE kind = $kind AND (list_contains($names, name) "
        "OR list_contains($names, key)) ORDER BY 1", {"kind": kind, "names": names}).fetchall()]


# --- exporting ------------------------------------------------------------------------------


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def export_parquet(db: DB, folder: str | os.PathLike) -> dict:
    """Write every table (documents, entities, facts, policies, series_points) as TABLE.parquet into
    `folder`. The files are written into a temporary folder beside it, which then replaces `folder`,
    so a reader never sees half an export. An existing `folder` is replaced only when it is empty or
    holds nothing but an earlier export (E087). Returns {"folder", "tables": {table: rows}}."""
    folder = Path(folder)
    shown = display_path(folder)
    names = {f"{t}.parquet" for t in TABLES}
    if folder.exists():
        if not folder.is_dir():
            raise StoreError(Errors.E087.format(path=shown, detail="it is a file"))
        foreign = sorted(p.name for p in folder.iterdir() if p.name not in names or not p.is_file())
        if foreign:
            raise StoreError(Errors.E087.format(path=shown, detail=f"it holds {foreign[0]!r}, not an export"))
    with _Using(db, read_only=True) as store:
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            tmp = folder.with_name(f".{folder.name}.{uuid.uuid4().hex[:12]}.tmp")
            tmp.mkdir()  # not mkdtemp: the export keeps the umask's permissions, not 0700
        except OSError as err:
            raise StoreError(Errors.E080.format(path=shown, detail=err.strerror or err)) from None
        try:
            rows = {}
            for table in TABLES:
                target = _sql_string(str(tmp / f"{table}.parquet"))
                store.con.execute(f"COPY {table} TO {target} (FORMAT parquet)")
                rows[table] = _first(store.con, f"SELECT count(*) FROM {table}")[0]
            if folder.exists():
                old = tmp.with_name(tmp.name + ".old")
                os.replace(folder, old)
                os.replace(tmp, folder)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(tmp, folder)
        except OSError as err:
            shutil.rmtree(tmp, ignore_errors=True)
            raise StoreError(Errors.E080.format(path=shown, detail=err.strerror or err)) from None
        except BaseException as err:
            shutil.rmtree(tmp, ignore_errors=True)
            if _is_duckdb_error(err):
                raise StoreError(Errors.E080.format(path=shown, detail=str(err))) from None
            raise
    return {"folder": str(folder), "tables": rows}


# --- showing --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cjk_font() -> str | None:
    """An installed font family that draws Chinese, if any."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _x_of(row) -> dt.date | None:
    """Where a point goes on the time axis: the end of its period, else its first release's date."""
    import pandas as pd

    if pd.notna(row.period_end):
        return pd.Timestamp(row.period_end).date()
    return _iso_date(row.dates[0]) if len(row.dates) and row.dates[0] else None


@lru_cache(maxsize=1)
def _money_units() -> frozenset[str]:
    """Units of money (元, 美元 …): the amount rows of gzie/data/units.tsv."""
    from .resources import read_table

    return frozenset(row["unit"] for row in read_table("units.tsv") if row["kind"] == "amount")


def _axis(df: pandas.DataFrame, measure: str) -> tuple[float, str, str]:
    """The factor values are drawn at and the axis label, in Chinese and in ASCII (for a PNG without
    a CJK font): money in 亿 (1e8), percentages and percentage points (kept as fractions) times 100."""
    units = set(df["unit" if measure == "value" else "change_unit"].dropna())
    unit = units.pop() if len(units) == 1 else None
    if unit in _money_units() and df[measure].abs().max() >= 1e8:
        return 1e-8, f"{measure} (亿{unit})", f"{measure} (100 million{' yuan' if unit == '元' else ''})"
    if unit == "%":
        return 100.0, f"{measure} (%)", f"{measure} (%)"
    if unit == "百分点":
        return 100.0, f"{measure} ({unit})", f"{measure} (percentage points)"
    return 1.0, f"{measure} ({unit})" if unit else measure, measure


def _one_unit(df: pandas.DataFrame, measure: str) -> pandas.DataFrame:
    """The points of the unit most points of `measure` have (a share of 31.2% beside amounts in 元
    is another series, and one axis cannot hold both)."""
    column = "unit" if measure == "value" else "change_unit"
    units = df.loc[df[measure].notna(), column]
    if units.nunique(dropna=False) <= 1:
        return df
    return df[df[column] == units.value_counts().index[0]]


def plot_series(df: pandas.DataFrame, path: str | os.PathLike) -> Path:
    """Draw a series DataFrame (from `series`) as a line chart, one line per zone, over the end of
    each point's period (or its first release's date), and write it to `path` (.png or .svg, E089).
    Needs matplotlib (E088). Points without a value are drawn by their change when no point has one;
    where the points have several units, those of the most common unit are drawn.

    Names are Chinese: with a CJK font installed (Noto Sans CJK, WenQuanYi …) they are drawn with it;
    without one, an SVG keeps them as text for the viewer to draw, and a PNG, which cannot, labels
    the zones zone 1, zone 2 … in the order of the series table."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise StoreError(Errors.E089.format(path=display_path(path), suffix=path.suffix))
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise StoreError(Errors.E088.format(what="plotting a series", package="matplotlib",
                                            install="'gzie[plot]'")) from None
    font = _cjk_font()
    ascii_only = font is None and suffix == ".png"
    rc: dict[str, Any] = {"svg.fonttype": "none"}  # SVG text stays text: a viewer draws it with its own fonts
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]

    def label(text: Any, fallback: str) -> str:
        text = "" if text is None or text != text else str(text)
        return fallback if ascii_only and not text.isascii() else text or fallback

    measure = "value" if df["value"].notna().any() else "change"
    df = _one_unit(df, measure)
    factor, axis_label, axis_label_ascii = _axis(df, measure)
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig = Figure(figsize=(7, 3.8))
        ax = fig.subplots()
        for number, zone in enumerate(dict.fromkeys(df["zone_key"].fillna("")), 1):
            rows = df[df["zone_key"].fillna("") == zone]
            points = sorted((x, y * factor) for x, y in zip(map(_x_of, rows.itertuples()), rows[measure])
                            if x is not None and y == y)
            if points:
                ax.plot([x for x, _ in points], [y for _, y in points], marker="o",
                        label=label(zone or "(no zone)", f"zone {number}"))
        ax.set_ylabel(label(axis_label, axis_label_ascii))
        if len(df):
            key = str(df["indicator_key"].iloc[0])
            ax.set_title(label(df["indicator"].iloc[0] or key, key if key.isascii() else "indicator"))
        ax.grid(alpha=0.3)
        if ax.lines:
            ax.legend(fontsize="small")
        fig.autofmt_xdate()
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=suffix[1:])
    try:
        atomic_write_bytes(path, buffer.getvalue())
    except OSError as err:
        raise StoreError(Errors.E080.format(path=display_path(path), detail=err.strerror or err)) from None
    return path


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(rows: list[list[str]], header: list[str]) -> str:
    """Columns aligned for a terminal, Chinese characters counted double."""
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


def format_number(value: Any, unit: Any, change: bool = False) -> str:
    """426.5亿元, 31.4%, +7.3%, +1.5个百分点, 612家: a value or change as releases write it."""
    if value is None or value != value:
        return ""
    unit = unit or ""
    sign = "+" if change else ""
    if unit == "%":
        return f"{value * 100:{sign}.6g}%"
    if unit == "百分点":
        return f"{value * 100:{sign}.6g}个百分点"
    for scale, name in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= scale and unit != "倍":
            return f"{value / scale:{sign},.6g}{name}{unit}"
    return f"{value:{sign},.6g}{unit}"


def _period(row) -> str:
    import pandas as pd

    dates = "–".join(pd.Timestamp(d).date().isoformat() if pd.notna(d) else "…"
                     for d in (row["period_start"], row["period_end"]))
    text = row["period_text"] or ""
    return f"{text} {dates}".strip() if dates != "…–…" else text or "(no period)"


def _documents(ids: list[str], limit: int = 3) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")


def format_series(df: pandas.DataFrame) -> str:
    """The table `gzie series` prints: one line per series point."""
    rows = [[str(r["zone_key"] or "(no zone)"), _period(r), format_number(r["value"], r["unit"]),
             format_number(r["change"], r["change_unit"], change=True), str(r["n_sources"]),
             _documents(r["doc_ids"]), r["dates"][0] if r["dates"] and r["dates"][0] else ""]
            for _, r in df.iterrows()]
    header = ["zone", "period", "value", "change", "sources", "documents", "first release"]
    return format_table(rows, header)


def format_conflicts(df: pandas.DataFrame) -> str:
    """The table `gzie store conflicts` prints: one line per disagreeing value, grouped by key."""
    rows = [[str(r["indicator"] or r["indicator_key"]), str(r["zone_key"] or "(no zone)"), _period(r),
             format_number(r["value"], r["unit"]) or format_number(r["change"], r["change_unit"], change=True),
             f"{r['spread'] * 100:.1f}%" if r["spread"] == r["spread"] else "", _documents(r["doc_ids"]),
             ", ".join(d or "" for d in r["dates"][:3])]
            for _, r in df.iterrows()]
    return format_table(rows, ["indicator", "zone", "period", "value", "spread", "documents", "dates"])


__all__ = ["Store", "open", "load", "series", "conflicts", "export_parquet", "plot_series", "refresh_series",
           "format_series", "format_conflicts", "TOLERANCE"]

