"""State organs: finding them by name and linking them to their full official names.

The tables are data (gzie/data): agencies_central.tsv (central organs, their short and former
names), agency_departments.tsv (the standard departments of local governments by level, their
short forms and name templates), places.tsv (provinces, prefectures, counties) and
foreign_states.tsv (a prefix that makes an organ foreign). Finding and linking are separate steps:

    find_agencies(view)                  -> [(start, end)]   spans that name a state organ
    link_agency(surface, places, date)   -> {"canonical", "level", "region"} or None

Precedence when the rules and the statistical recognizer disagree is in gzie_rules (an AGENCY rule
span wins an overlap and stands alone). A local organ named by a level word only (省商务厅, 市财政局,
县政府) takes its place from the document: an explicit region, else the places the text names
(the nearest one of that level before the mention, else the first in the document).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .resources import read_table
from .text import cue_re, cue_values, cue_words

HAN = "\u3400-\u9fff"
PLACE_LEVELS = {"province": "provincial", "prefecture": "prefecture", "county": "county"}
EXCLUDED_KINDS = frozenset({"military"})
# Kinds that are state organs whatever their name ends in (中国人民银行 ends like a bank).
ORGAN_KINDS = frozenset({"constituent_department", "state_council", "special_organisation", "national_bureau"})
MAX_BARE_NAME = 6  # a zone body named without a zone word (松山湖管委会): at most this many characters
SHORT_NAME = 3  # central names this short need a boundary before them (商务部 in 电子商务部门 is none)
MAX_ZONE_NAME = 14


def _level_words() -> dict[str, str]:
    """Words naming an administrative level (cues.tsv, role level_word) -> the level."""
    return cue_values("level_word")


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: str  # province, prefecture, county
    parent: str | None


@dataclass(frozen=True)
class Department:
    name: str  # full standard name, or a template with {place}
    level: str  # provincial, prefecture, county, township, zone
    central: str


@dataclass
class _Tables:
    places: dict[str, Place]                      # code -> place
    place_names: dict[str, list[Place]]           # full name or short form -> places
    central: dict[str, dict]                      # name or short form -> central row
    central_rows: dict[str, list[dict]]           # name or short form -> every central row it names
    central_by_id: dict[str, dict]                # id -> central row
    departments: dict[str, list[Department]]      # suffix (full or short, no {place}) -> departments
    templates: list[tuple[re.Pattern, Department]]
    template_words: list[tuple[str, str]]         # the words before and after {place}, per template
    foreign: frozenset[str]
    suffix_re: re.Pattern = field(default=None)
    central_re: re.Pattern = field(default=None)


def trie_regex(words) -> str:
    """A regular expression matching any of `words`, built as a trie (fast to match, longest first)."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


@lru_cache(maxsize=1)
def tables() -> _Tables:
    places: dict[str, Place] = {}
    place_names: dict[str, list[Place]] = {}
    for row in read_table("places.tsv"):
        place = Place(row["code"], row["name"], row["level"], row["parent"] or None)
        places[place.code] = place
        for name in [row["name"], *filter(None, row["short_forms"].split("|"))]:
            place_names.setdefault(name, []).append(place)
    central: dict[str, dict] = {}
    central_rows: dict[str, list[dict]] = {}
    central_by_id: dict[str, dict] = {}
    not_agency = cue_re("not_agency_end", "$")
    for row in read_table("agencies_central.tsv"):
        if row["kind"] in EXCLUDED_KINDS or (not_agency.search(row["name"]) and row["kind"] not in ORGAN_KINDS):
            continue
        for name in [row["name"], *filter(None, row["short_forms"].split("|"))]:
            central.setdefault(name, row)
            central_rows.setdefault(name, []).append(row)
        central_by_id[row["id"]] = row
    departments: dict[str, list[Department]] = {}
    templates: list[tuple[re.Pattern, Department]] = []
    template_words: list[tuple[str, str]] = []
    for row in read_table("agency_departments.tsv"):
        department = Department(row["name"], row["level"], row["central"])
        for name in [row["name"], *filter(None, row["short_forms"].split("|"))]:
            if "{place}" in name:
                before, after = name.split("{place}", 1)
                pattern = re.compile(re.escape(before) + f"(?P<place>[{HAN}]{{1,12}}?)" + re.escape(after))
                templates.append((pattern, department))
                template_words.append((before, after))
            else:
                departments.setdefault(name, []).append(department)
    foreign = frozenset(row["name"] for row in read_table("foreign_states.tsv"))
    result = _Tables(places, place_names, central, central_rows, central_by_id, departments, templates,
                     template_words, foreign)
    result.suffix_re = re.compile(trie_regex(departments))
    result.central_re = re.compile(trie_regex(central))
    return result


