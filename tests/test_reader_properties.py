"""Property-based tests for every reader: random bytes and random JSON never raise, and every
well-formed record in the input reaches the output unchanged."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gzie.annotate.formats import doccano_to_records, label_studio_to_records
from gzie.corpus.validate import read_jsonl_checked, validate_paths
from gzie.errors import Problem
from gzie.inputs import InputDocument, iter_inputs

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                                      max_size=4), max_leaves=12)
good_texts = st.text(alphabet="开发区园区营业收入增长亿元12345，。", min_size=1, max_size=30).filter(str.strip)


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".jsonl", ".TXT"]))
def test_random_bytes_never_raise(tmp_path, data, suffix):
    path = tmp_path / f"f{suffix}"
    path.write_bytes(data)
    items = list(iter_inputs([path]))
    assert all(isinstance(i, (InputDocument, Problem)) for i in items)
    for problem in (i for i in items if isinstance(i, Problem)):
        str(problem).encode("utf-8")


@SETTINGS
@given(junk=st.lists(json_values, max_size=5), texts=st.lists(good_texts, min_size=1, max_size=4),
       raw=st.lists(st.binary(max_size=30), max_size=3))
def test_every_good_jsonl_record_gets_through(tmp_path, junk, texts, raw):
    good = [{"id": f"g{i}", "text": t} for i, t in enumerate(texts)]
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in good]
    noise = [json.dumps(j, ensure_ascii=False).encode() for j in junk] + [r.replace(b"\n", b" ") for r in raw]
    mixed = []
    for i in range(max(len(lines), len(noise))):
        if i < len(noise):
            mixed.append(noise[i])
        if i < len(lines):
            mixed.append(lines[i])
    path = tmp_path / "d.jsonl"
    path.write_bytes(b"\n".join(mixed) + b"\n")
    documents = [i for i in iter_inputs([path]) if isinstance(i, InputDocument)]
    assert [(d.id, d.text) for d in documents if d.id.startswith("g")] == [(r["id"], r["text"]) for r in good]


@SETTINGS
@given(data=st.binary(max_size=300))
def test_corpus_reader_never_raises(tmp_path, data):
    path = tmp_path / "c.jsonl"
    path.write_bytes(data)
    rows, problems = read_jsonl_checked(path)
    assert all(isinstance(p, Problem) for p in problems)
    validate_paths([path])


@SETTINGS
@given(records=st.lists(json_values, max_size=4))
def test_corpus_validate_never_raises_on_any_json(tmp_path, records):
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert all(isinstance(p, Problem) for p in validate_paths([path]))


def label_studio_task(text, doc_id):
    return {"id": doc_id, "data": {"id": f"doc-{doc_id}", "text": text}, "annotations": [{"result": [
        {"id": "s", "type": "labels", "value": {"start": 0, "end": 1, "text": text[0], "labels": ["ZONE"]}}]}]}


@SETTINGS
@given(junk=st.lists(json_values, max_size=5), texts=st.lists(good_texts, min_size=1, max_size=3))
def test_label_studio_exports_never_raise_and_keep_good_tasks(junk, texts):
    tasks = [label_studio_task(t.strip(), i) for i, t in enumerate(texts)]
    mixed = junk + tasks
    records, problems = label_studio_to_records(mixed)
    assert {r["id"] for r in records} >= {f"doc-{i}" for i, t in enumerate(texts) if t.strip()[0] != " "}


@SETTINGS
@given(junk=st.lists(json_values, max_size=5), texts=st.lists(good_texts, min_size=1, max_size=3))
def test_doccano_exports_never_raise_and_keep_good_lines(junk, texts):
    lines = [{"id": 100 + i, "text": t, "entities": [], "relations": []} for i, t in enumerate(texts)]
    records, problems = doccano_to_records(junk + lines)
    assert [r["id"] for r in records if r["id"].startswith("1") and len(r["id"]) == 3] == [
        str(100 + i) for i in range(len(texts))]


@SETTINGS
@given(tasks=st.lists(st.fixed_dictionaries({"id": json_values, "data": json_values, "annotations": json_values}),
                      max_size=4))
def test_label_studio_exports_of_any_shape_never_raise(tasks):
    records, problems = label_studio_to_records(tasks)
    assert all(isinstance(p, Problem) for p in problems)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.lists(st.one_of(json_values.map(lambda v: json.dumps(v).encode()), st.binary(max_size=20)),
                     max_size=4),
       texts=st.lists(good_texts, min_size=1, max_size=3), txt=st.binary(max_size=60))
def test_the_extract_cli_never_shows_a_traceback_and_keeps_every_good_record(tmp_path, junk, texts, txt):
    from typer.testing import CliRunner

    from gzie.cli import app

    folder = tmp_path / "in"
    folder.mkdir(exist_ok=True)
    good = [{"id": f"g{i}", "text": "开发区" + t} for i, t in enumerate(texts)]
    lines = [j.replace(b"\n", b" ") for j in junk] + [json.dumps(r, ensure_ascii=False).encode() for r in good]
    (folder / "a.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    (folder / "b.txt").write_bytes(txt)
    out = tmp_path / "out.jsonl"
    if out.exists():
        out.unlink()
    result = CliRunner().invoke(app, ["extract", str(folder), "-o", str(out)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in written if r["id"].startswith("g")] == [r["id"] for r in good]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("開發區工業园规上增长"), st.sampled_from(["", "(fā)", "(qū)", "（yè）", "(A)"])),
                max_size=30))
def test_stripping_inline_pinyin_keeps_the_offset_of_every_character_kept(parts):
    from gzie.inputs import restore_offset, strip_inline_pinyin

    text = "".join(char + reading for char, reading in parts)
    stripped, kept = strip_inline_pinyin(text)
    kept = kept if kept is not None else list(range(len(text)))
    assert len(stripped) == len(kept)
    assert all(text[restore_offset(kept, i)] == char for i, char in enumerate(stripped))
    assert stripped == "".join(char + (reading if reading in ("", "(A)") else "") for char, reading in parts)
