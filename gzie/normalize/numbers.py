"""Numerals as Chinese news writes them: Arabic, full-width, Chinese and mixed.

What each character means is in gzie/data/numerals.tsv; this module holds the grammar:
digits, units inside a four-digit section (十百千) and section multipliers (万亿).
Values are computed as Decimal so that 2998亿 or 44.6% carry no binary rounding until
the caller turns them into floats.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

from ..resources import read_table

_ARABIC = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# A comma between digits followed by exactly three digits groups thousands (1,234.5);
# any other comma separates items and is left alone.
_THOUSANDS_COMMA = re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))")
_THOUSANDS_SPACE = re.compile(r"(?<=[0-9])\s(?=[0-9]{3}(?![0-9]))")
_SPACE_OUTSIDE_NUMBERS = re.compile(r"\s+(?![0-9])|(?<![0-9])\s+")
_NUMERAL_ROLES = ("digit", "unit", "big", "point")


def fold_text(text: str) -> str:
    """Full-width forms to ASCII, whitespace and thousands separators removed."""
    # NFKC maps １２．５％ to 12.5% and ～ to ~, so the tables need only one spelling.
    folded = unicodedata.normalize("NFKC", text)
    # A space between digits groups thousands only before exactly three digits (3 500); any other
    # space between digits (16 5, a lost decimal point) is kept, so the text reads as no number.
    folded = _THOUSANDS_SPACE.sub("", folded)
    folded = _SPACE_OUTSIDE_NUMBERS.sub("", folded)
    return _THOUSANDS_COMMA.sub("", folded)


@lru_cache(maxsize=None)
def numeral_chars(role: str) -> dict[str, Decimal | None]:
    """The characters of one role in numerals.tsv, with their values."""
    return {
        row["char"]: Decimal(row["value"]) if row["value"] else None
        for row in read_table("numerals.tsv")
        if row["role"] == role
    }


def _is_ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _is_numeral_char(char: str) -> bool:
    return _is_ascii_digit(char) or char == "." or any(char in numeral_chars(role) for role in _NUMERAL_ROLES)


def numeral_length(text: str) -> int:
    """How many leading characters of ``text`` may belong to one numeral (a sign included)."""
    start = 1 if text[:1] in numeral_chars("sign") else 0
    size = start
    while size < len(text) and _is_numeral_char(text[size]):
        size += 1
    return size if size > start else 0


def parse_number(text: str) -> float | None:
    """The value of a numeral: "九十九" -> 99.0, "１２．５" -> 12.5, "1.2万" -> 12000.0.

    None unless the whole text (spaces aside) is one numeral.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_number expects a str, not {type(text).__name__}")
    value = parse_decimal(fold_text(text))
    return None if value is None else float(value)


def parse_decimal(text: str) -> Decimal | None:
    """The value of a folded numeral (see fold_text) as a Decimal, or None."""
    signs = numeral_chars("sign")
    sign = Decimal(1)
    if text[:1] in signs:
        sign, text = signs[text[0]], text[1:]
    points = numeral_chars("point")
    point = next((index for index, char in enumerate(text) if char in points), None)
    if point is None:
        value = _parse_integer(text)
    else:
        value = _parse_with_point(text[:point], text[point + 1 :])
    return None if value is None else sign * value


def _parse_with_point(whole: str, after: str) -> Decimal | None:
    # 十二点五万: the digits after 点 are read one by one, then 万/亿 scale everything.
    digits = numeral_chars("digit")
    fraction = ""
    for char in after:
        if char in digits:
            fraction += str(int(digits[char]))
        elif _is_ascii_digit(char):
            fraction += char
        else:
            break
    whole_value = _parse_integer(whole)
    scale = _multiplier(after[len(fraction) :])
    if whole_value is None or not fraction or scale is None:
        return None
    return (whole_value + Decimal("0." + fraction)) * scale


def _multiplier(text: str) -> Decimal | None:
    """The product of a run of 十百千万亿 (1 for an empty run), None if anything else is there."""
    product = Decimal(1)
    for char in text:
        value = numeral_chars("unit").get(char) or numeral_chars("big").get(char)
        if value is None:
            return None
        product *= value
    return product


def _tokens(text: str) -> list[tuple[str, Decimal]] | None:
    tokens = []
    index = 0
    while index < len(text):
        arabic = _ARABIC.match(text, index)
        if arabic:
            tokens.append(("arabic", Decimal(arabic.group())))
            index = arabic.end()
            continue
        role = next((role for role in ("digit", "unit", "big") if text[index] in numeral_chars(role)), None)
        if role is None:
            return None
        tokens.append((role, numeral_chars(role)[text[index]]))
        index += 1
    return tokens


def _parse_integer(text: str) -> Decimal | None:
    tokens = _tokens(text)
    if not tokens:
        return None
    if len(tokens) > 1 and all(role == "digit" for role, _ in tokens):
        # 二〇二二: digits without units are read place by place.
        return Decimal("".join(str(int(value)) for _, value in tokens))
    total = section = Decimal(0)
    largest_big = Decimal(0)
    pending = None  # a digit or Arabic number still waiting for its unit
    pending_is_digit = False
    last_multiplier = None  # the unit just before the pending number
    after_zero = False  # 零 marks a skipped place: 一百零五 is 105, not 150
    for role, value in tokens:
        if role in ("digit", "arabic"):
            if pending is not None:
                return None
            if role == "digit" and value == 0:
                after_zero = True
                continue
            pending, pending_is_digit = value, role == "digit"
        elif role == "unit":
            section += (Decimal(1) if pending is None else pending) * value
            pending, last_multiplier, after_zero = None, value, False
        else:
            part = section + (pending or 0)
            if part == 0 and total == 0:
                part = Decimal(1)  # 万 alone (逾万人) is ten thousand
            if value > largest_big:
                # 1.2万亿: a bigger section unit multiplies everything before it.
                total, largest_big = (total + part) * value, value
            else:
                total += part * value
            section, pending, last_multiplier, after_zero = Decimal(0), None, value, False
    if pending is not None:
        if pending_is_digit and last_multiplier is not None and not after_zero:
            # Spoken shorthand: 一千二 is 1200 and 三万五 is 35000 (十二 stays 12).
            pending *= last_multiplier / 10
        section += pending
    return total + section


def carried_magnitude(lower: str, upper: str) -> Decimal:
    """The magnitude a bare lower bound borrows from the upper bound: 5—8亿 means 5亿 to 8亿.

    ``lower`` and ``upper`` are the numerals as written. A lower bound with its own 万/亿
    borrows nothing. Only an Arabic upper bound lends 十百千 as well (5—8千万 is 5千万 to
    8千万); in 十至二十万 the 十 of 二十 is part of the number, so only 万 is lent.
    """
    units, bigs = numeral_chars("unit"), numeral_chars("big")
    if any(char in bigs for char in lower):
        return Decimal(1)
    number = upper.rstrip("".join(units) + "".join(bigs))
    trailing = upper[len(number) :]
    lend_units = _is_ascii_digit(number[-1:]) and not any(char in units for char in lower)
    magnitude = Decimal(1)
    for char in trailing:
        if char in bigs or lend_units:
            magnitude *= units.get(char) or bigs[char]
    return magnitude