def central_names() -> dict[str, dict]:
    """Names and short forms of the central organs (agencies_central.tsv) -> their rows."""
    return tables().central


# --- finding -----------------------------------------------------------------------------------


def _place_prefix(view: str, end: int) -> int:
    """The start of the run of place names and level words that ends at `end` (== end if none)."""
    t = tables()
    start = end
    longest = 12
    while start > 0:
        for size in range(min(longest, start), 0, -1):
            word = view[start - size:start]
            if word in _level_words() or (size > 1 and word in t.place_names and (
                    word not in cue_words("place_needs_level") or _own_level_at(view, start, word))):
                start -= size
                break
        else:
            break
    return start


def _level_at(view: str, offset: int) -> bool:
    return any(view.startswith(word, offset) for word in _level_words())


def _own_level_at(view: str, offset: int, word: str) -> bool:
    """Whether the level word of the place named `word` follows (会同县, not 会同省发改委)."""
    return any(view.startswith(place.name[len(word):], offset) for place in tables().place_names[word]
               if place.name.startswith(word) and len(place.name) > len(word))


def _lead_ok(view: str, start: int) -> bool:
    """Whether an organ's name may begin at `start`: after a non-Han character or a lead word."""
    return start == 0 or not re.match(f"[{HAN}]", view[start - 1]) or view[start - 1] in cue_words("organ_lead")


def _foreign_before(view: str, start: int) -> bool:
    t = tables()
    return any(view[max(0, start - size):start] in t.foreign for size in range(2, 8))


def find_agencies(view: str) -> list[tuple[int, int]]:
    """Spans of `view` (the normalized text) that name a state organ: a central organ by a name or
    short form, a local department behind a place name or level word, a template (国家税务总局
    贵州省税务局), a zone body (合肥高新区管委会). Longest first; spans never overlap."""
    t = tables()
    found: list[tuple[int, int]] = []
    for match in t.central_re.finditer(view):
        start, end = match.span()
        if end > start and not _foreign_before(view, start) and (
                end - start > SHORT_NAME or _lead_ok(view, start) or _place_prefix(view, start) < start):
            found.append((start, _with_subunit(view, end)))
    for match in t.suffix_re.finditer(view):
        start, end = match.span()
        if end == start:
            continue
        prefix = _zone_prefix(view, _township_start(view, _place_prefix(view, start)), start)
        if prefix < start and _generic(view, prefix, start):
            continue  # 各区市商务局, 县市区人民政府: every such organ, none named
        if prefix < start and not _foreign_before(view, prefix):
            found.append((prefix, _with_subunit(view, end)))
        elif end - start >= SHORT_NAME and _lead_ok(view, start) and _agent_after(view, end):
            found.append((start, end))  # 国资委有关负责人表示: a bare department speaking
    for (pattern, _), words in zip(t.templates, t.template_words):
        if not all(word in view for word in words):
            continue  # a plain substring test first: most templates' words are not in a given text
        for match in pattern.finditer(view):
            place = match.group("place")
            if is_place_run(place) and _lead_ok(view, match.start()):
                found.append(match.span())
    found += find_zone_bodies(view)
    found += _find_named_units(view)
    for match in _bare_body_alone_re().finditer(view):
        generic = match.start() and view[match.start() - 1] in cue_words("generic_before")
        governed = name_breaker_re().search(view[max(0, match.start() - 2):match.start()]) is not None
        if (_lead_ok(view, match.start()) or governed) and not generic:
            found.append(match.span())  # 管委会 alone: the zone's body in a release about one zone
    return _longest(found)


