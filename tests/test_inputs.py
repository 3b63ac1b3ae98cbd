import json

from gzie.inputs import InputDocument, InputProblem, iter_inputs


def problems(paths):
    return [str(item) for item in iter_inputs(paths) if isinstance(item, InputProblem)]


def test_text_file_is_one_document(tmp_path):
    (tmp_path / "a.txt").write_text("上半年，工业总产值增长。", encoding="utf-8")
    assert list(iter_inputs([tmp_path / "a.txt"])) == [InputDocument("a", "上半年，工业总产值增长。")]


def test_folder_gives_its_files_in_order(tmp_path):
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_text("开发区", encoding="utf-8")
    assert [d.id for d in iter_inputs([tmp_path])] == ["a", "b"]


def test_jsonl_records_keep_id_and_date(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"id": "x1", "text": "开发区", "date": "2022-12-01"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert list(iter_inputs([path])) == [InputDocument("x1", "开发区", "2022-12-01")]


def test_empty_file(tmp_path):
    (tmp_path / "e.txt").write_text("  \n", encoding="utf-8")
    assert problems([tmp_path / "e.txt"]) == [f"{tmp_path / 'e.txt'}: empty document"]


def test_gbk_file_names_the_encoding(tmp_path):
    (tmp_path / "g.txt").write_bytes("全省开发区工业总产值增长百分之十".encode("gbk"))
    assert "GB18030/GBK" in problems([tmp_path / "g.txt"])[0]


def test_binary_file(tmp_path):
    (tmp_path / "b.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    assert "binary" in problems([tmp_path / "b.txt"])[0]


def test_invalid_jsonl_line_names_the_line_and_keeps_the_rest(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "ok", "text": "开发区"}\n{broken\n', encoding="utf-8")
    items = list(iter_inputs([path]))
    assert isinstance(items[0], InputDocument)
    assert str(items[1]).startswith(f"{path}:2: invalid JSON")


def test_jsonl_record_without_text(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    assert problems([path]) == [f"{path}:1: record has no text field"]


def test_missing_path(tmp_path):
    assert problems([tmp_path / "nope.txt"]) == [f"{tmp_path / 'nope.txt'}: no such file or folder"]
