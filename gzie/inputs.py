"""Reading input documents for extraction: .txt files, folders of them, and JSONL records.

Nothing here raises on bad input: every unreadable file, line or record becomes one Problem that
names it, and every good record is still read. JSONL files are read line by line, so a bad line is
reported alone and a large file is never held in memory.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator

from .errors import Problem

# C0 and C1 control characters except tab, line feed and carriage return.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")  # lone surrogates (from JSON escapes) cannot be written as UTF-8
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
INPUT_SUFFIXES = (".txt", ".jsonl")
MAX_ID_LENGTH = 512
MAX_HELD = 100  # bad lines read before any good one, before a file is given up
LINE_ENCODING_PROBLEMS = ("line holds NUL bytes", "line is not UTF-8")

BINARY = "binary file, not text"
NOT_TEXT = "not UTF-8 text and not GB18030/GBK either"
GBK = "encoded in GB18030/GBK, not UTF-8: convert it first (e.g. iconv -f GB18030 -t UTF-8)"
UTF16 = "encoded in UTF-16, not UTF-8: convert it first (e.g. iconv -f UTF-16 -t UTF-8)"
UTF32 = "encoded in UTF-32, not UTF-8: convert it first (e.g. iconv -f UTF-32 -t UTF-8)"


@dataclass(frozen=True)
class InputDocument:
    id: str
    text: str
    date: str | None = None
    source: str = field(default="", compare=False)  # file, or file:line for JSONL


def display_path(path: str | Path) -> str:
    """A path as text that can always be printed and written as UTF-8 (undecodable bytes of a file
    name appear as \\xNN)."""
    raw = os.fsencode(path)
    return raw.decode("utf-8", "backslashreplace")


def _unicode_encoding(raw: bytes) -> str | None:
    """UTF-16 or UTF-32 by byte order mark, or by the zero bytes of mostly-ASCII text."""
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return UTF32
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    sample = raw[:4096]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd):
            if sample[0::4].count(0) < 0.4 * len(sample[0::4]) and sample[2::4].count(0) > 0.4 * len(sample[2::4]):
                return UTF32
            return UTF16
    return None


def _encoding_problem(source: str, raw: bytes) -> str | None:
    """Why `raw` (a whole file) is not UTF-8 text, or None."""
    named = _unicode_encoding(raw)
    if named:
        return named
    if b"\x00" in raw[:4096]:
        return BINARY
    try:
        raw.decode("utf-8-sig")
        return None
    except UnicodeDecodeError:
        pass
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return NOT_TEXT
    return GBK


def _read_txt(path: Path, source: str) -> Iterator[InputDocument | Problem]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        yield Problem(source, f"cannot read: {err.strerror or err}")
        return
    problem = _encoding_problem(source, raw)
    if problem:
        yield Problem(source, problem)
        return
    text = raw.decode("utf-8-sig")
    if not text.strip():
        yield Problem(source, "empty document")
    else:
        yield InputDocument(display_path(path.stem), text, source=source)


def _record_id(record: dict, path: Path, number: int, invent: bool) -> tuple[str | None, str | None]:
    """(id, problem): the record's id as text, an invented one, or why there is none."""
    if "id" not in record:
        if invent:
            return f"{display_path(path.name)}:{number}", None
        return None, "record has no id, while other records of this file have one: give every record an id"
    value = record["id"]
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, f"id must be a string or an integer, not {type(value).__name__}"
    text = str(value)
    if not text.strip():
        return None, "id is empty"
    if SURROGATE_RE.search(text):
        return None, "id is not valid Unicode (it holds a lone surrogate)"
    if len(text) > MAX_ID_LENGTH or CONTROL_RE.search(text) or "\n" in text:
        return None, f"id must be one line of at most {MAX_ID_LENGTH} characters without control characters"
    return text, None


def _every_record_lacks_an_id(path: Path) -> bool:
    """Whether no record of a JSONL file has an id (then ids are invented from line numbers)."""
    with path.open("rb") as handle:
        for raw in handle:
            if b'"id"' in raw:
                try:
                    record = json.loads(raw)
                except (ValueError, RecursionError):
                    continue
                if isinstance(record, dict) and "id" in record:
                    return False
    return True


