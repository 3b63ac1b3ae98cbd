import json
import xml.etree.ElementTree as ET

import pytest
from typer.testing import CliRunner

from gzie.annotate.formats import (
    doccano_to_records,
    label_studio_config,
    label_studio_to_records,
    record_to_doccano,
    record_to_label_studio,
)
from gzie.annotate.offsets import resolve_span, utf16_to_codepoint
from gzie.cli import app
from gzie.corpus.convert import canonical_record
from gzie.corpus.io import read_records, write_records
from gzie.schema import ENTITY_LABELS, RELATION_LABELS

# Offset traps: an emoji (two UTF-16 units), full-width punctuation and repeated whitespace.
TRAP_TEXT = "🚀【快讯】  上半年，全省开发区　工业总产值5200亿元，同比增长８．１％。😀"


def span(text, surface, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return {"start": start, "end": start + len(surface), "label": label}


@pytest.fixture
def trap_record():
    spans = [span(TRAP_TEXT, "上半年", "PERIOD"), span(TRAP_TEXT, "全省开发区", "ZONE"),
             span(TRAP_TEXT, "工业总产值", "INDICATOR"), span(TRAP_TEXT, "5200亿元", "VALUE"),
             span(TRAP_TEXT, "８．１％", "VALUE")]
    relations = [{"head": 2, "child": 3, "label": "HAS_VALUE"}, {"head": 2, "child": 4, "label": "HAS_CHANGE"},
                 {"head": 2, "child": 0, "label": "IN_PERIOD"}, {"head": 2, "child": 1, "label": "IN_ZONE"}]
    return {"id": "trap-1", "text": TRAP_TEXT, "meta": {"date": "2023-07-20"}, "spans": spans, "relations": relations}


def annotated(task):
    """What an annotator who accepts the prediction leaves in a Label Studio export."""
    return dict(task, annotations=[{"result": task["predictions"][0]["result"], "was_cancelled": False}])


def test_config_lists_every_label_and_relation():
    root = ET.fromstring(label_studio_config())
    assert [label.get("value") for label in root.iter("Label")] == list(ENTITY_LABELS)
    assert [r.get("value") for r in root.iter("Relation")] == list(RELATION_LABELS)


def test_label_studio_round_trip(trap_record):
    records, problems = label_studio_to_records([annotated(record_to_label_studio(trap_record))])
    assert problems == []
    assert canonical_record(records[0]) == canonical_record(trap_record)


def test_doccano_round_trip(trap_record):
    line = json.loads(json.dumps(record_to_doccano(trap_record), ensure_ascii=False))
    records, problems = doccano_to_records([line])
    assert problems == []
    assert canonical_record(records[0]) == canonical_record(trap_record)


def test_utf16_offsets_are_converted(trap_record):
    # a tool that counts UTF-16 units puts 上半年 one position later, after the emoji's pair
    start = TRAP_TEXT.index("上半年")
    assert resolve_span(TRAP_TEXT, start + 1, start + 4, "上半年") == (start, start + 3)
    assert utf16_to_codepoint("😀a", 1) is None


def test_mismatched_offsets_are_reported(trap_record):
    task = annotated(record_to_label_studio(trap_record))
    task["annotations"][0]["result"][0]["value"]["start"] += 5
    records, problems = label_studio_to_records([task])
    assert "do not match '上半年'" in str(problems[0])
    # the relation that pointed to the lost span is reported too
    assert any("missing span" in str(p) for p in problems)


def test_unknown_label_and_skipped_task_are_reported(trap_record):
    task = annotated(record_to_label_studio(trap_record))
    task["annotations"][0]["result"][1]["value"]["labels"] = ["CITY"]
    skipped = record_to_label_studio(trap_record)
    skipped["data"]["id"] = "no-annotation"
    _, problems = label_studio_to_records([task, skipped])
    messages = [str(p) for p in problems]
    assert any("unknown label 'CITY'" in m for m in messages)
    assert "task no-annotation: skipped: no finished annotation" in messages


def test_relation_with_wrong_types_is_reported(trap_record):
    line = record_to_doccano(trap_record)
    line["relations"].append({"id": 9, "from_id": 0, "to_id": 3, "type": "HAS_VALUE"})
    _, problems = doccano_to_records([line])
    assert "expected INDICATOR->VALUE" in str(problems[0])


def test_import_cli_exits_non_zero_and_writes_nothing_on_problems(tmp_path, trap_record):
    task = annotated(record_to_label_studio(trap_record))
    task["annotations"][0]["result"][0]["value"]["labels"] = ["CITY"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", "import", str(export), "-o", str(tmp_path / "new.jsonl")])
    assert result.exit_code == 1
    assert "unknown label 'CITY'" in result.output
    assert not (tmp_path / "new.jsonl").exists()


def test_import_cli_allow_partial_keeps_the_rest(tmp_path, trap_record):
    task = annotated(record_to_label_studio(trap_record))
    task["annotations"][0]["result"][0]["value"]["labels"] = ["CITY"]
    export = tmp_path / "export.json"
    export.write_text(json.dumps([task], ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(app, ["annotate", "import", str(export), "-o", str(tmp_path / "new.jsonl"),
                                      "--allow-partial"])
    assert result.exit_code == 1
    assert len(read_records(tmp_path / "new.jsonl")[0]["spans"]) == 4


def test_export_cli_pre_annotates_least_certain_first(tmp_path):
    docs = tmp_path / "news"
    docs.mkdir()
    (docs / "a.txt").write_text("上半年，全省开发区完成工业总产值5200亿元，同比增长8.1%。", encoding="utf-8")
    (docs / "b.txt").write_text("据了解，园区建设进展顺利。", encoding="utf-8")
    out = tmp_path / "tasks.json"
    result = CliRunner().invoke(app, ["annotate", "export", str(docs), "-o", str(out), "--limit", "2"])
    assert result.exit_code == 0, result.output
    tasks = json.loads(out.read_text(encoding="utf-8"))
    scores = [t["predictions"][0]["score"] for t in tasks]
    assert scores == sorted(scores)
    results = [r for t in tasks for r in t["predictions"][0]["result"]]
    assert {"from_name", "to_name", "type", "value"} <= set(results[0])


def test_merge_skips_texts_already_in_the_corpus(tmp_path, trap_record):
    write_records([trap_record], tmp_path / "corpus" / "train.jsonl")
    new = dict(trap_record, id="trap-2", text=" " + TRAP_TEXT)
    other = dict(trap_record, id="trap-3", text=TRAP_TEXT.replace("上半年", "下半年"))
    write_records([new, other], tmp_path / "new.jsonl")
    result = CliRunner().invoke(app, ["corpus", "merge", str(tmp_path / "new.jsonl"), "--into",
                                      str(tmp_path / "corpus" / "train.jsonl")])
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in read_records(tmp_path / "corpus" / "train.jsonl")] == ["trap-1", "trap-3"]


def test_doccano_sequence_labels_are_read():
    from gzie.annotate.formats import doccano_to_records

    records, problems = doccano_to_records([{"id": 1, "text": "绵阳高新区规上工业总产值436.2亿元", "label": [[0, 5, "ZONE"]]}])
    assert problems == [] and records[0]["spans"] == [{"start": 0, "end": 5, "label": "ZONE"}]


@pytest.mark.parametrize("entities", ["x", [1, "a"]])
def test_doccano_entities_of_the_wrong_shape_are_reported(entities):
    from gzie.annotate.formats import doccano_to_records

    _, problems = doccano_to_records([{"id": 1, "text": "园区规上工业总产值", "entities": entities}])
    assert problems and all("entities" in str(p) for p in problems)
