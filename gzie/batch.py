"""Extraction over many inputs, written incrementally to JSONL or CSV.

Records are written in input order, each flushed as soon as it and every record before it are
done, so a crash loses only the documents in flight, and `resume=True` continues an interrupted
run: the finished documents are read back from the output and skipped. With `n_process` > 1 the
documents go to worker processes in the same batches as in one process, so the output is the
same file.
"""

from __future__ import annotations

import json
import os
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple

from .api import (
    DEFAULT_MODEL,
    _default_nlp,
    check_model_dir,
    default_model_path,
    extract_documents,
    extraction_batches,
    load,
)
from .dates import parse_iso_date
from .errors import Errors, OutputError, Problem
from .fileio import atomic_write_text
from .inputs import InputDocument, check_document, display_path, iter_inputs
from .report import REPORT_LIMIT, write_report
from .tabular import CSV_ENCODING, csv_header, csv_text, fact_rows

FORMATS = ("jsonl", "csv")
WORKER_DIED = "not extracted: the worker process died twice while extracting it (out of memory?)"


class BatchProgress(NamedTuple):
    """Passed to the progress callback: done so far, and the totals when they were counted first."""
    documents: int
    characters: int
    total_documents: int | None = None
    total_characters: int | None = None


ProgressCallback = Callable[[BatchProgress], None]


def errors_path_for(output: Path) -> Path:
    """OUT.errors.jsonl next to OUT.jsonl or OUT.csv."""
    return output.with_name(_stem(output) + ".errors.jsonl")


def done_path_for(output: Path) -> Path:
    """OUT.done.jsonl next to OUT.csv: the finished documents, one {"id", "end"} line each."""
    return output.with_name(_stem(output) + ".done.jsonl")


def _stem(output: Path) -> str:
    name = output.name
    for suffix in (".jsonl", ".csv"):
        name = name.removesuffix(suffix)
    return name


@dataclass(frozen=True)
class _Files:
    output: Path
    errors: Path
    done: Path | None  # CSV only: a document without facts has no row to find it by
    html: Path | None

    def all(self) -> list[Path]:
        """Every file the run writes (the lock file too)."""
        return [p for p in (self.output, self.errors, self.done, self.html, lock_path_for(self.output))
                if p is not None]


# --- resuming ---------------------------------------------------------------------------------

def _complete_json_lines(path: Path, keys: tuple[str, ...] = ("id",)) -> tuple[set[str], dict | None, int]:
    """The ids of the records of a file written line by line, its last record, and the byte offset
    after that record. Only the last line may be incomplete (a kill while writing); a bad line
    before it is an error. Records are read one at a time, so memory holds only the ids."""
    ids, last, end, bad = set(), None, 0, None
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if bad is not None:
                raise OutputError(Errors.E030.format(path=path, line=bad))
            try:
                record = json.loads(raw) if raw.endswith(b"\n") else None
            except ValueError:
                record = None
            if not isinstance(record, dict) or any(key not in record for key in keys):
                bad = number
                continue
            ids.add(record["id"])
            last = record
            end += len(raw)
    return ids, last, end


def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as handle:
        handle.truncate(size)


def _resume_jsonl(files: _Files) -> set[str]:
    if not files.output.exists():
        return set()
    ids, _, end = _complete_json_lines(files.output)
    _truncate(files.output, end)
    return ids


def _resume_csv(files: _Files) -> set[str]:
    if not files.done.exists():
        if files.output.exists() and files.output.stat().st_size > 0:
            raise OutputError(Errors.E031.format(path=files.output, done=files.done.name))
        return set()
    ids, last, done_end = _complete_json_lines(files.done, ("id", "end"))
    _truncate(files.done, done_end)
    end = last["end"] if last else 0
    size = files.output.stat().st_size if files.output.exists() else 0
    if size < end:
        raise OutputError(Errors.E032.format(path=files.output, done=files.done.name, size=size, end=end))
    if files.output.exists():
        _truncate(files.output, end)  # rows of a document cut by a kill
    return ids


# --- writing ----------------------------------------------------------------------------------

