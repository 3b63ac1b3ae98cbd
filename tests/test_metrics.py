import pytest

from gzie.scoring import entity_items, score_overlapping
from gzie.training.metrics import score_records

TEXT = "上半年，工业总产值5200亿元，营业收入增长8%。"
GOLD = {"id": "g", "text": TEXT, "meta": {"date": "2022-07-20"},
        "spans": [{"start": 0, "end": 3, "label": "PERIOD"}, {"start": 4, "end": 9, "label": "INDICATOR"},
                  {"start": 9, "end": 15, "label": "VALUE"}, {"start": 16, "end": 20, "label": "INDICATOR"},
                  {"start": 22, "end": 24, "label": "VALUE"}],
        "relations": [{"head": 1, "child": 2, "label": "HAS_VALUE"}, {"head": 1, "child": 0, "label": "IN_PERIOD"},
                      {"head": 3, "child": 4, "label": "HAS_CHANGE"}, {"head": 3, "child": 0, "label": "IN_PERIOD"}]}


def predicted(spans, relations):
    return {"id": "g", "text": TEXT, "meta": GOLD["meta"], "spans": spans, "relations": relations}


def test_perfect_prediction_scores_one():
    scores = score_records([(GOLD, GOLD)])
    assert scores["entities"]["micro"]["f"] == 1.0
    assert scores["relations"]["micro"]["f"] == 1.0
    assert scores["facts"]["f"] == 1.0


def test_hand_computed_entity_scores():
    # 4 of 5 gold spans found exactly, plus one wrong span: P = 4/5, R = 4/5
    spans = GOLD["spans"][:4] + [{"start": 21, "end": 24, "label": "VALUE"}]
    scores = score_records([(predicted(spans, []), GOLD)])
    assert scores["entities"]["micro"]["p"] == pytest.approx(0.8)
    assert scores["entities"]["micro"]["r"] == pytest.approx(0.8)
    assert scores["entities"]["per_type"]["VALUE"]["f"] == pytest.approx(0.5)


def test_lenient_scores_count_overlaps():
    spans = GOLD["spans"][:4] + [{"start": 21, "end": 24, "label": "VALUE"}]
    lenient = score_overlapping([(entity_items(predicted(spans, [])["spans"]), entity_items(GOLD["spans"]))])
    assert lenient["micro"]["p"] == 1.0 and lenient["micro"]["r"] == 1.0


def test_hand_computed_relation_scores():
    # 2 of 4 gold relations, one wrong label: P = 2/3, R = 2/4
    relations = [{"head": 1, "child": 2, "label": "HAS_VALUE"}, {"head": 1, "child": 0, "label": "IN_PERIOD"},
                 {"head": 3, "child": 4, "label": "HAS_VALUE"}]
    scores = score_records([(predicted(GOLD["spans"], relations), GOLD)])
    micro = scores["relations"]["micro"]
    assert (micro["p"], micro["r"]) == (pytest.approx(2 / 3), pytest.approx(0.5))


def test_fact_needs_the_change_right():
    # the 8% is linked as a value instead of a change: that fact is wrong, the other right
    relations = [dict(r) for r in GOLD["relations"]]
    relations[2]["label"] = "HAS_VALUE"
    scores = score_records([(predicted(GOLD["spans"], relations), GOLD)])
    assert (scores["facts"]["p"], scores["facts"]["r"]) == (0.5, 0.5)


def test_missing_period_costs_the_fact():
    relations = [r for r in GOLD["relations"] if r["label"] != "IN_PERIOD"]
    spans = GOLD["spans"][1:]
    relations = [{"head": r["head"] - 1, "child": r["child"] - 1, "label": r["label"]} for r in relations]
    scores = score_records([(predicted(spans, relations), GOLD)])
    assert scores["facts"]["tp"] == 0
