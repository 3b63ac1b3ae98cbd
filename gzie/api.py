"""The Python API: load a pipeline and turn a document into entities, relations, facts and policies."""

from __future__ import annotations

import bisect
import datetime as dt
import json
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable, Iterator, TypeVar

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .dates import find_document_date, parse_iso_date
from .errors import Errors, InputError, ModelError, Warnings
from .extensions import doc_entities, doc_text, ensure_extensions
from .facts import assemble_facts, assemble_policies
from .inputs import clean_text, restore_offset, strip_inline_pinyin
from .linking import link_record
from .resources import tables_hash
from .text import Entity

DEFAULT_MODEL = "default"
REQUIRED_FILES = ("config.cfg", "meta.json")
# Files that are pickles by name (numpy's .npy/.npz are read without pickles, allow_pickle=False).
PICKLE_SUFFIXES = frozenset({".pkl", ".pickle", ".joblib", ".pt", ".pth", ".dill", ".cloudpickle"})
# Components that save nothing: their behaviour is the code and the tables in gzie/data.
STATELESS_FACTORIES = frozenset({"gzie_rules", "gzie_facts"})
# Longer documents are processed in overlapping windows (see split_into_windows), far below spaCy's
# max_length, so memory stays bounded and no entity is cut.
NEURAL_FACTORIES = ("tok2vec", "ner")  # the statistical recognizer: run on the sentences with a figure
PIECE_CHARS = 10_000
WINDOW_OVERLAP = 300
# A batch of short documents holds at most this many characters, whatever their number, so memory
# is bounded by characters, not documents.
BATCH_CHARS = 30_000
SENTENCE_ENDS = frozenset("。！？!?；;\n")
CLAUSE_ENDS = frozenset("，,、：:）)")
T = TypeVar("T")


def default_model_path() -> Path:
    return Path(str(files("gzie.models").joinpath(DEFAULT_MODEL)))


