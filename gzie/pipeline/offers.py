"""Policy offers: the amount a zone gives and what it gives it as (guidelines 8.8).

    给予最高500万元奖励            -> INDICATOR 奖励, HAS_VALUE 500万元
    每年给予不超过200万元的租金补贴  -> INDICATOR 租金补贴
    每家最多补助200万元            -> INDICATOR 补助

An offer word (cues.tsv, offer_word: 奖励, 补贴, 补助, 资助 …) right after a VALUE (with an optional
的 and up to four characters that name the offer: 安家补贴, 资金支持) or right before one (with
only a qualifier between: 最多补助200万元) is the INDICATOR of that value. Eligibility thresholds
(对研发投入超过1000万元的企业) are not offers: the rules drop them as VALUEs (gzie_rules).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..agencies import trie_regex
from ..text import Entity, cue_words, longest_suffix

HAN = "\u3400-\u9fff"
MAX_NAME = 4  # characters of an offer's name before the offer word (安家补贴, 一次性落户奖励)


@lru_cache(maxsize=1)
def _after_re() -> re.Pattern:
    words = trie_regex(cue_words("offer_word"))
    return re.compile(f"的?(?P<name>[{HAN}]{{0,{MAX_NAME}}}?(?:{words}))(?![{HAN}])")


@lru_cache(maxsize=1)
def _before_re() -> re.Pattern:
    words = trie_regex(cue_words("offer_word"))
    return re.compile(f"(?:{words})$")


def find_offers(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """INDICATOR spans of the offers next to the given VALUE spans (character offsets in `view`)."""
    found = []
    for start, end in values:
        after = _after_re().match(view, end)
        if after is not None:
            found.append(after.span("name"))
            continue
        before = view[max(0, start - 8):start]
        qualifier = longest_suffix(before, cue_words("qualifier_before")) or ""
        word = _before_re().search(before[:len(before) - len(qualifier)])
        if word is not None:
            offset = start - len(qualifier) - (len(word.group(0)))
            found.append((offset, offset + len(word.group(0))))
    return found


def offer_relations(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """(INDICATOR index, VALUE index, HAS_VALUE) for each offer next to its value."""
    out = []
    for i, entity in enumerate(entities):
        if entity.label != "VALUE":
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(entities) and entities[j].label == "INDICATOR" and \
                    (entities[j].start, entities[j].end) in find_offers(view, [(entity.start, entity.end)]):
                out.append((j, i, "HAS_VALUE"))
                break
    return out
