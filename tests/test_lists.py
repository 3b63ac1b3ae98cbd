"""Relations a 分别 list states outright (gzie.pipeline.lists), and how they replace the classifier's."""

from gzie.corpus.markup import parse_markup
from gzie.pipeline.lists import list_relations
from gzie.pipeline.relations import with_list_relations
from gzie.text import Entity, normalized_view


def entities_of(markup: str) -> tuple[list[Entity], str]:
    records, problems = parse_markup(f"### id=t date=2024-01-10\n{markup}")
    assert not problems, problems
    record = records[0]
    view = normalized_view(record["text"])
    entities = sorted((Entity(s["start"], s["end"], s["label"], view[s["start"]:s["end"]]) for s in record["spans"]),
                      key=lambda e: e.start)
    return entities, view


def named(markup: str) -> list[tuple[str, str, str]]:
    entities, view = entities_of(markup)
    return [(entities[h].text, entities[c].text, label) for h, c, label in list_relations(entities, view)]


def test_a_list_of_indicators_pairs_with_its_values_by_position():
    assert named("[[产值|INDICATOR]]、[[投资|INDICATOR]]和[[收入|INDICATOR]]分别完成[[206亿元|VALUE]]、"
                 "[[41亿元|VALUE]]和[[9亿元|VALUE]]。") == [
        ("产值", "206亿元", "HAS_VALUE"), ("投资", "41亿元", "HAS_VALUE"), ("收入", "9亿元", "HAS_VALUE")]


def test_a_second_list_after_a_change_word_gives_changes():
    found = named("[[产值|INDICATOR]]、[[投资|INDICATOR]]分别完成[[206亿元|VALUE]]、[[41亿元|VALUE]]，"
                  "分别增长[[6.4%|VALUE]]、[[12.1%|VALUE]]。")
    assert ("产值", "6.4%", "HAS_CHANGE") in found and ("投资", "12.1%", "HAS_CHANGE") in found
    assert ("产值", "206亿元", "HAS_VALUE") in found


def test_a_list_of_years_links_every_year_to_the_one_indicator():
    found = named("[[2022年|PERIOD]]、[[2023年|PERIOD]]，[[营业收入|INDICATOR]]分别为[[10亿元|VALUE]]、[[12亿元|VALUE]]。")
    assert sorted(found) == sorted([("营业收入", "10亿元", "HAS_VALUE"), ("营业收入", "12亿元", "HAS_VALUE"),
                                    ("营业收入", "2022年", "IN_PERIOD"), ("营业收入", "2023年", "IN_PERIOD")])


def test_lists_of_different_lengths_state_nothing():
    assert named("[[产值|INDICATOR]]、[[投资|INDICATOR]]分别完成[[206亿元|VALUE]]、[[41亿元|VALUE]]和[[9亿元|VALUE]]。") == []


def test_without_fenbie_values_in_another_clause_are_no_list():
    assert named("[[产值|INDICATOR]]、[[投资|INDICATOR]]稳步增长，共计[[206亿元|VALUE]]、[[41亿元|VALUE]]。") == []


def test_a_list_in_another_sentence_is_not_paired():
    assert named("[[产值|INDICATOR]]、[[投资|INDICATOR]]稳步增长。分别完成[[206亿元|VALUE]]、[[41亿元|VALUE]]。") == []


def test_fenbie_before_the_indicator_gives_it_every_value():
    assert named("[[园区|ZONE]]分别新增[[高新技术企业|INDICATOR]][[42家|VALUE]]、[[56家|VALUE]]。") == [
        ("高新技术企业", "42家", "HAS_VALUE"), ("高新技术企业", "56家", "HAS_VALUE")]


def test_yici_is_a_list_mark_too():
    assert named("[[产值|INDICATOR]]、[[投资|INDICATOR]]依次增长[[13.2%|VALUE]]、[[18.4%|VALUE]]。") == [
        ("产值", "13.2%", "HAS_CHANGE"), ("投资", "18.4%", "HAS_CHANGE")]


def test_a_list_of_indicators_right_before_as_many_values_pairs_without_fenbie():
    assert named("[[营业收入|INDICATOR]]、[[工业投资|INDICATOR]]较同期增长[[9.4%|VALUE]]、[[6.2%|VALUE]]。") == [
        ("营业收入", "9.4%", "HAS_CHANGE"), ("工业投资", "6.2%", "HAS_CHANGE")]


def test_a_list_of_indicators_before_one_change_shares_it():
    assert named("[[规上工业增加值|INDICATOR]]、[[固定资产投资|INDICATOR]]均增长[[10%|VALUE]]。") == [
        ("规上工业增加值", "10%", "HAS_CHANGE"), ("固定资产投资", "10%", "HAS_CHANGE")]


def test_a_list_of_indicators_before_one_value_after_each_word_shares_it():
    assert named("[[营业收入|INDICATOR]]和[[利润总额|INDICATOR]]均超过[[120亿元|VALUE]]。") == [
        ("营业收入", "120亿元", "HAS_VALUE"), ("利润总额", "120亿元", "HAS_VALUE")]


def test_a_list_of_indicators_before_a_sum_shares_nothing():
    assert named("[[营业收入|INDICATOR]]和[[利润总额|INDICATOR]]合计[[120亿元|VALUE]]。") == []


def test_a_second_fenbie_list_goes_to_the_indicators_of_the_first_by_position():
    assert named("[[营业收入|INDICATOR]]、[[工业投资|INDICATOR]]较同期增长[[9.4%|VALUE]]、[[6.2%|VALUE]]，占全市比重分别达到"
                 "[[38.1%|VALUE]]、[[29.6%|VALUE]]。") == [
        ("营业收入", "38.1%", "HAS_VALUE"), ("工业投资", "29.6%", "HAS_VALUE"),
        ("营业收入", "9.4%", "HAS_CHANGE"), ("工业投资", "6.2%", "HAS_CHANGE")]