@lru_cache(maxsize=1)
def _bare_body_alone_re() -> re.Pattern:
    return re.compile(f"(?:{trie_regex(cue_words('bare_zone_body'))})")


def _zone_prefix(view: str, prefix: int, start: int) -> int:
    """A department of a zone (经开区投资促进局, 太原高新区统计局): the level word 区 before the
    department ends a zone's name; the name, with any place before it, belongs to the organ."""
    for size in range(min(8, start), 1, -1):
        word = view[start - size:start]
        if word in _zone_suffixes():
            name = _zone_name_start(view, start - size)
            return min(prefix, _place_prefix(view, name) if name < start - size else start - size)
    return prefix


@lru_cache(maxsize=1)
def _zone_suffixes() -> frozenset[str]:
    return frozenset(row["suffix"] for row in read_table("zone_types.tsv"))


def _generic(view: str, prefix: int, start: int) -> bool:
    """Whether an organ's name stands for every organ of a kind: after 各, or with a run of two or
    more level words and no place name (区市, 县市区, 市州)."""
    if prefix > 0 and view[prefix - 1] in cue_words("generic_before"):
        return True
    run = view[prefix:start]
    levels = 0
    while run:
        word = next((w for w in sorted(_level_words(), key=len, reverse=True) if run.startswith(w)), None)
        if word is None:
            return False
        levels += 1
        run = run[len(word):]
    return levels >= 2


def _agent_after(view: str, end: int) -> bool:
    """Whether the words after `end` make the name before them the agent (负责人, 表示, 联合 …)."""
    return agent_after_re().match(view, end) is not None


@lru_cache(maxsize=1)
def agent_after_re() -> re.Pattern:
    return re.compile(trie_regex(cue_words("agent_after")))


@lru_cache(maxsize=1)
def _named_unit_re() -> re.Pattern:
    townships = trie_regex(cue_words("township_word"))
    bodies = trie_regex(cue_words("bare_zone_body"))
    stations = trie_regex(cue_words("named_unit"))
    government = trie_regex(cue_words("township_government"))
    return re.compile(f"(?P<town>(?:{townships})(?P<gov>{government})?)"
                      f"|(?:（[{HAN}]{{1,4}}）)?(?P<body>{bodies})|(?P<unit>{stations})")


def _find_named_units(view: str) -> list[tuple[int, int]]:
    """Organs named by their own short name, without a place before them: a township's government
    where it acts (虎门镇相关负责人介绍, 北山街道联合…), a police station (北山派出所), a zone body
    without a zone word (松山湖管委会). The name is the shortest run of 2 to 4 Han characters (6
    for a zone body) before the word that begins at a boundary (not inside another word)."""
    found = []
    for match in _named_unit_re().finditer(view):
        kind = "town" if match.group("town") else "body" if match.group("body") else "unit"
        end = match.end()
        if kind == "town" and not match.group("gov") and not _agent_after(view, end):
            continue  # a bare 虎门镇 is a place unless it acts or is named as a government
        longest = MAX_BARE_NAME if kind == "body" else 4
        name_end = match.start()
        # A name never holds a verb that governs the organ (代表管委会, 加强管委会, 按照…): it starts after one.
        breaker = name_breaker_re().search(view[max(0, name_end - longest):name_end])
        after_breaker = None
        if breaker is not None:
            after_breaker = max(0, name_end - longest) + breaker.end()
            longest = name_end - after_breaker
        for begin in range(name_end - 2, max(-1, name_end - longest - 1), -1):
            if not re.fullmatch(f"[{HAN}]+", view[begin:name_end]):
                break
            if (_lead_ok(view, begin) or begin == after_breaker) and not _foreign_before(view, begin):
                found.append((_place_prefix(view, begin), end))
                break
    return found


@lru_cache(maxsize=1)
def name_breaker_re() -> re.Pattern:
    words = trie_regex(cue_words("name_breaker"))
    return re.compile(f"(?:{words})(?!.*(?:{words}))")


