"""Extraction over many inputs, written incrementally to JSONL or CSV.

Records are written in input order, each flushed as soon as it and every record before it are
done, so a crash loses only the documents in flight, and `resume=True` continues an interrupted
run: the finished documents are read back from the output and skipped. With `n_process` > 1 the
documents go to worker processes in the same batches as in one process, so the output is the
same file.
"""

from __future__ import annotations

import json
from collections import deque
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
from .inputs import InputDocument, check_document, iter_inputs
from .report import REPORT_LIMIT, write_report
from .tabular import CSV_ENCODING, csv_header, csv_text, fact_rows

FORMATS = ("jsonl", "csv")


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
        return [p for p in (self.output, self.errors, self.done, self.html) if p is not None]


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
        raise OutputError(Errors.E034.format(path=path, reason=err.strerror or err)) from None


class _JsonlWriter:
    def __init__(self, files: _Files, append: bool):
        self.handle = _open(files.output, "a" if append else "w")

    def write(self, record: dict) -> None:
        self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.handle.flush()

    def close(self) -> None:
        self.handle.close()


class _CsvWriter:
    """Rows of each document, then its line in the done file with the CSV size after its rows."""

    def __init__(self, files: _Files, append: bool):
        self.done = _open(files.done, "a" if append else "w")
        try:
            self.handle = _open(files.output, "ab" if append else "wb")
        except OutputError:
            self.done.close()
            raise
        if self.handle.tell() == 0:
            self.handle.write(csv_header().encode(CSV_ENCODING))

    def write(self, record: dict) -> None:
        self.handle.write(csv_text(fact_rows(record)).encode("utf-8"))
        self.handle.flush()
        self.done.write(json.dumps({"id": record["id"], "end": self.handle.tell()}, ensure_ascii=False) + "\n")
        self.done.flush()

    def close(self) -> None:
        self.handle.close()
        self.done.close()


# --- documents and batches --------------------------------------------------------------------

@dataclass
class _Tally:
    problems: list[Problem] = field(default_factory=list)
    skipped: int = 0  # already in the output (resume)


def _documents(inputs: Iterable[str | Path], files: _Files, date: str | None, done_ids: set[str],
               tally: _Tally) -> Iterator[InputDocument]:
    """Readable, checked documents with their dates resolved; problems and skips go to the tally."""
    first_source: dict[str, str] = {}
    for item in iter_inputs(inputs, exclude=files.all()):
        if isinstance(item, Problem):
            tally.problems.append(item)
            continue
        source = item.source or item.id
        checked = check_document(item)
        if isinstance(checked, Problem):
            tally.problems.append(checked)
            continue
        try:
            doc_date = parse_iso_date(item.date) or date
        except ValueError as err:
            tally.problems.append(Problem(source, str(err)))
            continue
        if item.id in first_source:
            tally.problems.append(Problem(source, f"duplicate document id {item.id!r} (first used by "
                                                 f"{first_source[item.id]}), skipped: ids must be unique"))
            continue
        first_source[item.id] = source
        if item.id in done_ids:
            tally.skipped += 1
            continue
        yield replace(checked, date=doc_date)


def _triples(batch: list[InputDocument]) -> list[tuple[str, str | None, str]]:
    return [(d.text, d.date, d.id) for d in batch]


_worker_nlp = None


def _extract_in_worker(model: str | None, triples: list[tuple], batch_size: int) -> list[dict]:
    global _worker_nlp
    if _worker_nlp is None:
        _worker_nlp = load(model)
    return list(extract_documents(_worker_nlp, triples, batch_size=batch_size))


def _in_processes(batches: Iterator[list[InputDocument]], model: str | None, batch_size: int,
                  n_process: int) -> Iterator[tuple[list[InputDocument], list[dict]]]:
    """(batch, records) in input order from n_process workers; at most 2 batches per worker wait,
    so memory stays bounded however long the input."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    pending: deque = deque()
    # spawn, not fork: the parent may run threads (a progress display), and fork then is unsafe.
    with ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            for batch in batches:
                pending.append((batch, pool.submit(_extract_in_worker, model, _triples(batch), batch_size)))
                if len(pending) >= 2 * n_process:
                    batch, future = pending.popleft()
                    yield batch, future.result()
            while pending:
                batch, future = pending.popleft()
                yield batch, future.result()
        finally:
            for _, future in pending:
                future.cancel()


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
    nlp = _pipeline(model, n_process)
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
        writer.close()
    _write_problems(files.errors, tally.problems)
    if html:
        write_report(html, shown, extracted=documents, skipped=tally.skipped, limit=html_limit)
    return {"documents": documents, "facts": facts, "skipped": tally.skipped,
            "problems": [str(p) for p in tally.problems]}


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
    """OUT.errors.jsonl, one {"input", "error"} line per problem; removed when there are none."""
    if problems:
        with _open(path, "w") as handle:
            for problem in problems:
                handle.write(json.dumps({"input": problem.source, "error": problem.message}, ensure_ascii=False) + "\n")
    elif path.exists():
        path.unlink()


__all__ = ["BatchProgress", "FORMATS", "InputDocument", "done_path_for", "errors_path_for", "extract_to_file"]
