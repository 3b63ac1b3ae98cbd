"""The corpus as a Hugging Face DatasetDict: typed features and lossless round trips."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gzie.corpus.dataset import dataset_to_records, load_corpus, records_to_dataset
from gzie.corpus.io import read_records
from gzie.errors import ConfigError, CorpusError
from gzie.schema import ENTITY_LABELS, RELATION_LABELS
from gzie.training.config import read_config

CORPUS = Path(__file__).parents[1] / "corpora"


def test_corpus_loads_as_a_dataset_dict_with_its_splits():
    corpus = load_corpus(CORPUS)
    assert {"train", "dev", "test"} <= set(corpus)
    assert corpus["train"].features["spans"].feature["label"].names == list(ENTITY_LABELS)
    assert corpus["train"].features["relations"].feature["label"].names == list(RELATION_LABELS)


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_every_split_round_trips_without_loss(split):
    records = read_records(CORPUS / f"{split}.jsonl")
    assert dataset_to_records(load_corpus(CORPUS)[split]) == records


def test_saved_dataset_loads_back(tmp_path):
    corpus = load_corpus(CORPUS)
    corpus.save_to_disk(str(tmp_path / "saved"))
    again = load_corpus(tmp_path / "saved")
    assert dataset_to_records(again["dev"]) == read_records(CORPUS / "dev.jsonl")


def test_missing_corpus_is_one_clear_error(tmp_path):
    with pytest.raises(CorpusError, match=r"\[E040\]"):
        load_corpus(tmp_path / "nothing")


spans = st.lists(st.fixed_dictionaries({"start": st.integers(0, 50), "end": st.integers(1, 60),
                                        "label": st.sampled_from(ENTITY_LABELS)}), max_size=5)


@settings(max_examples=50, deadline=None)
@given(text=st.text(min_size=1, max_size=40), spans=spans,
       meta=st.dictionaries(st.sampled_from(["date", "source", "region", "genre", "writer", "note"]),
                            st.one_of(st.none(), st.text(max_size=8)), max_size=6))
def test_any_record_round_trips(text, spans, meta):
    relations = [{"head": 0, "child": len(spans) - 1, "label": "HAS_VALUE"}] if spans else []
    full_meta = {key: None for key in ("date", "source", "region", "genre")} | meta
    record = {"id": "x", "text": text, "meta": full_meta, "spans": spans, "relations": relations}
    assert dataset_to_records(records_to_dataset([record])) == [record]


def test_variant_configs_are_complete_configs():
    for name in ("bigram", "charword", "pkuseg"):
        config = read_config(CORPUS.parent / "configs" / f"{name}.cfg")
        assert "base" not in config and config["nlp"]["pipeline"] == read_config(
            CORPUS.parent / "configs" / "default.cfg")["nlp"]["pipeline"]


def test_a_config_with_a_syntax_error_is_one_clear_error(tmp_path):
    bad = tmp_path / "bad.cfg"
    bad.write_text("[nlp\nlang = zh\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[E046\]"):
        read_config(bad)


def test_a_file_that_is_not_a_config_is_one_clear_error(tmp_path):
    bad = tmp_path / "notes.cfg"
    bad.write_text("just some notes\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[E046\]"):
        read_config(bad)
