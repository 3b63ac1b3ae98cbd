"""Golden spec for resolve_value (tests/specs/values.jsonl) plus focused behaviours."""

import json
from pathlib import Path

import pytest

from gzie.normalize import ValueResolution, parse_number, resolve_value

SPEC = Path(__file__).parent / "specs" / "values.jsonl"
CASES = [json.loads(line) for line in SPEC.read_text(encoding="utf-8").splitlines() if line.strip()]


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-9)


@pytest.mark.parametrize("case", CASES, ids=[case["input"] for case in CASES])
def test_value_spec(case):
    resolution = resolve_value(case["input"])
    expected = case["expected"]
    if expected is None:
        assert resolution is None
        return
    assert resolution is not None, "expected a resolution"
    assert resolution.to_dict() == {
        "text": case["input"],
        "number": approx(expected["number"]),
        "unit": expected["unit"],
        "kind": expected["kind"],
        "qualifier": expected["qualifier"],
        "upper": approx(expected["upper"]),
    }


def test_spec_is_large_and_unique():
    inputs = [case["input"] for case in CASES]
    assert len(inputs) >= 170
    assert len(set(inputs)) == len(inputs)


@pytest.mark.parametrize("text", ["", "   ", "abc", "突破", "数十家", "第3位"])
def test_unparseable_text_returns_none(text):
    assert resolve_value(text) is None


def test_text_is_kept_as_given():
    assert resolve_value(" ３２家 ").text == " ３２家 "


def test_resolution_is_frozen_and_json_ready():
    resolution = resolve_value("5—8亿元")
    with pytest.raises(Exception):
        resolution.number = 1.0  # frozen dataclass
    assert isinstance(resolution, ValueResolution)
    assert json.loads(json.dumps(resolution.to_dict())) == resolution.to_dict()


def test_non_string_raises_type_error():
    with pytest.raises(TypeError):
        resolve_value(2998)


def test_trailing_noun_after_unit_is_ignored():
    assert resolve_value("855个项目") == ValueResolution("855个项目", 855.0, "个", "count", None)


def test_unit_starting_with_a_numeral_is_not_swallowed():
    # 千 could be read as part of the number (1.2万千 = 13000); 千瓦时 is the unit.
    resolution = resolve_value("1.2万千瓦时")
    assert (resolution.number, resolution.unit) == (12000.0, "千瓦时")


@pytest.mark.parametrize("text,expected", [
    ("九十九", 99.0), ("一千二百", 1200.0), ("两", 2.0), ("兩", 2.0), ("十二", 12.0),
    ("三万五千", 35000.0), ("三万五", 35000.0), ("一千二", 1200.0), ("一百零五", 105.0),
    ("二〇二二", 2022.0), ("1.2万", 12000.0), ("百", 100.0), ("１２．５", 12.5),
    ("萬", 10000.0), ("億", 1e8), ("1,234.5", 1234.5), ("1.2万亿", 1.2e12),
    ("一亿二千万", 1.2e8), ("十二点五", 12.5), ("零点五", 0.5), ("3亿5000万", 3.5e8),
    ("-3.5", -3.5),
])
def test_parse_number(text, expected):
    assert parse_number(text) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "十二个", "2022年"])
def test_parse_number_rejects_non_numerals(text):
    assert parse_number(text) is None
