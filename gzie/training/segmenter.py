"""Training the optional pkuseg word segmenter from the annotated corpus (offline, no download).

The corpus has no gold word segmentation, so the training segmentation is derived: every gold
span is one word (so the segmenter learns not to cut through agencies, indicators and values),
text between spans is cut by forward maximum matching against the span surfaces of the corpus
and the user dictionary, and anything else stays a single character.
"""

from __future__ import annotations

import contextlib
import io
import re
import tempfile
from pathlib import Path
from typing import Iterable

from ..resources import read_table
from ..text import sentence_index, sentence_starts

MAX_WORD = 12


def user_dictionary() -> list[str]:
    """Words for pkuseg's user dictionary: the agency, unit and period words of the rule tables."""
    words = {row["surface"] for row in read_table("finder_lexicon.tsv")
             if row["placeholder"] in ("agency_fixed", "zone_suffix", "unit", "period_standalone", "period_part")}
    return sorted(w for w in words if len(w) > 1)


def lexicon_from_records(records: Iterable[dict]) -> set[str]:
    words = set(user_dictionary())
    for record in records:
        for span in record["spans"]:
            surface = record["text"][span["start"]:span["end"]]
            if 1 < len(surface) <= MAX_WORD and not any(ch.isspace() for ch in surface):
                words.add(surface)
    return words


def _max_match(text: str, lexicon: set[str]) -> list[str]:
    words, i = [], 0
    while i < len(text):
        for size in range(min(MAX_WORD, len(text) - i), 0, -1):
            piece = text[i:i + size]
            if size == 1 or piece in lexicon:
                words.append(piece)
                i += size
                break
    return words


def derived_segmentation(record: dict, lexicon: set[str]) -> list[list[str]]:
    """Sentences of words for one record (whitespace dropped)."""
    text = record["text"]
    bounds = sorted((s["start"], s["end"]) for s in record["spans"])
    words: list[tuple[int, str]] = []
    cursor = 0
    for start, end in bounds + [(len(text), len(text))]:
        gap = text[cursor:start]
        offset = cursor
        for chunk in re.split(r"(\s+)", gap):
            if chunk and not chunk.isspace():
                for word in _max_match(chunk, lexicon):
                    words.append((offset, word))
                    offset += len(word)
            else:
                offset += len(chunk)
        if end > start:
            words.append((start, text[start:end]))
        cursor = max(cursor, end)
    starts = sentence_starts(text)
    sentences: dict[int, list[str]] = {}
    for offset, word in words:
        sentences.setdefault(sentence_index(starts, offset), []).append(word)
    return [sentences[k] for k in sorted(sentences)]


def train_pkuseg(records: list[dict], output_dir: str | Path, iterations: int = 10) -> Path:
    """Train a pkuseg model on the derived segmentation; returns the model folder."""
    import spacy_pkuseg

    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    lexicon = lexicon_from_records(records)
    lines = [" ".join(words) for record in records for words in derived_segmentation(record, lexicon)]
    held_out = max(1, len(lines) // 20)
    with tempfile.TemporaryDirectory(prefix="gzie-pkuseg-") as workdir:
        train_file, test_file = Path(workdir) / "train.txt", Path(workdir) / "test.txt"
        train_file.write_text("\n".join(lines[held_out:]) + "\n", encoding="utf-8")
        test_file.write_text("\n".join(lines[:held_out]) + "\n", encoding="utf-8")
        # pkuseg reports its progress on stdout; the library stays silent.
        with contextlib.redirect_stdout(io.StringIO()):
            spacy_pkuseg.train(str(train_file), str(test_file), str(output_dir), train_iter=iterations)
    (output_dir / "user_dict.txt").write_text("\n".join(user_dictionary()) + "\n", encoding="utf-8")
    return output_dir
