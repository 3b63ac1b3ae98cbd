"""Shared text helpers below every component: entities as plain records, sentences, word lookups
and the change cues read off the text before a value.

Nothing here knows spaCy or the corpus format, so the fact builder, the normalizers, the pipeline
components and the corpus tools can all use it without importing one another.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from .resources import read_table

# A sentence ends after one of these (the annotation guidelines, section 1).
SENTENCE_END_CHARS = "。！？!?\n"
SENTENCE_END_RE = re.compile(f"[{re.escape(SENTENCE_END_CHARS)}]")


@dataclass(frozen=True)
class Entity:
    """A labeled span of a document: character offsets, label and the text it covers."""

    start: int
    end: int
    label: str
    text: str


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences begin (a sentence ends after 。！？!? or a line break)."""
    return [0] + [m.end() for m in SENTENCE_END_RE.finditer(text) if m.end() < len(text)]


def sentence_index(starts: list[int], offset: int) -> int:
    """The index of the sentence holding `offset`, given sentence_starts(text)."""
    return bisect.bisect_right(starts, offset) - 1


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence, covering the whole text; the end includes the sentence's
    final punctuation or line break."""
    starts = sentence_starts(text) if text else []
    return [(start, starts[i + 1] if i + 1 < len(starts) else len(text)) for i, start in enumerate(starts)]


def sentence_around(text: str, offset: int, starts: list[int] | None = None) -> str:
    """The sentence holding `offset`, stripped of surrounding white space."""
    starts = starts if starts is not None else sentence_starts(text)
    i = sentence_index(starts, offset)
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return text[starts[i]:end].strip()


def longest_prefix(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` starts with, or None."""
    longest = max(map(len, words), default=0)
    for size in range(min(len(text), longest), 0, -1):
        if text[:size] in words:
            return text[:size]
    return None


def longest_suffix(text: str, words) -> str | None:
    """The longest of ``words`` that ``text`` ends with, or None."""
    longest = max(map(len, words), default=0)
    for size in range(min(len(text), longest), 0, -1):
        if text[-size:] in words:
            return text[-size:]
    return None


# --- change cues (gzie/data/change_cues.tsv) ---------------------------------------------------

# Words that may stand between a change cue and its value (增长了5%, 增长为, 增至, 增长到, 达).
CUE_LINKS = "了为為至到达達"


@lru_cache(maxsize=None)
def change_cue_re() -> re.Pattern:
    cues = sorted((row["cue"] for row in read_table("change_cues.tsv")), key=len, reverse=True)
    return re.compile("(?:" + "|".join(map(re.escape, cues)) + f")[{CUE_LINKS}]?$")


@lru_cache(maxsize=None)
def change_signs() -> dict[str, int]:
    return {row["cue"]: int(row["sign"]) for row in read_table("change_cues.tsv")}


def change_cue_before(text: str, start: int, window: int = 8) -> str | None:
    """The change word right before a value (同比增长35.6% -> 增长), or None."""
    match = change_cue_re().search(text[max(0, start - window):start])
    if not match:
        return None
    return match.group(0).rstrip(CUE_LINKS)


# --- context cues (gzie/data/cues.tsv) ---------------------------------------------------------


@lru_cache(maxsize=None)
def cue_words(role: str) -> tuple[str, ...]:
    """The words of one role of cues.tsv, in table order."""
    return tuple(row["word"] for row in read_table("cues.tsv") if row["role"] == role)


@lru_cache(maxsize=None)
def cue_values(role: str) -> dict[str, str]:
    """word -> value for one role of cues.tsv."""
    return {row["word"]: row["value"] for row in read_table("cues.tsv") if row["role"] == role}


@lru_cache(maxsize=None)
def cue_re(role: str, anchor: str = "") -> re.Pattern:
    """An alternation of one role's words, longest first; anchor "$" or "^" pins it to an end."""
    words = sorted(cue_words(role), key=len, reverse=True)
    body = "(?:" + "|".join(map(re.escape, words)) + ")"
    return re.compile({"$": body + "$", "^": "^" + body}.get(anchor, body))