def _read_jsonl(path: Path, source: str) -> Iterator[InputDocument | Problem]:
    """Records read line by line; each bad line is reported alone."""
    try:
        handle = path.open("rb")
    except OSError as err:
        yield Problem(source, f"cannot read: {err.strerror or err}")
        return
    with handle:
        try:
            yield from _jsonl_records(handle, path, source)
        except OSError as err:  # a read that fails part way (an I/O error, a special file)
            yield Problem(source, f"cannot read: {err.strerror or err}")


def _jsonl_records(handle, path: Path, source: str) -> Iterator[InputDocument | Problem]:
    """The records of an open JSONL file (_read_jsonl)."""
    head = handle.read(4096)
    named = _unicode_encoding(head)
    if named:
        yield Problem(source, named)
        return
    handle.seek(0)
    invent = _every_record_lacks_an_id(path)  # an OSError here is reported by _read_jsonl
    empty, good, held = True, 0, []
    for number, raw in enumerate(handle, start=1):
        item = _read_jsonl_line(path, source, number, raw, invent)
        if item is None:
            continue
        empty = False
        if isinstance(item, Problem):
            if good:
                yield item
            else:  # held back until a good record shows the file is JSONL at all
                held.append(item)
                if len(held) > MAX_HELD:
                    break
            continue
        yield from held
        held = []
        good += 1
        yield item
    if not good and held and all(p.message.startswith(LINE_ENCODING_PROBLEMS) for p in held):
        # Not one line is text: the file is binary or in another encoding; say so once.
        handle.seek(0)
        yield Problem(source, _encoding_problem(source, handle.read(1 << 16)) or NOT_TEXT)
        return
    yield from held[:MAX_HELD]
    if len(held) > MAX_HELD:
        yield Problem(source, f"stopped reading: the first {MAX_HELD} lines hold no readable record")
    if empty:
        yield Problem(source, "empty file, no records")


def _read_jsonl_line(path: Path, source: str, number: int, raw: bytes, invent: bool) -> InputDocument | Problem | None:
    where = f"{source}:{number}"
    if b"\x00" in raw:
        return Problem(where, "line holds NUL bytes (binary data), not a JSON record")
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        try:
            raw.decode("gb18030")
            return Problem(where, "line is not UTF-8 (it reads as GB18030/GBK): convert the file to UTF-8")
        except UnicodeDecodeError:
            return Problem(where, "line is not UTF-8 text")
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        return Problem(where, f"invalid JSON: {err.msg} (column {err.colno})")
    except (ValueError, RecursionError) as err:  # a number too long to read, nesting too deep
        reason = "nested too deeply" if isinstance(err, RecursionError) else str(err).split(";")[0]
        return Problem(where, f"invalid JSON record: {reason}")
    if not isinstance(record, dict):
        return Problem(where, f"a record must be a JSON object, not {type(record).__name__}")
    text = record.get("text")
    if not isinstance(text, str):
        return Problem(where, "record has no text field" if text is None else
                       f"text must be a string, not {type(text).__name__}")
    if not text.strip():
        return Problem(where, "empty text")
    doc_id, problem = _record_id(record, path, number, invent)
    if problem:
        return Problem(where, problem)
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, dict):
        return Problem(where, f"meta must be a JSON object, not {type(meta).__name__}")
    date = record.get("date") or (meta or {}).get("date")
    if date is not None and not isinstance(date, str):
        return Problem(where, f"date must be a string YYYY-MM-DD, not {type(date).__name__}")
    return InputDocument(doc_id, text, date, where)


