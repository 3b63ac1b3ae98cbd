import pytest

from gzie.pipeline.finders import find_spans
from gzie.pipeline.rules import merge_entities


def found(text):
    return [(text[s.start:s.end], s.label) for s in find_spans(text)]


@pytest.mark.parametrize("text,expected", [
    ("总投资2998亿元", ("2998亿元", "VALUE")),
    ("到位资金超1200亿元", ("超1200亿元", "VALUE")),
    ("占比80%以上", ("80%以上", "VALUE")),
    ("新增企业九十九家", ("九十九家", "VALUE")),
    ("提高0.5个百分点", ("0.5个百分点", "VALUE")),
    ("增长１２．５％", ("１２．５％", "VALUE")),
    ("吸纳3万余人就业", ("3万余人", "VALUE")),
    ("约占五分之一", ("五分之一", "VALUE")),
    ("同比持平", ("持平", "VALUE")),
    ("億元項目12個", ("12個", "VALUE")),
])
def test_value_finder(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text,expected", [
    ("2022年前三季度，", "2022年前三季度"),
    ("1—9月，全省", "1—9月"),
    ("1至10月份", "1至10月份"),
    ("“十四五”以来，", "“十四五”以来"),
    ("截至9月底，", "截至9月底"),
    ("截至2023年6月末", "截至2023年6月末"),
    ("今年以来，", "今年以来"),
    ("比去年同期增长", "去年同期"),
    ("今年以來，", "今年以來"),
])
def test_period_finder(text, expected):
    assert (expected, "PERIOD") in found(text)


def test_policy_title_excludes_book_title_marks():
    assert ("关于推进开发区高质量发展的指导意见", "POLICY") in found("印发《关于推进开发区高质量发展的指导意见》")


def test_newspaper_titles_are_not_policies():
    assert found("据《贵州日报》报道") == []


def test_coordinated_agencies_are_separate():
    spans = found("省自然资源厅、省工业和信息化厅联合印发")
    assert spans == [("省自然资源厅", "AGENCY"), ("省工业和信息化厅", "AGENCY")]


@pytest.mark.parametrize("text", ["联系电话0851-86888888", "黔府发〔2022〕12号", "实施“六个突破”", "排名第3位",
                                  "11月30日讯"])
def test_non_entities_are_not_found(text):
    assert [s for s in found(text) if s[1] == "VALUE"] == []


def test_rule_wins_partial_overlap_for_priority_label():
    merged = merge_entities([(0, 5, "INDICATOR")], [(3, 8, "VALUE")], ["VALUE"])
    assert merged == [(3, 8, "VALUE")]


def test_model_wins_overlap_for_other_labels():
    merged = merge_entities([(0, 5, "ZONE")], [(3, 8, "AGENCY")], ["VALUE"])
    assert merged == [(0, 5, "ZONE")]


def test_containing_model_span_wins_over_rule():
    # ZONE 99个省级监测开发区 contains the rule VALUE 99个
    merged = merge_entities([(0, 10, "ZONE")], [(0, 3, "VALUE")], ["VALUE"])
    assert merged == [(0, 10, "ZONE")]


def test_rule_containing_model_span_wins():
    merged = merge_entities([(1, 5, "VALUE")], [(0, 5, "VALUE")], ["VALUE"])
    assert merged == [(0, 5, "VALUE")]


def test_non_overlapping_rule_spans_are_added():
    merged = merge_entities([(0, 2, "ZONE")], [(4, 6, "PERIOD")], [])
    assert merged == [(0, 2, "ZONE"), (4, 6, "PERIOD")]


def test_rule_span_alone_is_added_only_for_standalone_labels():
    rules = [(0, 3, "PERIOD"), (5, 9, "VALUE")]
    assert merge_entities([], rules, ["VALUE", "PERIOD"], ["VALUE"]) == [(5, 9, "VALUE")]


def test_rule_span_with_priority_still_corrects_a_model_span():
    # the model found a PERIOD with wrong boundaries; the rule's PERIOD replaces it even though
    # PERIOD rules do not stand alone
    merged = merge_entities([(1, 4, "PERIOD")], [(0, 4, "PERIOD")], ["PERIOD"], ["VALUE"])
    assert merged == [(0, 4, "PERIOD")]


