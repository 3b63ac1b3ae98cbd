"""Chinese tokenizers that give character tokens word-level context.

Character tokens align with every entity boundary, but one character says little on its own.

* ``gzie.ChineseBigramTokenizer.v1`` stores, per character, the bigram with the next character in
  ``token.norm_`` and the bigram with the previous one in ``token.lemma_``.
* ``gzie.ChineseWordFeatureTokenizer.v1`` runs the pkuseg word segmenter but still returns
  character tokens: ``token.norm_`` holds the word the character belongs to and ``token.lemma_``
  the bigram with the next character. Entities keep character boundaries (all of them align)
  while the recognizer sees words.

A hash embedding over ORTH, NORM and LEMMA then sees characters, bigrams and words.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable

import numpy
import srsly
from spacy.attrs import LEMMA, NORM
from spacy.lang.zh import ChineseTokenizer, Segmenter
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces

from .extensions import remember_text
from .text import normalized_view

BOUNDARY = "#"


class BigramChineseTokenizer(ChineseTokenizer):
    def __call__(self, text: str) -> Doc:
        doc = super().__call__(text)
        texts = [token.text for token in doc]
        for i, token in enumerate(doc):
            following = texts[i + 1] if i + 1 < len(texts) else BOUNDARY
            preceding = texts[i - 1] if i > 0 else BOUNDARY
            token.norm_ = token.text + following
            token.lemma_ = preceding + token.text
        return doc


class WordFeatureChineseTokenizer(ChineseTokenizer):
    def __init__(self, vocab, segmenter: Segmenter = Segmenter.pkuseg):
        super().__init__(vocab, segmenter=Segmenter.pkuseg)

    def __call__(self, text: str) -> Doc:
        if self.pkuseg_seg is None:
            raise ValueError("gzie.ChineseWordFeatureTokenizer.v1 needs a pkuseg model: set "
                             "[initialize.tokenizer] pkuseg_model, or let `gzie train` train one")
        words, spaces = get_words_and_spaces(list(text), text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        word_of = [""] * len(text)
        cursor = 0
        for word in self.pkuseg_seg.cut(text):
            start = text.find(word, cursor)
            if start < 0:
                continue
            for i in range(start, start + len(word)):
                word_of[i] = word
            cursor = start + len(word)
        texts = [token.text for token in doc]
        for i, token in enumerate(doc):
            following = texts[i + 1] if i + 1 < len(texts) else BOUNDARY
            token.norm_ = word_of[token.idx] or token.text
            token.lemma_ = token.text + following
        return doc


def make_word_feature_tokenizer() -> Callable[[Language], WordFeatureChineseTokenizer]:
    """Registered as gzie.ChineseWordFeatureTokenizer.v1 (entry point spacy_tokenizers)."""

    def create(nlp: Language) -> WordFeatureChineseTokenizer:
        return WordFeatureChineseTokenizer(nlp.vocab)

    return create


def make_bigram_tokenizer(segmenter: str = "char") -> Callable[[Language], BigramChineseTokenizer]:
    """Registered as gzie.ChineseBigramTokenizer.v1 (entry point spacy_tokenizers)."""

    def create(nlp: Language) -> BigramChineseTokenizer:
        return BigramChineseTokenizer(nlp.vocab, segmenter=Segmenter(segmenter))

    return create


CHARACTER_RE = re.compile(r"(\S)( ?)|(\s+)")


def characters_and_spaces(text: str) -> tuple[list[str], list[bool]]:
    """spacy.util.get_words_and_spaces(list(text), text) in one pass: every character that is not
    white space is a token, a single space after it is its trailing space, and any other run of
    white space is a token of its own."""
    words, spaces = [], []
    for match in CHARACTER_RE.finditer(text):
        char, space, blank = match.groups()
        if blank is None:
            words.append(char)
            spaces.append(bool(space))
        else:
            words.append(blank)
            spaces.append(False)
    return words, spaces


class ViewChineseTokenizer(ChineseTokenizer):
    """Character tokens whose features come from the normalized view (gzie.text.normalized_view):
    ``token.norm_`` is the view's character and ``token.lemma_`` its shape (d for a digit, x for a
    letter or Han character, else the character), so a page in half-width punctuation, full-width
    digits or traditional characters looks to the model like its clean copy. The Doc keeps the
    original text. It never loads a pkuseg model, so a model folder with one loads no pickle."""

    def __init__(self, vocab):
        super().__init__(vocab, segmenter=Segmenter.char)

    def __call__(self, text: str) -> Doc:
        words, spaces = characters_and_spaces(text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        view = normalized_view(text)
        add = self.vocab.strings.add
        features: dict[str, tuple[int, int]] = {}
        rows = numpy.empty((len(words), 2), dtype="uint64")
        offset = 0
        for i, (word, space) in enumerate(zip(words, spaces)):  # the tokens' offsets, without Token objects
            seen = view[offset:offset + len(word)]
            pair = features.get(seen)
            if pair is None:
                pair = features[seen] = (add(seen), add(_shape(seen)))
            rows[i] = pair
            offset += len(word) + space
        doc.from_array([NORM, LEMMA], rows)
        remember_text(doc, text, view)
        return doc

    def initialize(self, get_examples=None, *, nlp=None, pkuseg_model: str | None = None,
                   pkuseg_user_dict: str | None = "default") -> None:
        """Nothing to set up; the pkuseg settings every zh config carries are accepted and unused."""
        return None

    # Only the settings are saved: the view needs no data of its own.
    def to_bytes(self, **kwargs) -> bytes:
        return srsly.msgpack_dumps({"segmenter": "char"})

    def from_bytes(self, data: bytes, **kwargs) -> "ViewChineseTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", {"segmenter": "char"})

    def from_disk(self, path, **kwargs) -> "ViewChineseTokenizer":
        return self


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if text.isalpha():
        return "x"
    return text


def make_view_tokenizer() -> Callable[[Language], ViewChineseTokenizer]:
    """Registered as gzie.ChineseViewTokenizer.v1 (entry point spacy_tokenizers)."""

    def create(nlp: Language) -> ViewChineseTokenizer:
        return ViewChineseTokenizer(nlp.vocab)

    return create
