"""Extraction on a Dask cluster: the inputs in partitions, one task per partition, one part file each.

The client reads the inputs in order (as `gzie extract` does: `iter_inputs`, `check_document`, the
same batches) and cuts them into partitions of whole extraction batches. Each partition becomes one
task; the worker it runs on extracts it with the model its `ModelPlugin` loaded once, and writes

    OUT/part-00000.jsonl          the records, byte for byte those `gzie extract` writes
    OUT/part-00000.errors.jsonl   the problems met reading this partition's inputs (only if any)
    OUT/part-00000.done           {"partition", "ids_sha256", ...}: written last

each to a temporary name first and renamed when complete (`os.replace`). A part file is therefore
whole or absent, and a partition whose task ran twice (a worker died, a client was killed and the
run resumed) is written twice with the same bytes: nothing is lost or duplicated. `resume=True`
skips the partitions whose `.done` marker names the same document ids.

The part files are plain JSONL (or Parquet with the columns id, date, record, where `record` is
the JSON line), so other tools read the folder as it is: `OUT/part-*.jsonl`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from . import __version__
from .api import DEFAULT_MODEL, check_model_dir, default_model_path, extract_documents, extraction_batches
from .batch import RunLock, checked_documents
from .dates import parse_iso_date
from .errors import ConfigError, Errors, InputError, OutputError, Problem
from .fileio import atomic_open, atomic_write_text
from .inputs import InputDocument, display_path, iter_inputs

FORMATS = ("jsonl", "parquet")
DEFAULT_PARTITION_SIZE = 1000
RETRIES = 2  # a task that raises (a full disk, a network file system hiccup) runs up to twice more
WORKER_TIMEOUT = 120  # seconds to wait for the first worker of an existing cluster
LOCK_NAME = ".gzie-extract.lock"
PART_RE = re.compile(r"part-(\d{5,})\.(jsonl|parquet|errors\.jsonl|done)")
TEMP_RE = re.compile(r"\.(part-\d{5,}|merged)\..*\.tmp")
MERGED = ("merged.jsonl", "merged.parquet", "merged.errors.jsonl")
PARQUET_COLUMNS = ("id", "date", "record")


class ClusterProgress(NamedTuple):
    """Passed to the progress callback at the start and after each partition. The totals are those
    of the partitions still to extract, or None until the inputs have been read to the end
    (`count_first=True` reads them once before). The field names of `BatchProgress` mean the same."""
    documents: int
    characters: int
    total_documents: int | None
    total_characters: int | None
    parts: int
    total_parts: int | None
    dashboard: str | None


ProgressCallback = Callable[[ClusterProgress], None]


def part_name(index: int, suffix: str) -> str:
    return f"part-{index:05d}.{suffix}"


# --- reading the inputs -------------------------------------------------------------------------

@dataclass
class _Partition:
    index: int
    documents: list[InputDocument]
    problems: list[Problem]
    ids_sha256: str

    @property
    def characters(self) -> int:
        return sum(len(d.text) for d in self.documents)


def _parquet_documents(path: Path) -> Iterator[InputDocument | Problem]:
    """Rows of a Parquet file with the columns id (str or int), text and optionally date; a row's
    source is FILE:ROW (from 1). Without an id column, ids are FILE:ROW as for JSONL."""
    import pyarrow.parquet as pq

    source = display_path(path)
    try:
        handle = pq.ParquetFile(path)
    except Exception as err:  # pyarrow raises its own error types for files that are not Parquet
        yield Problem(source, f"cannot read as Parquet: {err}")
        return
    names = set(handle.schema_arrow.names)
    if "text" not in names:
        yield Problem(source, "Parquet file has no text column")
        return
    columns = [c for c in ("id", "text", "date") if c in names]
    row = 0
    for batch in handle.iter_batches(batch_size=1024, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield _parquet_row(path, f"{source}:{row}", row, record)


def _parquet_row(path: Path, where: str, row: int, record: dict) -> InputDocument | Problem:
    text, doc_id, date = record.get("text"), record.get("id", f"{display_path(path.name)}:{row}"), record.get("date")
    if not isinstance(text, str) or not text.strip():
        return Problem(where, "empty text" if isinstance(text, str) else "record has no text")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)) or not str(doc_id).strip():
        return Problem(where, "id must be a non-empty string or an integer")
    if isinstance(date, dt.datetime):  # a timestamp column
        date = date.date()
    if date is not None and not isinstance(date, str):
        date = date.isoformat() if hasattr(date, "isoformat") else str(date)  # a date32 column
    return InputDocument(str(doc_id), text, date or None, where)


def _parquet_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() == ".parquet" and p.is_file())


def _read(inputs: list[Path]) -> Iterator[InputDocument | Problem]:
    """gzie.inputs.iter_inputs, and Parquet files: named ones, and a folder holding only Parquet."""
    for path in inputs:
        if path.suffix.lower() == ".parquet" and path.is_file():
            yield from _parquet_documents(path)
        elif path.is_dir() and _only_parquet(path):
            for file in _parquet_files(path):
                yield from _parquet_documents(file)
        else:
            yield from iter_inputs([path])


def _only_parquet(folder: Path) -> bool:
    """Whether a folder holds Parquet files and no .txt or .jsonl input."""
    found = False
    for path in folder.rglob("*"):
        suffix = path.suffix.lower()
        if suffix in (".txt", ".jsonl"):
            return False
        found = found or suffix == ".parquet"
    return found


@dataclass
class _Reader:
    """The checked documents of the inputs in order, as batch._documents reads them; problems are
    collected in `problems` until a partition takes them."""
    inputs: list[Path]
    date: str | None
    problems: list[Problem] = field(default_factory=list)

    def documents(self) -> Iterator[InputDocument]:
        # self.problems is replaced when a partition takes them: report to the current list
        yield from checked_documents(_read(self.inputs), self.date, lambda problem: self.problems.append(problem))

    def take_problems(self) -> list[Problem]:
        taken, self.problems = self.problems, []
        return taken


def ids_sha256(documents: Iterable[InputDocument]) -> str:
    digest = hashlib.sha256()
    for document in documents:
        digest.update(json.dumps(document.id, ensure_ascii=False).encode("utf-8") + b"\n")
    return digest.hexdigest()


def _partitions(reader: _Reader, partition_size: int, batch_size: int) -> Iterator[_Partition]:
    """Partitions of whole extraction batches (the batches `gzie extract` forms), each of at most
    partition_size documents (one batch if a batch is larger), so every record is extracted in the
    same batch as in one process. A problem goes to the partition being filled when it is met
    (reading runs one batch ahead), those after the last document to the last partition, so that
    the errors files in partition order list the problems in reading order. There is always at
    least one partition."""
    batches = extraction_batches(reader.documents(), batch_size, text_of=lambda document: document.text)
    current: list[InputDocument] = []
    index = 0
    for batch in batches:
        if current and len(current) + len(batch) > partition_size:
            yield _Partition(index, current, reader.take_problems(), ids_sha256(current))
            index += 1
            current = []
        current.extend(batch)
    yield _Partition(index, current, reader.take_problems(), ids_sha256(current))


# --- on the workers -----------------------------------------------------------------------------

SOURCE_SUFFIXES = (".py", ".tsv", ".txt", ".json", ".jsonl", ".cfg")


@lru_cache(maxsize=None)
def code_fingerprint(model: str | None) -> str:
    """SHA-256 over gzie's source and data files and the model's config.cfg and meta.json: a worker
    must run the same gzie as the client for its parts to be the bytes `gzie extract` writes.
    Computed once per process, close to when its code was imported, since the code that runs is
    the one imported, whatever the files hold later."""
    root = Path(__file__).parent
    model_dir = default_model_path() if model in (None, DEFAULT_MODEL) else Path(model)
    files = sorted(p for p in root.rglob("*") if p.suffix in SOURCE_SUFFIXES and p.is_file()
                   and "__pycache__" not in p.parts and root / "models" not in p.parents)
    digest = hashlib.sha256(__version__.encode())
    for path in files + [model_dir / "config.cfg", model_dir / "meta.json"]:
        name = path.relative_to(root).as_posix() if root in path.parents and path.parent != model_dir else path.name
        digest.update(name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def plugin_name(model: str | None) -> str:
    key = DEFAULT_MODEL if model in (None, DEFAULT_MODEL) else str(Path(model).resolve())
    return f"gzie-model-{hashlib.sha256(f'{__version__}:{key}'.encode()).hexdigest()[:12]}"


try:
    from distributed import WorkerPlugin
except ImportError:  # the cluster extra is not installed: extract_on_cluster says so
    WorkerPlugin = object


class ModelPlugin(WorkerPlugin):
    """Loads the pipeline once per worker (`setup` runs on each worker, also on workers that join
    later); tasks take it from the worker they run on. A lock lets one task at a time use it, for
    workers started with several threads."""

    idempotent = True  # a second run on the same cluster keeps the loaded model

    def __init__(self, model: str | None):
        self.model = model
        self.name = plugin_name(model)
        self.nlp = None
        self.lock = None
        self.fingerprint = None

    def __getstate__(self):
        return {"model": self.model, "name": self.name}

    def __setstate__(self, state):
        self.__init__(state["model"])

    def setup(self, worker) -> None:
        from .api import load

        self.lock = threading.Lock()
        self.fingerprint = code_fingerprint(self.model)
        self.nlp = load(self.model)

    def teardown(self, worker) -> None:
        self.nlp = None


class IgnoreInterrupts(WorkerPlugin):
    """For the workers of a LocalCluster started here: Ctrl-C reaches the whole process group, and
    it is the client's to handle (it closes the cluster), as for gzie.batch's worker processes."""

    name = "gzie-ignore-interrupts"
    idempotent = True

    def setup(self, worker) -> None:
        import signal

        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)


_fallback: dict[str, ModelPlugin] = {}  # for a worker the plugin missed (dask/distributed#7035)
_fallback_lock = threading.Lock()


def _worker_plugin(model: str | None) -> ModelPlugin:
    from distributed import get_worker

    name = plugin_name(model)
    plugin = get_worker().plugins.get(name)
    if plugin is not None and plugin.nlp is not None:
        return plugin
    with _fallback_lock:
        if name not in _fallback:
            plugin = ModelPlugin(model)
            plugin.setup(None)
            _fallback[name] = plugin
        return _fallback[name]


@dataclass(frozen=True)
class _Task:
    """What a task needs besides the documents; small, so the scheduler's graph stays small."""
    index: int
    ids_sha256: str
    out_dir: str
    fmt: str
    model: str | None
    batch_size: int
    fingerprint: str


