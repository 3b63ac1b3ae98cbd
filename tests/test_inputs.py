import json

import pytest

from gzie.errors import Problem
from gzie.inputs import InputDocument, check_document, iter_inputs


def problems(paths):
    return [str(item) for item in iter_inputs(paths) if isinstance(item, Problem)]


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


def test_empty_jsonl_file(tmp_path):
    (tmp_path / "e.jsonl").write_text("\n", encoding="utf-8")
    assert problems([tmp_path / "e.jsonl"]) == [f"{tmp_path / 'e.jsonl'}: empty file, no records"]


def test_gbk_jsonl_file_names_the_encoding(tmp_path):
    line = json.dumps({"id": "g", "text": "全省开发区工业总产值增长百分之十"}, ensure_ascii=False) + "\n"
    (tmp_path / "g.jsonl").write_bytes(line.encode("gbk"))
    assert problems([tmp_path / "g.jsonl"]) == [f"{tmp_path / 'g.jsonl'}: encoded in GB18030/GBK, not UTF-8: "
                                                "convert it first (e.g. iconv -f GB18030 -t UTF-8)"]


def test_binary_jsonl_file(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(b"\x1f\x8b\x08\x00\x00\x00\x00")
    assert problems([tmp_path / "b.jsonl"]) == [f"{tmp_path / 'b.jsonl'}: binary file, not text"]


GOOD = (json.dumps({"id": "ok", "text": "开发区"}, ensure_ascii=False) + "\n").encode()


def items_of(path):
    return [str(i) if isinstance(i, Problem) else i.id for i in iter_inputs([path])]


def test_a_line_that_is_not_utf8_is_reported_alone_even_first(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes('{"id": "bad", "text": "开发区"}\n'.encode("gbk") + GOOD + GOOD.replace(b"ok", b"ok2"))
    assert items_of(path) == [f"{path}:1: line is not UTF-8 (it reads as GB18030/GBK): convert the file to UTF-8",
                              "ok", "ok2"]


def test_a_line_with_nul_bytes_is_reported_alone(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_bytes(GOOD + b'{"id": "x\x00", "text": "a"}\n' + GOOD.replace(b"ok", b"ok2"))
    assert items_of(path) == ["ok", f"{path}:2: line holds NUL bytes (binary data), not a JSON record", "ok2"]


@pytest.mark.parametrize("line,message", [
    ('{"id": "a", "text": "开发区", "meta": "x"}', "meta must be a JSON object, not str"),
    ('{"id": "a", "text": 5}', "text must be a string, not int"),
    ('{"id": "a\\ud800", "text": "开发区"}', "id is not valid Unicode (it holds a lone surrogate)"),
    ('{"id": null, "text": "开发区"}', "id must be a string or an integer, not NoneType"),
    ('{"id": "", "text": "开发区"}', "id is empty"),
    ('{"id": [1], "text": "开发区"}', "id must be a string or an integer, not list"),
    ('{"id": "a", "text": "开发区", "date": 20221201}', "date must be a string YYYY-MM-DD, not int"),
    ('{"id": "a", "text": "开发区", "n": ' + "9" * 5000 + "}", "invalid JSON record: Exceeds the limit"),
    ("[" * 100000 + "]" * 100000, "a record must be a JSON object, not list"),
    ('[1]', "a record must be a JSON object, not list"),
])
def test_a_bad_record_is_reported_alone(tmp_path, line, message):
    path = tmp_path / "d.jsonl"
    path.write_bytes(GOOD + line.encode() + b"\n" + GOOD.replace(b"ok", b"ok2"))
    items = items_of(path)
    assert items[0] == "ok" and items[2] == "ok2" and items[1].startswith(f"{path}:2: ")
    assert message in items[1] or (message.startswith("a record") and "nested too deeply" in items[1])


def test_id_zero_is_an_id(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": 0, "text": "开发区"}\n', encoding="utf-8")
    assert items_of(path) == ["0"]


def test_invented_ids_only_when_no_record_has_one(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"text": "开发区"}\n{"text": "园区"}\n', encoding="utf-8")
    assert items_of(path) == ["news.jsonl:1", "news.jsonl:2"]


def test_a_record_without_id_among_records_with_ids_is_refused(tmp_path):
    path = tmp_path / "news.jsonl"
    path.write_text('{"text": "开发区"}\n{"id": "news.jsonl:1", "text": "园区"}\n', encoding="utf-8")
    assert items_of(path) == [f"{path}:1: record has no id, while other records of this file have one: give "
                              "every record an id", "news.jsonl:1"]


def test_utf16_files_name_their_encoding(tmp_path):
    (tmp_path / "u.txt").write_bytes("全省开发区工业总产值增长".encode("utf-16"))
    (tmp_path / "u.jsonl").write_bytes(GOOD.decode().encode("utf-16-le"))
    assert [p.split(": ", 1)[1] for p in problems([tmp_path / "u.txt", tmp_path / "u.jsonl"])] == [
        "encoded in UTF-16, not UTF-8: convert it first (e.g. iconv -f UTF-16 -t UTF-8)"] * 2


def test_upper_case_suffixes_are_read(tmp_path):
    (tmp_path / "A.TXT").write_text("开发区", encoding="utf-8")
    assert [d.id for d in iter_inputs([tmp_path])] == ["A"]


def test_what_a_folder_skips_is_reported(tmp_path):
    import os

    (tmp_path / "a.txt").write_text("开发区", encoding="utf-8")
    (tmp_path / "b.pdf").write_bytes(b"%PDF")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    assert sorted(problems([tmp_path])) == sorted([
        f"{tmp_path / 'link'}: symbolic link to a folder, not followed",
        f"{tmp_path / 'pipe.txt'}: not a regular file (a pipe, socket or device), skipped",
        f"{tmp_path}: 1 file(s) skipped: not .txt or .jsonl"])


def test_an_unreadable_file_in_a_folder_is_reported(tmp_path, monkeypatch):
    from pathlib import Path

    (tmp_path / "a.txt").write_text("开发区", encoding="utf-8")
    (tmp_path / "b.txt").write_text("园区", encoding="utf-8")
    read_bytes = Path.read_bytes

    def refuse(path):
        if path.name == "b.txt":
            raise PermissionError(13, "Permission denied")
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert items_of(tmp_path) == ["a", f"{tmp_path / 'b.txt'}: cannot read: Permission denied"]


def test_a_file_name_that_is_not_utf8_is_reported_readably(tmp_path):
    import os

    name = os.fsdecode(b"\xff\xfe.txt")
    (tmp_path / name).write_bytes(b"")
    (problem,) = problems([tmp_path / name])
    assert "\\xff\\xfe.txt: empty document" in problem
    problem.encode("utf-8")


def test_jsonl_text_may_hold_unicode_line_separators(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "第一段\u2028第二段\x85完"}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    assert list(iter_inputs([path])) == [InputDocument("x", "第一段\u2028第二段\x85完")]


def test_documents_know_their_source(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"id": "a", "text": "开发区"}\n\n{"id": "b", "text": "园区"}\n', encoding="utf-8")
    assert [d.source for d in iter_inputs([path])] == [f"{path}:1", f"{path}:3"]


def test_excluded_files_in_a_folder_are_not_read(tmp_path):
    (tmp_path / "a.txt").write_text("开发区", encoding="utf-8")
    (tmp_path / "out.jsonl").write_text('{"id": "a", "entities": []}\n', encoding="utf-8")
    assert list(iter_inputs([tmp_path], exclude=[tmp_path / "out.jsonl"])) == [InputDocument("a", "开发区")]


def test_excluded_file_named_directly_is_reported(tmp_path):
    (tmp_path / "out.jsonl").write_text("", encoding="utf-8")
    assert problems_excluding([tmp_path / "out.jsonl"], [tmp_path / "out.jsonl"]) == [
        f"{tmp_path / 'out.jsonl'}: is an output file of this run, not read as input"]


def problems_excluding(paths, exclude):
    return [str(item) for item in iter_inputs(paths, exclude=exclude) if isinstance(item, Problem)]


def test_control_characters_become_spaces_so_offsets_stay(tmp_path):
    checked = check_document(InputDocument("c", "开发区\x00产值\x1b增长\x7f。\t\n\r"))
    assert checked.text == "开发区 产值 增长 。\t\n\r"


def test_lone_surrogates_become_replacement_characters():
    assert check_document(InputDocument("s", "开发区\ud800")).text == "开发区\ufffd"


def test_clean_text_is_left_as_it_is():
    document = InputDocument("c", "开发区产值增长。")
    assert check_document(document) is document


def test_only_control_characters_is_a_problem():
    assert str(check_document(InputDocument("c", "\x01\x02 \x03", source="c.txt"))) == (
        "c.txt: no text, only control characters")


def test_english_text_is_a_problem():
    assert str(check_document(InputDocument("e", "Output rose 7.3% in the zone.", source="e.txt"))) == (
        "e.txt: no Chinese text (the pipeline reads Chinese only)")


def test_digits_only_is_a_problem():
    assert "no Chinese text" in str(check_document(InputDocument("d", "2023 8426.5 7.3%", source="d.txt")))


def test_traditional_characters_are_chinese():
    assert isinstance(check_document(InputDocument("t", "開發區產值增長。")), InputDocument)


def test_inline_pinyin_after_characters_is_stripped():
    from gzie.inputs import strip_inline_pinyin

    assert strip_inline_pinyin("開發(fā)區(qū)規(guī)上工業(yè)")[0] == "開發區規上工業"


def test_brackets_without_a_tone_mark_stay():
    from gzie.inputs import strip_inline_pinyin

    assert strip_inline_pinyin("地区生产总值(GDP)和营业收入(亿元)") == ("地区生产总值(GDP)和营业收入(亿元)", None)
