"""Zones: a mention's canonical name and type, read off the data tables.

    canonical_zone("贵阳经开区", region="贵州") -> {"canonical": "贵阳经济技术开发区",
                                                  "zone_type": "national_etdz", "province": "贵州省"}

The rules are written in the header of gzie/data/zone_types.tsv: names and short forms of the
national lists (zones_national.tsv) first, then groups of zones (全省开发区 in a Guizhou release ->
贵州省开发区), then the longest known suffix, expanded (经开区 -> 经济技术开发区) and typed (national only
when the expanded name is on a national list). A bare suffix (开发区, 该区) refers back to a zone named
earlier: canonical and type are None, and the fact builder's zone scope resolves it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .resources import read_table
from .text import cue_re, cue_values, cue_words, normalized_view

NATIONAL_TYPES = frozenset({"national_etdz", "national_hitech", "ftz", "ftz_area", "national_new_area",
                            "border_cooperation"})
NATIONAL_LEVEL = ("国家级", "国家")
QUOTES_RE = re.compile(r"[“”\"]")
QUOTED_NAME_RE = re.compile(r"[\u3400-\u9fff]*(?:[“\"][\u3400-\u9fff]{1,4}[”\"][\u3400-\u9fff]*)?")  # 北流“两湾”产业园
MACRO_REGION = "macro_region"  # group_scope value of 东部地区, 中西部地区: a part of the country
GROUP_COUNT = "[0-9０-９一二三四五六七八九十百]+[家个]"  # the count inside a group (全省184个开发区)
COUNT_RE = re.compile(r"[0-9一二三四五六七八九十百零两]+[家个所]")
TRAILING_BRACKET_RE = re.compile(r"\([^()]*\)$")


def _normalise(mention: str) -> str:
    text = normalized_view(unicodedata.normalize("NFKC", mention)).replace("（", "(").replace("）", ")")
    text = "".join(text.split()).replace("“", "").replace("”", "").replace('"', "")
    return re.sub("[—–－~～]", "-", text)


@lru_cache(maxsize=1)
def _national() -> dict[str, list[dict]]:
    names: dict[str, list[dict]] = {}
    for row in read_table("zones_national.tsv"):
        for name in [row["name"], *filter(None, row["short_forms"].split("|"))]:
            names.setdefault(_normalise(name), []).append(row)
    return names


@lru_cache(maxsize=1)
def _suffixes() -> list[tuple[str, str, str]]:
    rows = [(_normalise(r["suffix"]), r["expansion"], r["zone_type"]) for r in read_table("zone_types.tsv")]
    return sorted(rows, key=lambda r: -len(r[0]))


def zone_suffixes() -> tuple[str, ...]:
    """The zone words of zone_types.tsv (经开区, 高新区, 开发区 …), normalised."""
    return tuple(suffix for suffix, _, _ in _suffixes())


@lru_cache(maxsize=1)
def zone_words_alternation() -> str:
    """A regex alternation of the zone words of two or more characters, longest first (高新区, 产业园;
    not 区 or 园, which end too many other words)."""
    words = sorted({w for w in zone_suffixes() if len(w) >= 2}, key=len, reverse=True)
    return "|".join(map(re.escape, words))


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Province short forms and names -> full province name."""
    out = {}
    for row in read_table("places.tsv"):
        if row["level"] == "province":
            for name in [row["name"], *filter(None, row["short_forms"].split("|"))]:
                out[name] = row["name"]
    return out


def _full_region(region: str | None) -> str | None:
    if not region:
        return None
    provinces = _provinces()
    if region in provinces:
        return provinces[region]
    for row in read_table("places.tsv"):
        if region in (row["name"], *row["short_forms"].split("|")):
            return row["name"]
    return region


def _pick(rows: list[dict], region: str | None) -> dict | None:
    if len(rows) == 1:
        return rows[0]
    province = _full_region(region)
    fitting = [r for r in rows if province and province.startswith(r["province"][:2])]
    return fitting[0] if len(fitting) == 1 else None


def is_bare(mention: str) -> bool:
    """A word that refers back to a zone named before (开发区, 园区, 该区, 全区): no zone of its own."""
    if _normalise(mention) in cue_words("bare_zone"):
        return True
    zone = canonical_zone(mention)
    return zone is not None and zone["canonical"] is None and zone["zone_type"] is None