def _other_code(worker: str, fingerprint: str, expected: str) -> ConfigError:
    return ConfigError(Errors.E049.format(option="worker", detail=(
        f"{worker} runs other gzie code or model than the client (fingerprint {fingerprint[:12]}, the client's "
        f"{expected[:12]}): install the same gzie and model on every worker, so that parts are the same bytes")))


def _extract_partition(task: _Task, triples: list[tuple], problems: list[tuple[str, str]]) -> dict:
    """Runs on a worker: extract one partition and write its files, the .done marker last."""
    from distributed import get_worker

    plugin = _worker_plugin(task.model)
    if plugin.fingerprint != task.fingerprint:
        raise _other_code(get_worker().address, plugin.fingerprint, task.fingerprint)
    out = Path(task.out_dir)
    part = out / part_name(task.index, task.fmt)
    errors = out / part_name(task.index, "errors.jsonl")
    done = out / part_name(task.index, "done")
    try:
        done.unlink(missing_ok=True)  # a marker of other ids (resume) must not outlive the files it names
        with plugin.lock:
            records = extract_documents(plugin.nlp, triples, batch_size=task.batch_size)
            facts, count = _write_part(part, task.fmt, records)
        if count != len(triples):
            raise RuntimeError(f"{count} records for {len(triples)} documents")
        if problems:
            atomic_write_text(errors, "".join(json.dumps({"input": where, "error": message}, ensure_ascii=False)
                                              + "\n" for where, message in problems))
        else:
            errors.unlink(missing_ok=True)
        summary = {"partition": task.index, "ids_sha256": task.ids_sha256, "format": task.fmt,
                   "documents": count, "facts": facts, "characters": sum(len(t[0]) for t in triples),
                   "problems": len(problems), "gzie": __version__, "code_sha256": task.fingerprint}
        atomic_write_text(done, json.dumps(summary, ensure_ascii=False) + "\n")
    except OSError as err:
        raise OutputError(Errors.E034.format(path=display_path(part), reason=err.strerror or err)) from None
    return summary


