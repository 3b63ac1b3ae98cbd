"""Resolve the text of a VALUE span to a number in base units.

    resolve_value("超2000亿元") -> number 2e11, unit 元, kind amount, qualifier more_than

The words (units, qualifiers, numerals) are in gzie/data; this module reads a value as
[prefix qualifiers] number [infix qualifier [万/亿]] [unit [半]] [suffix qualifier] [noun],
or as a fraction (五分之一, 1/5), a whole-word value (持平), or a range of two values (5—8亿元).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from functools import lru_cache

from ..resources import read_table
from ..text import longest_prefix
from .numbers import carried_magnitude, fold_text, numeral_chars, numeral_length, parse_decimal

_FRACTION_MARKERS = ("分之", "/")  # 五分之一 is 1 over 5; 1/5 is 1 over 5
_BARE_NUMBER_KIND = "count"  # a number with no unit word counts something unnamed


@dataclass(frozen=True)
class ValueResolution:
    text: str
    number: float | None
    unit: str | None
    kind: str
    qualifier: str | None
    upper: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Unit:
    unit: str | None
    scale: Decimal
    kind: str


@dataclass(frozen=True)
class _Reading:
    value: Decimal  # in the base unit when there is a unit, else the bare number
    unit: _Unit | None
    qualifier: str | None
    numeral: str  # as written (with 万/亿 after 多/余), so a range can lend its magnitude


@lru_cache(maxsize=None)
def _units() -> dict[str, _Unit]:
    return {row["word"]: _unit(row) for row in read_table("units.tsv") if not row["alone"]}


@lru_cache(maxsize=None)
def _whole_word_values() -> dict[str, tuple[Decimal, _Unit]]:
    return {row["word"]: (Decimal(row["alone"]), _unit(row)) for row in read_table("units.tsv") if row["alone"]}


def _unit(row: dict[str, str]) -> _Unit:
    return _Unit(unit=row["unit"] or None, scale=Decimal(row["scale"]), kind=row["kind"])


@lru_cache(maxsize=None)
def _qualifiers(position: str) -> dict[str, str | None]:
    return {
        row["word"]: None if row["qualifier"] == "none" else row["qualifier"]
        for row in read_table("qualifiers.tsv")
        if row["position"] == position
    }


@lru_cache(maxsize=None)
def qualifier_words() -> frozenset[str]:
    """Every word of qualifiers.tsv, whatever its position."""
    return frozenset(row["word"] for row in read_table("qualifiers.tsv"))


def resolve_value(text: str) -> ValueResolution | None:
    """The number, base unit, kind, qualifier and range of a VALUE span; None if it holds no number."""
    if not isinstance(text, str):
        raise TypeError(f"resolve_value expects a str, not {type(text).__name__}")
    return _resolve_value(text)


# Value texts repeat (增长7.3%, 1个百分点); the resolutions are immutable.
@lru_cache(maxsize=8192)
def _resolve_value(text: str) -> ValueResolution | None:
    folded = fold_text(text)
    ranged = _read_range(folded)
    reading, upper = ranged if ranged else (_read(folded), None)
    if reading is None:
        return None
    unit = reading.unit
    return ValueResolution(
        text=text,
        number=float(reading.value),
        unit=unit.unit if unit else None,
        kind=unit.kind if unit else _BARE_NUMBER_KIND,
        qualifier=reading.qualifier,
        upper=None if upper is None else float(upper),
    )


def _read_range(text: str) -> tuple[_Reading, Decimal] | None:
    """5—8亿元, 3至5个, 10%-15%: the lower bound as a reading, and the upper bound's value."""
    separators = numeral_chars("range")
    for index, char in enumerate(text):
        if index == 0 or char not in separators:
            continue  # a dash in front is a minus sign
        upper = _read(text[index + 1 :].lstrip("".join(separators)))
        lower = _read(text[:index])
        if upper is None or lower is None:
            continue
        if lower.unit is None and upper.unit is not None:
            magnitude = carried_magnitude(lower.numeral, upper.numeral)
            lower = replace(lower, value=lower.value * magnitude * upper.unit.scale, unit=upper.unit)
        return replace(lower, qualifier=lower.qualifier or upper.qualifier), upper.value
    return None


