import json

from datasets import load_dataset
from spacy.tokens import DocBin

from gzie.corpus.convert import canonical_record, doc_to_record, docbin_to_records, record_to_doc, records_to_docbin
from gzie.corpus.io import write_records


def test_record_doc_round_trip(blank_zh, tiny_records):
    for record in tiny_records:
        assert doc_to_record(record_to_doc(record, blank_zh.make_doc)) == canonical_record(record)


def test_docbin_round_trip(blank_zh, tiny_records):
    data = records_to_docbin(tiny_records, blank_zh.make_doc).to_bytes()
    back = docbin_to_records(DocBin().from_bytes(data), blank_zh.vocab)
    assert back == [canonical_record(r) for r in tiny_records]


def test_relations_survive_reordered_spans(blank_zh, tiny_records):
    record = tiny_records[0]
    order = list(reversed(range(len(record["spans"]))))
    shuffled = dict(record, spans=[record["spans"][i] for i in order],
                    relations=[dict(r, head=order.index(r["head"]), child=order.index(r["child"]))
                               for r in record["relations"]])
    assert doc_to_record(record_to_doc(shuffled, blank_zh.make_doc)) == canonical_record(record)


def test_entities_expand_to_token_boundaries():
    import spacy

    nlp = spacy.blank("en")
    record = {"id": "x", "text": "Total 2998yuan today", "spans": [{"start": 6, "end": 10, "label": "VALUE"}],
              "relations": []}
    doc = record_to_doc(record, nlp.make_doc)
    assert [e.text for e in doc.ents] == ["2998yuan"]


def test_corpus_loads_with_datasets_offline(tmp_path, tiny_records, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "train.jsonl"
    write_records(tiny_records, path)
    dataset = load_dataset("json", data_files=str(path), split="train", cache_dir=str(tmp_path / "cache"))
    assert len(dataset) == len(tiny_records)
    assert dataset[0]["text"] == tiny_records[0]["text"]
    assert json.loads(json.dumps(dataset[1]["spans"]))[0]["label"] == tiny_records[1]["spans"][0]["label"]
