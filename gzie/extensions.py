"""Doc extension attributes gzie reads and writes.

Components call :func:`ensure_extensions` when they are built, so the attributes exist
wherever a gzie pipeline exists, without registering anything at import time.
"""

from __future__ import annotations

import weakref

from spacy.tokens import Doc, Span

from .text import Entity, normalized_view

# name -> default; lists are created per document by the code that fills them.
DOC_EXTENSIONS = {
    "id": None,        # document id from the corpus or the caller
    "date": None,      # document date as an ISO string, the reference date for periods
    "meta": None,      # corpus metadata (source, region, genre)
    "relations": None, # [{"head": [start, end], "child": [start, end], "label": str, "score": float}]
    "facts": None,     # fact records built by gzie_facts
}


def ensure_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def doc_relations(doc: Doc) -> list[dict]:
    return doc._.relations or []


# Doc -> (number of tokens, text). spaCy rebuilds doc.text from the tokens on every access; the
# components and the output builder all read it, so it is built once per Doc. A Doc's text never
# changes (retokenizing keeps it); the token count guards against a Doc refilled in place.
_TEXTS: "weakref.WeakKeyDictionary[Doc, tuple[int, str]]" = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """doc.text, computed once per Doc."""
    cached = _TEXTS.get(doc)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    text = doc.text
    _TEXTS[doc] = (len(doc), text)
    return text


_VIEWS: "weakref.WeakKeyDictionary[Doc, tuple[int, str]]" = weakref.WeakKeyDictionary()


def remember_text(doc: Doc, text: str, view: str) -> None:
    """Record the text a tokenizer made `doc` from (doc.text) and its normalized view, so neither
    is rebuilt from the tokens later."""
    _TEXTS[doc] = (len(doc), text)
    _VIEWS[doc] = (len(doc), view)


def doc_view(doc: Doc) -> str:
    """The normalized view of doc.text (gzie.text.normalized_view), computed once per Doc."""
    cached = _VIEWS.get(doc)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    view = normalized_view(doc_text(doc))
    _VIEWS[doc] = (len(doc), view)
    return view


def pipes_made_by(nlp, factory: str) -> list:
    """The components of `nlp` built by `factory` (e.g. "gzie_relations"), whatever they are named."""
    return [nlp.get_pipe(name) for name in nlp.pipe_names if nlp.get_pipe_meta(name).factory == factory]


def doc_entities(doc: Doc, text: str | None = None) -> list[Entity]:
    """doc.ents as Entity records (text: the doc's text, when the caller has it)."""
    if text is None:
        text = doc_text(doc)
    entities = []
    for span in doc.ents:
        start, end = span.start_char, span.end_char
        entities.append(Entity(start, end, span.label_, text[start:end]))  # the same string as span.text
    return entities


def char_span_expanded(doc: Doc, start: int, end: int, label: str) -> Span | None:
    """A span on token boundaries covering start..end: never drop an entity because of tokenization."""
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None:
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
    return span