def canonical_zone(mention: str, region: str | None = None) -> dict | None:
    """{"canonical", "zone_type", "province"} of a zone mention; `region` is the province or city of
    the release (it settles shared short forms and completes groups such as 全省开发区). None for an
    empty mention."""
    found = _canonical_zone(mention, region)
    return dict(found) if found is not None else None


@lru_cache(maxsize=65536)
def _canonical_zone(mention: str, region: str | None) -> tuple | None:
    found = _read_zone(mention, region)
    return tuple(found.items()) if found is not None else None


def _read_zone(mention: str, region: str | None = None) -> dict | None:
    text = _normalise(mention)
    if not text:
        return None
    national = _national()
    for candidate in (text, TRAILING_BRACKET_RE.sub("", text), text.replace("国家高新", "高新")):
        rows = national.get(candidate)
        if rows:
            row = _pick(rows, region)
            if row is None:
                return {"canonical": None, "zone_type": rows[0]["zone_type"], "province": None}
            return {"canonical": row["name"], "zone_type": row["zone_type"], "province": row["province"]}
    group = _group(text, region)
    if group is not None:
        return group
    stripped = TRAILING_BRACKET_RE.sub("", text)
    for suffix, expansion, zone_type in _suffixes():
        if not stripped.endswith(suffix):
            continue
        stem = stripped[:-len(suffix)]
        if not stem:
            return {"canonical": None, "zone_type": None, "province": None}
        name = stem + expansion
        if zone_type in NATIONAL_TYPES:
            rows = national.get(_normalise(name))
            if (not rows or rows[0]["zone_type"] != zone_type) and stem.endswith(NATIONAL_LEVEL):
                # 上海市国家级经济技术开发区: the national zones of a place, as written
                return {"canonical": stripped, "zone_type": zone_type, "province": _full_region(region)}
            if not rows or rows[0]["zone_type"] != zone_type:
                continue
            return {"canonical": rows[0]["name"], "zone_type": zone_type, "province": rows[0]["province"]}
        return {"canonical": name, "zone_type": zone_type, "province": _full_region(region)}
    return {"canonical": stripped, "zone_type": "other_park", "province": _full_region(region)}


# --- finding -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _national_re() -> re.Pattern:
    from .agencies import trie_regex

    names = {n for name in _national() for n in (name, name.replace("(", "（").replace(")", "）")) if len(n) >= 4}
    return re.compile(trie_regex(names))


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern:
    from .agencies import trie_regex

    suffixes = [s for s, _, _ in _suffixes() if len(s) >= 2 and s not in cue_words("bare_zone")]
    return re.compile(f"(?:{trie_regex(suffixes)})(?![\u3400-\u9fff]*?(?:{trie_regex(cue_words('zone_word'))}))")


@lru_cache(maxsize=1)
def _group_re() -> re.Pattern:
    from .agencies import trie_regex

    scopes = trie_regex(cue_words("group_scope"))
    heads = trie_regex(cue_words("group_head"))
    suffixes = trie_regex([s for s, _, _ in _suffixes()])
    return re.compile(f"(?:{scopes})(?:各类|各)?(?:{GROUP_COUNT})?(?:{heads})?(?:{suffixes})"
                      f"(?:（[\u3400-\u9fff]{{1,4}}）)?")


@lru_cache(maxsize=1)
def _headless_group_re() -> re.Pattern:
    from .agencies import trie_regex

    heads = trie_regex(cue_words("group_head"))
    suffixes = trie_regex([s for s, _, _ in _suffixes()])
    return re.compile(f"(?:(?:{GROUP_COUNT})(?:{heads})?|(?:{heads}))(?:{suffixes})")


def group_at(view: str, start: int) -> int | None:
    """The end of a group of zones named without a scope word at `start` (国家高新区, 13个综合保税区,
    省级以上开发区), or None: a group only where a clause starts, which the caller knows."""
    match = _headless_group_re().match(view, start)
    return match.end() if match is not None and is_group(match.group(0)) else None