def _township_start(view: str, start: int) -> int:
    """A run starting with 镇/乡/街道 names a township: take in the township's own name (2 to 4 Han
    characters, not in places.tsv) and the places before it (安吉县天荒坪镇)."""
    for word in cue_words("township_word"):
        if view.startswith(word, start):
            name = start
            while (name > max(0, start - 4) and re.match(f"[{HAN}]", view[name - 1])
                   and view[name - 1] not in cue_words("organ_lead")):
                name -= 1
                if start - name >= 2 and _place_prefix(view, name) < name:
                    break  # the township's own name has two characters at least (文安驿镇 holds 文安)
            if start - name >= 2:
                return _place_prefix(view, name)
            return start
    return start


def _with_subunit(view: str, end: int) -> int:
    """The end of an organ's name with a unit inside it that follows (公安局天河区分局, 派出所)."""
    while (match := subunit_re().match(view, end)) is not None and match.end() > end:
        end = match.end()
    return end


@lru_cache(maxsize=1)
def subunit_re() -> re.Pattern:
    places = trie_regex(n for n in tables().place_names if len(n) >= 2)
    units = trie_regex(cue_words("agency_subunit"))
    return re.compile(f"(?:(?:{places})|[{HAN}]{{2,4}}?)?(?:{units})")


def is_place_run(text: str) -> bool:
    """Whether text is a run of place names and level words (贵州省, 市) and nothing else."""
    return _place_prefix(text, len(text)) == 0



def find_zone_bodies(view: str) -> list[tuple[int, int]]:
    """Zone bodies: a zone's name (ending in a zone word) followed by 管委会, 党工委 …"""
    found = []
    for match in zone_body_re().finditer(view):
        start = _zone_name_start(view, match.start())
        if start is not None and match.start("body") - start >= 2:
            found.append((start, match.end()))
    return found


@lru_cache(maxsize=1)
def zone_body_re() -> re.Pattern:
    suffixes = [row["suffix"] for row in read_table("zone_types.tsv")]
    bodies = [row["word"] for row in read_table("cues.tsv") if row["role"] == "zone_body"]
    return re.compile(f"(?:{trie_regex(suffixes)})(?P<body>{trie_regex(bodies)})")


def _zone_name_start(view: str, end: int) -> int:
    """The start of a zone's name whose zone word (开发区, 高新区 …) starts at `end`: back over Han
    characters (and brackets) to a non-Han character or a lead word (据, 由 …), at most
    MAX_ZONE_NAME characters."""
    start = end
    while start > max(0, end - MAX_ZONE_NAME):
        char = view[start - 1]
        if not re.match(f"[{HAN}（）()·]", char) or char in cue_words("zone_lead"):
            break
        start -= 1
    names = tables().place_names
    # A place name inside the run starts the zone's name (按照潍坊高新区 -> 潍坊高新区); the latest one.
    named = [i for i in range(start + 1, end - 1)
             if any(view[i:i + size] in names for size in range(2, min(8, end - i) + 1))]
    if named:
        return named[-1]
    # A lead word may be the first character of a place name (合肥): keep the place whole.
    for back in (1, 2):
        if start - back >= 0 and any(view[start - back:start - back + size] in names
                                     for size in range(back + 1, min(8, end - start + back) + 1)):
            start -= back
            break
    return start


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return sorted(chosen)


# --- linking -----------------------------------------------------------------------------------