def _write_part(path: Path, fmt: str, records: Iterator[dict]) -> tuple[int, int]:
    """(facts, records) written to `path` through a temporary file."""
    facts = count = 0
    if fmt == "jsonl":
        with atomic_open(path, "w") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                facts += len(record["facts"])
                count += 1
        return facts, count
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = {name: [] for name in PARQUET_COLUMNS}
    for record in records:
        rows["id"].append(record["id"])
        rows["date"].append(record["date"])
        rows["record"].append(json.dumps(record, ensure_ascii=False))
        facts += len(record["facts"])
        count += 1
    with atomic_open(path, "wb") as handle:
        pq.write_table(pa.table(rows, schema=parquet_schema()), handle, compression="zstd")
    return facts, count


def parquet_schema():
    import pyarrow as pa

    return pa.schema([("id", pa.string()), ("date", pa.string()), ("record", pa.string())])


# --- the output folder --------------------------------------------------------------------------

def _own_files(folder: Path) -> Iterator[tuple[Path, int | None]]:
    """The files of a run in `folder`: (path, partition index), index None for merged and temporary files."""
    for path in folder.iterdir():
        match = PART_RE.fullmatch(path.name)
        if match:
            yield path, int(match.group(1))
        elif path.name in MERGED or TEMP_RE.fullmatch(path.name):
            yield path, None


