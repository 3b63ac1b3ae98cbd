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
# A clause ends after a sentence end or one of the commas, semicolons and colons.
CLAUSE_END_CHARS = "，,；;：:" + SENTENCE_END_CHARS
CLAUSE_END_RE = re.compile(f"[{re.escape(CLAUSE_END_CHARS)}]")


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


def clause_start(text: str, offset: int, ends: str = CLAUSE_END_CHARS) -> int:
    """Where the clause holding `offset` begins: after the last of `ends` before it, or at 0. It
    reads back only to that clause end (a search for each end character would read back to the
    start of the text for every character the text lacks)."""
    offset = min(offset, len(text))
    while offset > 0 and text[offset - 1] not in ends:
        offset -= 1
    return offset


def clause_end(text: str, offset: int) -> int:
    """Where the clause holding `offset` ends: at the first clause end from it, or at len(text)."""
    found = CLAUSE_END_RE.search(text, offset)
    return found.start() if found else len(text)


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


def qualifier_lookalike_before(text: str, end: int) -> str | None:
    """The word ending at `end` that ends like a qualifier and is none (签约 before 8个项目: the 约 is
    no 'about'; cues.tsv, qualifier_lookalike), or None."""
    return longest_suffix(text[max(0, end - 4):end], cue_words("qualifier_lookalike"))


@lru_cache(maxsize=None)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def word_across(text: str, offset: int, words: tuple[str, ...]) -> str | None:
    """The word of `words` (a cue role's tuple) that starts before `offset` and ends after it (提前
    across the start of 前两个月 in 提前两个月), or None."""
    for word in _longest_first(words):
        for inside in range(1, len(word)):
            if text[max(0, offset - len(word) + inside):offset + inside] == word:
                return word
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


@lru_cache(maxsize=1)
def eligible_re() -> re.Pattern:
    """的 and whom a threshold makes eligible, ending a clause's noun (超过1000万元的企业, 新认定的高新技术
    企业; cues.tsv, eligible_noun): the words before it state a condition, not a figure or a period."""
    nouns = cue_re("eligible_noun").pattern
    return re.compile(f"的[\u4e00-\u9fff]{{0,4}}?{nouns}(?![\u4e00-\u9fff])")


# --- the normalized view -----------------------------------------------------------------------
#
# The pipeline reads every document through a view of the same length: each character maps to one
# character, so an offset into the view is the same offset into the text. The view folds what
# varies between copies of one release and carries no meaning: full-width ASCII forms, half-width
# Chinese punctuation, white space inside a sentence (a line break copied from a narrow page or a
# PDF), and traditional characters. The model's features, the rule finders, sentence ends and the
# fact builder's cues all see the view; spans and facts quote the original text.

# Half-width punctuation and its Chinese form. A comma or colon between two digits (1,234 and
# 17:43) and a point between two digits (5.6) are numbers and stay.
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
_DIGIT_PUNCT_RE = re.compile(r"(?<=\d)[,:.](?=\d)")
_SENTENCE_POINT_RE = re.compile(r"(?<=[\u3400-\u9fff）”’」』%])\.(?=\s|$|[\u3400-\u9fff“‘「『（(])")
_SPACES = "\t\u00a0\u2002\u2003\u2009\u3000\r\f\v"
# A line whose last character is one of these ends a sentence there; a line break after any other
# character may be soft (see _soft_breaks).
_HARD_END = "。！？!?；;：:…”」』\"'）)】]"
_CN_DIGITS = "一二三四五六七八九十"
_HEADING_RE = re.compile(rf"^\s*(?:[{_CN_DIGITS}]+[、.．]|[（(][{_CN_DIGITS}\d]+[)）]|\d+[、.．](?!\d)"
                         rf"|第[{_CN_DIGITS}]+[章节条部分])")
_MIN_WRAPPED_LINE = 15
_OPEN_END = "，、,（(“"  # a line ending in one of these runs on
_CLAUSE_MARKS = "，,；;"
_CONTINUES = "，,。.；;、%％）)”"  # marks that cannot start a sentence


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    """Full-width ASCII forms to ASCII, then half-width punctuation to Chinese punctuation; odd
    spaces to a space."""
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table.update({ord(c): " " for c in _SPACES})
    for code, char in list(table.items()):
        if char in _HALF_TO_FULL:
            table[code] = _HALF_TO_FULL[char]
    table.update({ord(half): full for half, full in _HALF_TO_FULL.items()})
    return table


@lru_cache(maxsize=1)
def _converter():
    try:
        import opencc
    except ImportError:  # a declared dependency; without it traditional text stays as it is
        return None
    return opencc.OpenCC("t2s")


def _simplified(char: str) -> str:
    """The simplified form of one character (itself when it has none of one character)."""
    converter = _converter()
    converted = converter.convert(char) if converter is not None else char
    return converted if len(converted) == 1 else char