class DocumentPlaces:
    """The places a document names, by offset, and its explicit region: what a level word (省, 市,
    县) in an organ's name refers to."""

    def __init__(self, view: str, region: str | None = None):
        t = tables()
        self.mentions: list[tuple[int, list[Place]]] = []
        for start, end in _find_place_names(view):
            name = view[start:end]
            places = [p for p in t.place_names[name] if _reliable_mention(name, p)]
            if places and (len(places) == 1 or end - start >= 3):
                self.mentions.append((start, places))
        self.mentions = _disambiguate(self.mentions, region)
        self.offsets = [m[0] for m in self.mentions]
        self.region = _region_place(region)
        self.view = view
        self.zones: list[tuple[int, dict]] = []  # (offset, canonical zone) of the zones named, set by the caller

    def township_before(self, offset: int, word: str) -> str | None:
        """The name of the nearest township (天荒坪 of 天荒坪镇) named before `offset`."""
        found = None
        for match in re.finditer(re.escape(word), self.view[:offset]):
            at = match.start()
            for size in (2, 3, 4):
                begin = at - size
                if begin < 0 or not re.fullmatch(f"[{HAN}]+", self.view[begin:at]):
                    break
                before = self.view[begin - 1] if begin else ""
                if (not re.match(f"[{HAN}]", before) or before in cue_words("organ_lead")
                        or _level_at(self.view, begin - 1) or _place_prefix(self.view, begin) < begin):
                    found = self.view[begin:at]
                    break
        return found

    def zone_near(self, offset: int) -> dict | None:
        """The canonical zone named nearest before `offset` (else the first after it): what a bare
        zone body (园区管委会) belongs to."""
        before = [z for start, z in self.zones if start < offset]
        after = [z for start, z in self.zones if start >= offset]
        return before[-1] if before else after[0] if after else None

    def city_before(self, offset: int, suffix: str) -> Place | None:
        """The nearest place before `offset` whose name ends in `suffix` (市, 县, 区), any level."""
        for start, place in reversed(self.mentions):
            if start < offset and place.name.endswith(suffix):
                return place
        return None

    def county_or_city(self, offset: int) -> Place | None:
        """The county meant at `offset`, else the city (a township under a city without counties: 东莞)."""
        return self.of_level("county", offset) or self.of_level("prefecture", offset)

    def of_level(self, level: str, offset: int) -> Place | None:
        """The place of a level (province, prefecture, county) meant at `offset`: the nearest
        mention before it (or a place above one of that level), else the explicit region."""
        k = bisect.bisect_left(self.offsets, offset)
        ordered = [p for _, p in reversed(self.mentions[:k])] + [p for _, p in self.mentions[k:]]
        if self.region is not None:
            ordered = ordered[:1] + [self.region] + ordered[1:] if ordered else [self.region]
        for place in ordered:
            found = _ancestor_of_level(place, level)
            if found is not None:
                return found
        return None


def _disambiguate(mentions: list[tuple[int, list[Place]]], region: str | None) -> list[tuple[int, Place]]:
    """One place per mention: where a name has several (南山区 of 深圳 and of 鹤岗), the one under a
    place the document names unambiguously, or under the region."""
    t = tables()
    anchors = {places[0].code for _, places in mentions if len(places) == 1}
    if region and region in t.place_names:
        anchors.update(p.code for p in t.place_names[region])

    def ancestors(place: Place) -> set[str]:
        codes, current = set(), place
        while current is not None and current.parent:
            codes.add(current.parent)
            current = t.places.get(current.parent)
        return codes

    out = []
    for start, places in mentions:
        fitting = [p for p in places if ancestors(p) & anchors] if len(places) > 1 else places
        out.append((start, (fitting or places)[0]))
    return out


def _reliable_mention(name: str, place: Place) -> bool:
    """Whether a place name in running text surely names the place: its full name, a province's or
    prefecture's short form, or any short form of three characters or more (公安, 富裕 are words)."""
    return name == place.name or place.level in ("province", "prefecture") or len(name) >= 3


def _find_place_names(view: str) -> list[tuple[int, int]]:
    return [m.span() for m in place_re().finditer(view) if m.end() > m.start()]


@lru_cache(maxsize=1)
def place_re() -> re.Pattern:
    names = [n for n in tables().place_names if len(n) >= 2]
    return re.compile(trie_regex(names))


def _region_place(region: str | None) -> Place | None:
    if not region:
        return None
    places = tables().place_names.get(region)
    return places[0] if places else None


def _ancestor_of_level(place: Place, level: str) -> Place | None:
    t = tables()
    current: Place | None = place
    while current is not None:
        if current.level == level or (level == "prefecture" and current.name in cue_words("municipality")):
            return current
        current = t.places.get(current.parent) if current.parent else None
    return None


def _full_place_name(place: Place) -> str:
    """The name an organ of the place carries: a district's name follows its city's (杭州市余杭区)."""
    t = tables()
    if place.level == "county" and place.name.endswith("区") and place.parent:
        parent = t.places.get(place.parent)
        if parent is not None and (parent.level == "prefecture" or parent.name in cue_words("municipality")):
            return parent.name + place.name
    return place.name


