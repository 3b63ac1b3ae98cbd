"""Regression tests for the faults a fault trial found: each fails without its fix."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gzie.batch import errors_path_for, extract_to_file, lock_path_for
from gzie.cli import app
from gzie.errors import OutputError

ROOT = Path(__file__).parents[1]
NEWS = "今年1—6月，全市开发区新签约亿元以上项目{n}个，计划总投资865.4亿元，同比增长18.2%。"


def write_jsonl(path, count, start=0, **extra):
    path.write_text("".join(json.dumps({"id": f"d{n}", "text": NEWS.format(n=n), **extra}, ensure_ascii=False)
                            + "\n" for n in range(start, start + count)), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


# --- outputs that would destroy inputs ------------------------------------------------------------

def test_output_equal_to_an_input_is_refused_before_it_is_touched(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", 2)
    before = source.read_bytes()
    result = run("extract", source, "-o", source)
    assert result.exit_code == 1 and "[E035]" in result.output
    assert source.read_bytes() == before


def test_html_report_equal_to_an_input_or_the_output_is_refused(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", 1)
    before = source.read_bytes()
    for html in (source, tmp_path / "out.jsonl"):
        result = run("extract", source, "-o", tmp_path / "out.jsonl", "--html", html)
        assert result.exit_code == 1 and "[E035]" in result.output
    assert source.read_bytes() == before and not (tmp_path / "out.jsonl").exists()


# --- writing ----------------------------------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_is_one_clear_error():
    from gzie.batch import _Files, _JsonlWriter

    files = _Files(Path("/dev/full"), Path("/dev/null"), None, None)
    writer = _JsonlWriter(files, append=True)
    with pytest.raises(OutputError, match=r"\[E034\] /dev/full: cannot write the output: No space left"):
        writer.write({"id": "a"})
    with pytest.raises(OutputError, match=r"\[E034\]"):
        writer.close()


def test_a_second_run_on_the_same_output_is_refused(tmp_path):
    import fcntl

    lock = lock_path_for(tmp_path / "out.jsonl")
    with lock.open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputError, match=r"\[E036\]"):
            extract_to_file([write_jsonl(tmp_path / "in.jsonl", 1)], tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_second_run_on_the_same_output_through_a_symlink_is_refused(tmp_path):
    import fcntl

    (tmp_path / "out.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "out.jsonl")
    with lock_path_for(tmp_path / "out.jsonl").open("a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(OutputError, match=r"\[E036\]"):
            extract_to_file([write_jsonl(tmp_path / "in.jsonl", 1)], tmp_path / "link.jsonl")
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == ""


def test_csv_cells_that_spreadsheets_would_run_are_neutralised(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "=HYPERLINK(\"http://x\")", "text": NEWS.format(n=3)}, ensure_ascii=False)
                      + "\n", encoding="utf-8")
    result = run("extract", source, "-o", tmp_path / "out.csv", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader((tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert all(not cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_corpus_merge_replaces_the_split_through_a_temporary_file(tmp_path, monkeypatch):
    from gzie.corpus.io import read_records, write_records
    from gzie.fileio import os as fileio_os

    split = tmp_path / "corpus" / "train.jsonl"
    record = {"id": "a", "text": "开发区", "meta": {}, "spans": [], "relations": []}
    write_records([record], split)
    new = tmp_path / "new.jsonl"
    write_records([dict(record, id="b", text="园区")], new)

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fileio_os, "fsync", full_disk)
    result = run("corpus", "merge", new, "--into", split)
    assert result.exit_code != 0
    assert read_records(split) == [record]
    assert [p.name for p in split.parent.iterdir()] == ["train.jsonl"]


# --- ids ------------------------------------------------------------------------------------------

def test_a_missing_id_cannot_take_a_real_documents_id(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([json.dumps({"id": "in.jsonl:2", "text": NEWS.format(n=1)}, ensure_ascii=False),
                                 json.dumps({"text": NEWS.format(n=2)}, ensure_ascii=False)]) + "\n",
                      encoding="utf-8")
    summary = extract_to_file([source], tmp_path / "out.jsonl")
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["in.jsonl:2"] and summary["problems"] == [
        f"{source}:2: record has no id, while other records of this file have one: give every record an id"]


# --- evaluate on gzie extract output -------------------------------------------------------------

def test_evaluate_reads_gzie_extract_output(tmp_path):
    gold = ROOT / "corpora" / "dev.jsonl"
    assert run("extract", gold, "-o", tmp_path / "pred.jsonl").exit_code == 0
    from_file = run("evaluate", tmp_path / "pred.jsonl", gold, "-o", tmp_path / "a.json")
    from_model = run("evaluate", "default", gold, "-o", tmp_path / "b.json")
    assert from_file.exit_code == 0 and from_model.exit_code == 0, from_file.output
    a, b = (json.loads((tmp_path / n).read_text()) for n in ("a.json", "b.json"))
    assert a["facts"] == b["facts"] and a["relations"] == b["relations"] and a["entities"] == b["entities"]


@pytest.mark.parametrize("line", ['[1]', '{"id": "x", "spans": "no"}', '{"id": "x", "entities": [{"start": "a"}]}',
                                  '{"id": "x", "spans": [], "relations": [{"head": 5, "child": 0, "label": "X"}]}'])
def test_evaluate_on_malformed_predictions_is_one_clear_error(tmp_path, line):
    (tmp_path / "pred.jsonl").write_text(line + "\n", encoding="utf-8")
    result = run("evaluate", tmp_path / "pred.jsonl", ROOT / "corpora" / "dev.jsonl")
    assert result.exit_code == 1 and result.output.startswith("[E041]") and "Traceback" not in result.output


# --- corpus tools on malformed records ----------------------------------------------------------

@pytest.mark.parametrize("line", ['[1]', '{"id": "a", "text": null}', '{"id": "a", "text": "区", "meta": "x"}',
                                  '{"id": "a", "text": "区", "spans": ["x"]}',
                                  '{"id": "a", "text": "区", "spans": [{"start": true, "end": 1, "label": "ZONE"}]}',
                                  '{"id": "a", "text": "区", "spans": [], "relations": [{"head": [], "child": 0, '
                                  '"label": "HAS_VALUE"}]}'])
@pytest.mark.parametrize("command", ["validate", "stats", "lint"])
def test_corpus_tools_reject_malformed_records_with_one_clear_error(tmp_path, line, command):
    (tmp_path / "c.jsonl").write_text(line + "\n", encoding="utf-8")
    result = run("corpus", command, tmp_path / "c.jsonl")
    assert result.exit_code == 1 and "Traceback" not in result.output and str(tmp_path / "c.jsonl") in result.output


# --- annotate imports ------------------------------------------------------------------------------

@pytest.mark.parametrize("export", [
    [1], ["task"], [{"data": {"text": "园区"}, "annotations": ["x"]}],
    [{"data": {"text": "园区"}, "annotations": [{"updated_at": 5, "result": []}, {"updated_at": "2024", "result": []}]}],
    [{"data": {"text": "园区签约项目"}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 2, "text": "园区", "labels": ["ZONE"]}},
        {"type": "relation", "from_id": ["a"], "to_id": "a", "labels": [{"x": 1}]}]}]}],
])
def test_malformed_label_studio_exports_are_reported_not_raised(tmp_path, export):
    (tmp_path / "e.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    result = run("annotate", "import", tmp_path / "e.json", "-o", tmp_path / "c.jsonl", "--format", "labelstudio",
                 "--allow-partial")
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_import_reports_what_validate_would_reject(tmp_path):
    span = {"type": "labels", "value": {"start": 0, "end": 2, "text": "园区", "labels": ["ZONE"]}}
    export = [{"id": 1, "data": {"id": "a", "text": "园区签约"}, "annotations": [{"result": [dict(span, id="s1"),
                                                                                        dict(span, id="s2")]}]},
              {"id": 2, "data": {"id": "b", "text": "园区"}, "annotations": [{"result": []}]},
              {"id": 3, "data": {"id": "b", "text": "园区二"}, "annotations": [{"result": []}]}]
    (tmp_path / "e.json").write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    result = run("annotate", "import", tmp_path / "e.json", "-o", tmp_path / "c.jsonl", "--format", "labelstudio")
    assert result.exit_code == 1
    assert "duplicate spans" in result.output and "repeats task" in result.output


def test_doccano_problems_name_the_right_line(tmp_path):
    lines = ['{"text": "园区", "entities": []}', "", '{"text": "园区", "entities": [{"id": 1, "label": "ZONE", '
             '"start_offset": 0, "end_offset": 9}]}']
    (tmp_path / "d.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("annotate", "import", tmp_path / "d.jsonl", "-o", tmp_path / "c.jsonl", "--format", "doccano")
    assert "line 3" in result.output and "line 2" not in result.output


# --- worker processes --------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _workers(pid: int) -> list[int]:
    """The pool's worker processes among the children of pid (not multiprocessing's resource tracker)."""
    found = []
    for child in _children(pid):
        try:
            if b"spawn_main" in (Path("/proc") / str(child) / "cmdline").read_bytes():
                found.append(child)
        except OSError:
            continue
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_main_process(tmp_path, how):
    write_jsonl(tmp_path / "in.jsonl", 400)
    main = subprocess.Popen([sys.executable, "-m", "gzie", "extract", str(tmp_path / "in.jsonl"), "-o",
                             str(tmp_path / "out.jsonl"), "--n-process", "2"], stderr=subprocess.PIPE)
    deadline = time.time() + 120
    workers = []
    while time.time() < deadline and not (tmp_path / "out.jsonl").exists():
        time.sleep(0.2)
    while time.time() < deadline and len(workers) < 2:
        workers = _workers(main.pid)
        time.sleep(0.2)
    assert workers, "no worker started"
    os.kill(main.pid, how)
    main.communicate(timeout=60)
    deadline = time.time() + 20
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)


@pytest.mark.slow
def test_a_killed_worker_loses_no_document(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", 300)
    main = subprocess.Popen([sys.executable, "-m", "gzie", "extract", str(source), "-o", str(tmp_path / "out.jsonl"),
                             "--n-process", "2"], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (tmp_path / "out.jsonl").exists():
        time.sleep(0.2)
    workers = []
    while time.time() < deadline and not workers:
        workers = _workers(main.pid)
        time.sleep(0.1)
    os.kill(workers[0], signal.SIGKILL)
    _, stderr = main.communicate(timeout=600)
    assert main.returncode == 0, stderr
    assert "Traceback" not in stderr
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == [f"d{n}" for n in range(300)]
    assert not errors_path_for(tmp_path / "out.jsonl").exists()


def test_a_jsonl_file_whose_reads_fail_is_reported_and_the_rest_extracted(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "good.txt").write_text(NEWS.format(n=3), encoding="utf-8")
    (folder / "mem.jsonl").symlink_to("/proc/self/mem")  # opens, then every read fails (EIO)
    summary = extract_to_file([folder], tmp_path / "out.jsonl")
    ids = [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert ids == ["good"]
    assert any("mem.jsonl" in str(p) and "cannot read" in str(p) for p in summary["problems"])
