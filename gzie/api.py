"""The Python API: load a pipeline and turn a document into entities, relations, facts and policies."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import __version__
from .dates import find_document_date, parse_iso_date
from .errors import Errors, ModelError
from .extensions import ensure_extensions
from .facts import assemble_policies, public_fact
from .pipeline.relations import doc_entities

DEFAULT_MODEL = "default"
REQUIRED_FILES = ("config.cfg", "meta.json")


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
    pipes = meta.get("pipeline") or []
    absent = [name for name in pipes if name in ("tok2vec", "ner", "gzie_relations") and not (path / name).exists()]
    if absent:
        raise ModelError(Errors.E002.format(path=path, detail=f"missing component folder(s) {', '.join(absent)}"))


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
    entities = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text} for e in doc.ents]
    index = {(e["start"], e["end"]): i for i, e in enumerate(entities)}
    relations = []
    for rel in doc._.relations or []:
        head, child = index.get(tuple(rel["head"])), index.get(tuple(rel["child"]))
        if head is not None and child is not None:
            relations.append({"head": head, "child": child, "label": rel["label"], "score": rel.get("score")})
    spans = doc_entities(doc)
    return {
        "id": doc._.id,
        "date": doc._.date,
        "entities": entities,
        "relations": relations,
        "facts": [public_fact(f) for f in doc._.facts or []],
        "policies": assemble_policies(doc.text, spans, doc._.relations or []),
    }


def extract(text: str, date: str | None = None, id: str | None = None, nlp: Language | None = None) -> dict:
    """Extract one document. `date` (YYYY-MM-DD) anchors relative periods; read from the text when None."""
    nlp = nlp or _default_nlp()
    doc = nlp(make_input_doc(nlp, text, date, id))
    return doc_to_output(doc)
