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


def test_a_giving_verb_between_a_value_and_its_offer_stays_outside():
    assert offers("按投资额的3%给予奖励。", "3%") == ["奖励"]


@pytest.mark.parametrize("text,value", [
    ("给予一次性奖励50万元。", "50万元"),
    ("给予200万元一次性奖励。", "200万元"),
])
def test_a_one_time_offer_keeps_its_attribute(text, value):
    assert offers(text, value) == ["一次性奖励"]


def test_an_offer_named_between_a_giving_verb_and_its_word_keeps_its_name():
    assert offers("园区发放人才补贴2860万元。", "2860万元") == ["人才补贴"]


def test_a_per_unit_cap_in_its_own_clause_belongs_to_the_offer_before_it():
    text = "按实际运费的30%给予补贴，每家企业最高100万元。"
    entities = [Entity(6, 9, "VALUE", "30%"), Entity(11, 13, "INDICATOR", "补贴"),
                Entity(20, 25, "VALUE", "100万元")]
    assert (1, 2, "HAS_VALUE") in offer_relations(entities, text)


def test_a_value_in_a_clause_of_its_own_without_a_per_unit_word_takes_no_offer():
    text = "给予补贴，园区投资100万元。"
    entities = [Entity(2, 4, "INDICATOR", "补贴"), Entity(9, 14, "VALUE", "100万元")]
    assert offer_relations(entities, text) == []