def _soft_breaks(text: str) -> list[int]:
    """Offsets of line breaks inside a sentence. A break is soft when the line before does not end
    a sentence, neither line is clutter or a heading, and the sentence plainly runs on: the line
    before ends in a comma or an opening bracket, or already holds a clause break, or is a long
    wrapped line (not the first line, a headline), or the next line starts with a number or a mark
    that cannot start a sentence (8.8%。, ，)."""
    soft = []
    lines = text.split("\n")
    offset = 0
    for index, (line, following) in enumerate(zip(lines, lines[1:])):
        offset += len(line)
        body = line.rstrip()
        head = following.lstrip()
        ends = body[-1:] if body else ""
        runs_on = (ends in _OPEN_END
                   or (ends and ends not in _HARD_END and any(c in body for c in _CLAUSE_MARKS))
                   or (index > 0 and ends and ends not in _HARD_END and len(body.strip()) >= _MIN_WRAPPED_LINE)
                   or (ends and ends not in _HARD_END and head[:1] and (head[0].isdigit() or head[0] in _CONTINUES)))
        if (runs_on and head and not _HEADING_RE.match(following)
                and not is_clutter_line(line) and not is_clutter_line(following)):
            soft.append(offset)
        elif not head and ends and ends not in _HARD_END and not is_clutter_line(line):
            # Blank lines inside a sentence (营业收入完成\n\n312.6亿元): soft when the next line with text
            # goes on with a figure or a mark that cannot start a sentence.
            rest = next((other.lstrip() for other in lines[index + 2:] if other.strip()), "")
            if rest[:1] and (rest[0].isdigit() or rest[0] in _CONTINUES):
                blank = offset
                for other in lines[index + 1:]:
                    if other.strip():
                        break
                    soft.append(blank)
                    blank += len(other) + 1
        offset += 1
    return sorted(set(soft))


SHORT_TEXT = 64  # normalized views of names and spans up to this length are remembered


def normalized_view(text: str) -> str:
    """The view of `text` the pipeline reads: the same length, one character for each character
    (see the comment above)."""
    if len(text) <= SHORT_TEXT:
        return _short_view(text)
    return _view(text)


@lru_cache(maxsize=65536)
def _short_view(text: str) -> str:
    return _view(text)


def _view(text: str) -> str:
    if not text:
        return text
    # Numbers keep their ASCII separators: mark them, fold, then restore.
    chars = list(text.translate(_fold_table()))
    for match in _DIGIT_PUNCT_RE.finditer(unicodedata_fold_digits(text)):
        chars[match.start()] = match.group(0)
    for match in _SENTENCE_POINT_RE.finditer(text):
        chars[match.start()] = "。"
    for offset in _soft_breaks(text):
        chars[offset] = " "
    return _to_simplified("".join(chars))


_SIMPLIFIED_TABLE: dict[int, str] = {}  # str.translate table of every Han character seen so far


def _to_simplified(text: str) -> str:
    """`text` with each character in its simplified form of one character (_simplified)."""
    for char in set(text):
        if char >= "\u3400" and ord(char) not in _SIMPLIFIED_TABLE:
            _SIMPLIFIED_TABLE[ord(char)] = _simplified(char)
    return text.translate(_SIMPLIFIED_TABLE)


_FULL_TO_ASCII = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}


def unicodedata_fold_digits(text: str) -> str:
    """Full-width digits and punctuation to ASCII only (same length), to find numbers in any width."""
    return text.translate(_FULL_TO_ASCII)


# --- page clutter ------------------------------------------------------------------------------


def is_clutter_line(line: str) -> bool:
    """Whether a line is page clutter (cues.tsv, role clutter): navigation, credits, counters."""
    return _clutter_cue(line) is not None


CAPTION_MAX = 60  # characters of a photo caption line (大亚湾新兴产业园。记者张三 摄)


@lru_cache(maxsize=1)
def _caption_re() -> re.Pattern:
    """A short line ending in a photographer's credit (cues.tsv, caption_end): a photo caption."""
    credit = cue_re("caption_end").pattern
    return re.compile(f"^(?=.{{0,{CAPTION_MAX}}}$).*?(?:{credit})[）)\\s]*$")


def _clutter_cue(line: str) -> re.Match | None:
    """The first clutter cue of a line that is not blank; for a photo caption, the whole line."""
    if not line.strip():
        return None
    return _caption_re().match(line.strip()) or cue_re("clutter").search(line)


_CLUTTER_CUT_RE = re.compile(f"[{re.escape(SENTENCE_END_CHARS)}；;]")  # where clutter may start after


def clutter_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the page clutter of a text: from the first clutter cue of a line, or from the
    end of the last sentence before it on that line, to the end of the line. A release pasted as one
    line with its credits after the last sentence keeps its sentences."""
    spans = []
    offset = 0
    for line in text.split("\n"):
        cue = _clutter_cue(line)
        if cue is not None:
            ends = [m.end() for m in _CLUTTER_CUT_RE.finditer(line, 0, cue.start())]
            spans.append((offset + (ends[-1] if ends else 0), offset + len(line)))
        offset += len(line) + 1
    return spans


# --- script ------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _script_sets() -> tuple[frozenset, frozenset]:
    rows = read_table("script_chars.tsv")
    return frozenset(r["simplified"] for r in rows), frozenset(r["traditional"] for r in rows)


def is_traditional(text: str) -> bool:
    simplified, traditional = _script_sets()
    n_trad = sum(ch in traditional for ch in text)
    n_simp = sum(ch in simplified for ch in text)
    return n_trad >= 3 and n_trad > 2 * n_simp


