"""Finding state organs (gzie.agencies.find_agencies) and linking them to canonical names."""

import pytest

from gzie.agencies import DocumentPlaces, find_agencies, link_agency
from gzie.pipeline.rules import valid_model_spans
from gzie.text import normalized_view


def found(text: str) -> list[str]:
    view = normalized_view(text)
    return [view[s:e] for s, e in find_agencies(view)]


def linked(text: str, mention: str, region: str | None = None, date: str | None = None) -> str | None:
    view = normalized_view(text)
    places = DocumentPlaces(view, region)
    at = view.rindex(mention)
    return (link_agency(mention, places, at, date) or {}).get("canonical")


@pytest.mark.parametrize("text,expected", [
    ("今年将联合公安部严厉打击制售假冒伪劣商品。", ["公安部"]),
    ("央行宣布下调存款准备金率。", ["央行"]),
    ("国家金融监督管理总局和中国人民银行联合发布通知。", ["国家金融监督管理总局", "中国人民银行"]),
    ("贵州省商务厅组织企业参展。", ["贵州省商务厅"]),
])
def test_organs_are_found_by_name_and_short_form(text, expected):
    assert found(text) == expected


def test_a_foreign_ministry_is_no_organ():
    assert found("对美国商务部近期宣布的出口管制措施表示反对。") == []


def test_a_place_name_that_is_a_common_word_needs_a_level_word():
    assert found("将会同海关总署做好关税减让工作。") == ["海关总署"]


def test_a_province_abbreviation_is_no_place_before_a_township():
    assert found("宜兴市丁蜀镇人民政府举办紫砂文化节。") == ["宜兴市丁蜀镇人民政府"]


def test_a_township_keeps_its_own_name_when_it_holds_a_place_name():
    assert found("延川县文安驿镇人民政府组织植树。") == ["延川县文安驿镇人民政府"]


def test_a_bare_department_speaking_is_an_organ():
    assert found("国资委有关负责人表示，将推动企业加大研发投入。") == ["国资委"]


def test_a_township_acting_is_an_organ_and_a_township_as_a_place_is_not():
    assert found("。虎门镇相关负责人介绍，全镇服装企业增至3000家。") == ["虎门镇"]
    assert found("。虎门镇位于珠江口东岸。") == []


def test_a_police_station_and_a_zone_body_without_a_zone_word_are_organs():
    assert found("北山街道联合北山派出所开展宣传。") == ["北山街道", "北山派出所"]
    assert found("松山湖管委会8日发布通知。") == ["松山湖管委会"]


def test_a_company_is_no_organ():
    assert found("与中国国家铁路集团加强运力保障。") == []


def test_a_level_word_is_the_place_the_document_names():
    text = "张北县10日举行开幕式。县应急管理局提醒游客注意防冻。"
    assert linked(text, "县应急管理局", region="张家口市") == "张北县应急管理局"


def test_shi_wei_is_the_party_committee_of_the_city():
    assert linked("杭州市召开大会。市委主要负责同志出席。", "市委", region="杭州市") == "中共杭州市委员会"


def test_a_township_named_as_an_organ_links_to_its_government():
    assert linked("东莞市虎门镇举办服装节。虎门镇相关负责人介绍", "虎门镇") == "东莞市虎门镇人民政府"


def test_a_bare_zone_body_belongs_to_the_zone_the_document_names():
    view = normalized_view("苏州工业园区前三季度实现营业收入。园区管委会表示")
    places = DocumentPlaces(view, "苏州市")
    places.zones.append((0, {"canonical": "苏州工业园区", "zone_type": "national_etdz", "province": "江苏省"}))
    assert link_agency("园区管委会", places, view.index("园区管委会"))["canonical"] == "苏州工业园区管理委员会"
    assert link_agency("园区党工委", places, view.index("园区管委会"))["canonical"] == "中共苏州工业园区工作委员会"


def test_a_bare_zone_body_in_a_city_release_is_the_citys_national_zone():
    assert linked("贵阳市召开会议。高新区管委会表示", "高新区管委会", region="贵阳市") == \
        "贵阳高新技术产业开发区管理委员会"


def test_a_special_court_keeps_its_name_as_written():
    assert linked("上海金融法院发布报告。", "上海金融法院", region="上海市") == "上海金融法院"


def test_a_department_the_tables_lack_keeps_its_name_after_the_place():
    assert linked("天津市城市管理委员会部署工作。", "天津市城市管理委员会") == "天津市城市管理委员会"


def test_a_bare_department_is_the_central_organ():
    assert linked("国资委有关负责人表示", "国资委") == "国务院国有资产监督管理委员会"


def test_the_date_picks_a_former_name():
    assert linked("国家计委发布通知。", "国家计委", date="2000-05-01") == "国家发展计划委员会"


def test_a_model_zone_that_is_no_zone_hides_no_organ():
    view = "今年将联合公安部严厉打击"
    model = [(7, 9, "PERIOD"), (9, 14, "ZONE")]  # 公安部严厉 is no zone
    assert valid_model_spans(model, [(9, 12, "AGENCY")], view) == [(7, 9, "PERIOD")]


def test_a_model_agency_across_a_clause_break_is_dropped():
    view = "中东市场。安徽省商务厅组织企业参展"
    assert valid_model_spans([(0, 11, "AGENCY")], [(5, 11, "AGENCY")], view) == []


def test_an_internal_department_yields_to_the_organ():
    view = "国家能源局发展规划司负责人说"
    assert valid_model_spans([(0, 10, "AGENCY")], [(0, 5, "AGENCY")], view) == []


def test_a_department_of_a_zone_keeps_the_zone_in_its_name():
    assert found("。经开区投资促进局表示") == ["经开区投资促进局"]
    assert found("太原高新区统计局数据显示") == ["太原高新区统计局"]


@pytest.mark.parametrize("text", ["各区市商务局要加强监管。", "县市区人民政府要落实责任。"])
def test_a_generic_addressee_is_no_organ(text):
    assert found(text) == []


def test_a_place_that_is_a_word_needs_its_own_level_word():
    assert found("会同省发展改革委印发通知。") == ["省发展改革委"]


def test_a_governing_verb_is_no_part_of_a_zone_bodys_name():
    assert found("我代表管委会作报告。") == ["管委会"]
    assert found("按照潍坊高新区党工委部署。") == ["潍坊高新区党工委"]
