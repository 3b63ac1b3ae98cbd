import os

import pytest

from gzie.corpus.io import write_records
from gzie.errors import OutputError
from gzie.fileio import atomic_write_text


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "train.jsonl"
    path.write_text("old\n", encoding="utf-8")
    os.chmod(path, 0o664)
    atomic_write_text(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert os.stat(path).st_mode & 0o777 == 0o664


def test_a_new_file_gets_the_permissions_of_the_umask(tmp_path):
    mask = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "new.jsonl", "x\n")
    finally:
        os.umask(mask)
    assert os.stat(tmp_path / "new.jsonl").st_mode & 0o777 == 0o644


def test_writing_records_where_nothing_can_be_written_is_one_clear_error(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    path = folder / "train.jsonl"
    path.write_text('{"id": "a"}\n', encoding="utf-8")
    if os.geteuid() == 0:  # root writes anywhere: a path under a file cannot be written by anyone
        path = tmp_path / "train.jsonl" / "x.jsonl"
        (tmp_path / "train.jsonl").write_text("", encoding="utf-8")
    else:
        os.chmod(folder, 0o555)
    try:
        with pytest.raises(OutputError, match=r"\[E034\]"):
            write_records([{"id": "b"}], path)
    finally:
        os.chmod(folder, 0o755)