def test_dates_are_not_periods():
    assert [s for s in found("2024年6月7日，记者获悉") if s[1] == "PERIOD"] == []


@pytest.mark.parametrize("text,expected", [
    ("前10个月，", "前10个月"), ("前5月，", "前5月"), ("1~2月，", "1~2月"), ("1- 8月，", "1- 8月"),
    ("5月当月，", "5月当月"), ("2023年全年，", "2023年全年"), ("截至二季度末，", "截至二季度末"),
    ("截止2023年底", "截止2023年底"), ("上年末，", "上年末"), ("2019年至2021年，", "2019年至2021年"),
    ("2019—2023年", "2019—2023年"), ("2024年1季度", "2024年1季度"), ("去年1月至11月", "去年1月至11月"),
])
def test_period_forms_of_real_releases(text, expected):
    assert (expected, "PERIOD") in found(text)


@pytest.mark.parametrize("text,expected", [("实际使用外资3 500万美元", "3 500万美元"), ("补助不超过20%", "不超过20%"),
                                           ("控制在100个以内", "100个以内")])
def test_value_forms_of_real_releases(text, expected):
    assert (expected, "VALUE") in found(text)


def test_a_lost_decimal_point_is_no_number():
    assert ("16 5%", "VALUE") not in found("增长16 5%")


def rules_nlp(**config):
    import spacy

    nlp = spacy.blank("zh")
    nlp.add_pipe("gzie_rules", config=config)
    return nlp


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def with_model_spans(nlp, text, spans):
    doc = nlp.make_doc(text)
    doc.ents = [doc.char_span(text.index(t), text.index(t) + len(t), label) for t, label in spans]
    return nlp.get_pipe("gzie_rules")(doc)


def test_an_indicator_loses_function_words_at_its_edges():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区完成规上工业总产值的增长", [("完成规上工业总产值的", "INDICATOR")])
    assert ("规上工业总产值", "INDICATOR") in ents(doc)


def test_a_model_value_running_into_a_noun_gives_way_to_the_rule_value():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "给予最高500万元奖励", [("500万元奖励", "VALUE")])
    assert ents(doc) == [("500万元", "VALUE"), ("奖励", "INDICATOR")]  # the offer is its indicator


def test_a_model_value_with_a_qualifier_keeps_it():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "到位资金超2000亿元，", [("超2000亿元", "VALUE")])
    assert ("超2000亿元", "VALUE") in ents(doc)


def test_a_threshold_inside_a_noun_phrase_is_no_value():
    doc = rules_nlp()("对总投资10亿元以上制造业项目给予奖励")
    assert ents(doc) == []


def test_a_zone_ends_in_a_zone_word():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "全市规模以上工业增加值", [("全市规模", "ZONE")])
    assert ents(doc) == []


def test_nothing_on_a_clutter_line_is_an_entity():
    doc = rules_nlp()("发布时间：2023-10-26 浏览次数：1234次\n园区签约项目12个。")
    assert ents(doc) == [("签约项目", "INDICATOR"), ("12个", "VALUE")]


@pytest.mark.parametrize("text,expected", [("2023年，园区", [("2023年", "PERIOD")]), ("2021年获批", []),
                                           ("园区前三季度运行平稳", [("前三季度", "PERIOD")]),
                                           ("南岭高新区2020年经济数据出炉\n记者 王明", [("南岭高新区", "ZONE"), ("2020年", "PERIOD")])])
def test_a_rule_period_stands_alone_where_it_leads_or_names_a_period(text, expected):
    assert ents(rules_nlp()(text)) == expected


def test_rules_read_the_normalized_view():
    doc = rules_nlp()("前三季度,園區簽約項目１２個.")
    assert ents(doc) == [("前三季度", "PERIOD"), ("簽約項目", "INDICATOR"), ("１２個", "VALUE")]


def test_an_indicator_joining_two_listed_measures_is_two_indicators():
    from gzie.pipeline.rules import split_indicator
    text = "固定资产投资和社会消费品零售总额"
    assert [text[a:b] for a, b in split_indicator(text, 0, len(text))] == ["固定资产投资", "社会消费品零售总额"]
    assert split_indicator("研究与试验发展经费", 0, 9) == [(0, 9)]


