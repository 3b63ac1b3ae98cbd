import pytest
import spacy

from gzie.corpus.convert import record_to_doc
from gzie.pipeline.candidates import Candidate, typed_pairs_in_window
from gzie.pipeline.relations import decode
from gzie.text import Entity
from gzie.training.reader import records_to_examples


def entities(*items):
    return [Entity(s, e, label, "x" * (e - s)) for s, e, label in items]


def test_candidates_are_typed_pairs():
    ents = entities((0, 3, "INDICATOR"), (3, 6, "VALUE"), (7, 9, "PERIOD"), (10, 12, "AGENCY"))
    pairs = {(c.head, c.child) for c in typed_pairs_in_window(ents, "x" * 13)}
    assert pairs == {(0, 1), (0, 2)}


def test_candidates_stay_within_a_sentence():
    text = "工业总产值。5200亿元"
    ents = [Entity(0, 5, "INDICATOR", "工业总产值"), Entity(6, 12, "VALUE", "5200亿元")]
    assert typed_pairs_in_window(ents, text) == []
    assert len(typed_pairs_in_window(ents, text, max_sentences=2)) == 1


def test_decode_gives_a_value_at_most_one_indicator():
    cands = [Candidate(0, 2, ("HAS_VALUE", "HAS_CHANGE")), Candidate(1, 2, ("HAS_VALUE", "HAS_CHANGE"))]
    probs = [{"HAS_VALUE": 0.7, "-": 0.3}, {"HAS_VALUE": 0.9, "-": 0.1}]
    kept = decode(cands, probs, threshold=0.5)
    assert [(c.head, label) for c, label, _ in kept] == [(1, "HAS_VALUE")]


def test_decode_respects_threshold():
    kept = decode([Candidate(0, 1, ("ISSUED_BY",))], [{"ISSUED_BY": 0.55, "-": 0.45}], threshold=0.6)
    assert kept == []


def test_decode_allows_several_issuers():
    cands = [Candidate(0, 1, ("ISSUED_BY",)), Candidate(0, 2, ("ISSUED_BY",))]
    kept = decode(cands, [{"ISSUED_BY": 0.8, "-": 0.2}, {"ISSUED_BY": 0.7, "-": 0.3}], threshold=0.5)
    assert len(kept) == 2


@pytest.fixture
def trained_relations(tiny_records):
    nlp = spacy.blank("zh")
    rel = nlp.add_pipe("gzie_relations")
    nlp.initialize(lambda: records_to_examples(tiny_records, nlp))
    return nlp, rel


def gold_doc(nlp, record):
    doc = record_to_doc(record, nlp.make_doc)
    expected = doc._.relations
    doc._.relations = None
    return doc, expected


def test_initialize_learns_the_training_relations(trained_relations, tiny_records):
    nlp, rel = trained_relations
    assert rel.is_trained
    doc, expected = gold_doc(nlp, tiny_records[2])
    predicted = {(tuple(r["head"]), tuple(r["child"]), r["label"]) for r in rel(doc)._.relations}
    assert predicted == {(tuple(r["head"]), tuple(r["child"]), r["label"]) for r in expected}


def test_bytes_round_trip(trained_relations, tiny_records):
    nlp, rel = trained_relations
    other = spacy.blank("zh").add_pipe("gzie_relations")
    other.from_bytes(rel.to_bytes())
    doc, _ = gold_doc(nlp, tiny_records[0])
    assert other.predict([doc]) == rel.predict([doc])


def test_disk_round_trip(trained_relations, tiny_records, tmp_path):
    nlp, rel = trained_relations
    nlp.to_disk(tmp_path / "m")
    loaded = spacy.load(tmp_path / "m")
    doc, _ = gold_doc(nlp, tiny_records[0])
    assert loaded.get_pipe("gzie_relations").predict([doc]) == rel.predict([doc])


def test_weights_file_is_not_pickle(trained_relations, tmp_path):
    import srsly

    nlp, _ = trained_relations
    nlp.to_disk(tmp_path / "m")
    state = srsly.read_msgpack(tmp_path / "m" / "gzie_relations" / "weights.msgpack")
    assert set(state) == {"cfg", "classes", "features", "coef", "intercept"}


def test_missing_weights_file_is_a_clear_error(trained_relations, tmp_path):
    from gzie.errors import ModelError

    nlp, _ = trained_relations
    nlp.to_disk(tmp_path / "m")
    (tmp_path / "m" / "gzie_relations" / "weights.msgpack").unlink()
    with pytest.raises(ModelError, match="weights.msgpack is missing"):
        spacy.load(tmp_path / "m")


def test_untrained_component_falls_back_to_rules(tiny_records):
    nlp = spacy.blank("zh")
    rel = nlp.add_pipe("gzie_relations")
    doc, _ = gold_doc(nlp, tiny_records[0])
    labels = {(doc.text[r["head"][0]:r["head"][1]], r["label"], doc.text[r["child"][0]:r["child"][1]])
              for r in rel(doc)._.relations}
    assert ("工业总产值", "HAS_VALUE", "4120亿元") in labels
    assert ("工业总产值", "HAS_CHANGE", "9.6%") in labels
