"""Policy offers (gzie.pipeline.offers): what a zone gives and how much."""

import pytest

from gzie.pipeline.offers import find_offers, offer_relations
from gzie.text import Entity


def offers(text: str, value: str) -> list[str]:
    start = text.index(value)
    return [text[a:b] for a, b in find_offers(text, [(start, start + len(value))])]


@pytest.mark.parametrize("text,value,expected", [
    ("给予最高500万元奖励。", "500万元", ["奖励"]),
    ("给予最高100万元安家补贴。", "100万元", ["安家补贴"]),
    ("每年给予不超过200万元的租金补贴。", "不超过200万元", ["租金补贴"]),
    ("每家最多补助200万元。", "200万元", ["补助"]),
])
def test_an_offer_word_next_to_a_value_is_its_indicator(text, value, expected):
    assert offers(text, value) == expected


def test_a_value_without_an_offer_word_has_none():
    assert offers("完成投资3.6亿元。", "3.6亿元") == []


def test_an_offer_takes_its_value():
    text = "给予最高500万元奖励"
    entities = [Entity(4, 9, "VALUE", "500万元"), Entity(9, 11, "INDICATOR", "奖励")]
    assert offer_relations(entities, text) == [(1, 0, "HAS_VALUE")]