def test_an_eligibility_threshold_is_no_value():
    doc = rules_nlp()("对年度研发投入超过1000万元的企业，每家最多补助200万元。")
    assert ("超过1000万元", "VALUE") not in ents(doc)
    assert ("200万元", "VALUE") in ents(doc)


def test_a_bare_month_leading_a_clause_is_a_period():
    assert ("6月", "PERIOD") in ents(rules_nlp()("6月，园区规上工业增加值增长9.2%。"))


def test_a_model_indicator_run_into_its_figure_ends_before_it():
    from gzie.pipeline.rules import valid_model_spans
    view = "实现利税6.2亿元"
    assert valid_model_spans([(2, 10, "INDICATOR")], [(4, 10, "VALUE")], view) == [(2, 4, "INDICATOR")]


def test_a_listed_measure_followed_by_a_figure_is_an_indicator():
    doc = rules_nlp()("前三季度，全市规模以上工业增加值同比增长6.2%。")
    assert ("规模以上工业增加值", "INDICATOR") in ents(doc)


def test_a_listed_measure_without_a_figure_is_none():
    doc = rules_nlp()("推动规模以上工业增加值稳步增长。")
    assert ents(doc) == []


def test_an_indicator_in_brackets_after_an_indicator_is_its_other_name():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "实现地区生产总值（GDP）236.4亿元", [("地区生产总值", "INDICATOR"), ("GDP", "INDICATOR")])
    assert ("GDP", "INDICATOR") not in ents(doc) and ("地区生产总值", "INDICATOR") in ents(doc)


def test_a_year_end_leading_a_clause_is_a_period():
    assert ("2004年底", "PERIOD") in ents(rules_nlp()("2004年底，园区已入驻企业126家。"))


def test_a_bound_before_a_figure_running_into_a_noun_stays_in_the_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "其中超10亿元项目9个。", [("超10亿元项目", "INDICATOR"), ("9个", "VALUE")])
    assert ents(doc) == [("超10亿元项目", "INDICATOR"), ("9个", "VALUE")]


def test_a_zone_group_found_whole_wins_over_a_model_piece_of_it():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "2022年，全市各类开发区实现税收收入186.2亿元。", [("各类", "INDICATOR")])
    assert ("全市各类开发区", "ZONE") in ents(doc) and ("各类", "INDICATOR") not in ents(doc)


def test_an_indicator_takes_the_quoted_name_and_newness_verb_before_it():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区新增“四上”企业46家。", [("企业", "INDICATOR"), ("46家", "VALUE")])
    assert ("新增“四上”企业", "INDICATOR") in ents(doc)


def test_a_quoted_name_on_the_line_before_stays_outside():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "实现“双过半”\n营业收入812.6亿元", [("营业收入", "INDICATOR")])
    assert ("营业收入", "INDICATOR") in ents(doc)


def test_an_indicator_takes_the_closing_noun_after_it():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "市场主体总数达到4.86万户", [("市场主体", "INDICATOR")])
    assert ("市场主体总数", "INDICATOR") in ents(doc)


def test_a_listed_measure_after_its_count_is_an_indicator():
    doc = rules_nlp()("2010年，园区入驻412户企业，从业人员2.6万人。")
    assert ("企业", "INDICATOR") in ents(doc)


def test_a_listed_measure_after_a_figure_inside_the_clause_is_none():
    doc = rules_nlp()("园区完成投资3.6亿元企业技术改造。")
    assert ("企业", "INDICATOR") not in ents(doc)


def test_a_newness_verb_alone_is_no_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "新建成12万平方米标准厂房。", [("新建成", "INDICATOR")])
    assert ents(doc) == [("12万平方米", "VALUE"), ("标准厂房", "INDICATOR")]


def test_the_modifier_between_a_bound_and_a_listed_name_belongs_to_the_indicator():
    doc = rules_nlp()("新开工总投资10亿元以上制造业项目12个。")
    assert ("制造业项目", "INDICATOR") in ents(doc)