def _read(text: str) -> _Reading | None:
    qualifier, body = _strip_prefixes(text)
    reading = _read_whole_word(body) or _read_fraction(body) or _read_measure(body)
    if reading is None:
        return None
    return replace(reading, qualifier=qualifier or reading.qualifier)


def _strip_prefixes(text: str) -> tuple[str | None, str]:
    """Remove lead-ins such as 累计超过; the first one that qualifies wins."""
    prefixes = _qualifiers("prefix")
    qualifier = None
    while (word := longest_prefix(text, prefixes)) is not None:
        qualifier = qualifier or prefixes[word]
        text = text[len(word) :]
    return qualifier, text


def _read_whole_word(text: str) -> _Reading | None:
    word = longest_prefix(text, _whole_word_values())
    if word is None:
        return None
    rest = text[len(word) :]
    suffix = longest_prefix(rest, _qualifiers("suffix"))
    if rest and suffix is None:
        return None
    value, unit = _whole_word_values()[word]
    return _Reading(value=value, unit=unit, qualifier=_qualifiers("suffix").get(suffix), numeral="")


def _read_fraction(text: str) -> _Reading | None:
    for marker in _FRACTION_MARKERS:
        head, found, tail = text.partition(marker)
        if not found:
            continue
        fixed = parse_decimal(head)
        rest = _read_measure(tail)
        if fixed is None or rest is None or rest.unit is not None:
            continue
        numerator, denominator = (rest.value, fixed) if marker == "分之" else (fixed, rest.value)
        if denominator == 0:
            return None
        percent = _units()["%"]
        ratio = _Unit(unit=percent.unit, scale=Decimal(1), kind=percent.kind)
        return _Reading(value=numerator / denominator, unit=ratio, qualifier=rest.qualifier, numeral="")
    return None


def _read_measure(text: str) -> _Reading | None:
    # Try the longest numeral first, then shorter ones: in 1.2万千瓦时 the 千 belongs to the unit.
    for end in range(numeral_length(text), 0, -1):
        number = parse_decimal(text[:end])
        tail = _read_tail(text[end:]) if number is not None else None
        if tail is None:
            continue
        multiplier_text, unit, half, qualifier = tail
        value = number * _big_multiplier(multiplier_text) + half
        if unit is not None:
            value *= unit.scale
        return _Reading(value=value, unit=unit, qualifier=qualifier, numeral=text[:end] + multiplier_text)
    return None


def _read_tail(rest: str) -> tuple[str, _Unit | None, Decimal, str | None] | None:
    """What follows the number: (万/亿 after 多/余, unit, half, qualifier); None if unreadable."""
    qualifier, multiplier_text, unit, half = None, "", None, Decimal(0)
    infix = longest_prefix(rest, _qualifiers("infix"))
    if infix is not None:
        qualifier, rest = _qualifiers("infix")[infix], rest[len(infix) :]
        while rest[:1] and rest[:1] in numeral_chars("big"):  # 200多万元, 十余万人
            multiplier_text, rest = multiplier_text + rest[0], rest[1:]
    unit_word = longest_prefix(rest, _units())
    if unit_word is not None:
        unit, rest = _units()[unit_word], rest[len(unit_word) :]
        if rest[:1] and rest[:1] in numeral_chars("half"):  # 两成半
            half, rest = numeral_chars("half")[rest[0]], rest[1:]
    suffix = longest_prefix(rest, _qualifiers("suffix"))
    if suffix is not None:
        qualifier, rest = qualifier or _qualifiers("suffix")[suffix], rest[len(suffix) :]
    if rest and infix is None and unit_word is None and suffix is None:
        return None
    return multiplier_text, unit, half, qualifier


def _big_multiplier(text: str) -> Decimal:
    product = Decimal(1)
    for char in text:
        product *= numeral_chars("big")[char]
    return product