def _open(path: Path, mode: str):
    try:
        return path.open(mode, encoding=None if "b" in mode else "utf-8")
    except OSError as err:
        raise OutputError(Errors.E034.format(path=display_path(path), reason=err.strerror or err)) from None


@contextmanager
def _writing(path: Path):
    """Turns a failed write (a full disk, /dev/full) into E034; what was written before stays."""
    try:
        yield
    except OSError as err:
        raise OutputError(Errors.E034.format(path=display_path(path), reason=err.strerror or err)) from None


class _JsonlWriter:
    def __init__(self, files: _Files, append: bool):
        self.path = files.output
        self.handle = _open(files.output, "a" if append else "w")

    def write(self, record: dict) -> None:
        with _writing(self.path):
            self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            self.handle.flush()

    def close(self) -> None:
        with _writing(self.path):
            self.handle.close()


class _CsvWriter:
    """Rows of each document, then its line in the done file with the CSV size after its rows."""

    def __init__(self, files: _Files, append: bool):
        self.path = files.output
        self.done = _open(files.done, "a" if append else "w")
        try:
            self.handle = _open(files.output, "ab" if append else "wb")
        except OutputError:
            self.done.close()
            raise
        if self.handle.tell() == 0:
            with _writing(self.path):
                self.handle.write(csv_header().encode(CSV_ENCODING))

    def write(self, record: dict) -> None:
        with _writing(self.path):
            self.handle.write(csv_text(fact_rows(record)).encode("utf-8"))
            self.handle.flush()
            self.done.write(json.dumps({"id": record["id"], "end": self.handle.tell()}, ensure_ascii=False) + "\n")
            self.done.flush()

    def close(self) -> None:
        with _writing(self.path):
            try:
                self.handle.close()
            finally:
                self.done.close()


# --- documents and batches --------------------------------------------------------------------

@dataclass
class _Tally:
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # already in the output (resume)


def checked_documents(items: Iterable[InputDocument | Problem], date: str | None,
                      report: Callable[[Problem], None]) -> Iterator[InputDocument]:
    """The readable documents of `items` (what iter_inputs yields), checked, with their dates
    resolved (`date` where a document has none) and unique ids; every problem goes to `report`."""
    first_source: dict[str, str] = {}
    for item in items:
        if isinstance(item, Problem):
            report(item)
            continue
        source = item.source or item.id
        checked = check_document(item)
        if isinstance(checked, Problem):
            report(checked)
            continue
        try:
            doc_date = parse_iso_date(item.date) or date
        except ValueError as err:
            report(Problem(source, str(err)))
            continue
        if item.id in first_source:
            report(Problem(source, f"duplicate document id {item.id!r} (first used by "
                                   f"{first_source[item.id]}), skipped: ids must be unique"))
            continue
        first_source[item.id] = source
        yield replace(checked, date=doc_date)


def _documents(inputs: Iterable[str | Path], files: _Files, date: str | None, done_ids: set[str],
               tally: _Tally) -> Iterator[InputDocument]:
    """Readable, checked documents with their dates resolved; problems and skips go to the tally."""
    for document in checked_documents(iter_inputs(inputs, exclude=files.all()), date, tally.problems.append):
        if document.id in done_ids:
            tally.skipped += 1
            continue
        yield document


def _triples(batch: list[InputDocument]) -> list[tuple[str, str | None, str]]:
    return [(d.text, d.date, d.id) for d in batch]


_worker_nlp = None
PR_SET_PDEATHSIG = 1  # prctl option (Linux): a signal the kernel sends when the parent dies


def _die_with_parent(parent: int) -> None:
    """Worker initializer: a worker never outlives the process that started it (`parent`). On
    Linux the kernel kills it when the parent dies (prctl PR_SET_PDEATHSIG), and a thread watches
    the parent everywhere, also for a parent that died while the worker was still starting.
    SIGINT is the parent's to handle."""
    import signal
    import threading
    import time

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(0.5)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True, name="gzie-parent-watch").start()


def _extract_in_worker(model: str | None, triples: list[tuple], batch_size: int) -> list[dict]:
    global _worker_nlp
    if _worker_nlp is None:
        _worker_nlp = load(model)
    return list(extract_documents(_worker_nlp, triples, batch_size=batch_size))