def test_a_model_name_of_an_offer_stays_whole():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "发放人才补贴2860万元。", [("人才补贴", "INDICATOR")])
    assert ("人才补贴", "INDICATOR") in ents(doc)


def test_a_per_unit_word_before_an_offer_stays_outside():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "单个项目补贴最高3000万元。", [("单个项目补贴", "INDICATOR")])
    assert ("补贴", "INDICATOR") in ents(doc)


@pytest.mark.parametrize("text,zone", [
    ("一季度，全市实际使用外资4.26亿美元。梧桐高新区实际使用外资1.68亿美元。", "梧桐高新区"),
    ("1-7月白鹭综保区进出口保持两位数增长\n据统计，进出口总额达到168.3亿元。", "白鹭综保区"),
    ("其中丹霞产业园完成286.4亿元。", "丹霞产业园"),
])
def test_a_zone_named_without_a_place_at_the_head_of_a_clause_is_a_zone(text, zone):
    assert (zone, "ZONE") in ents(rules_nlp()(text))


@pytest.mark.parametrize("text", ["今年，要推动园区工业投资增长10%。", "上半年帮助园区企业招聘员工1200人。",
                                  "这是一个好消息。\n部分开发区新开工项目偏少。"])
def test_a_verb_or_quantifier_before_a_zone_word_is_no_zone_name(text):
    assert not [e for e in ents(rules_nlp()(text)) if e[1] == "ZONE"]


def test_a_zone_name_inside_a_clause_is_left_to_the_model():
    assert not [e for e in ents(rules_nlp()("据了解梧桐高新区实际使用外资1.68亿美元。")) if e[1] == "ZONE"]


def test_zones_named_without_a_place_in_a_qita_breakdown_are_zones():
    doc = rules_nlp()("全市开发区规上工业增加值增长7.2%，其中，青溪经开区增长9.1%，梧桐高新区增长6.4%。")
    assert [e for e in ents(doc) if e[1] == "ZONE"][-2:] == [("青溪经开区", "ZONE"), ("梧桐高新区", "ZONE")]


def test_a_policy_with_unbalanced_title_marks_is_none():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "关于印发《若干措施》的通知", [("关于印发《", "POLICY")])
    assert ents(doc) == [("若干措施", "POLICY")]


def test_a_bound_before_de_and_a_zone_word_is_an_eligibility_threshold():
    doc = rules_nlp()("对亩均税收超过30万元的开发区，优先安排用地指标。")
    assert not [e for e in ents(doc) if e[1] == "VALUE"]


@pytest.mark.parametrize("text", ["2024年产业园区建设取得新进展\n正文", "。化工园区完成产值5亿元。", "。科技园区实现收入5亿元。"])
def test_a_kind_of_zone_is_no_zone_name(text):
    assert not [e for e in ents(rules_nlp()(text)) if e[1] == "ZONE"]


def test_a_verb_before_a_count_of_a_counted_noun_is_no_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区入驻412户企业，", [("入驻", "INDICATOR")])
    assert ents(doc) == [("412户", "VALUE"), ("企业", "INDICATOR")]


@pytest.mark.parametrize("text,noun", [("全年建成市政道路23公里。", "市政道路"), ("建设保障性租赁住房3 000套。", "保障性租赁住房"),
                                       ("全年新建社区养老服务站18个。", "新建社区养老服务站")])
def test_the_noun_between_a_verb_and_its_count_is_an_indicator(text, noun):
    assert (noun, "INDICATOR") in ents(rules_nlp()(text))


@pytest.mark.parametrize("text", ["园区兑现扶持款3.6亿元。", "单产达到每亩486.5公斤。", "超过园区新增负荷的1.2倍。"])
def test_no_noun_is_taken_before_money_or_across_function_words(text):
    assert not [e for e in ents(rules_nlp()(text)) if e[1] == "INDICATOR"]


def test_a_verb_or_qualifier_before_a_zone_word_is_no_zone_name_at_a_clause_head():
    assert not [e for e in ents(rules_nlp()("超过园区新增负荷的1.2倍。")) if e[1] == "ZONE"]


