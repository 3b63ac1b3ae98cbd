"""Regex span finders built from the rule tables (finder_lexicon.tsv, finder_patterns.tsv).

Finding spans is separate from resolving them: this module only says where a VALUE,
PERIOD, POLICY or AGENCY is; gzie.normalize says what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..agencies import find_agencies
from ..resources import read_table
from ..zones import find_zones

PLACEHOLDER_RE = re.compile(r"\{([a-z_]+)\}")
BUILDING_BLOCK = "_"


@dataclass(frozen=True)
class FoundSpan:
    start: int
    end: int
    label: str
    pattern: str


def _alternation(words: list[str]) -> str:
    # Longest first, so that 亿元 is preferred to 元 at the same position.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=None)
def compiled_patterns() -> tuple[tuple[str, str, re.Pattern], ...]:
    lexicon: dict[str, list[str]] = {}
    for row in read_table("finder_lexicon.tsv"):
        lexicon.setdefault(row["placeholder"], []).append(row["surface"])
    blocks = {name: f"(?:{_alternation(words)})" for name, words in lexicon.items()}

    def expand(template: str) -> str:
        def replace(match: re.Match) -> str:
            name = match.group(1)
            if name not in blocks:
                raise KeyError(f"finder pattern uses unknown placeholder {{{name}}}")
            return blocks[name]

        return PLACEHOLDER_RE.sub(replace, template)

    patterns = []
    for row in read_table("finder_patterns.tsv"):
        regex = expand(row["pattern"])
        if row["label"] == BUILDING_BLOCK:
            blocks[row["name"]] = f"(?:{regex})"
        else:
            patterns.append((row["label"], row["name"], re.compile(regex)))
    return tuple(patterns)


def find_all(text: str) -> list[FoundSpan]:
    """Every match of every pattern, overlapping ones included."""
    found = []
    for label, name, regex in compiled_patterns():
        for match in regex.finditer(text):
            start, end = match.span("span") if "span" in regex.groupindex else match.span()
            if end > start:
                found.append(FoundSpan(start, end, label, name))
    return found


def longest_non_overlapping(spans: list[FoundSpan]) -> list[FoundSpan]:
    """Greedy filter: longer spans first, then earlier ones; the result is sorted by position."""
    chosen: list[FoundSpan] = []
    taken: set[int] = set()
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.intersection(range(span.start, span.end)):
            chosen.append(span)
            taken.update(range(span.start, span.end))
    return sorted(chosen, key=lambda s: s.start)


@lru_cache(maxsize=64)
def find_spans(text: str) -> tuple[FoundSpan, ...]:
    """The spans of the pattern tables, of the state-organ gazetteer (gzie.agencies) and of the zone
    finder (gzie.zones), longest first."""
    found = find_all(text) + [FoundSpan(start, end, "AGENCY", "gazetteer") for start, end in find_agencies(text)]
    found += [FoundSpan(start, end, "ZONE", "zone_name") for start, end in find_zones(text)]
    return tuple(longest_non_overlapping(found))  # cached: gzie.api reads them before gzie_rules does