class _WorkerPool:
    """A spawn-context process pool whose workers die with the parent, and that can be stopped at
    once (terminating the workers) instead of waiting for them."""

    def __init__(self, n_process: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # spawn, not fork: the parent may run threads (a progress display), and fork then is unsafe.
        self.pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_die_with_parent, initargs=(os.getpid(),))

    def submit(self, *args):
        return self.pool.submit(_extract_in_worker, *args)

    def stop(self) -> None:
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)


def _in_processes(batches: Iterator[list[InputDocument]], model: str | None, batch_size: int,
                  n_process: int) -> Iterator[tuple[list[InputDocument], list[dict] | None]]:
    """(batch, records) in input order from n_process workers; at most 2 batches per worker wait,
    so memory stays bounded however long the input. When a worker dies, the batches in flight are
    given to a new pool once more; a batch in flight at a second death comes back as (batch, None)."""
    from concurrent.futures.process import BrokenProcessPool

    pending: deque = deque()  # [batch, future, attempts]
    pool = _WorkerPool(n_process)

    def submit(entry: list) -> None:
        entry[1] = pool.submit(model, _triples(entry[0]), batch_size)

    try:
        batches = iter(batches)
        exhausted = False
        while True:
            while not exhausted and len(pending) < 2 * n_process:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                entry = [batch, None, 0]
                submit(entry)
                pending.append(entry)
            if not pending:
                return
            batch, future, attempts = pending[0]
            try:
                records = future.result()
            except BrokenProcessPool:
                pool.stop()
                pool = _WorkerPool(n_process)
                failed = [entry for entry in pending if entry[2] >= 1]
                pending = deque(entry for entry in pending if entry[2] < 1)
                for entry in pending:
                    entry[2] += 1
                    submit(entry)
                for entry in failed:
                    yield entry[0], None
                continue
            pending.popleft()
            yield batch, records
    finally:
        pool.stop()


def _count(documents: Iterable[InputDocument]) -> tuple[int, int]:
    count = characters = 0
    for document in documents:
        count += 1
        characters += len(document.text)
    return count, characters


def extract_to_file(inputs: Iterable[str | Path], output: str | Path, *, date: str | None = None,
                    model: str | None = None, batch_size: int = 16, n_process: int = 1, fmt: str = "jsonl",
                    resume: bool = False, html: str | Path | None = None, html_limit: int = REPORT_LIMIT,
                    progress: ProgressCallback | None = None, count_first: bool = False) -> dict:
    """Extract every readable input into `output` (one JSON record per document, or with
    fmt="csv" one row per fact); problems go to OUT.errors.jsonl and the summary.

    resume: keep the documents already in `output` and append the others.
    html: also write a report page for people (the first `html_limit` documents of this run).
    progress: called with a BatchProgress after each written document (and once at the start);
    count_first: read the inputs once before extracting, so the totals are known.
    """
    if fmt not in FORMATS:
        raise OutputError(Errors.E033.format(format=fmt, formats=", ".join(FORMATS)))
    date = parse_iso_date(date)
    output = Path(output)
    files = _Files(output, errors_path_for(output), done_path_for(output) if fmt == "csv" else None,
                   Path(html) if html else None)
    inputs = list(inputs)
    _refuse_overwriting_inputs(inputs, files)
    nlp = _pipeline(model, n_process)
    with RunLock(lock_path_for(files.output), files.output):
        return _extract_locked(inputs, files, nlp, date=date, model=model, batch_size=batch_size,
                               n_process=n_process, fmt=fmt, resume=resume, html=html, html_limit=html_limit,
                               progress=progress, count_first=count_first)