def test_a_closing_noun_before_de_ends_a_share_base_and_stays_outside():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "占合同外资总额的67%", [("合同外资", "INDICATOR")])
    assert ("合同外资", "INDICATOR") in ents(doc)


def test_an_industry_before_a_measure_belongs_to_the_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "上半年，新兴产业产值占比达到29.7%", [("产值", "INDICATOR")])
    assert ("新兴产业产值", "INDICATOR") in ents(doc)


@pytest.mark.parametrize("text,model,expected", [
    ("桐山高新区产业引导基金总规模10亿元。", "总规模", "产业引导基金总规模"),
    ("开发区科技成果转化基金总规模超过10亿元。", "总规模", "科技成果转化基金总规模"),
    ("设立创业投资基金16支，基金总规模86亿元。", "总规模", "基金总规模"),
])
def test_the_owner_before_a_possessed_measure_belongs_to_the_indicator(text, model, expected):
    nlp = rules_nlp()
    doc = with_model_spans(nlp, text, [(model, "INDICATOR")])
    assert (expected, "INDICATOR") in ents(doc)


def test_a_possessed_measure_after_a_comma_keeps_no_owner():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "设立稀土产业发展基金，首期规模30亿元。", [("规模", "INDICATOR")])
    assert ("规模", "INDICATOR") in ents(doc)


def test_a_giving_verb_is_no_part_of_a_model_offer_name():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "按实际投资额的3%给予奖励，最高100万元。", [("给予奖励", "INDICATOR")])
    assert ("奖励", "INDICATOR") in ents(doc)


def test_a_value_leaves_out_a_qualifier_that_ends_another_word():
    assert ("8个", "VALUE") in ents(rules_nlp()("园区集中签约8个项目。"))


@pytest.mark.parametrize("text,value", [
    ("企业开办时间压缩至0.5个工作日。", "0.5个工作日"),
    ("接待客商来访140余批次。", "140余批次"),
    ("审理周期缩短21天。", "21天"),
    ("通关时间压缩至0.6小时。", "0.6小时"),
])
def test_durations_and_batches_are_values(text, value):
    assert (value, "VALUE") in ents(rules_nlp()(text))


def test_a_period_that_begins_inside_another_word_is_none():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区提前两个月完成全年目标。", [("前两个月", "PERIOD")])
    assert ("前两个月", "PERIOD") not in ents(doc)


def test_a_listed_name_followed_by_a_model_indicator_before_its_figure_is_none():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区创业投资引导基金规模5亿元。", [("创业投资引导基金规模", "INDICATOR")])
    assert ("投资", "INDICATOR") not in ents(doc)


def test_a_bound_before_a_bare_noun_and_a_count_is_part_of_the_indicator():
    assert ("5000万元以上项目", "INDICATOR") in ents(rules_nlp()("上半年，园区引进5000万元以上项目14个。"))


def test_a_model_indicator_holding_a_bound_before_a_modifier_starts_after_the_bound():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "1-7月，园区新开工总投资10亿元以上制造业项目12个。",
                           [("新开工总投资10亿元以上制造业项目", "INDICATOR")])
    assert ("制造业项目", "INDICATOR") in ents(doc)


def test_a_model_indicator_holding_a_bound_before_a_bare_noun_stays_whole():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "全年新引进10亿元以上项目12个。", [("新引进10亿元以上项目", "INDICATOR")])
    assert ("新引进10亿元以上项目", "INDICATOR") in ents(doc)


def test_a_unit_that_begins_another_word_makes_no_value():
    assert not [e for e in ents(rules_nlp()("园区连续跨过两个百亿台阶。")) if e[1] == "VALUE"]


def test_whom_a_cap_goes_to_is_no_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "给予补贴，每家企业最高100万元。", [("企业", "INDICATOR")])
    assert ("企业", "INDICATOR") not in ents(doc)


def test_the_share_word_stays_outside_the_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "民生支出占比保持在八成以上。", [("民生支出占比", "INDICATOR")])
    assert ("民生支出", "INDICATOR") in ents(doc)


