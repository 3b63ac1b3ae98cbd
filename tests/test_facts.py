import pytest

from gzie.corpus.markup import parse_markup
from gzie.facts import assemble_facts, assemble_policies
from gzie.text import normalized_view
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


def marked(markup: str, date: str = "2024-11-08") -> list[dict]:
    """The facts of one document written in gzie's markup (guidelines, section 6)."""
    records, problems = parse_markup(f"### id=t date={date}\n{markup}")
    assert not problems, problems
    return record_facts(records[0])


def summary(facts: list[dict]) -> list[tuple]:
    return [(f["indicator"], f["value"], f["change"], f["period"] and (f["period"]["start"], f["period"]["end"]),
             f["zone"]) for f in facts]


def test_period_carries_into_later_paragraphs():
    facts = marked("[[上半年|PERIOD]]，[[工业总产值|INDICATOR|i1]][[5200亿元|VALUE|v1]]。\n"
                   "[[营业收入|INDICATOR|i2]][[3000亿元|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2")
    assert [f["period"]["end"] for f in facts] == ["2024-06-30", "2024-06-30"]


def test_period_in_the_headline_governs_the_body():
    facts = marked("[[青溪经开区|ZONE]][[前三季度|PERIOD]]经济运行稳中有进\n"
                   "园区[[营业收入|INDICATOR|i]]同比增长[[8.1%|VALUE|v]]。\n@rel i HAS_CHANGE v")
    assert summary(facts) == [("营业收入", None, 0.081, ("2024-01-01", "2024-09-30"), "青溪经开区")]


def test_a_new_period_takes_over():
    facts = marked("[[一季度|PERIOD]]，[[营业收入|INDICATOR|i1]]增长[[5%|VALUE|v1]]。[[上半年|PERIOD]]，"
                   "[[工业投资|INDICATOR|i2]]增长[[7%|VALUE|v2]]。[[税收收入|INDICATOR|i3]]增长[[2%|VALUE|v3]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2\n@rel i3 HAS_CHANGE v3")
    assert [f["period"]["end"] for f in facts] == ["2024-03-31", "2024-06-30", "2024-06-30"]


def test_a_comparison_base_is_never_the_period():
    facts = marked("[[前三季度|PERIOD]]，[[营业收入|INDICATOR|i1]]增长[[8%|VALUE|v1]]，比[[上半年|PERIOD]]加快1个百分点。"
                   "[[工业投资|INDICATOR|i2]]较[[2019年|PERIOD]]增长[[30%|VALUE|v2]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2")
    assert [f["period"]["text"] for f in facts] == ["前三季度", "前三季度"]


def test_a_linked_comparison_base_is_ignored_too():
    facts = marked("[[前三季度|PERIOD]]，[[营业收入|INDICATOR|i]]比[[去年同期|PERIOD|p]]增长[[8%|VALUE|v]]。\n"
                   "@rel i HAS_CHANGE v\n@rel i IN_PERIOD p")
    assert facts[0]["period"]["text"] == "前三季度"


def test_a_target_governs_only_its_sentence():
    facts = marked("[[上半年|PERIOD]]，[[营业收入|INDICATOR|i1]][[50亿元|VALUE|v1]]。到[[2025年|PERIOD]]，"
                   "[[营业收入|INDICATOR|i2]]力争达到[[120亿元|VALUE|v2]]。[[工业投资|INDICATOR|i3]][[8亿元|VALUE|v3]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i3 HAS_VALUE v3")
    assert [f["period"]["text"] for f in facts] == ["上半年", "2025年", "上半年"]


def test_dangnian_is_the_year_in_context():
    facts = marked("[[2018年|PERIOD]]，园区获批省级高新区。[[当年|PERIOD]][[营业收入|INDICATOR|i]][[12亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2024-05-01")
    assert facts[0]["period"] == {"text": "当年", "start": "2018-01-01", "end": "2018-12-31"}


def test_dangnian_without_a_period_in_scope_is_the_last_year_named():
    facts = marked("园区2007年升格为省级开发区。[[当年|PERIOD]][[营业收入|INDICATOR|i]][[12亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2024-05-01")
    assert facts[0]["period"]["start"] == "2007-01-01"


def test_tongnian_reads_like_dangnian():
    facts = marked("[[2018年|PERIOD]]，园区获批。[[同年|PERIOD]][[营业收入|INDICATOR|i]][[12亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2024-05-01")
    assert facts[0]["period"]["start"] == "2018-01-01"


def test_fenbie_over_a_range_of_years_gives_each_item_its_year():
    facts = marked("[[2019年至2021年|PERIOD]]，[[营业收入|INDICATOR|i]]分别完成[[128.4亿元|VALUE|a]]、[[156.9亿元|VALUE|b]]、"
                   "[[183亿元|VALUE|c]]。\n@rel i HAS_VALUE a\n@rel i HAS_VALUE b\n@rel i HAS_VALUE c")
    assert [(f["value"], f["period"]["start"][:4]) for f in facts] == [
        (12840000000.0, "2019"), (15690000000.0, "2020"), (18300000000.0, "2021")]


def test_a_list_of_periods_pairs_position_by_position():
    facts = marked("[[2022年|PERIOD|p1]]、[[2023年|PERIOD|p2]]，[[营业收入|INDICATOR|i]]分别为[[10亿元|VALUE|a]]、"
                   "[[12亿元|VALUE|b]]。\n@rel i HAS_VALUE a\n@rel i HAS_VALUE b\n@rel i IN_PERIOD p1\n@rel i IN_PERIOD p2")
    assert [(f["value"], f["period"]["text"]) for f in facts] == [(1e9, "2022年"), (1.2e9, "2023年")]


