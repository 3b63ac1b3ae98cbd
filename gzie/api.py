"""The Python API: load a pipeline and turn a document into entities, relations, facts and policies."""

from __future__ import annotations

import json
import re
import warnings
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
from .errors import Errors, ModelError, Warnings
from .extensions import doc_entities, doc_text, ensure_extensions
from .facts import assemble_facts, assemble_policies
from .resources import tables_hash
from .text import Entity

DEFAULT_MODEL = "default"
REQUIRED_FILES = ("config.cfg", "meta.json")
# Components that save nothing: their behaviour is the code and the tables in gzie/data.
STATELESS_FACTORIES = frozenset({"gzie_rules", "gzie_facts"})
# Longer documents are processed in pieces cut at paragraph or sentence ends, far below spaCy's
# max_length, so memory stays bounded and no entity (none spans a sentence end) is cut.
PIECE_CHARS = 20_000
T = TypeVar("T")
SENTENCE_END_RE = re.compile(r"(?<=[。！？!?；;\n])")


def default_model_path() -> Path:
    return Path(str(files("gzie.models").joinpath(DEFAULT_MODEL)))


def check_model_dir(path: Path) -> None:
    """Clear errors for a missing, incomplete or incompatible model directory, before spaCy sees it."""
    if not path.is_dir() or not any((path / name).exists() for name in REQUIRED_FILES):
        raise ModelError(Errors.E001.format(path=path))
    missing = [name for name in REQUIRED_FILES if not (path / name).exists()]
    if missing:
        raise ModelError(Errors.E002.format(path=path, detail=f"missing {', '.join(missing)}"))
    import srsly

    try:
        meta = srsly.read_json(path / "meta.json")
    except ValueError as err:
        raise ModelError(Errors.E002.format(path=path, detail=f"meta.json is not valid JSON ({err})")) from None
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


def make_input_doc(nlp: Language, text: str, date: str | None = None, doc_id: str | None = None) -> Doc:
    doc = nlp.make_doc(text)
    doc._.id = doc_id
    doc._.date = parse_iso_date(date) or find_document_date(text)
    return doc


def doc_to_output(doc: Doc) -> dict:
    """The output record of a processed Doc (the same shape for the API and the CLI)."""
    text = doc_text(doc)
    return build_output(text, doc._.id, doc._.date, doc_entities(doc, text), doc._.relations or [], doc._.facts)


def split_into_pieces(text: str, max_chars: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """(offset, piece) pairs covering text, cut after sentence ends; a piece exceeds max_chars only
    when a single sentence does, and then it is cut hard."""
    pieces: list[tuple[int, str]] = []
    start = 0
    current = ""
    for sentence in SENTENCE_END_RE.split(text):
        if current and len(current) + len(sentence) > max_chars:
            pieces.append((start, current))
            start += len(current)
            current = ""
        current += sentence
        while len(current) > max_chars:
            pieces.append((start, current[:max_chars]))
            start += max_chars
            current = current[max_chars:]
    if current:
        pieces.append((start, current))
    return pieces


def _extract_in_pieces(nlp: Language, text: str, date: str | None, doc_id: str | None) -> dict:
    """Entities and relations per piece, shifted to document offsets; facts on the whole text."""
    date = parse_iso_date(date) or find_document_date(text)
    entities, relations = [], []
    pieces = split_into_pieces(text)
    docs = (make_input_doc(nlp, piece, date, doc_id) for _, piece in pieces)
    disabled = [name for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == "gzie_facts"]
    for (offset, _), doc in zip(pieces, nlp.pipe(docs, disable=disabled)):
        entities.extend(Entity(e.start_char + offset, e.end_char + offset, e.label_, e.text) for e in doc.ents)
        for rel in doc._.relations or []:
            relations.append({**rel, "head": [rel["head"][0] + offset, rel["head"][1] + offset],
                              "child": [rel["child"][0] + offset, rel["child"][1] + offset]})
    return build_output(text, doc_id, date, entities, relations)


def build_output(text: str, doc_id: str | None, date: str | None, entities: list, relations: list[dict],
                 facts: list[dict] | None = None) -> dict:
    """The output record; facts are assembled here unless the pipeline already did."""
    if facts is None:
        facts = assemble_facts(text, entities, relations, date)
    index = {(e.start, e.end): i for i, e in enumerate(entities)}
    linked = []
    for rel in relations:
        head, child = index.get(tuple(rel["head"])), index.get(tuple(rel["child"]))
        if head is not None and child is not None:
            linked.append({"head": head, "child": child, "label": rel["label"], "score": rel.get("score")})
    return {
        "id": doc_id,
        "date": date,
        "entities": [{"start": e.start, "end": e.end, "label": e.label, "text": e.text} for e in entities],
        "relations": linked,
        "facts": facts,
        "policies": assemble_policies(text, entities, relations),
    }


def extraction_batches(items: Iterable[T], batch_size: int,
                       text_of: Callable[[T], str] = itemgetter(0)) -> Iterator[list[T]]:
    """The batches extract_documents processes: up to batch_size short documents in a row, and a
    document longer than PIECE_CHARS alone (it goes through pieces). Worker processes are given the
    same batches, so their output equals one process's."""
    batch: list[T] = []
    for item in items:
        if len(text_of(item)) > PIECE_CHARS:
            if batch:
                yield batch
                batch = []
            yield [item]
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_documents(nlp: Language, documents: Iterable[tuple[str, str | None, str | None]],
                      batch_size: int = 16) -> Iterator[dict]:
    """Output records for (text, date, id) triples, in input order. Short documents are batched
    through nlp.pipe; longer ones than PIECE_CHARS are processed in pieces."""
    for batch in extraction_batches(documents, batch_size):
        if len(batch[0][0]) > PIECE_CHARS:
            yield _extract_in_pieces(nlp, *batch[0])
            continue
        docs = [make_input_doc(nlp, text, date, doc_id) for text, date, doc_id in batch]
        for doc in nlp.pipe(docs, batch_size=batch_size):
            yield doc_to_output(doc)


def extract(text: str, date: str | None = None, doc_id: str | None = None, nlp: Language | None = None) -> dict:
    """Extract one document. `date` (YYYY-MM-DD) anchors relative periods; read from the text when None."""
    return next(extract_documents(nlp or _default_nlp(), [(text, date, doc_id)]))