def link_agency(surface: str, places: DocumentPlaces | None = None, offset: int = 0,
                date: str | None = None) -> dict | None:
    """{"canonical", "level", "region"} for the name of a state organ, or None when it is unknown.
    `surface` is read as the normalized view; `places` gives the document's places and `date`
    (ISO) picks among former names (国家计委 was 国家发展计划委员会 in 1998-2003)."""
    base, unit = _split_subunit(surface)
    linked = _link_base(base, places, offset, date)
    if linked is not None and unit:
        linked = dict(linked, canonical=linked["canonical"] + unit)
    return linked


@lru_cache(maxsize=65536)
def _split_subunit(surface: str) -> tuple[str, str]:
    """An organ's name and the units inside it that follow (广州市公安局 + 天河区分局); a pure
    function of the name, so names that repeat are split once."""
    t = tables()
    for cut in range(1, len(surface)):
        head, tail = surface[:cut], surface[cut:]
        if (head in t.central or _link_base(head, None, 0, None) is not None) and \
                _with_subunit(surface, cut) == len(surface):
            return head, tail
    return surface, ""


@lru_cache(maxsize=65536)
def _template_matches(surface: str) -> tuple[tuple[Department, str], ...]:
    """The name templates `surface` fills (国家税务总局{place}税务局), each with its place as written;
    a pure function of the name, so names that repeat are read once."""
    return tuple((department, match.group("place")) for pattern, department in tables().templates
                 if (match := pattern.fullmatch(surface)) and is_place_run(match.group("place")))


def _link_base(surface: str, places: DocumentPlaces | None, offset: int, date: str | None) -> dict | None:
    t = tables()
    if surface in t.central:
        row = _row_at(t.central_rows[surface], date)
        return {"canonical": _strip_state(row["name"]), "level": "central", "region": None}
    matches = _template_matches(surface)
    if matches:
        # 市委 and 省委 match the same template: the level word says which row (and place) is meant.
        level = _run_level(matches[0][1])
        department, written = next(((d, w) for d, w in matches if d.level == level), matches[0])
        place = _resolve_place_run(written, department.level, places, offset)
        return _local(department, place, written)
    zone = _link_zone_body(surface, places, offset, strict=True)
    if zone is not None:
        return zone
    township = _link_township(surface, places, offset)
    if township is not None:
        return township
    station = _link_named_unit(surface, places, offset)
    if station is not None:
        return station
    prefix_end = _place_prefix_end(surface)
    suffix = surface[prefix_end:]
    candidates = t.departments.get(suffix)
    if candidates and prefix_end == 0:
        # A bare department (国资委 表示): the central organ where there is one.
        central = next((d.central for d in candidates if d.central), None)
        row = t.central_by_id.get(central) if central else None
        return {"canonical": _strip_state(row["name"]), "level": "central", "region": None} if row else None
    if not candidates:
        # 天津市城市管理委员会 (a department the tables lack), else 松山湖管委会 (a zone without a zone word)
        return _link_unlisted(surface, prefix_end, places, offset) or _link_zone_body(surface, places, offset)
    run = surface[:prefix_end]
    level = _run_level(run)
    place = _resolve_place_run(run, level, places, offset)
    department = next((d for d in candidates if d.level == _level_of(place, level)), candidates[0])
    if department.name in cue_words("as_written"):  # 南京海关: named after a city as written, without 市
        return {"canonical": surface, "level": _level_of(place, department.level),
                "region": place.name if place else None}
    return _local(department, place, run)


def _local(department: Department, place: Place | None, written: str) -> dict:
    place_name = _full_place_name(place) if place else written
    if "{place}" in department.name:
        name = department.name.replace("{place}", place_name)
    else:
        name = place_name + department.name
    return {"canonical": name, "level": _level_of(place, department.level), "region": place.name if place else None}


