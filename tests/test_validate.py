import json

import pytest

from gzie.corpus.validate import validate_paths

GOOD = {"id": "a", "text": "上半年，工业总产值5200亿元。", "meta": {},
        "spans": [{"start": 0, "end": 3, "label": "PERIOD"}, {"start": 4, "end": 9, "label": "INDICATOR"},
                  {"start": 9, "end": 15, "label": "VALUE"}],
        "relations": [{"head": 1, "child": 2, "label": "HAS_VALUE"}]}


def write(path, *records, raw_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(raw_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def variant(**changes):
    record = json.loads(json.dumps(GOOD))
    record.update(changes)
    return record


def messages(tmp_path, *records, raw_lines=()):
    path = write(tmp_path / "c.jsonl", *records, raw_lines=raw_lines)
    return [str(p) for p in validate_paths([path])]


def test_good_file_has_no_problems(tmp_path):
    assert messages(tmp_path, GOOD) == []


def test_invalid_json_names_the_line(tmp_path):
    found = messages(tmp_path, GOOD, raw_lines=["{not json"])
    assert len(found) == 1 and "c.jsonl:2" in found[0] and "invalid JSON" in found[0]


def test_offsets_out_of_range(tmp_path):
    found = messages(tmp_path, variant(spans=[{"start": 10, "end": 99, "label": "VALUE"}], relations=[]))
    assert "out of range" in found[0]


def test_span_edged_by_whitespace(tmp_path):
    record = variant(text="上半年 工业总产值", spans=[{"start": 3, "end": 9, "label": "INDICATOR"}], relations=[])
    assert "whitespace" in messages(tmp_path, record)[0]


def test_empty_span(tmp_path):
    found = messages(tmp_path, variant(spans=[{"start": 3, "end": 3, "label": "VALUE"}], relations=[]))
    assert "out of range" in found[0]


def test_duplicate_spans(tmp_path):
    spans = [{"start": 0, "end": 3, "label": "PERIOD"}, {"start": 0, "end": 3, "label": "PERIOD"}]
    assert "duplicate spans" in messages(tmp_path, variant(spans=spans, relations=[]))[0]


def test_crossing_spans(tmp_path):
    spans = [{"start": 4, "end": 9, "label": "INDICATOR"}, {"start": 7, "end": 12, "label": "INDICATOR"}]
    assert "overlap" in messages(tmp_path, variant(spans=spans, relations=[]))[0]


def test_unknown_label(tmp_path):
    spans = [{"start": 0, "end": 3, "label": "DATE"}]
    assert "unknown label 'DATE'" in messages(tmp_path, variant(spans=spans, relations=[]))[0]


def test_relation_to_missing_span(tmp_path):
    found = messages(tmp_path, variant(relations=[{"head": 1, "child": 7, "label": "HAS_VALUE"}]))
    assert "missing span" in found[0]


def test_relation_with_wrong_types(tmp_path):
    found = messages(tmp_path, variant(relations=[{"head": 0, "child": 2, "label": "HAS_VALUE"}]))
    assert "expected INDICATOR->VALUE" in found[0]


def test_unknown_relation_label(tmp_path):
    found = messages(tmp_path, variant(relations=[{"head": 1, "child": 2, "label": "CAUSES"}]))
    assert "unknown label 'CAUSES'" in found[0]


def test_ids_unique_across_splits(tmp_path):
    write(tmp_path / "train.jsonl", GOOD)
    write(tmp_path / "test.jsonl", variant(text="下半年，工业总产值5300亿元。"))
    found = [str(p) for p in validate_paths([tmp_path])]
    assert len(found) == 1 and "id already used" in found[0]


def test_text_not_shared_between_splits(tmp_path):
    write(tmp_path / "train.jsonl", GOOD)
    write(tmp_path / "test.jsonl", variant(id="b"))
    found = [str(p) for p in validate_paths([tmp_path])]
    assert len(found) == 1 and "same text as" in found[0]


def test_record_without_text(tmp_path):
    assert "no text" in messages(tmp_path, variant(text=""))[0]


def test_validation_modifies_nothing(tmp_path):
    path = write(tmp_path / "c.jsonl", variant(relations=[{"head": 0, "child": 2, "label": "HAS_VALUE"}]))
    before = path.read_bytes()
    validate_paths([path])
    assert path.read_bytes() == before


@pytest.mark.parametrize("name", ["missing.jsonl"])
def test_missing_file(tmp_path, name):
    found = [str(p) for p in validate_paths([tmp_path / name])]
    assert "no such file" in found[0]
