import json

from typer.testing import CliRunner

from gzie.cli import app
from gzie.corpus.io import write_records

runner = CliRunner()


def test_validate_passes_on_a_good_corpus(tiny_corpus):
    result = runner.invoke(app, ["corpus", "validate", str(tiny_corpus / "train.jsonl")])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_fails_with_one_line_per_problem(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "工业总产值", "spans": [{"start": 0, "end": 9, "label": "X"}], '
                   '"relations": []}\n'
                   "{oops\n", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "validate", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:2" in result.output and "unknown label 'X'" in result.output


def test_stats_json_counts_documents_and_labels(tiny_corpus):
    result = runner.invoke(app, ["corpus", "stats", str(tiny_corpus / "train.jsonl"), "--json"])
    stats = json.loads(result.stdout)
    assert stats["documents"] == 6
    assert stats["spans_per_label"]["POLICY"] == 1
    assert stats["regions"] == 6


def test_lint_reports_label_conflicts(tmp_path, tiny_records):
    records = [dict(r) for r in tiny_records[:2]]
    text = "全省开发区营业收入增长。"
    records.append({"id": "x", "text": text, "meta": {}, "spans": [{"start": 0, "end": 5, "label": "INDICATOR"}],
                    "relations": []})
    write_records(records, tmp_path / "c.jsonl")
    result = runner.invoke(app, ["corpus", "lint", str(tmp_path / "c.jsonl")])
    assert "'全省开发区' labeled differently" in result.output


def test_lint_reports_unlabeled_occurrences(tmp_path, tiny_records):
    records = [tiny_records[0], {"id": "y", "text": "工业总产值稳步提升。", "meta": {}, "spans": [], "relations": []}]
    write_records(records, tmp_path / "c.jsonl")
    result = runner.invoke(app, ["corpus", "lint", str(tmp_path / "c.jsonl")])
    assert "'工业总产值' labeled INDICATOR×1 but unlabeled 1×" in result.output


def test_from_markup_writes_jsonl(tmp_path):
    source = tmp_path / "docs.md"
    source.write_text("### id=m1 date=2022-01-01\n[[总投资|INDICATOR|i]][[5亿元|VALUE|v]]\n@rel i HAS_VALUE v\n",
                      encoding="utf-8")
    result = runner.invoke(app, ["corpus", "from-markup", str(source), "-o", str(tmp_path / "out.jsonl")])
    assert result.exit_code == 0, result.output
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["relations"] == [{"head": 0, "child": 1, "label": "HAS_VALUE"}]


def test_evaluate_a_predictions_file(tiny_corpus, tmp_path):
    metrics = tmp_path / "m.json"
    result = runner.invoke(app, ["evaluate", str(tiny_corpus / "dev.jsonl"), str(tiny_corpus / "dev.jsonl"),
                                 "--json", str(metrics)])
    assert result.exit_code == 0, result.output
    assert json.loads(metrics.read_text())["entities"]["micro"]["f"] == 1.0
