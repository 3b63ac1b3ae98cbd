from gzie.corpus.markup import parse_markup

HEADER = "### id=d1 date=2022-12-01 source=s region=贵州 genre=news_report\n"


def test_span_offsets_point_into_plain_text():
    records, problems = parse_markup(HEADER + "[[上半年|PERIOD]]，[[工业总产值|INDICATOR]][[5200亿元|VALUE]]。\n")
    assert problems == []
    record = records[0]
    assert record["text"] == "上半年，工业总产值5200亿元。"
    assert [record["text"][s["start"]:s["end"]] for s in record["spans"]] == ["上半年", "工业总产值", "5200亿元"]


def test_offsets_continue_across_lines():
    records, _ = parse_markup(HEADER + "第一行\n[[省商务厅|AGENCY]]\n")
    span = records[0]["spans"][0]
    assert records[0]["text"][span["start"]:span["end"]] == "省商务厅"
    assert span["start"] == 4


def test_relations_refer_to_span_ids():
    records, _ = parse_markup(HEADER + "[[总投资|INDICATOR|i1]][[2998亿元|VALUE|v1]]\n@rel i1 HAS_VALUE v1\n")
    assert records[0]["relations"] == [{"head": 0, "child": 1, "label": "HAS_VALUE"}]


def test_unknown_relation_id_is_a_problem():
    _, problems = parse_markup(HEADER + "[[总投资|INDICATOR|i1]]\n@rel i1 HAS_VALUE v9\n")
    assert "unknown span id(s) v9" in str(problems[0])


def test_unbalanced_markup_is_a_problem():
    _, problems = parse_markup(HEADER + "[[总投资|INDICATOR]\n")
    assert problems and "malformed" in problems[0].message


def test_meta_comes_from_the_header():
    records, _ = parse_markup(HEADER + "正文\n")
    assert records[0]["meta"] == {"date": "2022-12-01", "source": "s", "region": "贵州", "genre": "news_report"}