def _folder_inputs(folder: Path, excluded: set[Path]) -> tuple[list[Path], list[Problem]]:
    """The input files of a folder (recursively, in name order) and what was skipped, and why."""
    files, skipped, other = [], [], 0
    for root, dirs, names in os.walk(folder, followlinks=False, onerror=lambda err: skipped.append(
            Problem(display_path(err.filename or folder), f"cannot read folder: {err.strerror or err}"))):
        root_path = Path(root)
        for name in sorted(dirs):
            if (root_path / name).is_symlink():
                skipped.append(Problem(display_path(root_path / name), "symbolic link to a folder, not followed"))
        dirs[:] = sorted(d for d in dirs if not (root_path / d).is_symlink())
        for name in names:
            path = root_path / name
            if path.resolve() in excluded:
                continue
            if path.suffix.lower() not in INPUT_SUFFIXES:
                other += 1
                continue
            try:
                mode = path.stat().st_mode
            except OSError as err:
                skipped.append(Problem(display_path(path), f"cannot read: {err.strerror or err}"))
                continue
            if not stat.S_ISREG(mode):
                skipped.append(Problem(display_path(path), "not a regular file (a pipe, socket or device), skipped"))
                continue
            files.append(path)
    if other:
        skipped.append(Problem(display_path(folder), f"{other} file(s) skipped: not .txt or .jsonl"))
    return sorted(files), skipped


def iter_inputs(paths: Iterable[str | Path],
                exclude: Iterable[str | Path] = ()) -> Iterator[InputDocument | Problem]:
    """Documents from files and folders in order; unreadable inputs become problems, never exceptions.
    Files in `exclude` (an extraction's own output files) are skipped in folders and reported when
    named directly. Suffixes are matched without regard to case (.TXT, .JSONL)."""
    excluded = {Path(p).resolve() for p in exclude}
    for path in map(Path, paths):
        source = display_path(path)
        if path.is_dir():
            children, skipped = _folder_inputs(path, excluded)
            yield from skipped
            if not children:
                yield Problem(source, "folder holds no .txt or .jsonl files")
            for child in children:
                yield from iter_inputs([child])
        elif not path.exists():
            yield Problem(source, "no such file or folder")
        elif path.resolve() in excluded:
            yield Problem(source, "is an output file of this run, not read as input")
        elif not path.is_file():
            yield Problem(source, "not a regular file (a pipe, socket or device), skipped")
        elif path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(path, source)
        else:
            yield from _read_txt(path, source)


def clean_text(text: str) -> str:
    """Control characters (C0 and C1, except tab, line feed and carriage return) become spaces and
    lone surrogates U+FFFD, one for one, so offsets still index the original text."""
    return SURROGATE_RE.sub("\ufffd", CONTROL_RE.sub(" ", text))


TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
# A reading in pinyin that a mirror site put after a character (開發(fā)區(qū), 規(guī)上): letters in
# brackets right after a Han character, with at least one tone mark.
INLINE_PINYIN_RE = re.compile(f"(?<=[\u3400-\u9fff])[(（](?=[a-zü]*[{TONE_VOWELS}])[a-zü{TONE_VOWELS}]{{1,7}}[)）]")


def strip_inline_pinyin(text: str) -> tuple[str, list[int] | None]:
    """`text` without the pinyin readings mirror sites put after characters (開發(fā)區 -> 開發區), and
    for each character kept its offset in `text` (None when there was nothing to strip): the
    pipeline reads the stripped text, and the offsets it gives are mapped back (restore_offset)."""
    if INLINE_PINYIN_RE.search(text) is None:
        return text, None
    pieces, kept, position = [], [], 0
    for match in INLINE_PINYIN_RE.finditer(text):
        pieces.append(text[position:match.start()])
        kept.extend(range(position, match.start()))
        position = match.end()
    pieces.append(text[position:])
    kept.extend(range(position, len(text)))
    return "".join(pieces), kept


def restore_offset(kept: list[int], offset: int, end: bool = False) -> int:
    """The offset in the original text of an offset in the stripped one (strip_inline_pinyin); an
    end offset maps to just after the last character it closes."""
    if not kept:
        return offset
    if end:
        return kept[offset - 1] + 1 if offset > 0 else 0
    return kept[offset] if offset < len(kept) else kept[-1] + 1


def check_document(document: InputDocument) -> InputDocument | Problem:
    """The document ready for extraction (see clean_text), or the reason it cannot be extracted.

    A text that is only control characters and white space, or that has no Chinese (Han)
    character, is a problem: the pipeline reads Chinese only.
    """
    text = clean_text(document.text)
    source = document.source or document.id
    if not text.strip():
        return Problem(source, "no text, only control characters")
    if not HAN_RE.search(text):
        return Problem(source, "no Chinese text (the pipeline reads Chinese only)")
    return replace(document, text=text) if text != document.text else document
