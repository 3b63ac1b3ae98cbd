"""Normalizers: resolve the text of VALUE and PERIOD spans (finding the spans is done elsewhere)."""

from .numbers import parse_number
from .periods import PeriodResolution, resolve_period
from .values import ValueResolution, resolve_value

__all__ = ["ValueResolution", "PeriodResolution", "resolve_value", "resolve_period", "parse_number"]
