"""Resolve the text of a PERIOD span to ISO dates, anchored on the document's date.

    resolve_period("前三季度", date(2023, 1, 15)) -> 2022-01-01 .. 2022-09-30, kind span

The reference date is always an argument: nothing here reads the clock. The words are in
gzie/data/periods.tsv; this module reads a period as
[until] ( recent N年 | anchor | anchor SEP anchor ) [since | during | comparison],
and N年 before since or during (五年来) like recent N年,
where an anchor is [year] [part of a year] [point], e.g. 2022年 前三季度, 去年 底, 6月 末.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import asdict, dataclass
from functools import lru_cache

from ..resources import read_table
from ..text import longest_prefix, longest_suffix
from .numbers import fold_text, numeral_chars, parse_decimal


@dataclass(frozen=True)
class PeriodResolution:
    text: str
    start: str | None
    end: str | None
    kind: str
    relative: bool

    def to_dict(self) -> dict:
        return asdict(self)


YearRef = tuple[str, int]  # ("year", 2022) or ("offset", -1), relative to the reference year


@dataclass(frozen=True)
class _Anchor:
    first_year: YearRef | None = None  # None: the text names no year
    last_year: YearRef | None = None
    first_month: int | None = None  # None: the whole year
    last_month: int | None = None
    first_day: int | None = None
    last_day: int | None = None
    point: str | None = None  # "start" or "end": the single first or last day
    current: str | None = None  # read off the reference date: month, quarter, prev_month, prev_quarter, now


@lru_cache(maxsize=None)
def _words(role: str) -> dict[str, tuple[str, str]]:
    return {row["word"]: (row["a"], row["b"]) for row in read_table("periods.tsv") if row["role"] == role}


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern]:
    digits = "".join(numeral_chars("digit"))
    number = "[0-9" + re.escape(digits + "".join(numeral_chars("unit"))) + "]{1,3}"
    recent = "|".join(map(re.escape, sorted(_words("recent"), key=len, reverse=True)))
    return {
        "year": re.compile(f"(?P<year>[0-9]{{4}}|[{re.escape(digits)}]{{4}})年度?"),
        "day": re.compile(f"(?P<month>{number})月(?P<day>{number})[日号號]"),
        "month": re.compile(f"(?P<month>{number})月份?"),
        "first_months": re.compile(f"前(?P<count>{number})[个個]?月份?"),
        "recent": re.compile(f"(?:{recent})的?(?P<count>{number})(?P<unit>年|[个個]月)"),
        "span_back": re.compile(f"(?P<count>{number})(?P<unit>年|[个個]月)"),
    }


def resolve_period(text: str, ref_date: datetime.date | None) -> PeriodResolution | None:
    """Start, end and kind of a PERIOD span; None when the text is not a period we can read."""
    if not isinstance(text, str):
        raise TypeError(f"resolve_period expects text as a str, not {type(text).__name__}")
    return _resolve_period(text, _check_ref_date(ref_date))


# Periods repeat within and across documents (上半年, 1—6月); the resolutions are immutable.
@lru_cache(maxsize=8192)
def _resolve_period(text: str, ref: datetime.date | None) -> PeriodResolution | None:
    core = "".join(char for char in fold_text(text) if char not in _words("ignore"))
    until, core = _strip_until(core)
    role, core = _strip_marker(core)
    if not core:
        return PeriodResolution(text, None, None, "comparison", True) if role == "comparison" else None
    recent = _patterns()["recent"].fullmatch(core)
    if recent is None and role in ("since", "during"):  # 五年来, 三年间: the years up to the date
        recent = _patterns()["span_back"].fullmatch(core)
    if recent is not None and core not in _words("months"):  # 过去一年 is listed: the calendar year
        return _resolve_recent(text, recent, ref)
    anchor = _parse_range(core) or _parse_anchor(core)
    if anchor is None:
        return None
    try:
        return _resolve(text, anchor, until, role, ref)
    except ValueError:  # a day that does not exist, such as 2月30日
        return None


def _strip_until(core: str) -> tuple[bool, str]:
    """截至9月底 -> (True, "9月底"); a text that is only the prefix (截至) is left as it is."""
    word = longest_prefix(core, _words("until"))
    if word is None or len(word) == len(core):
        return False, core
    return True, core[len(word) :]


def _strip_marker(core: str) -> tuple[str | None, str]:
    """今年以来 -> ("since", "今年"): the longest since / during / comparison suffix; a listed part of
    a year that ends like a marker (一年来: the calendar year, like 过去一年) keeps it."""
    if core in _words("months"):
        return None, core
    found = [(word, role) for role in ("since", "during", "comparison") if (word := longest_suffix(core, _words(role)))]
    if not found:
        return None, core
    word, role = max(found, key=lambda pair: len(pair[0]))
    if role == "during" and len(word) == len(core):
        return None, core  # 当月 alone is a period of its own, not a marker
    return role, core[: -len(word)]


def _check_ref_date(ref_date) -> datetime.date | None:
    if ref_date is None:
        return None
    if isinstance(ref_date, datetime.datetime):
        return ref_date.date()
    if isinstance(ref_date, datetime.date):
        return ref_date
    raise TypeError(
        f"ref_date must be a datetime.date or None, not {type(ref_date).__name__} ({ref_date!r}); "
        "convert strings first, e.g. datetime.date.fromisoformat('2023-01-15')"
    )


# --- reading the text ---------------------------------------------------------------------


def _parse_anchor(text: str) -> _Anchor | None:
    """[year] [part of a year] [point], all of the text; None if anything is left over."""
    position, fields = 0, {}
    for step in (_read_year, _read_part, _read_point):
        read = step(text, position)
        if read is not None:
            position, found = read
            fields.update(found)
    if position != len(text) or not fields:
        return None
    return _Anchor(**fields)


BARE_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def _read_year(text: str, position: int):
    match = _patterns()["year"].match(text, position)
    if match:
        year = ("year", int(parse_decimal(match["year"])))
        return match.end(), {"first_year": year, "last_year": year}
    bare = BARE_YEAR_RE.match(text, position)
    if bare and (longest_prefix(text[bare.end():], _words("months")) or bare.span() == (0, len(text))):
        # 2020上半年, or a year alone that was read as a period (年终盘点丨2023，…): a year written without 年
        year = ("year", int(bare.group(0)))
        return bare.end(), {"first_year": year, "last_year": year}
    word = longest_prefix(text[position:], _words("year_offset"))
    if word is not None:
        year = ("offset", int(_words("year_offset")[word][0]))
        return position + len(word), {"first_year": year, "last_year": year}
    word = longest_prefix(text[position:], _words("plan"))
    if word is not None:
        first, last = _words("plan")[word]
        return position + len(word), {"first_year": ("year", int(first)), "last_year": ("year", int(last))}
    return None


def _read_part(text: str, position: int):
    rest = text[position:]
    word = longest_prefix(rest, _words("months"))
    if word is not None:
        first, last = _words("months")[word]
        return position + len(word), {"first_month": int(first), "last_month": int(last)}
    word = longest_prefix(rest, _words("year_point"))
    if word is not None:
        return position + len(word), {"point": _words("year_point")[word][0]}
    word = longest_prefix(rest, _words("current"))
    if word is not None:
        return position + len(word), {"current": _words("current")[word][0]}
    day = _patterns()["day"].match(text, position)
    if day:
        month, number = _small_int(day["month"]), _small_int(day["day"])
        return day.end(), {"first_month": month, "last_month": month, "first_day": number, "last_day": number}
    month = _patterns()["month"].match(text, position)
    if month:
        number = _small_int(month["month"])
        return month.end(), {"first_month": number, "last_month": number}
    first = _patterns()["first_months"].match(text, position)
    if first:
        return first.end(), {"first_month": 1, "last_month": _small_int(first["count"])}
    return None


def _read_point(text: str, position: int):
    word = longest_prefix(text[position:], _words("point"))
    return None if word is None else (position + len(word), {"point": _words("point")[word][0]})


def _small_int(text: str) -> int:
    """A month, day or count; 0 when unreadable so that date() rejects it."""
    value = parse_decimal(text)
    return int(value) if value is not None and value == int(value) else 0


def _parse_range(text: str) -> _Anchor | None:
    """1—6月, 2023年1至6月, 2021—2023年, 2022年10月至2023年3月 as one anchor."""
    separators = numeral_chars("range")
    for index, char in enumerate(text):
        if index == 0 or char not in separators:
            continue
        left, right = text[:index], text[index + 1 :]
        last = _parse_anchor(right)
        if last is None or last.current:
            continue
        lent = next((unit for unit in _words("range_unit") if right.endswith(unit)), "")
        first = _parse_anchor(left) or _parse_anchor(left + lent)
        if first is None or first.current:
            continue
        return _Anchor(
            first_year=first.first_year or last.first_year,
            last_year=last.last_year or first.last_year,
            first_month=first.first_month,
            last_month=last.last_month,
            first_day=first.first_day,
            last_day=last.last_day,
        )
    return None


# --- anchoring on the reference date -------------------------------------------------------


def _resolve(text, anchor: _Anchor, until: bool, role: str | None, ref) -> PeriodResolution:
    if role == "comparison":
        return _resolve_comparison(text, anchor, ref)
    dates = _anchor_dates(anchor, ref, "start" if role == "since" else "end")
    if dates is None:
        return PeriodResolution(text, None, None, "relative", True)
    start, end = dates
    if until or anchor.current == "now":
        return PeriodResolution(text, None, end.isoformat(), "to_date", False)
    if role == "since":
        return PeriodResolution(text, start.isoformat(), _iso(ref), "to_date", ref is None)
    kind = "point" if start == end else "span"
    return PeriodResolution(text, start.isoformat(), end.isoformat(), kind, False)


def _resolve_comparison(text, anchor: _Anchor, ref) -> PeriodResolution:
    """去年同期: the same part of the previous year, when the text says which part."""
    unknown = PeriodResolution(text, None, None, "comparison", True)
    if anchor.first_month is None or anchor.current:
        return unknown
    years = _years(anchor, ref, "end")
    if years is None:
        return unknown
    if anchor.first_year is None:  # 上半年同期: the base is a year before the period itself
        years = (years[0] - 1, years[1] - 1)
    start, end = _dates(anchor, *years)
    return PeriodResolution(text, start.isoformat(), end.isoformat(), "comparison", False)


def _anchor_dates(anchor: _Anchor, ref, boundary: str):
    if anchor.current:
        return None if ref is None else _apply_point(anchor, *_current_dates(anchor.current, ref))
    years = _years(anchor, ref, boundary)
    return None if years is None else _dates(anchor, *years)


def _years(anchor: _Anchor, ref, boundary: str) -> tuple[int, int] | None:
    """The first and last calendar year; None when that needs a reference date we lack."""
    if anchor.first_year is None:
        if ref is None:
            return None
        # A period without a year is in the reference year, unless too little of it has passed
        # by the reference date for a release to report on it: 前三季度 in a release of
        # 2023-01-15 means 2022, while 全年 in a release of 2023-11-20 (a forecast, a target)
        # means 2023. A period counts as reportable once its middle has passed.
        year = ref.year
        first, last = _dates(anchor, year, year)
        if boundary == "start":
            if first > ref:
                year -= 1
        elif last > ref and first + (last - first) / 2 > ref:
            year -= 1
        return year, year
    years = []
    for kind, number in (anchor.first_year, anchor.last_year):
        if kind == "offset":
            if ref is None:
                return None
            number += ref.year
        years.append(number)
    return years[0], years[1]


def _dates(anchor: _Anchor, first_year: int, last_year: int) -> tuple[datetime.date, datetime.date]:
    first_month, last_month = anchor.first_month or 1, anchor.last_month or 12
    start = datetime.date(first_year, first_month, anchor.first_day or 1)
    end = datetime.date(last_year, last_month, anchor.last_day or _month_length(last_year, last_month))
    return _apply_point(anchor, start, end)


def _apply_point(anchor: _Anchor, start, end):
    if anchor.point == "end":
        return end, end
    if anchor.point == "start":
        return start, start
    return start, end


def _current_dates(current: str, ref: datetime.date) -> tuple[datetime.date, datetime.date]:
    if current == "now":
        return ref, ref
    months = 3 if current.endswith("quarter") else 1
    first_month = ref.month if months == 1 else ref.month - (ref.month - 1) % 3
    year, month = ref.year, first_month
    if current.startswith("prev_"):
        year, month = _add_months(year, month, -months)
    start = datetime.date(year, month, 1)
    end_year, end_month = _add_months(year, month, months - 1)
    return start, datetime.date(end_year, end_month, _month_length(end_year, end_month))


def _resolve_recent(text, match: re.Match, ref) -> PeriodResolution:
    """近三年: the N years (or months) up to and including the reference date."""
    if ref is None:
        return PeriodResolution(text, None, None, "relative", True)
    months = _small_int(match["count"]) * (12 if match["unit"] == "年" else 1)
    year, month = _add_months(ref.year, ref.month, -months)
    back = datetime.date(year, month, min(ref.day, _month_length(year, month)))
    start = back + datetime.timedelta(days=1)
    return PeriodResolution(text, start.isoformat(), ref.isoformat(), "to_date", False)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()
