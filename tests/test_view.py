"""The normalized view: one character for each character, folding what varies between copies."""

from hypothesis import given
from hypothesis import strategies as st

from gzie.text import clutter_spans, normalized_view, sentence_index, sentence_starts


@given(st.text(max_size=200))
def test_the_view_has_the_length_of_the_text(text):
    assert len(normalized_view(text)) == len(text)


@given(st.text(max_size=200))
def test_the_view_of_a_view_is_itself(text):
    view = normalized_view(text)
    assert normalized_view(view) == view


def test_half_width_punctuation_reads_as_chinese_punctuation():
    assert normalized_view("前三季度,增长8%;其中:出口(含转口)增长!") == "前三季度，增长8%；其中：出口（含转口）增长！"


def test_numbers_keep_their_separators():
    assert normalized_view("1,234.5万元，17:43") == "1,234.5万元，17:43"


def test_a_point_ending_a_sentence_is_a_full_stop():
    assert normalized_view("增长5.6%. 其中") == "增长5.6%。 其中"


def test_full_width_digits_and_letters_read_as_ascii():
    assert normalized_view("ＧＤＰ增长１２．５％") == "GDP增长12.5%"


def test_traditional_characters_read_as_simplified():
    assert normalized_view("規模以上工業總產值同比增長") == "规模以上工业总产值同比增长"


def test_a_line_wrapped_inside_a_sentence_is_not_a_sentence_end():
    text = "前三季度，全市开发区实现规模以上工业总产值\n8426.5亿元，同比增长7.3%。\n一、工业"
    view = normalized_view(text)
    starts = sentence_starts(view)
    assert sentence_index(starts, text.index("前三季度")) == sentence_index(starts, text.index("8426.5"))
    assert view.count("\n") == 1


def test_a_short_headline_keeps_its_line_break():
    assert normalized_view("园区经济稳中有进\n前三季度，园区") == "园区经济稳中有进\n前三季度，园区"


def test_clutter_lines_are_found():
    text = "首页 > 新闻中心\n园区签约项目12个。\n责任编辑：张三"
    assert [text[s:e] for s, e in clutter_spans(text)] == ["首页 > 新闻中心", "责任编辑：张三"]


def test_credits_after_the_last_sentence_of_a_line_leave_the_sentences():
    text = "高新区规上工业增加值增长9.2%。👍 数据来源：省统计局"
    assert [text[s:e] for s, e in clutter_spans(text)] == ["👍 数据来源：省统计局"]


def test_a_line_ending_in_a_comma_runs_on_even_when_short():
    assert "\n" not in normalized_view("前三季度，\n园区完成投资8亿元。")


def test_a_line_followed_by_a_figure_runs_on():
    assert "\n" not in normalized_view("园区前三季度完成固定资产投资\n8.6亿元。")


def test_a_headline_before_a_short_line_keeps_its_break():
    assert "\n" in normalized_view("南岭高新区2020年经济数据出炉\n记者 王明")


def test_blank_lines_inside_a_sentence_before_its_figure_are_soft():
    view = normalized_view("营业收入完成\n\n312.6亿元，增长7.4%。\n\n二、工业")
    assert view.count("\n") == 2 and view.startswith("营业收入完成  312.6亿元")


def test_a_photo_caption_line_is_clutter_as_a_whole():
    text = "园区实现产值5亿元。\n大亚湾新兴产业园。惠州日报记者张三 摄\n园区新增企业12家。"
    assert [text[s:e] for s, e in clutter_spans(text)] == ["大亚湾新兴产业园。惠州日报记者张三 摄"]


def test_a_long_line_ending_in_a_credit_keeps_its_sentences():
    text = "园区实现规上工业产值512亿元，同比增长8.1%，新增规上企业12家，引进亿元以上项目18个，完成固定资产投资96亿元。（记者 张三 摄）"
    assert [text[s:e] for s, e in clutter_spans(text)] == []
