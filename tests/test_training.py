"""End to end: train on the tiny corpus, save, load, predict, evaluate (slow: trains real models)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import gzie
from gzie.cli import app
from gzie.training.evaluate import evaluate
from gzie.training.train import train

CONFIG = Path(__file__).parents[1] / "configs" / "default.cfg"
QUICK = {"training.max_epochs": 3, "training.eval_frequency": 5}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny_model(tiny_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("model")
    scores = train(CONFIG, out, train_path=tiny_corpus / "train.jsonl", dev_path=tiny_corpus / "dev.jsonl",
                   seed=1, overrides=QUICK)
    return out, scores


def test_trained_model_loads_with_gzie_and_spacy(tiny_model):
    import spacy

    path, _ = tiny_model
    assert gzie.load(path).pipe_names == spacy.load(path).pipe_names


def test_reloaded_model_predicts_the_same(tiny_model, tiny_records):
    path, _ = tiny_model
    text = tiny_records[0]["text"]
    first = gzie.extract(text, date="2022-10-20", nlp=gzie.load(path))
    second = gzie.extract(text, date="2022-10-20", nlp=gzie.load(path))
    assert first == second


def test_recorded_metrics_match_a_fresh_evaluation(tiny_model, tiny_corpus):
    path, _ = tiny_model
    recorded = json.loads((path / "meta.json").read_text())["gzie"]["metrics"]["dev"]
    fresh = evaluate(path, [tiny_corpus / "dev.jsonl"])
    assert recorded["ents_f"] == round(fresh["entities"]["micro"]["f"], 4)
    assert recorded["facts_f"] == round(fresh["facts"]["f"], 4)


def test_same_seed_gives_same_scores(tiny_model, tiny_corpus, tmp_path):
    _, scores = tiny_model
    again = train(CONFIG, tmp_path / "again", train_path=tiny_corpus / "train.jsonl",
                  dev_path=tiny_corpus / "dev.jsonl", seed=1, overrides=QUICK)
    assert again["entities"] == scores["entities"] and again["relations"] == scores["relations"]


def test_train_cli_takes_overrides(tiny_corpus, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["train", str(CONFIG), "-o", str(tmp_path / "m"), "--train",
                                 str(tiny_corpus / "train.jsonl"), "--dev", str(tiny_corpus / "dev.jsonl"),
                                 "--training.max_epochs", "1"])
    assert result.exit_code == 0, result.output
    assert "E    #" in result.output  # spaCy's progress table: epoch, step, losses, scores
    assert (tmp_path / "m" / "meta.json").exists()


def test_train_cli_names_a_missing_corpus(tmp_path):
    result = CliRunner().invoke(app, ["train", str(CONFIG), "-o", str(tmp_path / "m"), "--train",
                                      str(tmp_path / "nope.jsonl")])
    assert result.exit_code == 1
    assert "nope.jsonl: train corpus not found" in result.output


def test_extract_cli_writes_records(tiny_model, tmp_path):
    path, _ = tiny_model
    doc = tmp_path / "news.txt"
    doc.write_text("2023-05-06 10:00\n一季度，全市开发区完成工业总产值812亿元，同比增长7.2%。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(doc), "-o", str(out), "--model", str(path)])
    assert result.exit_code == 0, result.output
    record = json.loads(out.read_text(encoding="utf-8"))
    assert record["id"] == "news" and record["date"] == "2023-05-06"
    assert {"entities", "relations", "facts", "policies"} <= set(record)


def test_training_from_a_saved_dataset_equals_training_from_jsonl(tiny_model, tiny_corpus, tmp_path):
    from gzie.corpus.dataset import load_corpus

    load_corpus(tiny_corpus).save_to_disk(str(tmp_path / "dataset"))
    _, scores = tiny_model
    from_dataset = train(CONFIG, tmp_path / "m", train_path=tmp_path / "dataset", seed=1, overrides=QUICK)
    assert from_dataset["entities"] == scores["entities"] and from_dataset["facts"] == scores["facts"]


def test_a_short_variant_config_builds_on_default(tiny_corpus, tmp_path):
    variant = tmp_path / "narrow.cfg"
    variant.write_text(f'[base]\npath = "{CONFIG}"\n\n[components.tok2vec.model.encode]\nwindow_size = 1\n',
                       encoding="utf-8")
    train(variant, tmp_path / "m", train_path=tiny_corpus / "train.jsonl", dev_path=tiny_corpus / "dev.jsonl",
          seed=1, overrides=QUICK)
    config = (tmp_path / "m" / "config.cfg").read_text(encoding="utf-8")
    assert "window_size = 1" in config and "[base]" not in config
