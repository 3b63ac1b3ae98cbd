"""A level stated after a change of the same indicator:

    在建亿元以上项目较上年同期减少2个，为46个。
    高新技术企业净增126家，达到682家。

A change (a VALUE with a change word before it) followed by a comma, a level word (cues.tsv,
level_after: 为, 达到, 总数达到 …) and a VALUE with no change word is the indicator's change and
level: the indicator is the nearest one before the change in its sentence, with only periods,
zones and figures between. These relations replace what the classifier found for those values.
"""

from __future__ import annotations

from ..text import Entity, change_cue_before, cue_re, sentence_index, sentence_starts

BETWEEN = frozenset({"PERIOD", "ZONE", "VALUE"})


def level_relations(entities: list[Entity], view: str) -> list[tuple[int, int, str]]:
    """(head index, child index, label) for each change followed by its level."""
    starts = sentence_starts(view)
    level_word = cue_re("level_after")
    out = []
    for i in range(len(entities) - 1):
        change, level = entities[i], entities[i + 1]
        if change.label != "VALUE" or level.label != "VALUE" or not change_cue_before(view, change.start):
            continue
        between = view[change.end:level.start]
        if between[:1] not in ("，", ",") or level_word.fullmatch(between[1:].strip()) is None:
            continue
        if change_cue_before(view, level.start):
            continue
        sentence = sentence_index(starts, change.start)
        for k in range(i - 1, -1, -1):
            entity = entities[k]
            if sentence_index(starts, entity.start) != sentence:
                break
            if entity.label == "INDICATOR":
                out += [(k, i, "HAS_CHANGE"), (k, i + 1, "HAS_VALUE")]
                break
            if entity.label not in BETWEEN:
                break
    return out