def test_pairs_of_indicator_and_value_before_fenbie_take_the_changes_by_position():
    found = named("[[新开工项目|INDICATOR]][[42个|VALUE]]、[[竣工项目|INDICATOR]][[29个|VALUE]]，分别比去年同期增加"
                  "[[9个|VALUE]]、[[6个|VALUE]]。")
    assert found == [("新开工项目", "9个", "HAS_CHANGE"), ("竣工项目", "6个", "HAS_CHANGE")]


def test_listed_relations_replace_the_classifiers_for_the_same_values():
    found = [(0, 2, "HAS_VALUE", 0.8), (0, 3, "HAS_VALUE", 0.4), (4, 5, "HAS_VALUE", 0.9)]
    merged = with_list_relations(found, [(0, 2, "HAS_VALUE"), (1, 3, "HAS_VALUE")])
    assert sorted(merged) == [(0, 2, "HAS_VALUE", 1.0), (1, 3, "HAS_VALUE", 1.0), (4, 5, "HAS_VALUE", 0.9)]


def shared(markup: str) -> list[tuple[str, str, str]]:
    from gzie.pipeline.shares import share_relations
    entities, view = entities_of(markup)
    return [(entities[h].text, entities[c].text, label) for h, c, label in share_relations(entities, view)]


def test_the_numerator_of_a_share_takes_the_share_and_its_point_change():
    assert shared("[[研发经费投入|INDICATOR]]占[[营业收入|INDICATOR]]比重达到[[6.3%|VALUE]]，较[[上年|PERIOD]]提高"
                  "[[0.4个百分点|VALUE]]。") == [("研发经费投入", "6.3%", "HAS_VALUE"), ("研发经费投入", "0.4个百分点", "HAS_CHANGE")]


def test_a_growth_after_a_share_is_the_numerators_when_it_has_a_figure_before_zhan():
    assert ("规模以上工业总产值", "14.2%", "HAS_CHANGE") in shared(
        "[[规模以上工业总产值|INDICATOR]][[2368亿元|VALUE]]，占全市[[规模以上工业总产值|INDICATOR]]的[[37.9%|VALUE]]，"
        "同比增长[[14.2%|VALUE]]。")


def test_a_growth_after_a_share_with_no_figure_before_zhan_is_not_the_numerators():
    assert ("研发经费投入", "12%", "HAS_CHANGE") not in shared(
        "[[研发经费投入|INDICATOR]]占[[营业收入|INDICATOR]]比重达到[[6.3%|VALUE]]，同比增长[[12%|VALUE]]。")


def test_a_share_before_de_and_an_indicator_is_that_indicators():
    assert shared("贡献了全县[[近七成|VALUE]]的[[工业增加值|INDICATOR]]。") == [("工业增加值", "近七成", "HAS_VALUE")]


def test_a_ratio_and_its_point_change_in_the_next_clause_are_the_indicators():
    assert shared("[[资产负债率|INDICATOR]]为[[56.2%|VALUE]]，较[[上年末|PERIOD]]回落[[1.4个百分点|VALUE]]。") == [
        ("资产负债率", "56.2%", "HAS_VALUE"), ("资产负债率", "1.4个百分点", "HAS_CHANGE")]


def test_a_growth_rate_and_its_point_change_are_no_ratio():
    assert shared("[[工业增加值|INDICATOR]]增长[[9.2%|VALUE]]，比[[上年|PERIOD]]提高[[1.2个百分点|VALUE]]。") == []


def test_a_level_stated_after_a_change_is_the_same_indicators():
    from gzie.pipeline.levels import level_relations
    entities, view = entities_of("[[在建项目|INDICATOR]]较[[上年同期|PERIOD]]减少[[2个|VALUE]]，为[[46个|VALUE]]。")
    assert [(entities[h].text, entities[c].text, label) for h, c, label in level_relations(entities, view)] == [
        ("在建项目", "2个", "HAS_CHANGE"), ("在建项目", "46个", "HAS_VALUE")]


def test_indicators_joined_by_a_comma_share_no_figure():
    assert named("[[大气污染综合治理深入推进|INDICATOR]]，[[PM2.5平均浓度|INDICATOR]]下降[[8.6%|VALUE]]。") == []


def test_pairs_of_indicator_and_value_take_a_run_of_changes_without_fenbie():
    assert named("[[利用内资|INDICATOR]][[15.5亿元|VALUE]]、[[外资|INDICATOR]][[4101万美元|VALUE]]，同比增长[[18%|VALUE]]、"
                 "[[17.17%|VALUE]]。") == [("利用内资", "18%", "HAS_CHANGE"), ("外资", "17.17%", "HAS_CHANGE")]


def test_the_indicators_before_zhan_take_a_fenbie_list_of_shares_not_the_base():
    assert named("[[产品产值|INDICATOR]]、[[研发支出|INDICATOR]]占全省[[生产总值|INDICATOR]]比重分别为[[34.8%|VALUE]]和"
                 "[[1.4%|VALUE]]。") == [("产品产值", "34.8%", "HAS_VALUE"), ("研发支出", "1.4%", "HAS_VALUE")]


def test_a_level_after_pairs_in_the_same_clause_is_no_list_of_changes():
    assert named("[[签约项目|INDICATOR]][[217个|VALUE]]、[[竣工投产|INDICATOR]][[97个|VALUE]]，[[规上工业企业|INDICATOR]]从[[39家|VALUE]]"
                 "增加至[[117家|VALUE]]、超过全市总量[[1/3|VALUE]]。") == []