def _model_files(path: Path) -> list[Path]:
    """Every file under `path`, through symlinked folders too (spaCy follows them when it loads),
    each real folder visited once."""
    files, seen = [], set()
    for root, folders, names in os.walk(path, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            folders[:] = []
            continue
        seen.add(real)
        files += [Path(root) / name for name in names]
    return files


def find_pickles(path: Path) -> list[Path]:
    """Files of a model directory that are pickles, by name or by their first bytes. Unpickling can
    run any code, and spaCy's Chinese tokenizer would unpickle tokenizer/pkuseg_model/features.pkl
    (through spacy_pkuseg) even for the character segmenter."""
    found = []
    for file in sorted(_model_files(path)):
        if file.suffix.lower() in PICKLE_SUFFIXES:
            found.append(file)
            continue
        try:
            with file.open("rb") as handle:
                head = handle.read(2)
        except OSError:
            continue
        if len(head) == 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
            found.append(file)
    return found


def check_model_dir(path: Path) -> None:
    """Clear errors for a missing, incomplete, incompatible or unsafe model directory, before
    spaCy sees it. A directory holding a pickle is refused (E005), whatever its config says."""
    if not path.is_dir() or not any((path / name).exists() for name in REQUIRED_FILES):
        raise ModelError(Errors.E001.format(path=path))
    pickles = find_pickles(path)
    if pickles:
        raise ModelError(Errors.E005.format(path=path, file=pickles[0].relative_to(path)))
    missing = [name for name in REQUIRED_FILES if not (path / name).exists()]
    if missing:
        raise ModelError(Errors.E002.format(path=path, detail=f"missing {', '.join(missing)}"))
    import srsly

    try:
        meta = srsly.read_json(path / "meta.json")
    except ValueError as err:
        raise ModelError(Errors.E002.format(path=path, detail=f"meta.json is not valid JSON ({err})")) from None
    if not isinstance(meta, dict) or not isinstance(meta.get("gzie") or {}, dict):
        raise ModelError(Errors.E002.format(path=path, detail="meta.json is not a JSON object with a gzie object"))
    version = (meta.get("gzie") or {}).get("version")
    if version and version.split(".")[:2] != __version__.split(".")[:2]:
        raise ModelError(Errors.E003.format(path=path, version=version, current=__version__))
    # spaCy only warns about other patch versions; another minor version may not deserialize.
    spec = str(meta.get("spacy_version") or "")
    lowest = re.search(r"\d+\.\d+", spec)
    if lowest and lowest.group(0) != ".".join(spacy.about.__version__.split(".")[:2]):
        raise ModelError(Errors.E004.format(path=path, spec=spec, current=spacy.about.__version__))
    absent = [name for name in _components_with_state(path) if not (path / name).exists()]
    if absent:
        raise ModelError(Errors.E002.format(path=path, detail=f"missing component folder(s) {', '.join(absent)}"))
    trained_with = (meta.get("gzie") or {}).get("tables_sha256")
    if trained_with and trained_with != tables_hash():
        warnings.warn(Warnings.W001.format(path=path, trained=trained_with[:12], current=tables_hash()[:12]),
                      stacklevel=3)


def _components_with_state(path: Path) -> list[str]:
    """The pipeline components of a model directory that save weights in a folder of their own:
    all but those built by factories without state."""
    import configparser

    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read(path / "config.cfg", encoding="utf-8")
        names = json.loads(parser.get("nlp", "pipeline", fallback="[]"))
    except (configparser.Error, ValueError, UnicodeDecodeError) as err:
        detail = f"config.cfg cannot be read ({err})".splitlines()[0]
        raise ModelError(Errors.E002.format(path=path, detail=detail)) from None
    factories = {name: parser.get(f"components.{name}", "factory", fallback="").strip('"') for name in names}
    return [name for name, factory in factories.items() if factory not in STATELESS_FACTORIES]


def load(model: str | Path | None = None, **kwargs) -> Language:
    """The pipeline in `model` (a directory), or the shipped default for None or "default"."""
    ensure_extensions()
    path = default_model_path() if model in (None, DEFAULT_MODEL) else Path(model)
    check_model_dir(path)
    try:
        return spacy.load(path, **kwargs)
    except (OSError, ValueError, KeyError) as err:
        raise ModelError(Errors.E002.format(path=path, detail=str(err).splitlines()[0])) from None


@lru_cache(maxsize=1)
def _default_nlp() -> Language:
    return load(None)


def make_input_doc(nlp: Language, text: str, date: str | None = None, doc_id: str | None = None,
                   region: str | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.id = doc_id
    doc._.date = parse_iso_date(date) or find_document_date(text)
    doc._.meta = {"region": region} if region else None
    return doc


def doc_to_output(doc: Doc) -> dict:
    """The output record of a processed Doc (the same shape for the API and the CLI)."""
    text = doc_text(doc)
    region = (doc._.meta or {}).get("region")
    return build_output(text, doc._.id, doc._.date, doc_entities(doc, text), doc._.relations or [], doc._.facts,
                        region=region)


@dataclass(frozen=True)
class Window:
    """A piece of a long document: text[start:end] goes through the pipeline, and the entities
    starting in [core_start, core_end) are kept. Windows overlap around each cut, so an entity
    across a cut is seen whole by the window that keeps it."""

    start: int
    end: int
    core_start: int
    core_end: int


def _best_cut(text: str, lo: int, hi: int) -> int:
    """A cut in (lo, hi]: after the last sentence end, else the last clause break, else the last
    white space, else hi itself."""
    for marks in (SENTENCE_ENDS, CLAUSE_ENDS, None):
        for cut in range(hi, lo, -1):
            char = text[cut - 1]
            if (char in marks) if marks is not None else char.isspace():
                return cut
    return hi


def split_into_windows(text: str, max_chars: int = PIECE_CHARS, overlap: int = WINDOW_OVERLAP) -> list[Window]:
    """Windows covering text (see Window): cores cut at sentence ends where there are any, else at
    clause breaks or white space, in the last fifth of max_chars; each window reaches `overlap`
    characters past its core on both sides."""
    if len(text) <= max_chars:
        return [Window(0, len(text), 0, len(text))]
    core = max_chars - 2 * overlap
    cuts, position = [0], 0
    while len(text) - position > core:
        position = _best_cut(text, position + core * 4 // 5, position + core)
        cuts.append(position)
    cuts.append(len(text))
    return [Window(max(0, a - overlap), min(len(text), b + overlap), a, b) for a, b in zip(cuts, cuts[1:])]


def _extract_in_windows(nlp: Language, text: str, date: str | None, doc_id: str | None,
                        region: str | None = None) -> dict:
    """Entities and relations per window, shifted to document offsets and kept by core; facts on
    the whole text. Windows go through the pipeline one at a time, so memory is that of one window."""
    date = parse_iso_date(date) or find_document_date(text)
    entities: list[Entity] = []
    relations: list[dict] = []
    disabled = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "gzie_facts"]
    windows = split_into_windows(text)
    docs = (run_pipeline(nlp, [make_input_doc(nlp, text[w.start:w.end], date, doc_id)], 1, disabled)[0]
            for w in windows)
    for window, doc in zip(windows, docs):
        offset = window.start
        for e in doc.ents:
            start = e.start_char + offset
            if window.core_start <= start < window.core_end:
                entities.append(Entity(start, e.end_char + offset, e.label_, text[start:e.end_char + offset]))
        for rel in doc._.relations or []:
            head_start = rel["head"][0] + offset
            if window.core_start <= head_start < window.core_end:
                relations.append({**rel, "head": [head_start, rel["head"][1] + offset],
                                  "child": [rel["child"][0] + offset, rel["child"][1] + offset]})
    kept = {(e.start, e.end) for e in entities}
    relations = [r for r in relations if tuple(r["child"]) in kept and tuple(r["head"]) in kept]
    return build_output(text, doc_id, date, entities, relations, region=region)


def build_output(text: str, doc_id: str | None, date: str | None, entities: list, relations: list[dict],
                 facts: list[dict] | None = None, region: str | None = None) -> dict:
    """The output record, linked to canonical names (gzie.linking); facts are assembled here unless
    the pipeline already did."""
    if facts is None:
        facts = assemble_facts(text, entities, relations, date)
    facts = [dict(f) for f in facts]
    index = {(e.start, e.end): i for i, e in enumerate(entities)}
    linked = []
    for rel in relations:
        head, child = index.get(tuple(rel["head"])), index.get(tuple(rel["child"]))
        if head is not None and child is not None:
            linked.append({"head": head, "child": child, "label": rel["label"], "score": rel.get("score")})
    record = {
        "id": doc_id,
        "date": date,
        "entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text} for e in entities],
        "relations": linked,
        "facts": facts,
        "policies": assemble_policies(text, entities, relations),
    }
    return link_record(record, text, region, date)


def extraction_batches(items: Iterable[T], batch_size: int, text_of: Callable[[T], str] = itemgetter(0),
                       max_chars: int = BATCH_CHARS) -> Iterator[list[T]]:
    """The batches extract_documents processes: short documents in a row, up to batch_size of them
    and max_chars characters together, and a document longer than PIECE_CHARS alone (it goes
    through windows). Worker processes are given the same batches, so their output equals one
    process's."""
    batch: list[T] = []
    chars = 0
    for item in items:
        size = len(text_of(item))
        if size > PIECE_CHARS:
            if batch:
                yield batch
                batch, chars = [], 0
            yield [item]
            continue
        if batch and chars + size > max_chars:
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += size
        if len(batch) >= batch_size:
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch


def extract_documents(nlp: Language, documents: Iterable[tuple], batch_size: int = 16) -> Iterator[dict]:
    """Output records for (text, date, id) or (text, date, id, region) tuples, in input order. Short
    documents are batched through the pipeline (run_pipeline); longer ones than PIECE_CHARS go
    through windows."""
    prepared = (_prepared(clean_text(d[0]), d[1], d[2], d[3] if len(d) > 3 else None) for d in documents)
    for batch in extraction_batches(prepared, batch_size):
        if len(batch[0][0]) > PIECE_CHARS:
            text, date, doc_id, region, original, kept = batch[0]
            yield _restored(_extract_in_windows(nlp, text, date, doc_id, region), original, kept)
            continue
        docs = [make_input_doc(nlp, text, date, doc_id, region) for text, date, doc_id, region, _, _ in batch]
        for item, doc in zip(batch, run_pipeline(nlp, docs, batch_size=batch_size)):
            yield _restored(doc_to_output(doc), item[4], item[5])


def _prepared(text: str, date, doc_id, region) -> tuple:
    """(text the pipeline reads, date, id, region, original text, kept offsets): the text without
    inline pinyin readings (gzie.inputs.strip_inline_pinyin)."""
    stripped, kept = strip_inline_pinyin(text)
    return stripped, date, doc_id, region, text, kept


def _restored(record: dict, original: str, kept: list[int] | None) -> dict:
    """The record with every offset mapped back to the original text, where pinyin readings were
    stripped before the pipeline read it; entity texts are quoted from the original."""
    if kept is None:
        return record
    for entity in record["entities"]:
        entity["start"] = restore_offset(kept, entity["start"])
        entity["end"] = restore_offset(kept, entity["end"], end=True)
        entity["text"] = original[entity["start"]:entity["end"]]
    for item in record["facts"] + record["policies"]:
        item["start"] = restore_offset(kept, item["start"])
        item["end"] = restore_offset(kept, item["end"], end=True)
    for fact in record["facts"]:
        spans = fact.get("spans") or {}
        for name, span in spans.items():
            if span:
                spans[name] = [restore_offset(kept, span[0]), restore_offset(kept, span[1], end=True)]
    return record


def run_pipeline(nlp: Language, docs: list[Doc], batch_size: int = 16, disable: Iterable[str] = ()) -> list[Doc]:
    """The pipeline over `docs`, with the statistical recognizer (the tok2vec and ner components)
    reading only the sentences where the rule finders see a figure or a zone word they cannot name
    whole: what the other sentences hold (organs, named zones, titles, leading periods) the rules
    find alone, and a figure's sentence is where indicators are. Entities are the same as a full
    run's but for the sentences skipped, and the recognizer costs less (README, Speed and memory).
    `nlp(doc)` runs the full pipeline."""
    disable = list(disable)
    names = [name for name in nlp.pipe_names if name not in disable]
    neural = [name for name in names if nlp.get_pipe_meta(name).factory in NEURAL_FACTORIES]
    rest = [name for name in names if name not in neural]
    if not neural:
        return list(nlp.pipe(docs, batch_size=batch_size, disable=disable))
    focused = [_focus(nlp, doc) for doc in docs]
    focus_docs = [focus for focus, _ in focused]
    for name in neural:
        focus_docs = list(nlp.get_pipe(name).pipe(focus_docs, batch_size=batch_size))
    for doc, focus, (_, pieces) in zip(docs, focus_docs, focused):
        _take_entities(doc, focus, pieces)
    for name in rest:
        docs = list(nlp.get_pipe(name).pipe(docs, batch_size=batch_size))
    return docs


def _focus(nlp: Language, doc: Doc) -> tuple[Doc, list[tuple[int, int, int]]]:
    """A doc of the sentences of `doc` that hold a figure or an unnamed zone word, joined by line
    breaks, and its pieces as (offset in the focus doc, offset in `doc`, length)."""
    from .extensions import doc_text, doc_view
    from .pipeline.finders import find_spans
    from .text import sentence_spans

    view, source = doc_view(doc), doc_text(doc)
    found = find_spans(view)
    figures = sorted(f.start for f in found if f.label == "VALUE")
    named = [(f.start, f.end) for f in found if f.label in ("ZONE", "AGENCY")]
    # A zone word that no rule span names whole (丹霞产业园一季度…): its name is the model's to find.
    unnamed = sorted(m.start() for m in zone_word_re().finditer(view)
                     if not any(s <= m.start() < e for s, e in named))
    pieces, texts, position = [], [], 0
    for index, (start, end) in enumerate(sentence_spans(view)):
        k = bisect.bisect_left(figures, start)
        z = bisect.bisect_left(unnamed, start)
        if (k < len(figures) and figures[k] < end) or (z < len(unnamed) and unnamed[z] < end):
            pieces.append((position, start, end - start))
            texts.append(source[start:end])
            position += end - start + 1
    return nlp.make_doc("\n".join(texts)), pieces


@lru_cache(maxsize=1)
def zone_word_re() -> re.Pattern:
    from .agencies import trie_regex
    from .zones import zone_suffixes

    return re.compile(trie_regex(zone_suffixes()))


def _take_entities(doc: Doc, focus: Doc, pieces: list[tuple[int, int, int]]) -> None:
    from spacy.util import filter_spans

    from .extensions import char_span_expanded

    starts = [piece[0] for piece in pieces]
    spans = []
    for ent in focus.ents:
        focus_start, origin, length = pieces[bisect.bisect_right(starts, ent.start_char) - 1]
        start = origin + ent.start_char - focus_start
        end = min(start + len(ent.text), origin + length)
        span = char_span_expanded(doc, start, end, ent.label_)
        if span is not None:
            spans.append(span)
    doc.set_ents(filter_spans(spans), default="outside")


def extract(text: str, date: str | dt.date | None = None, doc_id: str | None = None,
            nlp: Language | None = None, region: str | None = None) -> dict:
    """Extract one document. `date` (YYYY-MM-DD, or a datetime.date) anchors relative periods; read
    from the text when None. Control characters in the text become spaces (offsets unchanged)."""
    if not isinstance(text, str):
        hint = " (decode bytes first, e.g. data.decode('utf-8'))" if isinstance(text, (bytes, bytearray)) else ""
        raise InputError(Errors.E012.format(what="text", kind=type(text).__name__) + hint)
    if doc_id is not None and not isinstance(doc_id, (str, int)):
        raise InputError(Errors.E012.format(what="doc_id", kind=type(doc_id).__name__))
    return next(extract_documents(nlp or _default_nlp(), [(text, parse_iso_date(date),
                                                            None if doc_id is None else str(doc_id), region)]))
