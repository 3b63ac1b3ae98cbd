"""Errors and problems gzie reports, each with a short code users can search for.

One exception type per kind of thing that can be wrong (a model directory, an input document,
a corpus file, a config or option, an output file, a data table, a Label Studio server), each
message starting with its code. Problems that do not stop a run (one bad line of many) are
:class:`Problem` records, collected and reported together.
"""

from __future__ import annotations

from dataclasses import dataclass


class GzieError(Exception):
    """Base class: the message names the input and the problem, and starts with a code."""

    @property
    def code(self) -> str | None:
        message = str(self)
        return message[1:5] if message.startswith("[") and message[5:6] == "]" else None


class ModelError(GzieError, OSError):
    """A model directory is missing, incomplete, incompatible or unsafe."""


class InputError(GzieError, ValueError):
    """An input document or an argument of the Python API cannot be processed."""


class CorpusError(GzieError, ValueError):
    """A corpus file or export cannot be read."""


class ConfigError(GzieError, ValueError):
    """A training config, an option or an option value is wrong."""


class OutputError(GzieError, ValueError):
    """An output file cannot be written or resumed."""


class TableError(GzieError, ValueError):
    """A data table in gzie/data is malformed."""


class StoreError(GzieError, ValueError):
    """A facts database cannot be opened, loaded or queried."""


class LabelStudioError(GzieError):
    """A Label Studio server cannot be reached or refuses a request; `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None, path: str | None = None):
        super().__init__(message)
        self.status = status
        self.path = path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input (a file, a line, a record), reported without stopping the run."""

    source: str
    message: str
    line: int | None = None
    doc_id: str | None = None

    @property
    def where(self) -> str:
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
        if self.doc_id:
            where += f" [{self.doc_id}]"
        return where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class Errors:
    # model directories
    E001 = "[E001] {path}: not a gzie model directory (no config.cfg or meta.json found)"
    E002 = "[E002] {path}: model directory is incomplete: {detail}"
    E003 = "[E003] {path}: model was built with gzie {version}, incompatible with this gzie {current}"
    E004 = "[E004] {path}: model was built for spaCy {spec}, incompatible with the installed spaCy {current}"
    E005 = ("[E005] {path}: model directory holds a pickle file ({file}); gzie never loads pickles, "
            "because unpickling can run code")
    # documents and API arguments
    E010 = "[E010] document date {date!r} is not an ISO date (YYYY-MM-DD)"
    E011 = "[E011] reference date must be a datetime.date or None, got {kind}"
    E012 = "[E012] {what} must be a str, not {kind}"
    # relation weights
    E020 = "[E020] relation weights in {path} are malformed: {detail}"
    # outputs
    E030 = "[E030] {path}:{line}: not a complete output record, cannot resume (only a cut last line is repaired)"
    E031 = "[E031] {path}: cannot resume a CSV output without its {done} file (it lists the finished documents)"
    E032 = "[E032] {path}: shorter than {done} says ({size} < {end} bytes), cannot resume"
    E033 = "[E033] output format {format!r} is not one of {formats}"
    E034 = "[E034] {path}: cannot write the output: {reason}"
    E035 = "[E035] {path}: is also an input of this run; refusing to overwrite it"
    E036 = "[E036] {path}: another gzie run is writing this output (lock {lock}); wait for it or choose another file"
    # corpora
    E040 = "[E040] {path}: no such corpus file"
    E041 = "[E041] {problem}"
    E042 = "[E042] {path}: no documents"
    E043 = "[E043] {path}: no prediction has an id of the gold documents"
    E044 = "[E044] {path}: not a gzie dataset (no train/dev/test split or missing columns: {detail})"
    # configs and options
    E045 = "[E045] {path}: config file not found"
    E046 = "[E046] {path}: not a valid training config: {detail}"
    E047 = "[E047] {path}: {key} corpus not found (set --{key} or paths.{key})"
    E048 = "[E048] {option} {value!r} is not one of {choices}"
    E049 = "[E049] {option}: {detail}"
    # data tables
    E050 = "[E050] gzie/data/{name}: {detail}"
    # tokenizers
    E070 = ("[E070] gzie.ChineseWordFeatureTokenizer.v1 needs a pkuseg model: set [initialize.tokenizer] "
            "pkuseg_model, or let `gzie train` train one")
    # facts store
    E080 = "[E080] {path}: {detail}"
    E081 = ("[E081] {path}: not a DuckDB database file; --db must name a facts store written by "
            "`gzie store load` or a file that does not exist yet")
    E082 = ("[E082] {path}: the facts store is in use by another process ({holder}); DuckDB lets one process "
            "write a file at a time: close that process (or notebook) and try again")
    E083 = "[E083] {path}: no such facts store; create it with `gzie store load OUT.jsonl --db {path}`"
    E084 = "[E084] {path}: not a gzie facts store ({detail})"
    E085 = "[E085] no indicator {indicator!r} in {path}; indicators there: {known}"
    E086 = "[E086] no zone {zone!r} has indicator {indicator!r} in {path}; zones with it: {known}"
    E087 = ("[E087] {path}: refusing to replace it with the Parquet export: {detail}; name a new folder, an "
            "empty one or an earlier export")
    E088 = "[E088] {what} needs {package}: pip install {install}"
    E089 = "[E089] {path}: a chart is written as .png or .svg, not {suffix!r}"


class Warnings:
    W001 = ("[W001] {path}: model was trained with other rule tables than this gzie ships "
            "(tables hash {trained} != {current}); retrain it or expect different output")