def test_a_named_industrys_measure_before_a_figure_is_an_indicator():
    assert ("先进制造业增加值", "INDICATOR") in ents(rules_nlp()("上半年，先进制造业增加值达9.46亿元，同比增长14%。"))


def test_a_group_of_industries_makes_no_industry_measure():
    from gzie.indicators import find_industry_measures

    text = "上半年，三大特色产业产值12亿元。"
    assert find_industry_measures(text, [(text.index("12"), text.index("。"))]) == []


def test_a_model_span_wins_over_an_industry_measure():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "上半年，装备制造业产值12亿元。", [("制造业产值", "INDICATOR")])
    assert ("制造业产值", "INDICATOR") in ents(doc)


def test_a_group_of_zones_in_a_part_of_the_country_is_a_zone():
    assert ("东部地区96家国家级经开区", "ZONE") in found("东部地区96家国家级经开区地区生产总值8.2万亿元")


def test_a_group_of_zones_heading_a_qita_clause_is_a_zone():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "全省高新区营业收入5000亿元，其中国家高新区实现营业收入3000亿元。",
                           [("国家高新区", "INDICATOR")])
    assert ("国家高新区", "ZONE") in ents(doc)


def test_a_group_of_zones_followed_by_its_count_stays_what_is_counted():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "其中国家高新区5家、省级高新区12家。", [("国家高新区", "INDICATOR")])
    assert ("国家高新区", "INDICATOR") in ents(doc)


def test_a_range_of_amounts_is_no_period():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "其中10~30亿元项目9个。", [("10~30亿元", "PERIOD")])
    assert ("10~30亿元", "PERIOD") not in ents(doc)


def test_a_year_opening_a_numbered_heading_is_a_period():
    assert ("2024年", "PERIOD") in ents(rules_nlp()("各位代表：\n一、2024年工作回顾\n过去一年，园区营业收入12亿元。"))


def test_guoqu_yi_nian_is_a_period():
    assert ("过去一年", "PERIOD") in ents(rules_nlp()("过去一年，经开区实现营业收入120亿元。"))


def test_wu_nian_lai_at_a_clause_head_is_a_period():
    assert ("五年来", "PERIOD") in ents(rules_nlp()("五年来，经开区累计引进项目156个。"))


def test_guoqu_wu_nian_at_a_clause_head_is_a_period():
    assert ("过去五年", "PERIOD") in ents(rules_nlp()("过去五年，高新区新增高新技术企业312家。"))


def test_a_zone_never_ends_in_a_word_for_an_area_of_a_city():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "集聚区是北岭都市区规划的生态新城。", [("北岭都市区", "ZONE")])
    assert ("北岭都市区", "ZONE") not in ents(doc)


def test_a_zone_stops_before_a_bracket_it_does_not_close():
    nlp = rules_nlp()
    text = "南湾综合保税区(经开区片区)建设加快。"
    doc = with_model_spans(nlp, text, [("南湾综合保税区(经开区片区", "ZONE")])
    assert ("南湾综合保税区", "ZONE") in ents(doc)


def test_a_count_with_its_noun_as_the_subject_of_a_verb_counts_the_noun():
    assert ("重点项目", "INDICATOR") in ents(rules_nlp()("全区57项重点项目陆续开复工。"))


def test_a_contribution_rate_before_its_figure_is_an_indicator():
    assert ("对全市工业增长的贡献率", "INDICATOR") in ents(rules_nlp()("园区规上工业增加值增长9.1%，对全市工业增长的贡献率达34.6%。"))


def test_a_year_before_the_goals_it_is_the_year_of_is_a_period():
    assert ("2014年", "PERIOD") in ents(rules_nlp()("会议部署了2014年主要预期发展指标是：营业总收入4900亿元。"))


def test_the_items_of_a_list_sharing_a_head_are_indicators():
    found = ents(rules_nlp()("园区第一产业、第二产业、第三产业增加值分别增长3.1%、5.2%和6.8%。"))
    assert [t for t, label in found if label == "INDICATOR"] == ["第一产业", "第二产业", "第三产业增加值"]


def test_a_list_sharing_a_head_is_cut_at_a_joiner_to_match_its_figures():
    found = ents(rules_nlp()("教育、科学技术和社会保障支出分别增长4%、5%和6%。"))
    assert [t for t, label in found if label == "INDICATOR"] == ["教育", "科学技术", "社会保障支出"]