def _extract_locked(inputs, files: _Files, nlp, *, date, model, batch_size, n_process, fmt, resume, html, html_limit,
                    progress, count_first) -> dict:
    done_ids = _prepare_output(files, fmt, resume)
    writer = _CsvWriter(files, resume) if fmt == "csv" else _JsonlWriter(files, resume)
    tally = _Tally()
    documents = facts = characters = 0
    shown: list[tuple[str, dict]] = []
    try:
        totals: tuple[int | None, int | None] = (None, None)
        if count_first:
            totals = _count(_documents(inputs, files, date, done_ids, _Tally()))
        if progress:
            progress(BatchProgress(0, 0, *totals))
        batches = extraction_batches(_documents(inputs, files, date, done_ids, tally), batch_size,
                                     text_of=lambda document: document.text)
        if nlp is None:
            results = _in_processes(batches, model, batch_size, n_process)
        else:
            results = ((batch, list(extract_documents(nlp, _triples(batch), batch_size=batch_size)))
                       for batch in batches)
        for batch, records in results:
            if records is None:
                tally.problems.extend(Problem(d.source or d.id, WORKER_DIED) for d in batch)
                continue
            for document, record in zip(batch, records):
                writer.write(record)
                documents += 1
                facts += len(record["facts"])
                characters += len(document.text)
                if html and len(shown) < html_limit:
                    shown.append((document.text, record))
                if progress:
                    progress(BatchProgress(documents, characters, *totals))
    finally:
        # Even when the run stops (a full disk, an interrupt), the output keeps what was written
        # and the errors file lists the problems met so far.
        try:
            writer.close()
        finally:
            _write_problems(files.errors, tally.problems)
    if html:
        write_report(html, shown, extracted=documents, skipped=tally.skipped, limit=html_limit)
    return {"documents": documents, "facts": facts, "skipped": tally.skipped,
            "problems": [str(p) for p in tally.problems]}


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _refuse_overwriting_inputs(inputs: list, files: _Files) -> None:
    """E035 before anything is opened for writing: no output file may be an input file, and the
    HTML report may be neither an input nor another output of the run."""
    written = files.all()
    for path in map(Path, inputs):
        for out in written:
            if path.is_file() and _same_file(path, out):
                raise OutputError(Errors.E035.format(path=display_path(out)))
    if files.html is not None:
        for out in (files.output, files.errors, files.done):
            if out is not None and (_same_file(files.html, out) or files.html == out):
                raise OutputError(Errors.E035.format(path=display_path(files.html)))


def lock_path_for(output: Path) -> Path:
    """The lock file of an output, next to the file the output names after symlinks are followed,
    so two spellings of one output (a symlink, a relative path) share one lock."""
    real = Path(os.path.realpath(output))
    return real.with_name(real.name + ".lock")


class RunLock:
    """An exclusive lock on `path` for a run, so two runs never write `guarded` (an output file or
    folder) at once; the second gets E036. The lock file stays: removing it would let a run that
    opened it before the removal and a run that creates a new one hold a lock each."""

    def __init__(self, path: Path, guarded: Path):
        self.path, self.guarded = path, guarded
        self.handle = None

    def __enter__(self):
        import fcntl

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("a+")
        except OSError as err:
            raise OutputError(Errors.E034.format(path=display_path(self.path), reason=err.strerror or err)) from None
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise OutputError(Errors.E036.format(path=display_path(self.guarded),
                                                 lock=display_path(self.path))) from None
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()


def _pipeline(model: str | None, n_process: int):
    """The pipeline for one process; with several, the workers load it and it is only checked here."""
    default = model in (None, DEFAULT_MODEL)
    if n_process > 1:
        check_model_dir(default_model_path() if default else Path(model))
        return None
    return _default_nlp() if default else load(model)


def _prepare_output(files: _Files, fmt: str, resume: bool) -> set[str]:
    """The ids already in the output when resuming (the output repaired first), else none."""
    try:
        files.output.parent.mkdir(parents=True, exist_ok=True)
        if not resume:
            return set()
        return _resume_csv(files) if fmt == "csv" else _resume_jsonl(files)
    except OSError as err:
        raise OutputError(Errors.E034.format(path=files.output, reason=err.strerror or err)) from None


def _write_problems(path: Path, problems: list[Problem]) -> None:
    """OUT.errors.jsonl, one {"input", "error"} line per problem, written whole through a temporary
    file; removed when there are none."""
    if problems:
        lines = "".join(json.dumps({"input": p.where, "error": p.message}, ensure_ascii=False) + "\n"
                        for p in problems)
        with _writing(path):
            atomic_write_text(path, lines)
    elif path.exists():
        path.unlink()


__all__ = ["BatchProgress", "FORMATS", "InputDocument", "done_path_for", "errors_path_for", "extract_to_file"]
