"""Golden specs of indicator and zone canonicalisation (tests/specs/indicators.jsonl, zones.jsonl)."""

import json
from pathlib import Path

import pytest

from gzie.indicators import indicator_id
from gzie.zones import canonical_zone

SPECS = Path(__file__).parent / "specs"


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (SPECS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", _lines("indicators.jsonl"), ids=lambda c: c["input"])
def test_indicator_ids(case):
    assert indicator_id(case["input"]) == case["expected"]


@pytest.mark.parametrize("case", _lines("zones.jsonl"), ids=lambda c: f"{c['input']}@{c.get('region')}")
def test_zone_canonical_names_and_types(case):
    got = canonical_zone(case["input"], case.get("region"))
    expected = case["expected"]
    if expected is None:
        assert got is None
    else:
        assert {key: got.get(key) for key in expected} == expected
