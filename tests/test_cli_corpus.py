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
                                 "-o", str(metrics)])
    assert result.exit_code == 0, result.output
    assert json.loads(metrics.read_text())["entities"]["micro"]["f"] == 1.0


def test_evaluate_json_prints_the_scores(tiny_corpus):
    gold = str(tiny_corpus / "dev.jsonl")
    result = runner.invoke(app, ["evaluate", gold, gold, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["facts"]["f"] == 1.0


def test_agree_reports_span_and_relation_f(tmp_path, tiny_records):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_records(tiny_records, first)
    changed = [dict(r, spans=r["spans"][:-1], relations=[x for x in r["relations"]
                                                          if len(r["spans"]) - 1 not in (x["head"], x["child"])])
               for r in tiny_records]
    write_records(changed, second)
    result = runner.invoke(app, ["corpus", "agree", str(first), str(second), "-o", str(tmp_path / "g.json")])
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "g.json").read_text())
    assert scores["documents"] == len(tiny_records)
    assert 0.8 < scores["spans"]["micro"]["f"] < 1.0 and scores["spans"]["micro"]["p"] == 1.0


def test_agree_on_itself_is_perfect(tmp_path, tiny_records):
    write_records(tiny_records, tmp_path / "a.jsonl")
    result = runner.invoke(app, ["corpus", "agree", str(tmp_path / "a.jsonl"), str(tmp_path / "a.jsonl")])
    assert "spans: F 100.0" in result.output and "relations: F 100.0" in result.output


def test_stats_counts_the_forms_of_real_releases(tmp_path):
    from gzie.corpus.forms import record_forms

    record = {"id": "f", "meta": {"date": "2024-11-08"},
              "text": "前10个月，园区营业收入增长8%，增速比上半年提高0.6个百分点。其中，出口增长5%。",
              "spans": [{"start": 0, "end": 5, "label": "PERIOD"}, {"start": 8, "end": 12, "label": "INDICATOR"},
                        {"start": 14, "end": 16, "label": "VALUE"}, {"start": 20, "end": 23, "label": "PERIOD"},
                        {"start": 25, "end": 31, "label": "VALUE"}, {"start": 35, "end": 37, "label": "INDICATOR"},
                        {"start": 39, "end": 41, "label": "VALUE"}],
              "relations": [{"head": 1, "child": 2, "label": "HAS_CHANGE"}, {"head": 1, "child": 0, "label": "IN_PERIOD"},
                            {"head": 5, "child": 6, "label": "HAS_CHANGE"}]}
    forms = record_forms(record)
    assert forms["period_first_months"] == 1 and forms["comparison_base"] == 1 and forms["rate_change"] == 1
    assert forms["qita_breakdown"] == 1