def test_the_items_of_a_counted_group_are_no_indicators_of_their_own():
    found = ents(rules_nlp()("汽车、装备制造、新材料三大产业产值分别增长7%、8%和9%。"))
    assert ("汽车", "INDICATOR") not in found


def test_a_zone_after_a_zone_and_a_list_joiner_is_a_zone():
    found = ents(rules_nlp()("梧桐高新区、丹霞经开区、白鹭综保区营业收入分别增长3.1%、5.2%和6.8%。"))
    assert ("白鹭综保区", "ZONE") in found


def test_zones_of_a_level_counted_after_a_verb_of_having_are_an_indicator():
    assert ("省级开发区", "INDICATOR") in ents(rules_nlp()("截至2020年底，全省共有64个省级开发区。"))


def test_an_ordinal_of_zones_is_no_count():
    assert ("国家级新区", "INDICATOR") not in ents(rules_nlp()("滇中新区是国务院批复设立的第15个国家级新区。"))


def test_a_zone_name_with_a_quoted_part_is_a_zone():
    assert ("北流“两湾”产业园", "ZONE") in found("北流“两湾”产业园实现产值93亿元。")


def test_a_year_without_nian_before_a_part_of_the_year_is_a_period():
    assert ("2020上半年", "PERIOD") in found("据省商务厅消息，2020上半年，全省开发区实现地区生产总值1200亿元。")


def test_a_listed_measure_heading_a_list_before_fenbie_is_an_indicator():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "财政收入、进出口总额分别增长31.9%和42.7%。", [("进出口总额", "INDICATOR")])
    assert ("财政收入", "INDICATOR") in ents(doc)


def test_a_model_period_with_neither_a_digit_nor_a_word_of_time_is_none():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "---以规划编制为龙头，明晰园区发展定位。", [("---以", "PERIOD")])
    assert [label for _, label in ents(doc)] == []


@pytest.mark.parametrize("text, span", [
    ("河南推进产业集聚区高质量发展。", "河南推进产业集聚区"),
    ("四川首次进行开发区综合评价。", "四川首次进行开发区"),
    ("平潭的工业园区正在扩建。", "平潭的工业园区"),
])
def test_a_zone_never_holds_a_verb_or_particle_between_place_and_zone_word(text, span):
    nlp = rules_nlp()
    doc = with_model_spans(nlp, text, [(span, "ZONE")])
    assert [t for t, label in ents(doc) if label == "ZONE"] == []


def test_a_zone_starts_after_a_verb_inside_the_model_span():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "省政府推进宁远高新区建设。", [("省政府推进宁远高新区", "ZONE")])
    assert ("宁远高新区", "ZONE") in ents(doc)


@pytest.mark.parametrize("text, zone", [
    ("南充现代物流园货物吞吐量3049万吨。", "南充现代物流园"),
    ("沈阳铁西工业区新增企业12家。", "沈阳铁西工业区"),
])
def test_a_place_and_a_park_word_of_logistics_or_industry_is_a_zone(text, zone):
    assert (zone, "ZONE") in ents(rules_nlp()(text))


def test_a_verb_of_pulling_before_a_park_word_names_no_zone():
    doc = rules_nlp()("其中，新材料产业产值284.5亿元，增长15.2%，拉动园区工业增长5.6个百分点。")
    assert [t for t, label in ents(doc) if label == "ZONE"] == []


def test_an_indicator_never_ends_in_a_conjunction():
    nlp = rules_nlp()
    doc = with_model_spans(nlp, "园区营业收入和利润总额均超过120亿元。", [("营业收入和", "INDICATOR")])
    assert ("营业收入", "INDICATOR") in ents(doc)


def test_a_year_heading_a_clause_about_a_whole_area_is_a_period():
    doc = rules_nlp()("2016年全市园区工业总产值449.58亿元；2020年全市工业园区完成工业总产值536.77亿元。")
    assert [t for t, label in ents(doc) if label == "PERIOD"] == ["2016年", "2020年"]