def _clear(folder: Path, keep_parts: bool) -> None:
    """Remove what an earlier run left: everything (a fresh run), or all but the parts (resume)."""
    for path, index in list(_own_files(folder)):
        if index is None or not keep_parts:
            path.unlink(missing_ok=True)


def _remove_parts_from(folder: Path, first: int) -> None:
    """Parts of an earlier, longer input: partition `first` and after."""
    for path, index in list(_own_files(folder)):
        if index is not None and index >= first:
            path.unlink(missing_ok=True)


def read_marker(folder: Path, index: int) -> dict | None:
    try:
        marker = json.loads((folder / part_name(index, "done")).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def _finished(folder: Path, partition: _Partition, fmt: str) -> dict | None:
    """The marker of a partition finished by an earlier run for the same documents, or None."""
    marker = read_marker(folder, partition.index)
    if (marker and marker.get("ids_sha256") == partition.ids_sha256 and marker.get("format") == fmt
            and (folder / part_name(partition.index, fmt)).is_file()):
        return marker
    return None


def _check_paths(inputs: list[Path], out_dir: Path) -> None:
    """E035 when the output folder is inside an input folder (its parts would be read as input) or
    an input is one of the files a run writes."""
    out = out_dir.resolve()
    for path in inputs:
        resolved = path.resolve()
        if path.is_dir() and (out == resolved or resolved in out.parents):
            raise OutputError(Errors.E035.format(path=display_path(out_dir)))
        if path.is_file() and resolved.parent == out and (
                PART_RE.fullmatch(path.name) or path.name in MERGED or path.name == LOCK_NAME):
            raise OutputError(Errors.E035.format(path=display_path(path)))


def merge_parts(folder: str | Path, total: int, fmt: str = "jsonl") -> Path:
    """Concatenate part-00000 … part-{total-1} into merged.jsonl (or merged.parquet), and their
    errors files into merged.errors.jsonl, each through a temporary file. merged.jsonl is then the
    file `gzie extract -o merged.jsonl` writes."""
    folder = Path(folder)
    merged = folder / f"merged.{fmt}"
    if fmt == "jsonl":
        with atomic_open(merged, "wb") as out:
            for index in range(total):
                with (folder / part_name(index, fmt)).open("rb") as part:
                    shutil.copyfileobj(part, out, 1 << 20)
    else:
        import pyarrow.parquet as pq

        with atomic_open(merged, "wb") as out, pq.ParquetWriter(out, parquet_schema(), compression="zstd") as writer:
            for index in range(total):
                writer.write_table(pq.read_table(folder / part_name(index, fmt), schema=parquet_schema()))
    errors = [folder / part_name(index, "errors.jsonl") for index in range(total)]
    errors = [path for path in errors if path.exists()]
    if errors:
        with atomic_open(folder / "merged.errors.jsonl", "wb") as out:
            for path in errors:
                out.write(path.read_bytes())
    return merged


# --- the client ---------------------------------------------------------------------------------

def _free_port(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@contextmanager
def _connect(scheduler: str | None, n_workers: int):
    """A Client of the scheduler at `scheduler`, or of a LocalCluster of n_workers processes with
    one thread each, closed (with the workers it started) at the end."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, set_as_default=False)
        except (OSError, ValueError) as err:
            raise ConfigError(Errors.E049.format(option="scheduler", detail=f"cannot connect to {scheduler}: "
                                                 f"{str(err).splitlines()[0]}")) from None
        with client:
            yield client
        return
    dashboard = ":8787" if _free_port(8787) else ":0"
    with LocalCluster(n_workers=n_workers, processes=True, threads_per_worker=1, dashboard_address=dashboard) \
            as cluster, Client(cluster, set_as_default=False) as client:
        yield client


def _plugin_fingerprint(name: str, dask_worker=None) -> str | None:
    plugin = dask_worker.plugins.get(name)
    return getattr(plugin, "fingerprint", None)


def _prepare_workers(client, model: str | None, local_workers: int | None, fingerprint: str) -> None:
    """Wait for the workers, then load the model on each (dask/distributed#7035: a plugin registered
    while workers join can miss some; tasks then load it themselves), and check that they run the
    same gzie as here (tasks check it again on workers that join later)."""
    from distributed import TimeoutError as DaskTimeout

    try:
        client.wait_for_workers(local_workers or 1, timeout=WORKER_TIMEOUT)
    except (DaskTimeout, TimeoutError):
        raise ConfigError(Errors.E049.format(option="scheduler", detail=f"no worker joined {client.scheduler.address}"
                                             f" within {WORKER_TIMEOUT} s")) from None
    if local_workers:
        client.register_plugin(IgnoreInterrupts())
    client.register_plugin(ModelPlugin(model))
    for worker, theirs in client.run(_plugin_fingerprint, plugin_name(model)).items():
        if theirs is not None and theirs != fingerprint:
            raise _other_code(worker, theirs, fingerprint)


def _lost(client, future, err: Exception) -> bool:
    """Whether a future failed because the scheduler is gone (not because its task failed)."""
    from distributed.comm.core import CommClosedError

    return future.status == "cancelled" or client.status != "running" or isinstance(err, CommClosedError)


class _InFlight(NamedTuple):
    """What the client keeps of a submitted partition: enough to name it if it fails."""
    index: int
    documents: int
    sources: str


def _in_flight(partition: _Partition) -> _InFlight:
    names = [d.source or d.id for d in partition.documents[:1] + partition.documents[-1:]]
    sources = " … ".join(dict.fromkeys(names)) or f"partition {partition.index}"
    return _InFlight(partition.index, len(partition.documents), sources)


@dataclass
class _Run:
    """Counts of a run, and the partitions in flight."""
    out_dir: Path
    fmt: str
    progress: ProgressCallback | None
    dashboard: str | None
    total: tuple[int | None, int | None, int | None] = (None, None, None)  # documents, characters, parts
    documents: int = 0
    characters: int = 0
    facts: int = 0
    parts: int = 0
    skipped_parts: int = 0
    skipped_documents: int = 0
    failed: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def report(self) -> None:
        if self.progress:
            documents, characters, parts = self.total
            self.progress(ClusterProgress(self.documents, self.characters, documents, characters, self.parts, parts,
                                          self.dashboard))

    def finished(self, client, future, partition: _InFlight) -> None:
        try:
            result = future.result()
        except Exception as err:
            if _lost(client, future, err):
                raise OutputError(Errors.E034.format(
                    path=display_path(self.out_dir), reason=f"lost the connection to the Dask scheduler ({err}); "
                    "the finished partitions are kept, run again with resume to continue")) from None
            self.failed.append(partition.index)
            self.problems.append(Problem(partition.sources, (
                f"partition {partition.index} ({partition.documents} documents) not extracted: "
                f"{type(err).__name__}: {err}; run again with resume to retry it")))
            return
        self.documents += result["documents"]
        self.characters += result["characters"]
        self.facts += result["facts"]
        self.parts += 1
        self.report()


def _plan(reader_inputs: list[Path], date, partition_size, batch_size, out_dir, fmt, resume):
    """(documents, characters, partitions) still to extract: the inputs read once, texts not kept."""
    documents = characters = parts = 0
    for partition in _partitions(_Reader(reader_inputs, date), partition_size, batch_size):
        if resume and _finished(out_dir, partition, fmt):
            continue
        documents += len(partition.documents)
        characters += partition.characters
        parts += 1
    return documents, characters, parts


def extract_on_cluster(inputs: Iterable[str | Path], out_dir: str | Path, *, scheduler: str | None = None,
                       partition_size: int = DEFAULT_PARTITION_SIZE, fmt: str = "jsonl", resume: bool = False,
                       merge: bool = False, model: str | None = None, date: str | None = None,
                       progress: ProgressCallback | None = None, n_workers: int = 2, batch_size: int = 16,
                       count_first: bool = False) -> dict:
    """Extract every readable input on a Dask cluster into `out_dir`/part-NNNNN.jsonl (or .parquet),
    one part per partition of at most `partition_size` documents, in input order.

    scheduler: the address of a running scheduler (tcp://host:8786); None starts a LocalCluster of
    `n_workers` processes here, closed at the end. Every worker needs the same gzie, the model
    directory at the same path, and `out_dir` at the same path (a shared file system).
    resume: keep the partitions an earlier run finished (same document ids), extract the others.
    merge: also write merged.jsonl (merged.parquet), the parts in order, and merged.errors.jsonl.
    progress: called with a ClusterProgress at the start and after each partition; count_first:
    read the inputs once before, so the totals are known from the start.

    Returns {"documents", "facts", "skipped", "partitions", "partitions_skipped", "partitions_failed",
    "problems", "dashboard", "output", "merged"}; problems are those of reading the inputs and the
    partitions that failed (they have no part file; run again with resume=True).
    """
    if fmt not in FORMATS:
        raise OutputError(Errors.E033.format(format=fmt, formats=", ".join(FORMATS)))
    if isinstance(partition_size, bool) or not isinstance(partition_size, int) or partition_size < 1:
        raise InputError(Errors.E049.format(option="partition_size", detail=f"must be a positive integer, "
                                            f"not {partition_size!r}"))
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ConfigError(Errors.E088.format(what="the Dask engine", package="dask[distributed]",
                                             install="'gzie[cluster]'")) from None
    date = parse_iso_date(date)
    inputs = [Path(p) for p in inputs]
    out_dir = Path(out_dir)
    if model not in (None, DEFAULT_MODEL):
        check_model_dir(Path(model))
    else:
        check_model_dir(default_model_path())
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(Errors.E034.format(path=display_path(out_dir), reason=err.strerror or err)) from None
    _check_paths(inputs, out_dir)
    with RunLock(out_dir / LOCK_NAME, out_dir):
        _clear(out_dir, keep_parts=resume)
        totals = _plan(inputs, date, partition_size, batch_size, out_dir, fmt, resume) if count_first else None
        fingerprint = code_fingerprint(model)
        with _connect(scheduler, n_workers) as client:
            _prepare_workers(client, model, None if scheduler else n_workers, fingerprint)
            run = _Run(out_dir, fmt, progress, client.dashboard_link, totals or (None, None, None))
            total = _submit_all(client, run, inputs, date, partition_size, batch_size, model, resume, fingerprint)
        _remove_parts_from(out_dir, total)
        merged = None
        if merge and not run.failed:
            merged = merge_parts(out_dir, total, fmt)
        elif merge:
            run.problems.append(Problem(display_path(out_dir), f"merged.{fmt} not written: {len(run.failed)} "
                                                               "partition(s) not extracted"))
    return {"documents": run.documents, "facts": run.facts, "skipped": run.skipped_documents,
            "partitions": total, "partitions_skipped": run.skipped_parts, "partitions_failed": len(run.failed),
            "problems": [str(p) for p in run.problems], "dashboard": run.dashboard, "output": str(out_dir),
            "merged": str(merged) if merged else None}


def _window(client) -> int:
    """Partitions in flight: one per worker thread and a few waiting, so that a worker that finishes
    finds the next one queued. The scheduler holds the documents of each until it is done."""
    threads = sum(client.nthreads().values())
    return threads + max(2, threads // 4)


def _submit_all(client, run: _Run, inputs: list[Path], date, partition_size: int, batch_size: int,
                model: str | None, resume: bool, fingerprint: str) -> int:
    """Submit a task per partition not finished yet, a few more than there are worker threads at a
    time (so memory stays bounded however long the input), and count them as they finish. Returns
    the number of partitions."""
    import uuid

    import dask
    from distributed import as_completed

    run.report()
    reader = _Reader(inputs, date)
    pending: dict = {}
    completed = as_completed(loop=client.loop)
    token = uuid.uuid4().hex[:8]
    total = 0
    for partition in _partitions(reader, partition_size, batch_size):
        total += 1
        run.problems.extend(partition.problems)
        if resume:
            marker = _finished(run.out_dir, partition, run.fmt)
            if marker:
                run.skipped_parts += 1
                run.skipped_documents += len(partition.documents)
                continue
        while len(pending) >= _window(client):
            future = next(completed)
            run.finished(client, future, pending.pop(future))
        task = _Task(partition.index, partition.ids_sha256, str(run.out_dir.resolve()), run.fmt, model, batch_size,
                     fingerprint)
        triples = [(d.text, d.date, d.id) for d in partition.documents]
        problems = [(p.where, p.message) for p in partition.problems]
        # A partition is meant to be sent whole; the warning for large graphs is for other uses.
        with dask.config.set({"distributed.admin.large-graph-warning-threshold": "2GB"}):
            future = client.submit(_extract_partition, task, triples, problems, retries=RETRIES, pure=False,
                                   key=f"gzie-partition-{partition.index:05d}-{token}")
        pending[future] = _in_flight(partition)
        completed.add(future)
    for future in completed:
        run.finished(client, future, pending.pop(future))
    if run.total[2] is None:
        run.total = (run.documents, run.characters, run.parts)
    run.report()
    return total


__all__ = ["ClusterProgress", "FORMATS", "ModelPlugin", "extract_on_cluster", "merge_parts", "part_name"]
