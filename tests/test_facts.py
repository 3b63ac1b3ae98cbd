import pytest

from gzie.facts import assemble_facts, assemble_policies
from gzie.training.metrics import record_entities, record_facts, record_relations


def facts_of(record):
    return {f["indicator"]: f for f in record_facts(record)}


def test_value_and_change_make_one_fact(tiny_records):
    fact = facts_of(tiny_records[0])["工业总产值"]
    assert fact["value"] == pytest.approx(4.12e11)
    assert fact["unit"] == "元"
    assert fact["change"] == pytest.approx(0.096)
    assert fact["change_text"] == "同比增长9.6%"


def test_period_resolves_against_the_document_date(tiny_records):
    fact = facts_of(tiny_records[0])["工业总产值"]
    assert fact["period"] == {"text": "前三季度", "start": "2022-01-01", "end": "2022-09-30"}


def test_period_carries_to_the_next_sentence(tiny_records):
    # 到位资金 has no IN_PERIOD of its own; 前三季度 was stated earlier in the paragraph
    assert facts_of(tiny_records[0])["到位资金"]["period"]["text"] == "前三季度"


def test_period_does_not_carry_into_the_next_paragraph():
    text = "上半年，工业总产值5200亿元。\n营业收入3000亿元。"
    record = {"text": text, "meta": {"date": "2022-07-20"},
              "spans": [{"start": 0, "end": 3, "label": "PERIOD"}, {"start": 17, "end": 21, "label": "INDICATOR"},
                        {"start": 21, "end": 27, "label": "VALUE"}],
              "relations": [{"head": 1, "child": 2, "label": "HAS_VALUE"}]}
    fact = record_facts(record)[0]
    assert fact["indicator"] == "营业收入" and fact["period"] is None


def test_zone_carries_to_later_figures(tiny_records):
    assert facts_of(tiny_records[0])["到位资金"]["zone"] == "全省开发区"


def test_list_with_fenbie_is_split_value_by_value(tiny_records):
    facts = facts_of(tiny_records[2])
    assert facts["规模以上工业增加值"]["change"] == pytest.approx(0.062)
    assert facts["营业收入"]["change"] == pytest.approx(0.084)


def test_decline_gives_a_negative_change(tiny_records):
    assert facts_of(tiny_records[2])["实际使用外资"]["change"] == pytest.approx(-0.125)


def test_amount_change_keeps_its_unit(tiny_records):
    fact = facts_of(tiny_records[4])["税收收入"]
    assert fact["change"] == pytest.approx(-3.1e8)
    assert fact["change_unit"] == "元"


def test_percentage_points_become_fractions(tiny_records):
    fact = facts_of(tiny_records[5])["单位能耗"]
    assert fact["change"] == pytest.approx(-0.005)
    assert fact["change_unit"] == "百分点"


def test_full_width_and_chinese_numerals(tiny_records):
    assert facts_of(tiny_records[4])["固定资产投资"]["change"] == pytest.approx(0.125)
    assert facts_of(tiny_records[3])["高新技术企业"]["value"] == pytest.approx(99)


def test_indicator_without_figure_gives_no_fact():
    text = "工业总产值稳步提升。"
    record = {"text": text, "spans": [{"start": 0, "end": 5, "label": "INDICATOR"}], "relations": []}
    assert record_facts(record) == []


def test_without_date_periods_stay_relative(tiny_records):
    record = tiny_records[0]
    facts = assemble_facts(record["text"], record_entities(record), record_relations(record), None)
    assert facts[0]["period"] == {"text": "前三季度", "start": None, "end": None}


def test_policies_get_issuers_and_document_number(tiny_records):
    record = tiny_records[1]
    policies = assemble_policies(record["text"], record_entities(record), record_relations(record))
    assert policies[0]["title"] == "关于支持开发区扩区调区的若干措施"
    assert sorted(policies[0]["issuers"]) == ["省商务厅", "省自然资源厅"]
    assert policies[0]["doc_number"] == "苏商发〔2023〕5号"


def _last_before_by_scan(entities, label, offset, lower):
    """The plain computation behind period and zone carry-over: the last entity by position."""
    from gzie.facts import _is_comparison

    found = None
    for e in sorted(entities, key=lambda e: (e.start, e.end)):
        if e.label == label and lower <= e.start and e.end <= offset and not (label == "PERIOD" and _is_comparison(e)):
            found = e
    return found


def test_indexed_last_before_answers_as_the_scan():
    """The bisection behind period and zone carry-over (long documents) agrees with the plain scan,
    whatever the order of the (non-overlapping) entities."""
    import random

    from gzie.facts import _LastBeforeIndex
    from gzie.text import Entity

    rng = random.Random(0)
    for _ in range(500):
        entities, position = [], 0
        for _ in range(rng.randint(0, 10)):
            start = position + rng.randint(0, 6)
            position = start + rng.randint(1, 6)
            entities.append(Entity(start, position, rng.choice(["PERIOD", "ZONE", "VALUE"]),
                                   rng.choice(["上半年", "去年同期", "全省", "上年"])))
        if rng.random() < 0.3:
            rng.shuffle(entities)
        for label in ("PERIOD", "ZONE"):
            index = _LastBeforeIndex(entities, label)
            for _ in range(10):
                offset = rng.randint(0, 70)
                lower = rng.randint(0, offset)
                assert index(offset, lower) == _last_before_by_scan(entities, label, offset, lower)
