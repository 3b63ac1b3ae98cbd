"""Each gzie component works through nlp.add_pipe on a blank Chinese pipeline and scores through
nlp.evaluate, as spaCy's own components do."""

import shutil

import pytest
import srsly
from spacy.training import Example

import gzie
from gzie.api import default_model_path
from gzie.corpus.convert import record_to_doc
from gzie.errors import ModelError

TEXT = "前三季度，全省开发区完成规模以上工业总产值8426.5亿元，同比增长7.3%。"


def examples(nlp, records):
    return [Example(nlp.make_doc(r["text"]), record_to_doc(r, nlp.make_doc)) for r in records]


def test_rules_through_add_pipe(blank_zh):
    blank_zh.add_pipe("gzie_rules")
    doc = blank_zh(TEXT)
    assert [(s.text, s.label_) for s in doc.spans["gzie_rules"]] == [
        ("前三季度", "PERIOD"), ("全省开发区", "ZONE"), ("8426.5亿元", "VALUE"), ("7.3%", "VALUE")]
    # Alone, a rule span enters doc.ents for the standalone labels (VALUE, POLICY, AGENCY, ZONE,
    # INDICATOR: a listed measure before a figure) and, where it names a period or leads a clause,
    # for PERIOD.
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("前三季度", "PERIOD"), ("全省开发区", "ZONE"), ("规模以上工业总产值", "INDICATOR"), ("8426.5亿元", "VALUE"),
        ("7.3%", "VALUE")]


def test_rules_scorer_through_evaluate(blank_zh, tiny_records):
    blank_zh.add_pipe("gzie_rules")
    scores = blank_zh.evaluate(examples(blank_zh, tiny_records))
    assert 0 < scores["spans_gzie_rules_p"] <= 1
    assert "VALUE" in scores["spans_gzie_rules_per_type"]


def test_relations_through_add_pipe(blank_zh):
    blank_zh.add_pipe("gzie_rules", config={"standalone_labels": ["VALUE", "PERIOD"]})
    blank_zh.add_pipe("gzie_relations")
    doc = blank_zh(TEXT)
    labels = {(doc.text[r["head"][0]:r["head"][1]], doc.text[r["child"][0]:r["child"][1]], r["label"])
              for r in doc._.relations}
    assert labels == set()  # no INDICATOR without the statistical recognizer: nothing to link


def test_relations_scorer_through_evaluate(blank_zh, tiny_records):
    blank_zh.add_pipe("gzie_relations")
    egs = examples(blank_zh, tiny_records)
    for eg in egs:  # the gold entities, so that only the relation decisions are scored
        eg.predicted.ents = [eg.predicted.char_span(e.start_char, e.end_char, e.label_) for e in eg.reference.ents]
    scores = blank_zh.evaluate(egs)
    assert scores["rel_micro_f"] > 0.5


def test_relations_pipe_honours_batch_size(blank_zh, tiny_records):
    rel = blank_zh.add_pipe("gzie_relations")
    docs = [record_to_doc(r, blank_zh.make_doc) for r in tiny_records]
    seen = []
    original = rel.predict
    rel.predict = lambda batch: seen.append(len(batch)) or original(batch)
    assert len(list(rel.pipe(iter(docs), batch_size=4))) == len(docs)
    assert seen == [4, len(docs) - 4]


def test_facts_through_add_pipe_and_evaluate(tiny_records):
    nlp = gzie.load()
    doc = nlp(TEXT)
    assert doc._.facts[0]["indicator"] == "规模以上工业总产值"
    scores = nlp.evaluate(examples(nlp, tiny_records))
    assert {"facts_p", "facts_r", "facts_f", "rel_micro_f", "ents_f", "spans_gzie_rules_f"} <= set(scores)


def test_facts_component_alone(blank_zh):
    blank_zh.add_pipe("gzie_facts")
    doc = blank_zh.make_doc(TEXT)
    doc.ents = [doc.char_span(12, 21, "INDICATOR"), doc.char_span(21, 29, "VALUE")]
    doc._.relations = [{"head": [12, 21], "child": [21, 29], "label": "HAS_VALUE"}]
    doc = blank_zh.get_pipe("gzie_facts")(doc)
    assert [(f["indicator"], f["value"]) for f in doc._.facts] == [("规模以上工业总产值", 842650000000.0)]


@pytest.fixture
def model_copy(tmp_path):
    shutil.copytree(default_model_path(), tmp_path / "model")
    return tmp_path / "model"


def test_model_trained_with_other_tables_warns(model_copy):
    meta = srsly.read_json(model_copy / "meta.json")
    meta.setdefault("gzie", {})["tables_sha256"] = "0" * 64
    srsly.write_json(model_copy / "meta.json", meta)
    with pytest.warns(UserWarning, match=r"\[W001\]"):
        gzie.load(model_copy)


def test_model_without_a_weights_folder_is_incomplete(model_copy):
    shutil.rmtree(model_copy / "gzie_relations")
    with pytest.raises(ModelError, match=r"\[E002\].*gzie_relations"):
        gzie.load(model_copy)