def _link_township(surface: str, places: DocumentPlaces | None, offset: int) -> dict | None:
    """[places] town name 镇/乡/街道 department: 安吉县天荒坪镇人民政府, 西湖区北山街道办事处."""
    t = tables()
    for word in cue_words("township_word"):
        at = surface.find(word)
        if at < 0:
            continue
        rest = surface[at + len(word):]
        departments = [d for d in t.departments.get(word + rest, []) if d.level == "township"] or \
            [d for d in t.departments.get(rest, []) if d.level == "township"] or t.departments.get(rest, [])
        if rest and not departments:
            continue
        if departments and departments[0].name.startswith(word):
            word = ""  # the department's name holds the word (街道办事处)
        head = surface[:at]
        prefix_end = 0
        while prefix_end < len(head):
            for size in range(min(12, len(head) - prefix_end - 2), 1, -1):  # the town keeps two characters
                if head[prefix_end:prefix_end + size] in t.place_names:
                    prefix_end += size
                    break
            else:
                break
        town = head[prefix_end:]
        if len(town) < 2 and places is not None:
            town = places.township_before(offset, word) or ""
        if len(town) < 2:
            return None
        if prefix_end:
            place = _resolve_place_run(head[:prefix_end], "county", places, offset)
        else:
            place = places.county_or_city(offset) if places is not None else None
        department = departments[0] if departments else None
        name = (_full_place_name(place) if place else head[:prefix_end]) + town + word
        if department is not None:
            name += department.name
        elif word:
            name += cue_values("township_word").get(word, "")  # 虎门镇 speaking is its 人民政府
        return {"canonical": name, "level": "township", "region": place.name if place else None}
    return None


def _row_at(rows: list[dict], date: str | None) -> dict:
    """The row of a name valid at `date` (the first row when no date or no row fits)."""
    if date and len(rows) > 1:
        year = int(date[:4])
        for row in rows:
            first = int(row["valid_from"]) if row["valid_from"] else -1
            last = int(row["valid_to"]) if row["valid_to"] else 9999
            if first <= year <= last:
                return row
    return rows[0]


def _strip_state(name: str) -> str:
    """A central organ's name as lists give it: 中华人民共和国国务院 -> 国务院."""
    for prefix in cue_words("state_prefix"):
        if name.startswith(prefix) and len(name) > len(prefix) + 1:
            return name[len(prefix):]
    return name


def _place_prefix_end(surface: str) -> int:
    """Where the run of place names and level words at the start of an organ's name ends."""
    t = tables()
    position = 0
    while position < len(surface):
        for size in range(min(12, len(surface) - position), 0, -1):
            word = surface[position:position + size]
            if (word in t.place_names or word in _level_words()) and surface[position + size:] in t.departments:
                return position + size
            if word in t.place_names or word in _level_words():
                position += size
                break
        else:
            return position
    return position


def _run_level(run: str) -> str:
    """The level a run of places and level words names: its last level word, else its last place."""
    t = tables()
    for size in range(min(4, len(run)), 0, -1):
        if run[-size:] in _level_words():
            return _level_words()[run[-size:]]
    for size in range(min(12, len(run)), 1, -1):
        places = t.place_names.get(run[-size:])
        if places:
            return PLACE_LEVELS.get(places[0].level, "county")
    return "county"


def _resolve_place_run(run: str, level: str, places: DocumentPlaces | None, offset: int) -> Place | None:
    """The place a run names: its most specific place name, or, for level words alone, the
    document's place of that level."""
    t = tables()
    named = None
    position = 0
    while position < len(run):
        for size in range(min(12, len(run) - position), 0, -1):
            word = run[position:position + size]
            if word in t.place_names:
                named = t.place_names[word][0]
                position += size
                break
            if word in _level_words():
                position += size
                break
        else:
            break
    if named is not None:
        return named
    if places is None:
        return None
    if len(run) == 1 and _level_words().get(run) in ("prefecture", "county"):
        # 市 is the nearest city named before, a prefecture or a county-level city (义乌市)
        nearest = places.city_before(offset, run)
        if nearest is not None:
            return nearest
    wanted = {"provincial": "province", "prefecture": "prefecture", "county": "county"}.get(level)
    return places.of_level(wanted, offset) if wanted else None


def _level_of(place: Place | None, default: str) -> str:
    return PLACE_LEVELS.get(place.level, default) if place is not None else default


def _place_text(place: Place | None, written: str) -> str:
    return _full_place_name(place) if place is not None else written


