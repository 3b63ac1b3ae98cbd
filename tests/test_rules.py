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
