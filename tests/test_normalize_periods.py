"""Golden spec for resolve_period (tests/specs/periods.jsonl) plus focused behaviours."""

import datetime
import inspect
import json
import re
from pathlib import Path

import pytest

import gzie.normalize.periods as periods_module
from gzie.normalize import PeriodResolution, resolve_period

SPEC = Path(__file__).parent / "specs" / "periods.jsonl"
CASES = [json.loads(line) for line in SPEC.read_text(encoding="utf-8").splitlines() if line.strip()]


def case_id(case):
    return f"{case['input']}@{case['ref_date'] or 'none'}"


def as_date(text):
    return None if text is None else datetime.date.fromisoformat(text)


@pytest.mark.parametrize("case", CASES, ids=[case_id(case) for case in CASES])
def test_period_spec(case):
    resolution = resolve_period(case["input"], as_date(case["ref_date"]))
    expected = case["expected"]
    if expected is None:
        assert resolution is None
        return
    assert resolution is not None, "expected a resolution"
    assert resolution.to_dict() == {"text": case["input"], **expected}


def test_spec_is_large_and_unique():
    ids = [case_id(case) for case in CASES]
    assert len(ids) >= 120
    assert len(set(ids)) == len(ids)


def test_string_ref_date_raises_clear_type_error():
    with pytest.raises(TypeError, match=r"ref_date must be a datetime\.date or None.*str"):
        resolve_period("今年以来", "2023-07-20")


def test_datetime_ref_date_counts_as_its_day():
    moment = datetime.datetime(2023, 7, 20, 17, 43)
    assert resolve_period("今年以来", moment).end == "2023-07-20"


def test_non_string_text_raises_type_error():
    with pytest.raises(TypeError):
        resolve_period(2022, None)


@pytest.mark.parametrize("text", ["", "工业总产值", "以来", "截至"])
def test_unreadable_text_returns_none(text):
    assert resolve_period(text, datetime.date(2023, 7, 20)) is None


def test_no_dependence_on_todays_date(monkeypatch):
    # Without a reference date nothing may be filled in from the clock ...
    assert resolve_period("今年以来", None) == PeriodResolution("今年以来", None, None, "relative", True)
    # ... and the module never asks for it.
    source = inspect.getsource(periods_module)
    assert not re.search(r"\b(today|now|utcnow)\(|\btime\.time\(", source)

    class NoClock(datetime.date):
        @classmethod
        def today(cls):
            raise AssertionError("the clock was read")

    monkeypatch.setattr(periods_module.datetime, "date", NoClock)
    assert resolve_period("前三季度", NoClock(2023, 1, 15)).start == "2022-01-01"


def test_resolution_is_frozen_and_json_ready():
    resolution = resolve_period("上半年", datetime.date(2023, 7, 20))
    with pytest.raises(Exception):
        resolution.start = None  # frozen dataclass
    assert json.loads(json.dumps(resolution.to_dict())) == resolution.to_dict()


def test_a_single_month_written_danyue_is_that_month():
    import datetime

    from gzie.normalize import resolve_period
    found = resolve_period("9月单月", datetime.date(2024, 10, 5))
    assert (found.start, found.end) == ("2024-09-01", "2024-09-30")
