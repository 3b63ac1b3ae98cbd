"""Indicators: a canonical id for the name an INDICATOR span gives, read off the data tables.

    indicator_id("规上工业总产值") -> "industrial_output_above_scale"

indicators.tsv lists the measures (id, Chinese and English name, kind, unit) and
indicator_aliases.tsv the surface forms that name each. Matching (pinned by
tests/specs/indicators.jsonl): normalise (traditional to simplified, full to half width, no spaces,
straight quotes); look the form up; then without brackets and quotes; then without leading scope
words (开发区, 全省 … cues.tsv, role indicator_scope), repeatedly; then without one trailing 额, 数,
总额 … (role indicator_tail). A prefix that is no scope word blocks the fallbacks: 制造业实际使用外资 is
a sub-measure and stays unknown (None).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .resources import read_table
from .text import cue_words, longest_prefix, normalized_view

QUOTES_RE = re.compile(r"[“”‘’\"'「」『』《》]")
BRACKETS_RE = re.compile(r"[(（][^()（）]*[)）]")


def normalise(surface: str) -> str:
    text = normalized_view(unicodedata.normalize("NFKC", surface))
    text = text.replace("（", "(").replace("）", ")")
    return "".join(text.split())


@lru_cache(maxsize=1)
def _aliases() -> dict[str, str]:
    return {normalise(row["surface"]): row["indicator_id"] for row in read_table("indicator_aliases.tsv")}


@lru_cache(maxsize=1)
def indicator_table() -> dict[str, dict]:
    """id -> row of indicators.tsv (name_zh, name_en, kind, unit, description)."""
    return {row["id"]: row for row in read_table("indicators.tsv")}


def indicator_id(surface: str) -> str | None:
    """The canonical id of an indicator's name, or None when it names no listed measure."""
    aliases = _aliases()
    text = normalise(surface)
    bare = QUOTES_RE.sub("", text)
    for candidate in (text, QUOTES_RE.sub("", text), BRACKETS_RE.sub("", bare)):
        if candidate in aliases:
            return aliases[candidate]
    candidate = BRACKETS_RE.sub("", bare)
    scopes = cue_words("indicator_scope")
    while True:
        scope = longest_prefix(candidate, scopes)
        if not scope or len(scope) == len(candidate):
            break
        candidate = candidate[len(scope):]
        if candidate in aliases:
            return aliases[candidate]
    for tail in sorted(cue_words("indicator_tail"), key=len, reverse=True):
        if candidate.endswith(tail) and candidate[:-len(tail)] in aliases:
            return aliases[candidate[:-len(tail)]]
    return None


# --- finding -----------------------------------------------------------------------------------

FIGURE_GAP_RE = re.compile(r"[^，,；;。！？!?：:\n]{0,8}")


@lru_cache(maxsize=1)
def _names_re() -> re.Pattern:
    from .agencies import trie_regex

    names = [name for name in _aliases() if len(name) >= 2 and not QUOTES_RE.search(name)]
    return re.compile(trie_regex(names))


def find_indicators(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of `view` that name a listed measure (indicator_aliases.tsv) and are followed, in the
    same clause and within a few characters, by one of `values` (VALUE spans): an indicator is the
    quantity a figure measures (guidelines), so a name without a figure is none."""
    starts = sorted(start for start, _ in values)
    found = []
    position = 0
    while (match := _names_re().search(view, position)) is not None:
        start, end = match.span()
        position = max(end, start + 1)
        if end == start:
            continue
        gap = FIGURE_GAP_RE.match(view, end)
        limit = gap.end() if gap else end
        if any(end <= s <= limit for s in starts):
            found.append((start, end))
    return found
