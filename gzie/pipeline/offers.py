"""Policy offers: the amount a zone gives and what it gives it as (guidelines 8.8).

    给予最高500万元奖励            -> INDICATOR 奖励, HAS_VALUE 500万元
    每年给予不超过200万元的租金补贴  -> INDICATOR 租金补贴
    每家最多补助200万元            -> INDICATOR 补助

An offer word (cues.tsv, offer_word: 奖励, 补贴, 补助, 资助 …) right after a VALUE (with an optional
的 and up to four characters that name the offer: 安家补贴, 资金支持) or right before one (with
only a qualifier between: 最多补助200万元) is the INDICATOR of that value; a giving verb (给予) is
never part of the name. Eligibility thresholds
(对研发投入超过1000万元的企业) are not offers: the rules drop them as VALUEs (gzie_rules).
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..agencies import trie_regex
from ..text import SENTENCE_END_CHARS, SENTENCE_END_RE, Entity, clause_start, cue_words, longest_suffix

HAN = "\u3400-\u9fff"
MAX_NAME = 4  # characters of an offer's name before the offer word (安家补贴, 一次性落户奖励)


@lru_cache(maxsize=1)
def _after_re() -> re.Pattern:
    words = trie_regex(cue_words("offer_word"))
    return re.compile(f"的?(?P<name>[{HAN}]{{0,{MAX_NAME}}}?(?:{words}))(?![{HAN}])")


@lru_cache(maxsize=1)
def _before_re() -> re.Pattern:
    words = trie_regex(cue_words("offer_word"))
    attributes = trie_regex(cue_words("offer_attribute"))
    return re.compile(f"(?:{attributes})?(?:{words})$")


def _after_verbs(view: str, start: int, end: int) -> tuple[int, int]:
    """The offer's name without a giving verb caught in front of it (3%给予奖励 -> 奖励)."""
    for verb in cue_words("offer_verb"):
        found = view.rfind(verb, start, end)
        if found >= 0 and found + len(verb) < end:
            start = found + len(verb)
    return start, end


def _named_after_verb(view: str, start: int) -> int:
    """Where an offer's name starts when a giving verb stands up to MAX_NAME characters before its
    offer word (发放人才补贴2860万元 -> 人才补贴), else `start`."""
    lead = max(0, start - MAX_NAME - 2)
    name_start, _ = _after_verbs(view, lead, start)
    if name_start > lead and re.fullmatch(f"[{HAN}]{{1,{MAX_NAME}}}", view[name_start:start]):
        return name_start
    return start


def find_offers(view: str, values: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """INDICATOR spans of the offers next to the given VALUE spans (character offsets in `view`)."""
    found = []
    for start, end in values:
        after = _after_re().match(view, end)
        if after is not None:
            found.append(_after_verbs(view, *after.span("name")))
            continue
        before = view[max(0, start - 8):start]
        qualifier = longest_suffix(before, cue_words("qualifier_before")) or ""
        word = _before_re().search(before[:len(before) - len(qualifier)])
        if word is not None:
            offset = start - len(qualifier) - (len(word.group(0)))
            found.append((_named_after_verb(view, offset), offset + len(word.group(0))))
    return found


CLAUSE_MARKS = "，,；;" + SENTENCE_END_CHARS  # where a cap's clause begins (commas, not colons)


def offer_relations(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """(INDICATOR index, VALUE index, HAS_VALUE) for each offer next to its value, and for the cap
    of each unit in a clause of its own after the offer (给予补贴，每家企业最高100万元)."""
    out = []
    for i, entity in enumerate(entities):
        if entity.label != "VALUE":
            continue
        for j in (i + 1, i - 1):
            if 0 <= j < len(entities) and entities[j].label == "INDICATOR" and \
                    (entities[j].start, entities[j].end) in find_offers(view, [(entity.start, entity.end)]):
                out.append((j, i, "HAS_VALUE"))
                break
        else:
            offer = _offer_before_cap(entities, i, view)
            if offer is not None:
                out.append((offer, i, "HAS_VALUE"))
    return out


def _offer_before_cap(entities: list[Entity], i: int, view: str) -> int | None:
    """The offer a per-unit cap belongs to: the VALUE's clause opens with a per-unit word (每家企业每年
    最高50万元) and holds no INDICATOR; the offer is the last INDICATOR ending in an offer word before
    it in the sentence."""
    value = entities[i]
    clause = clause_start(view, value.start, CLAUSE_MARKS)
    if not any(view.startswith(word, clause) for word in cue_words("per_unit")):
        return None
    for j in range(i - 1, -1, -1):
        entity = entities[j]
        if SENTENCE_END_RE.search(view, entity.end, value.start):
            return None
        if entity.label == "INDICATOR":
            if entity.start >= clause:
                return None
            return j if longest_suffix(view[entity.start:entity.end], cue_words("offer_word")) else None
    return None