def test_a_change_of_the_growth_rate_is_not_the_indicators_change():
    facts = marked("[[前三季度|PERIOD]]，[[规模以上工业增加值|INDICATOR|i]]同比增长[[8.1%|VALUE|v]]，"
                   "增速比[[上半年|PERIOD]]提高[[0.6个百分点|VALUE|w]]。\n@rel i HAS_CHANGE v\n@rel i HAS_CHANGE w")
    assert summary([f for f in facts if f["indicator"] == "规模以上工业增加值"]) == [
        ("规模以上工业增加值", None, 0.081, ("2024-01-01", "2024-09-30"), None)]


@pytest.mark.parametrize("words", ["拉动全市工业增长", "两年平均增长", "高于全市平均水平"])
def test_contributions_averages_and_gaps_are_not_figures(words):
    facts = marked(f"[[营业收入|INDICATOR|i]]增长[[8%|VALUE|v]]，{words}[[2.1个百分点|VALUE|w]]。\n"
                   "@rel i HAS_CHANGE v\n@rel i HAS_CHANGE w")
    assert [f["change"] for f in facts] == [0.08]


def test_a_growth_rate_written_as_the_value_is_the_change():
    facts = marked("[[营业收入|INDICATOR|i]]增速达到[[14.6%|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert (facts[0]["value"], facts[0]["change"]) == (None, 0.146)


def test_a_share_keeps_its_change_in_percentage_points():
    facts = marked("[[规上工业总产值|INDICATOR|i]][[405亿元|VALUE|a]]，同比增长[[9%|VALUE|b]]，占全市比重为[[31.4%|VALUE|c]]，"
                   "同比提高[[1.5个百分点|VALUE|d]]。\n@rel i HAS_VALUE a\n@rel i HAS_CHANGE b\n@rel i HAS_VALUE c\n@rel i HAS_CHANGE d")
    assert [(f["value"], f["change"]) for f in facts] == [(40500000000.0, 0.09), (0.314, 0.015)]


def test_an_absolute_difference_is_a_change_with_its_unit():
    facts = marked("[[新增注册企业|INDICATOR|i]][[4127家|VALUE|v]]，比去年同期多出[[612家|VALUE|c]]。\n"
                   "@rel i HAS_VALUE v\n@rel i HAS_CHANGE c")
    assert (facts[0]["value"], facts[0]["change"], facts[0]["change_unit"]) == (4127.0, 612.0, "家")


@pytest.mark.parametrize("text,qualifier", [("突破", "more_than"), ("给予最高", "at_most")])
def test_a_qualifier_before_the_value(text, qualifier):
    facts = marked(f"[[奖励|INDICATOR|i]]{text}[[500万元|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert facts[0]["qualifier"] == qualifier


def test_percentage_points_are_rounded_to_the_text():
    facts = marked("[[占比|INDICATOR|i]]提高[[0.9个百分点|VALUE|v]]。\n@rel i HAS_CHANGE v")
    assert repr(facts[0]["change"]) == "0.009"


def test_a_zone_body_as_the_source_gives_the_zone():
    facts = marked("[[合肥高新区管委会|AGENCY]]发布数据显示，[[前三季度|PERIOD]]，[[营业收入|INDICATOR|i]]增长[[9%|VALUE|v]]。\n"
                   "@rel i HAS_CHANGE v")
    assert facts[0]["zone"] == "合肥高新区"


def test_a_citywide_figure_has_no_zone():
    facts = marked("[[青溪经开区|ZONE]][[前三季度|PERIOD]]数据发布\n[[前三季度|PERIOD]]，全市[[规模以上工业增加值|INDICATOR|i]]"
                   "同比增长[[6.2%|VALUE|v]]。\n@rel i HAS_CHANGE v")
    assert summary(facts) == [("规模以上工业增加值", None, 0.062, ("2024-01-01", "2024-09-30"), None)]


def test_a_zone_group_with_a_count_gives_a_count_fact():
    facts = marked("[[2023年|PERIOD]]，[[全市37个省级以上开发区|ZONE]]运行平稳。")
    assert summary(facts) == [("省级以上开发区", 37.0, None, ("2023-01-01", "2023-12-31"), "全市37个省级以上开发区")]


def test_a_zone_group_followed_by_its_count_gives_a_count_fact():
    facts = marked("全省现有[[省级以上开发区|ZONE]][[96家|VALUE]]。")
    assert summary(facts) == [("省级以上开发区", 96.0, None, None, "省级以上开发区")]


def test_a_count_an_indicator_took_is_no_count_of_zones():
    facts = marked("[[高新技术企业|INDICATOR|i]]落户[[省级以上开发区|ZONE]][[96家|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert [f["indicator"] for f in facts] == ["高新技术企业"]


def test_nothing_on_a_clutter_line_becomes_a_fact():
    facts = marked("[[浏览次数|INDICATOR|i]]：[[1234次|VALUE|v]]\n@rel i HAS_VALUE v")
    assert facts == []


def test_half_width_and_full_width_punctuation_give_the_same_facts(tiny_records):
    record = tiny_records[0]
    half = dict(record, text=record["text"].translate(str.maketrans("，；：（）", ",;:()")))
    assert normalized_view(half["text"]) == normalized_view(record["text"])

    def comparable(facts):
        return [{k: (normalized_view(v) if isinstance(v, str) else v) for k, v in f.items() if k != "period"}
                | {"period": f["period"] and {**f["period"], "text": normalized_view(f["period"]["text"])}}
                for f in facts]

    assert comparable(record_facts(half)) == comparable(record_facts(record))


def test_a_list_of_zones_pairs_position_by_position():
    facts = marked("[[前三季度|PERIOD]]，[[青溪经开区|ZONE|z1]]、[[石门工业园区|ZONE|z2]][[营业收入|INDICATOR|i]]分别增长[[8%|VALUE|a]]、"
                   "[[6%|VALUE|b]]。\n@rel i HAS_CHANGE a\n@rel i HAS_CHANGE b\n@rel i IN_ZONE z1\n@rel i IN_ZONE z2")
    assert [(f["change"], f["zone"]) for f in facts] == [(0.08, "青溪经开区"), (0.06, "石门工业园区")]


def test_a_list_of_values_and_a_list_of_changes_pair_by_position():
    facts = marked("[[2023年|PERIOD|p]]，[[甲开发区|ZONE|z1]]、[[乙开发区|ZONE|z2]][[营业收入|INDICATOR|i]]分别为[[10亿元|VALUE|a]]、"
                   "[[12亿元|VALUE|b]]，分别增长[[6.3%|VALUE|c]]、[[18.4%|VALUE|d]]。\n@rel i HAS_VALUE a\n@rel i HAS_VALUE b\n"
                   "@rel i HAS_CHANGE c\n@rel i HAS_CHANGE d\n@rel i IN_ZONE z1\n@rel i IN_ZONE z2\n@rel i IN_PERIOD p")
    assert [(f["zone"], f["value"], f["change"]) for f in facts] == [("甲开发区", 1e9, 0.063), ("乙开发区", 1.2e9, 0.184)]


def test_dao_before_a_day_that_has_passed_is_an_as_of_period():
    facts = marked("到[[6月底|PERIOD|p]]，[[市场主体总量|INDICATOR|i]]达到[[1.86万户|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v\n@rel i IN_PERIOD p", date="2019-07-10")
    assert (facts[0]["period"]["start"], facts[0]["period"]["end"]) == (None, "2019-06-30")


def test_dao_before_a_year_to_come_stays_a_target():
    facts = marked("到[[2025年|PERIOD|p]]，[[营业收入|INDICATOR|i]]力争达到[[120亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v\n@rel i IN_PERIOD p", date="2023-03-01")
    assert facts[0]["period"]["start"] == "2025-01-01"


def test_points_after_a_growth_rate_change_the_rate_not_the_indicator():
    facts = marked("[[1-11月|PERIOD|p]]，[[规模以上工业增加值|INDICATOR|i]]增长[[3.8%|VALUE|c]]，比[[1-10月|PERIOD]]提高"
                   "[[0.5个百分点|VALUE|d]]。\n@rel i HAS_CHANGE c\n@rel i HAS_CHANGE d\n@rel i IN_PERIOD p")
    assert [(f["value"], f["change"]) for f in facts if f["indicator"] == "规模以上工业增加值"] == [(None, 0.038)]


def test_a_round_threshold_before_the_exact_figure_is_no_fact():
    facts = marked("[[工业总产值|INDICATOR|i]]突破[[五百亿元|VALUE|a]]，达到[[512.6亿元|VALUE|b]]。\n"
                   "@rel i HAS_VALUE a\n@rel i HAS_VALUE b")
    assert [f["value"] for f in facts] == [51260000000.0]


def test_a_round_threshold_after_the_exact_figure_is_no_fact():
    facts = marked("[[工业总产值|INDICATOR|i]][[1718.2亿元|VALUE|b]]，同比增长[[11.3%|VALUE|c]]，首次突破[[1700亿元|VALUE|a]]。\n"
                   "@rel i HAS_VALUE b\n@rel i HAS_CHANGE c\n@rel i HAS_VALUE a")
    assert [(f["value"], f["change"]) for f in facts] == [(171820000000.0, 0.113)]


def test_the_date_of_an_event_is_no_period_for_later_figures():
    facts = marked("园区[[2012年|PERIOD]]经国务院批复设立，[[规划面积|INDICATOR|i]][[42.6平方公里|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2024-05-01")
    assert facts[0]["period"] is None


def test_a_change_stated_before_its_level_pairs_with_it():
    facts = marked("[[高新技术企业|INDICATOR|i]]净增[[126家|VALUE|c]]，达到[[682家|VALUE|v]]。\n"
                   "@rel i HAS_CHANGE c\n@rel i HAS_VALUE v")
    assert [(f["value"], f["change"]) for f in facts] == [(682.0, 126.0)]


def test_a_fact_in_a_text_without_sentence_ends_carries_a_bounded_sentence():
    filler = "园区持续优化营商环境推动产业转型升级" * 60
    facts = marked(filler + "[[高新技术企业|INDICATOR|i]]达到[[2.1万家|VALUE|v]]" + filler + "\n@rel i HAS_VALUE v")
    assert "高新技术企业达到2.1万家" in facts[0]["sentence"] and len(facts[0]["sentence"]) <= 300


def test_a_zone_heading_a_qita_clause_takes_the_indicator_before_it():
    facts = marked("[[前三季度|PERIOD|p]]，全县[[主营业务收入|INDICATOR|i]][[412.6亿元|VALUE|v]]，增长[[10.2%|VALUE|c]]；"
                   "其中[[丹霞产业园|ZONE]]完成[[286.4亿元|VALUE]]，增长[[13.1%|VALUE]]。\n"
                   "@rel i HAS_VALUE v\n@rel i HAS_CHANGE c\n@rel i IN_PERIOD p")
    assert summary(facts) == [("主营业务收入", 41260000000.0, 0.102, ("2024-01-01", "2024-09-30"), None),
                              ("主营业务收入", 28640000000.0, 0.131, ("2024-01-01", "2024-09-30"), "丹霞产业园")]


def test_a_zone_heading_a_qita_clause_without_figures_adds_nothing():
    facts = marked("[[主营业务收入|INDICATOR|i]][[412.6亿元|VALUE|v]]，其中[[丹霞产业园|ZONE]]占一半。\n@rel i HAS_VALUE v")
    assert len(facts) == 1


def test_each_zone_of_a_qita_breakdown_takes_the_indicator_with_the_unit_of_its_figure():
    facts = marked("[[3月份|PERIOD|p]]，[[新开工项目|INDICATOR|i1]][[14个|VALUE|v1]]，[[计划总投资|INDICATOR|i2]]"
                   "[[92.6亿元|VALUE|v2]]；其中[[青溪经开区|ZONE]]开工[[6个|VALUE]]，[[梧桐高新区|ZONE]]开工[[3个|VALUE]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i1 IN_PERIOD p\n@rel i2 IN_PERIOD p")
    assert [(f["indicator"], f["value"], f["zone"]) for f in facts[2:]] == [("新开工项目", 6.0, "青溪经开区"),
                                                                          ("新开工项目", 3.0, "梧桐高新区")]


def test_a_single_month_aside_governs_its_own_sentence_only():
    facts = marked("[[上半年|PERIOD]]，[[营业收入|INDICATOR|i1]]增长[[5%|VALUE|v1]]。[[6月当月|PERIOD]]，"
                   "[[工业产值|INDICATOR|i2]]增长[[9%|VALUE|v2]]。[[税收收入|INDICATOR|i3]]增长[[2%|VALUE|v3]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2\n@rel i3 HAS_CHANGE v3")
    assert [(f["period"]["start"], f["period"]["end"]) for f in facts] == [
        ("2024-01-01", "2024-06-30"), ("2024-06-01", "2024-06-30"), ("2024-01-01", "2024-06-30")]


def test_a_period_mentioned_after_every_figure_of_its_sentence_is_not_carried():
    facts = marked("[[一季度|PERIOD]]，[[工业产值|INDICATOR|i1]]增长[[11.6%|VALUE|v1]]，扭转了[[去年|PERIOD]]以来持续下滑的局面。"
                   "[[营业收入|INDICATOR|i2]]增长[[6%|VALUE|v2]]。\n@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2")
    assert [f["period"]["end"] for f in facts] == ["2024-03-31", "2024-03-31"]


def test_a_bare_zone_word_of_another_kind_ends_the_scope_of_a_group_of_zones():
    facts = marked("[[1至11月|PERIOD]]，[[全市开发区|ZONE]]完成[[固定资产投资|INDICATOR|i1]][[826.4亿元|VALUE|v1]]。\n"
                   "截至目前，高新区拥有[[高新技术企业|INDICATOR|i2]][[683家|VALUE|v2]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2")
    assert [f["zone"] for f in facts] == ["全市开发区", None]


def test_a_bare_zone_word_of_the_groups_kind_keeps_the_group_in_scope():
    facts = marked("[[1至11月|PERIOD]]，[[全市开发区|ZONE]]完成[[固定资产投资|INDICATOR|i1]][[826.4亿元|VALUE|v1]]。\n"
                   "开发区[[实际使用外资|INDICATOR|i2]][[3.68亿美元|VALUE|v2]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2")
    assert [f["zone"] for f in facts] == ["全市开发区", "全市开发区"]


def test_a_list_of_periods_before_fenbie_gives_each_value_its_period():
    facts = marked("[[“十四五”以来|PERIOD]]，[[营业收入|INDICATOR|i]]年均增长[[10.8%|VALUE|c]]，[[2021年|PERIOD]]、"
                   "[[2022年|PERIOD]]和[[2023年|PERIOD]]分别为[[112.5亿元|VALUE|v1]]、[[131.8亿元|VALUE|v2]]、"
                   "[[143.2亿元|VALUE|v3]]。\n@rel i HAS_CHANGE c\n@rel i HAS_VALUE v1\n@rel i HAS_VALUE v2\n"
                   "@rel i HAS_VALUE v3", date="2025-03-01")
    assert [(f["value"], f["change"], f["period"]["text"]) for f in facts] == [
        (None, 0.108, "“十四五”以来"), (1.125e10, None, "2021年"), (1.318e10, None, "2022年"), (1.432e10, None, "2023年")]


def test_changes_listed_after_fenbie_go_to_the_indicators_before_by_position():
    facts = marked("[[截至9月底|PERIOD]]，全区[[高新技术企业|INDICATOR|i1]][[318家|VALUE|v1]]，[[研发平台|INDICATOR|i2]]"
                   "[[97个|VALUE|v2]]，比上年末分别增加[[41家|VALUE|c1]]和[[14个|VALUE|c2]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i2 HAS_CHANGE c1")
    assert [(f["indicator"], f["value"], f["change"]) for f in facts] == [("高新技术企业", 318.0, 41.0),
                                                                          ("研发平台", 97.0, 14.0)]


def test_a_period_inside_an_eligibility_condition_is_no_period():
    facts = marked("[[2013年|PERIOD]]，高新区出台扶持办法。对[[上年度|PERIOD]]研发费用超过300万元的企业，"
                   "给予[[研发补助|INDICATOR|i]][[100万元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2013-11-08")
    assert facts[0]["period"]["text"] == "2013年"


def test_a_qualifier_that_ends_another_word_qualifies_nothing():
    facts = marked("园区集中签约[[8个|VALUE|v]][[项目|INDICATOR|i]]。\n@rel i HAS_VALUE v")
    assert facts[0]["qualifier"] is None


def test_the_later_level_of_a_rise_from_one_level_to_another_is_the_value():
    facts = marked("[[截至2025年末|PERIOD]]，[[高新技术企业|INDICATOR|i]]由[[2020年末|PERIOD]]的[[548家|VALUE|a]]增加到"
                   "[[1286家|VALUE|b]]。\n@rel i HAS_VALUE a\n@rel i HAS_CHANGE b", date="2026-01-08")
    assert [(f["value"], f["change"], f["period"]["text"]) for f in facts] == [(1286.0, None, "截至2025年末")]


def test_a_period_in_the_name_of_a_plan_is_no_period():
    facts = marked("[[1-11月|PERIOD]]，城镇新增就业[[1.34万人|VALUE|v1]]，完成[[全年|PERIOD]]目标任务的[[111.7%|VALUE]]。"
                   "[[农村劳动力转移就业|INDICATOR|i2]][[0.86万人|VALUE|v2]]。\n@rel i2 HAS_VALUE v2")
    assert facts[0]["period"]["text"] == "1-11月"


def test_a_period_in_the_base_of_a_rate_is_no_period():
    facts = marked("[[2021年|PERIOD]]，高新区出台办法。按企业[[上年度|PERIOD]]研发费用的10%给予[[后补助|INDICATOR|i]]，"
                   "单个企业最高[[50万元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2021-06-01")
    assert facts[0]["period"]["text"] == "2021年"


def test_quannian_takes_the_year_named_before_it_in_its_paragraph():
    facts = marked("[[2022年|PERIOD]]，经开区[[全年|PERIOD]]实现[[地区生产总值|INDICATOR|i]][[612亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["period"] == {"text": "全年", "start": "2022-01-01", "end": "2022-12-31"}


def test_quannian_after_a_relative_period_is_read_against_the_document_date():
    # 四季度 in a release of October 2021 is the last fourth quarter (2020): no year of the figures
    facts = marked("[[四季度|PERIOD]]怎么冲刺？确保[[全年|PERIOD]][[工业投资|INDICATOR|i]]增长[[20%|VALUE|v]]。\n"
                   "@rel i HAS_CHANGE v", date="2021-10-26")
    assert facts[0]["period"]["end"] == "2021-12-31"


def test_quannian_does_not_take_a_year_from_an_earlier_paragraph():
    facts = marked("[[2011年|PERIOD]]国务院批复了总体规划。\n[[全年|PERIOD]][[新开工项目|INDICATOR|i]][[42个|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2018-01-30")
    assert facts[0]["period"]["end"] == "2017-12-31"


def test_a_year_before_nari_jiance_is_the_period_of_the_zones_counted():
    facts = marked("[[2019年|PERIOD]]，纳入监测的[[全区26个开发区|ZONE]]实现[[工业总产值|INDICATOR|i1]][[3186.5亿元|VALUE|v1]]。"
                   "[[营业收入|INDICATOR|i2]][[3820.4亿元|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2",
                   date="2020-03-10")
    assert [f["period"]["text"] for f in facts if f["indicator"] == "营业收入"] == ["2019年"]


def test_a_change_after_a_bracketed_breakdown_is_the_change_of_the_figure_before_it():
    facts = marked("[[2023年|PERIOD]]，[[进出口总额|INDICATOR|i1]][[86.4亿元|VALUE|v1]]（其中，[[出口|INDICATOR|i2]]"
                   "[[51.2亿元|VALUE|v2]]，[[进口|INDICATOR|i3]][[35.2亿元|VALUE|v3]]），同比增长[[4.6%|VALUE|v4]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i3 HAS_VALUE v3\n@rel i3 HAS_CHANGE v4")
    assert [(f["indicator"], f["change"]) for f in facts] == [("进出口总额", 0.046), ("出口", None), ("进口", None)]


def test_a_zone_of_a_qita_breakdown_governs_its_sentence_only():
    facts = marked("[[上半年|PERIOD]]，[[全省高新区|ZONE]]实现[[营业收入|INDICATOR|i1]][[5000亿元|VALUE|v1]]，其中，"
                   "[[国家高新区|ZONE]]实现[[营业收入|INDICATOR|i2]][[3000亿元|VALUE|v2]]。"
                   "[[高新技术企业|INDICATOR|i3]]达到[[5000家|VALUE|v3]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i3 HAS_VALUE v3")
    assert [f["zone"] for f in facts] == ["全省高新区", "国家高新区", "全省高新区"]


def test_the_field_of_a_rank_is_no_zone_in_scope():
    facts = marked("[[前三季度|PERIOD]]，[[湘潭经开区|ZONE]][[规上工业增加值|INDICATOR|i1]]增长[[8%|VALUE|v1]]，位居"
                   "[[全省园区|ZONE]]前三。园区[[新增企业|INDICATOR|i2]][[39家|VALUE|v2]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_VALUE v2")
    assert [f["zone"] for f in facts] == ["湘潭经开区", "湘潭经开区"]


def test_the_field_of_a_rank_with_several_lead_words_is_no_zone_in_scope():
    facts = marked("[[梧桐高新区|ZONE]]在[[全省高新区|ZONE]]综合排名中位列第八。园区[[新增企业|INDICATOR|i]][[39家|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "梧桐高新区"


def test_a_zone_in_brackets_governs_nothing_outside_them():
    facts = marked("[[上半年|PERIOD]]，[[全省高新区|ZONE]]实现[[营业收入|INDICATOR|i1]][[2066亿元|VALUE|v1]]（未含[[南岭高新区|ZONE]]），"
                   "[[利润总额|INDICATOR|i2]][[180亿元|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2")
    assert [f["zone"] for f in facts] == ["全省高新区", "全省高新区"]


def test_a_period_in_brackets_before_a_figure_is_no_period_of_the_figures_after_them():
    facts = marked("[[2022年|PERIOD]]，园区招引[[亿元以上项目|INDICATOR|i1]][[31个|VALUE|v1]]（[[2021年全年|PERIOD]][[30个|VALUE|v3]]），"
                   "[[计划总投资|INDICATOR|i2]][[273.8亿元|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2",
                   date="2023-01-17")
    assert [(f["indicator"], f["period"]["text"]) for f in facts if f["value_text"] != "30个"] == [
        ("亿元以上项目", "2022年"), ("计划总投资", "2022年")]


def test_the_date_of_an_earlier_rank_is_a_base():
    facts = marked("[[2013年|PERIOD]]，综合排名由[[2008年|PERIOD]]的第20位上升到第16位。今年[[营业总收入|INDICATOR|i]]力争"
                   "[[4900亿元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2014-03-01")
    assert facts[0]["period"]["text"] == "2013年"


def test_quannian_takes_a_year_named_before_it_in_its_paragraph_outside_a_period():
    facts = marked("[[北湖经开区|ZONE]]2023年交出了一份答卷。[[全年|PERIOD]]完成[[营业收入|INDICATOR|i]][[1120亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2024-11-08")
    assert (facts[0]["period"]["start"], facts[0]["period"]["end"]) == ("2023-01-01", "2023-12-31")


def test_quannian_in_a_plan_named_after_it_governs_nothing():
    facts = marked("[[上半年|PERIOD]]，园区提前完成[[全年|PERIOD]]招引2个重大产业项目的任务。[[总投资|INDICATOR|i]]"
                   "[[10亿元|VALUE|v]]的装备项目已投产。\n@rel i HAS_VALUE v", date="2024-08-01")
    assert facts[0]["period"]["text"] == "上半年"


def test_a_look_back_after_a_figure_governs_its_sentence_only():
    facts = marked("[[2024年|PERIOD]]，[[科技型中小企业|INDICATOR|i1]]近[[2700家|VALUE|v1]]，[[近三年|PERIOD]]平均增长"
                   "[[20%|VALUE|v2]]。\n园区[[新增企业|INDICATOR|i2]][[395家|VALUE|v3]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i1 HAS_CHANGE v2\n@rel i2 HAS_VALUE v3", date="2025-01-10")
    assert facts[-1]["period"]["text"] == "2024年"


def test_a_contribution_rate_is_a_fact_of_its_own():
    facts = marked("[[规上工业增加值|INDICATOR|i1]]增长[[9.1%|VALUE|v1]]，[[对全市工业增长的贡献率|INDICATOR|i2]]达"
                   "[[34.6%|VALUE|v2]]。\n@rel i1 HAS_CHANGE v1\n@rel i2 HAS_VALUE v2")
    assert [(f["indicator"], f["value"], f["change"]) for f in facts] == [
        ("规上工业增加值", None, 0.091), ("对全市工业增长的贡献率", 0.346, None)]


def test_a_pull_on_growth_is_no_figure_of_the_indicator_inside_it():
    facts = marked("[[规上工业增加值|INDICATOR|i1]]增长[[9.1%|VALUE|v1]]，拉动全市[[工业|INDICATOR|i2]]增长"
                   "[[2.9个百分点|VALUE|v2]]。\n@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2")
    assert [f["indicator"] for f in facts] == ["规上工业增加值"]


def test_a_zone_after_a_verb_of_ranking_is_the_field_of_a_rank():
    facts = marked("[[北湖经开区|ZONE]]排名[[全国230家国家级经开区|ZONE]]的第23名，[[实际使用外资|INDICATOR|i]]"
                   "[[3.2亿美元|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert [(f["indicator"], f["zone"]) for f in facts if f["indicator"] == "实际使用外资"] == [("实际使用外资", "北湖经开区")]


def test_an_item_of_a_list_sharing_a_head_takes_the_head_in_its_name():
    facts = marked("[[第一产业|INDICATOR|i1]]、[[第三产业增加值|INDICATOR|i2]]分别增长[[3.1%|VALUE|v1]]和[[6.8%|VALUE|v2]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2")
    assert [f["indicator"] for f in facts] == ["第一产业增加值", "第三产业增加值"]


def test_a_measure_in_a_list_sharing_a_head_keeps_its_name():
    facts = marked("[[地区生产总值|INDICATOR|i1]]、[[规上工业增加值|INDICATOR|i2]]分别增长[[6%|VALUE|v1]]和[[8%|VALUE|v2]]。\n"
                   "@rel i1 HAS_CHANGE v1\n@rel i2 HAS_CHANGE v2")
    assert [f["indicator"] for f in facts] == ["地区生产总值", "规上工业增加值"]


def test_a_change_of_a_growth_rate_is_a_fact_of_the_rate():
    facts = marked("[[前三季度|PERIOD]]，[[规上工业增加值|INDICATOR|i]]同比增长[[8.1%|VALUE|v1]]，增速比[[上半年|PERIOD]]提高"
                   "[[0.6个百分点|VALUE|v2]]。\n@rel i HAS_CHANGE v1\n@rel i HAS_CHANGE v2")
    assert [(f["indicator"], f["change"], f["change_unit"]) for f in facts] == [
        ("规上工业增加值", 0.081, "%"), ("规上工业增加值增速", 0.006, "百分点")]


def test_a_gap_to_another_area_is_no_change_of_the_rate():
    facts = marked("[[规上工业增加值|INDICATOR|i]]增长[[18%|VALUE|v1]]，高于全省平均水平[[6.9个百分点|VALUE|v2]]。\n"
                   "@rel i HAS_CHANGE v1")
    assert [f["indicator"] for f in facts] == ["规上工业增加值"]


def test_a_bare_zone_word_brings_back_the_zone_of_its_kind():
    facts = marked("[[西安高新区|ZONE]]介绍了[[云谷软件城|ZONE]]的规划。[[一季度|PERIOD]]，高新区实现"
                   "[[营业收入|INDICATOR|i]][[1200亿元|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "西安高新区"


def test_a_bare_zone_word_keeps_the_zone_of_its_kind_in_scope():
    facts = marked("[[苏州工业园区|ZONE]]下辖[[中新合作区|ZONE]]。园区实现[[地区生产总值|INDICATOR|i]][[1520亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "苏州工业园区"


def test_zhe_yi_nian_is_the_year_named_before_it():
    facts = marked("[[2024年|PERIOD]]是极不平凡的一年。[[这一年|PERIOD]]，经开区实现[[营业收入|INDICATOR|i]][[120亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2025-02-10")
    assert facts[0]["period"] == {"text": "这一年", "start": "2024-01-01", "end": "2024-12-31"}


def test_a_zone_group_reaching_a_count_gives_a_count_fact():
    facts = marked("全省[[国家级经开区|ZONE]]达到[[5个|VALUE]]。")
    assert summary(facts) == [("国家级经开区", 5.0, None, None, "国家级经开区")]


def test_a_bare_zone_word_before_any_zone_takes_the_zone_of_its_kind_named_later():
    facts = marked("高新区实现[[营业收入|INDICATOR|i]][[120亿元|VALUE|v]]。[[厦门火炬高新区管委会|AGENCY]]表示，将继续推进。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "厦门火炬高新区"


def test_a_bare_zone_word_before_two_zones_of_its_kind_takes_none():
    facts = marked("高新区实现[[营业收入|INDICATOR|i]][[120亿元|VALUE|v]]。[[厦门火炬高新区|ZONE]]和[[泉州高新区|ZONE]]签约。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["zone"] is None


def test_a_plan_after_zhan_governs_nothing():
    facts = marked("[[1至5月|PERIOD]]，园区完成[[投资|INDICATOR|i1]][[17.3亿元|VALUE|v1]]，占[[全年|PERIOD]]计划的45%。"
                   "[[产业项目投资|INDICATOR|i2]][[6.8亿元|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2")
    assert [f["period"]["text"] for f in facts] == ["1至5月", "1至5月"]


def test_a_month_heading_a_clause_with_no_figure_dates_an_event():
    facts = marked("[[2020年|PERIOD]]产业集聚区发展方案出台\n[[2019年8月|PERIOD]]，省政府提出推进产业集聚区二次创业。\n"
                   "方案明确，[[规模以上工业增加值|INDICATOR|i]]占全省工业比重达[[68%|VALUE|v]]以上。\n@rel i HAS_VALUE v",
                   date="2020-04-10")
    assert facts[0]["period"]["text"] == "2020年"


def test_a_month_heading_a_clause_with_its_figures_is_their_period():
    facts = marked("[[2019年8月|PERIOD]]，园区[[规上工业产值|INDICATOR|i1]]增长[[6.1%|VALUE|c1]]。"
                   "[[工业投资|INDICATOR|i2]]增长[[9.8%|VALUE|c2]]。\n@rel i1 HAS_CHANGE c1\n@rel i2 HAS_CHANGE c2",
                   date="2019-09-20")
    assert [f["period"]["text"] for f in facts] == ["2019年8月", "2019年8月"]


def test_a_span_of_months_heading_a_clause_with_no_figure_governs_on():
    facts = marked("[[1-8月|PERIOD]]，园区经济稳中有进。[[规上工业产值|INDICATOR|i]]增长[[6.1%|VALUE|c]]。\n"
                   "@rel i HAS_CHANGE c", date="2019-09-20")
    assert facts[0]["period"]["text"] == "1-8月"


def test_a_zone_named_as_a_title_sought_is_no_zone_in_scope():
    facts = marked("[[上新庄工业园区|ZONE]]以建材产业为主导，打造成[[西宁地区新型工业基地|ZONE]]。"
                   "[[今年|PERIOD]]完成[[投资|INDICATOR|i]][[3.6亿元|VALUE|v]]。\n@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "上新庄工业园区"


def test_the_year_of_a_plan_in_a_headline_governs_no_later_sentence():
    facts = marked("[[2021年|PERIOD]]工作总结暨[[2022年|PERIOD]]工作安排\n一、过去一年工作回顾\n"
                   "[[全年|PERIOD]]，园区完成[[工业总产值|INDICATOR|i]][[236.8亿元|VALUE|v]]。\n@rel i HAS_VALUE v",
                   date="2022-01-18")
    assert facts[0]["period"]["end"] == "2021-12-31"


def test_quannian_takes_the_year_heading_an_earlier_paragraph():
    facts = marked("[[2008年|PERIOD]]，在复杂严峻的形势下，全区圆满完成了各项目标任务。\n回顾[[全年|PERIOD]]工作，成绩显著。\n"
                   "全区实现[[生产总值|INDICATOR|i]][[95亿元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2024-11-08")
    assert facts[0]["period"]["end"] == "2008-12-31"


def test_a_later_quannian_is_read_as_the_one_before_it():
    facts = marked("[[2003 年|PERIOD]]，开发区坚持二次创业。\n[[全年|PERIOD]]实现[[财政收入|INDICATOR|i1]][[6亿元|VALUE|v1]]。\n"
                   "[[全年|PERIOD]]新引进[[项目|INDICATOR|i2]][[65个|VALUE|v2]]。\n@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2",
                   date="2024-11-08")
    assert [f["period"]["end"] for f in facts] == ["2003-12-31", "2003-12-31"]


def test_a_forecast_period_governs_its_own_sentence_only():
    facts = marked("[[1-11月|PERIOD]]，园区完成[[工业总产值|INDICATOR|i1]][[109.4亿元|VALUE|v1]]，预计[[全年|PERIOD]]实现"
                   "[[工业总产值|INDICATOR|i2]][[120亿元|VALUE|v2]]以上。完成[[项目评审|INDICATOR|i3]][[14个|VALUE|v3]]。\n"
                   "@rel i1 HAS_VALUE v1\n@rel i2 HAS_VALUE v2\n@rel i3 HAS_VALUE v3", date="2024-12-10")
    assert [f["period"]["text"] for f in facts] == ["1-11月", "全年", "1-11月"]


def test_a_growth_and_a_share_after_it_are_two_facts():
    facts = marked("[[上半年|PERIOD]]，[[规模以上工业总产值|INDICATOR|i]]同比增长[[9.5%|VALUE|c]]，占全市比重[[44.9%|VALUE|v]]。\n"
                   "@rel i HAS_CHANGE c\n@rel i HAS_VALUE v")
    assert [(f["value"], f["change"]) for f in facts] == [(None, 0.095), (0.449, None)]


def test_a_share_and_a_change_in_points_are_one_fact():
    facts = marked("[[研发投入占营业收入比重|INDICATOR|i]]达到[[6.3%|VALUE|v]]，较上年提高[[0.4个百分点|VALUE|c]]。\n"
                   "@rel i HAS_VALUE v\n@rel i HAS_CHANGE c")
    assert [(f["value"], f["change"]) for f in facts] == [(0.063, 0.004)]


def test_a_zone_in_brackets_after_a_district_is_its_other_name_and_governs_on():
    facts = marked("[[上半年|PERIOD]]，金湾区（[[珠海经济技术开发区|ZONE]]）实现[[地区生产总值|INDICATOR|i]][[372.88亿元|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["zone"] == "珠海经济技术开发区"


def test_a_qita_breakdown_opening_a_sentence_breaks_down_the_sentence_before():
    facts = marked("[[1-9月|PERIOD]]，[[西宁经开区|ZONE]][[工业增加值|INDICATOR|i]]同比增长[[12.51%|VALUE|c]]。其中：[[东川工业园区|ZONE]]增长"
                   "[[15.43%|VALUE]]，[[南川工业园|ZONE]]增长[[23.19%|VALUE]]。\n@rel i HAS_CHANGE c")
    assert [(f["indicator"], f["change"], f["zone"]) for f in facts] == [
        ("工业增加值", 0.1251, "西宁经开区"), ("工业增加值", 0.1543, "东川工业园区"), ("工业增加值", 0.2319, "南川工业园")]


def test_a_headline_figure_stated_again_in_the_body_is_one_fact():
    facts = marked("新区[[前三季度|PERIOD]][[地区生产总值|INDICATOR|i1]]增长[[15.4%|VALUE|c1]]\n"
                   "记者获悉，[[今年前三季度|PERIOD]]，新区[[地区生产总值|INDICATOR|i2]]同比增长[[15.4%|VALUE|c2]]。\n"
                   "@rel i1 HAS_CHANGE c1\n@rel i2 HAS_CHANGE c2")
    assert [f["period"]["text"] for f in facts] == ["今年前三季度"]


def test_a_headline_figure_not_stated_again_stays():
    facts = marked("新区[[前三季度|PERIOD]][[地区生产总值|INDICATOR|i1]]增长[[15.4%|VALUE|c1]]\n"
                   "记者获悉，新区[[固定资产投资|INDICATOR|i2]]同比增长[[16.1%|VALUE|c2]]。\n"
                   "@rel i1 HAS_CHANGE c1\n@rel i2 HAS_CHANGE c2")
    assert [f["indicator"] for f in facts] == ["地区生产总值", "固定资产投资"]


def test_a_target_quannian_is_the_year_of_the_document_not_of_an_earlier_paragraph():
    facts = marked("[[2023年|PERIOD]]，全省开发区新签约项目2516个。\n八、下一步工作\n力争[[全年|PERIOD]]"
                   "[[实际到位省外资金|INDICATOR|i]]增长[[6%|VALUE|c]]以上。\n@rel i HAS_CHANGE c", date="2024-07-26")
    assert facts[0]["period"]["end"] == "2024-12-31"


def test_quannian_takes_a_reporting_year_from_an_earlier_paragraph():
    facts = marked("[[2020年度|PERIOD]]省内经济开发区各项经济指标稳中有进。\n从利用外资水平看，经济开发区[[全年|PERIOD]]实现"
                   "[[利用外资|INDICATOR|i]][[94.16亿美元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2021-09-07")
    assert facts[0]["period"]["end"] == "2020-12-31"


def test_a_date_after_chengli_yu_is_the_date_of_an_event():
    facts = marked("园区成立于[[2001年8月|PERIOD]]，位于县城东郊。园区[[规划面积|INDICATOR|i]][[15平方公里|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v")
    assert facts[0]["period"] is None


def test_a_month_and_chu_before_guapai_is_the_date_of_an_event():
    facts = marked("[[本月|PERIOD]]初挂牌运行的自贸试验区，已有[[入驻企业|INDICATOR|i]][[近千家|VALUE|v]]。\n@rel i HAS_VALUE v",
                   date="2017-04-05")
    assert facts[0]["period"] is None


def test_a_period_in_a_plan_made_is_no_period_of_later_figures():
    facts = marked("[[今年上半年|PERIOD]]，高新区制定[[全年|PERIOD]]项目投资计划，建立包保制度。"
                   "[[省外到位资金|INDICATOR|i]][[75.96亿元|VALUE|v]]。\n@rel i HAS_VALUE v", date="2023-08-29")
    assert facts[0]["period"]["text"] == "今年上半年"


def test_a_period_after_tong_is_a_base():
    facts = marked("[[2022年|PERIOD]]，高新区[[高新技术企业数|INDICATOR|i]]同[[上年|PERIOD]]增长[[48%|VALUE|c]]。\n"
                   "@rel i HAS_CHANGE c", date="2023-07-12")
    assert facts[0]["period"]["text"] == "2022年"


def test_the_date_of_a_figure_after_cong_and_de_is_a_base():
    facts = marked("开发区从[[当年|PERIOD]]的3平方公里起步区发展到今天。[[常住人口|INDICATOR|i]][[120万人|VALUE|v]]。\n"
                   "@rel i HAS_VALUE v", date="2014-10-14")
    assert facts[0]["period"] is None