def find_zones(view: str) -> list[tuple[int, int]]:
    """Spans of `view` that name a zone without the statistical model: a name or short form of the
    national lists (贵阳经开区, 苏州工业园区), a place name, up to four more characters (and the quotes
    of a quoted name: 北流“两湾”产业园) and a zone word (石门工业园区, 合肥新站高新技术产业开发区), or a
    group with its scope (全市各类开发区).
    Names the model finds better (sub-parks, zones named without a place) are left to it."""
    from .agencies import _place_prefix

    found = []
    for match in _national_re().finditer(view):
        if match.end() > match.start():
            found.append((_place_prefix(view, match.start()), match.end()))
    for match in _suffix_re().finditer(view):
        start = match.start()
        for size in range(0, 7):
            begin = start - size
            if begin < 0:
                break
            quotes = len(QUOTES_RE.findall(view, begin, start))
            if not QUOTED_NAME_RE.fullmatch(view, begin, start) or size - quotes > 4:
                continue  # inside a quoted name (两湾” of 北流“两湾”产业园), or more than four characters
            place = _place_prefix(view, begin)
            if place < begin and begin - place >= 2:
                found.append((place, match.end()))
                break
    for match in _group_re().finditer(view):
        if _group(_normalise(match.group(0)), None) is not None:
            found.append(match.span())  # 全市各类开发区, 全省184个开发区, 省级以上开发区
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(found), key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= a or start >= b for a, b in chosen) and not is_bare(view[start:end]):
            chosen.append((start, end))
    return sorted(chosen)


@lru_cache(maxsize=4096)
def is_group(mention: str) -> bool:
    """Whether a zone mention is a group of zones (全省开发区, 全国219家国家级经开区), not one zone."""
    return _group(_normalise(mention), None) is not None


@lru_cache(maxsize=4096)
def ends_in_zone_word(name: str, word: str) -> bool:
    """Whether a zone's name ends in a zone word or in its long form (西安经济技术开发区 and 经开区)."""
    name, word = _normalise(name), _normalise(word)
    forms = {word} | {expansion for suffix, expansion, _ in _suffixes() if suffix == word and expansion}
    return any(name.endswith(form) for form in forms)


def _group(text: str, region: str | None) -> dict | None:
    """A group of zones (全省开发区, 全国219家国家级经开区, 省级以上开发区): the region plus the group."""
    rest = TRAILING_BRACKET_RE.sub("", text)
    scope = cue_re("group_scope", "^").match(rest)
    scope = scope.group(0) if scope else None
    rest = rest[len(scope or ""):]
    count = COUNT_RE.match(rest)
    rest = rest[count.end():] if count else rest
    level = cue_re("group_head", "^").match(rest)
    if not (scope or count or level) or not rest:
        return None
    head = rest
    for suffix, expansion, zone_type in _suffixes():
        if head.endswith(suffix):
            head = head[:-len(suffix)] + expansion
            break
    level = level.group(0) if level else None
    if level in ("国家级", "国家") and head.endswith("高新技术产业开发区"):
        head = "国家" + head[len(level):]  # the official term is 国家高新区, not 国家级高新区
    zone_type = "other_park"
    if level in ("国家级", "国家") and head.endswith("经济技术开发区"):
        zone_type = "national_etdz"
    elif level in ("国家级", "国家") and head.endswith("高新技术产业开发区"):
        zone_type = "national_hitech"
    elif head.endswith("综合保税区"):
        zone_type = "comprehensive_bonded"
    elif head.endswith("自由贸易试验区"):
        zone_type = "ftz"
    elif level in ("省级", "市级"):
        zone_type = "provincial_development_zone"
    if scope == "全国" or cue_values("group_scope").get(scope) == MACRO_REGION:
        return {"canonical": scope + head, "zone_type": zone_type, "province": None}
    place = _full_region(region)
    if scope and (place is None or not _fits(cue_values("group_scope").get(scope), place)):
        return {"canonical": None, "zone_type": zone_type, "province": None}
    return {"canonical": (place or "") + head if place else None, "zone_type": zone_type,
            "province": place if place and _fits("province", place) else None}


@lru_cache(maxsize=1)
def _place_levels() -> dict[str, str]:
    return {row["name"]: row["level"] for row in read_table("places.tsv")}


def _fits(scope: str | None, place: str) -> bool:
    """Whether a place is of the kind a group's scope word needs (全省 a province, 全市 a city …)."""
    level = _place_levels().get(place)
    municipality = place in cue_words("municipality")
    if scope == "province":
        return level == "province" and (municipality or place.endswith("省"))
    if scope == "prefecture":
        return level == "prefecture" or municipality
    if scope == "autonomous_region":
        return level == "province" and not municipality and not place.endswith("省")
    if scope == "county":
        return level == "county"
    return scope is None
