"""Learning curve: nested subsets, fraction checks, and one tiny end-to-end curve (slow)."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gzie.cli import app
from gzie.errors import ConfigError
from gzie.training.learning_curve import check_fractions, format_curve, learning_curve, nested_subsets

CONFIG = Path(__file__).parents[1] / "configs" / "default.cfg"
QUICK = {"training.max_epochs": 1, "training.eval_frequency": 5}
RECORDS = [{"id": f"d{i}", "text": str(i)} for i in range(20)]


def test_subsets_are_nested():
    quarter, half, whole = nested_subsets(RECORDS, [0.25, 0.5, 1.0], seed=3)
    assert {r["id"] for r in quarter} < {r["id"] for r in half} < {r["id"] for r in whole}


def test_subset_sizes_follow_the_fractions():
    sizes = [len(s) for s in nested_subsets(RECORDS, [0.25, 0.5, 0.75, 1.0], seed=0)]
    assert sizes == [5, 10, 15, 20]


def test_subsets_keep_corpus_order():
    (half,) = nested_subsets(RECORDS, [0.5], seed=0)
    assert [int(r["text"]) for r in half] == sorted(int(r["text"]) for r in half)


def test_subsets_depend_on_the_seed():
    assert nested_subsets(RECORDS, [0.25], seed=0) != nested_subsets(RECORDS, [0.25], seed=1)


def test_full_fraction_is_the_whole_split():
    (whole,) = nested_subsets(RECORDS, [1.0], seed=5)
    assert whole == RECORDS


@pytest.mark.parametrize("bad", [[0], [1.5], [-0.1], []])
def test_fractions_outside_the_unit_interval_are_rejected(bad):
    with pytest.raises(ConfigError, match=r"\[E049\] --fractions: must lie in"):
        check_fractions(bad)


def test_fractions_are_sorted_and_deduplicated():
    assert check_fractions([1, 0.5, 0.5]) == [0.5, 1.0]


def test_curve_table_has_one_row_per_point():
    points = [{"fraction": 0.5, "documents": 3, "ents_f": 0.5, "rel_f": 0.25, "facts_f": 0.125},
              {"fraction": 1.0, "documents": 6, "ents_f": 0.75, "rel_f": 0.5, "facts_f": 0.25}]
    table = format_curve(points).splitlines()
    assert len(table) == 4 and table[-1] == "| 100% | 6 | 0.750 | 0.500 | 0.250 |"


def test_missing_config_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"\[E045\] .*nope.cfg: config file not found"):
        learning_curve(tmp_path / "nope.cfg")


@pytest.mark.slow
def test_tiny_curve_trains_one_model_per_fraction(tiny_corpus, tmp_path):
    points = learning_curve(CONFIG, fractions=[0.5, 1.0], train_path=tiny_corpus / "train.jsonl",
                            dev_path=tiny_corpus / "dev.jsonl", seed=1, overrides=QUICK,
                            models_dir=tmp_path / "models")
    assert [p["fraction"] for p in points] == [0.5, 1.0]
    assert points[0]["documents"] < points[1]["documents"]
    assert (tmp_path / "models" / "model-50" / "meta.json").exists()
    assert all(0 <= p["ents_f"] <= 1 for p in points)


@pytest.mark.slow
def test_learning_curve_cli_writes_points(tiny_corpus, tmp_path):
    out = tmp_path / "curve.json"
    result = CliRunner().invoke(app, ["learning-curve", str(CONFIG), "-o", str(out), "--fractions", "1",
                                      "--train", str(tiny_corpus / "train.jsonl"),
                                      "--dev", str(tiny_corpus / "dev.jsonl"), "--training.max_epochs", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())[0]["fraction"] == 1.0
    assert "| 100% |" in result.output


def test_learning_curve_cli_rejects_bad_fractions(tmp_path):
    result = CliRunner().invoke(app, ["learning-curve", str(CONFIG), "-o", str(tmp_path / "c.json"),
                                      "--fractions", "half"])
    assert result.exit_code == 1
    assert "--fractions 'half'" in result.output