def _link_zone_body(surface: str, places: DocumentPlaces | None, offset: int, strict: bool = False) -> dict | None:
    """A zone body: the body's full name (cues.tsv, zone_body) around the zone's canonical name; a
    bare zone (园区管委会) is the zone the document names nearest before. strict: only where the
    zone's name ends in a zone word (合肥高新区管委会), not 县应急管理局."""
    match = _bare_body_re().fullmatch(surface)
    if match is None or (strict and zone_body_re().search(surface) is None):
        return None
    from .zones import canonical_zone, is_bare

    zone = match.group("zone")
    body = match.group("body")
    canonical = None
    if (is_bare(zone) or not zone) and places is not None:
        canonical = places.zone_near(offset) or _city_zone(zone, places, offset)
    elif zone:
        canonical = canonical_zone(zone)
        if places is not None and canonical and canonical.get("canonical"):
            places.zones.append((offset, canonical))  # 合肥高新区管委会 … 高新区管委会: the same zone
    name = canonical["canonical"] if canonical and canonical.get("canonical") else zone
    if canonical and canonical.get("province") and name.startswith(canonical["province"][:2]) and \
            not zone.startswith(canonical["province"][:2]) and name.endswith(zone):
        name = zone  # 兰州新区 is named so, though the national list adds the province
    if not name or (is_bare(name) and not canonical):
        name = zone
    template = cue_values("zone_body").get(body) or "{zone}" + body
    return {"canonical": template.replace("{zone}", name), "level": "zone",
            "region": canonical.get("province") if canonical else None}


def _city_zone(zone: str, places: DocumentPlaces, offset: int) -> dict | None:
    """The zone a bare zone word means in a city's release where no zone is named (高新区管委会 in a
    Guiyang release): the city's zone of that kind, when a national list has it (贵阳高新区)."""
    from .zones import NATIONAL_TYPES, canonical_zone

    city = places.of_level("prefecture", offset)
    if city is None or not zone:
        return None
    for name in (city.name.removesuffix("市") + zone, city.name + zone):
        found = canonical_zone(name)
        if found and found.get("canonical") and found.get("zone_type") in NATIONAL_TYPES:
            return found
    return None


@lru_cache(maxsize=1)
def _bare_body_re() -> re.Pattern:
    bodies = trie_regex(cue_words("zone_body"))
    return re.compile(f"(?P<zone>.*?)(?:（[{HAN}]{{1,4}}）)?(?P<body>{bodies})")


@lru_cache(maxsize=1)
def _station_name_re() -> re.Pattern:
    return re.compile(f"(?P<name>[{HAN}]{{2,4}})(?P<unit>{trie_regex(cue_words('named_unit'))})")


def _link_named_unit(surface: str, places: DocumentPlaces | None, offset: int) -> dict | None:
    """A police station named alone (北山派出所): under the public security bureau of the city and
    the 分局 of the district the document is about (杭州市公安局西湖区分局北山派出所)."""
    match = _station_name_re().fullmatch(surface)
    if match is None or places is None:
        return None
    county = places.of_level("county", offset)
    city = _ancestor_of_level(county, "prefecture") if county is not None else places.of_level("prefecture", offset)
    if county is not None and county.name.endswith("区") and city is not None:
        parent = f"{city.name}公安局{county.name}分局"
    elif county is not None:
        parent = f"{county.name}公安局"
    elif city is not None:
        parent = f"{city.name}公安局"
    else:
        return None
    return {"canonical": parent + surface, "level": "township", "region": (county or city).name}


def _link_unlisted(surface: str, prefix_end: int, places: DocumentPlaces | None, offset: int) -> dict | None:
    """A department the tables do not list, after a place (天津市城市管理委员会, 南山区人力资源局):
    the place's full name and the rest as written, when the rest ends like an organ."""
    rest = surface[prefix_end:]
    if prefix_end == 0 or len(rest) < 2 or cue_re("organ_end", "$").search(rest) is None:
        return None
    run = surface[:prefix_end]
    level = _run_level(run)
    place = _resolve_place_run(run, level, places, offset)
    if place is None:
        return None
    return {"canonical": _full_place_name(place) + rest, "level": _level_of(place, level), "region": place.name}
