"""`gzie extract` over many inputs: progress, output files, resume, CSV, HTML, processes, bad input."""

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

import gzie
from gzie.api import PIECE_CHARS, default_model_path
from gzie.batch import BatchProgress, done_path_for, errors_path_for, extract_to_file
from gzie.cli import app

ROOT = Path(__file__).parents[1]
# Written for these tests, in no corpus split; {n} makes each copy a different document.
NEWS = ("2024-08-02 16:20 来源：市投资促进局\n"
        "今年1—6月，全市12个省级以上开发区新签约亿元以上项目{n}个，计划总投资865.4亿元，同比增长18.2%。"
        "市发展改革委、市财政局联合印发《关于支持园区标准厂房建设的若干措施》。")


def write_jsonl(path, count, start=0):
    path.write_text("".join(json.dumps({"id": f"d{n}", "text": NEWS.format(n=n)}, ensure_ascii=False) + "\n"
                            for n in range(start, start + count)), encoding="utf-8")
    return path


def ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def run_cli(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args)])


# --- progress ---------------------------------------------------------------------------------

def test_progress_reports_documents_and_characters_with_totals(tmp_path):
    states = []
    extract_to_file([write_jsonl(tmp_path / "in.jsonl", 3)], tmp_path / "out.jsonl", progress=states.append,
                    count_first=True)
    characters = sum(len(NEWS.format(n=n)) for n in range(3))
    assert states[0] == BatchProgress(0, 0, 3, characters)
    assert states[-1] == BatchProgress(3, characters, 3, characters)


def test_progress_without_counting_first_has_no_totals(tmp_path):
    states = []
    extract_to_file([write_jsonl(tmp_path / "in.jsonl", 2)], tmp_path / "out.jsonl", progress=states.append)
    assert [(s.documents, s.total_documents) for s in states] == [(0, None), (1, None), (2, None)]


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 2), "-o", tmp_path / "out.jsonl")
    assert result.stderr.splitlines() == [f"2 documents, 6 facts -> {tmp_path / 'out.jsonl'}"]


def test_progress_bar_on_a_terminal_shows_documents_and_speed(tmp_path, monkeypatch):
    import gzie.cli.extract

    monkeypatch.setattr(gzie.cli.extract, "stderr_is_terminal", lambda: True)
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 2), "-o", tmp_path / "out.jsonl")
    assert "2/2 documents" in result.stderr and "chars/s" in result.stderr


# --- output files -----------------------------------------------------------------------------

def test_output_files_inside_an_input_folder_are_not_read(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(NEWS.format(n=1), encoding="utf-8")
    (news / "empty.txt").write_text("", encoding="utf-8")
    extract_to_file([news], news / "out.jsonl")
    summary = extract_to_file([news], news / "out.jsonl")
    assert summary["documents"] == 1 and summary["problems"] == [f"{news / 'empty.txt'}: empty document"]


def test_csv_sidecar_inside_an_input_folder_is_not_read(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "a.txt").write_text(NEWS.format(n=1), encoding="utf-8")
    extract_to_file([news], news / "out.csv", fmt="csv")
    summary = extract_to_file([news], news / "out.csv", fmt="csv")
    assert (news / "out.done.jsonl").exists() and summary["documents"] == 1 and not summary["problems"]


def test_errors_file_is_named_after_the_output():
    assert errors_path_for(Path("x/facts.csv")) == Path("x/facts.errors.jsonl")
    assert done_path_for(Path("x/facts.csv")) == Path("x/facts.done.jsonl")


def test_duplicate_ids_are_reported_and_the_later_document_skipped(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": NEWS.format(n=n)}, ensure_ascii=False) + "\n"
                            for n, i in enumerate(["a", "b", "a"])), encoding="utf-8")
    summary = extract_to_file([path], tmp_path / "out.jsonl")
    assert ids(tmp_path / "out.jsonl") == ["a", "b"]
    assert summary["problems"] == [f"{path}:3: duplicate document id 'a' (first used by {path}:1), "
                                   "skipped: ids must be unique"]


# --- resume -----------------------------------------------------------------------------------

def test_resume_skips_the_documents_already_written(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", 3)
    extract_to_file([tmp_path / "in.jsonl"], tmp_path / "out.jsonl")
    write_jsonl(tmp_path / "in.jsonl", 5)
    summary = extract_to_file([tmp_path / "in.jsonl"], tmp_path / "out.jsonl", resume=True)
    assert (summary["documents"], summary["skipped"]) == (2, 3)
    assert ids(tmp_path / "out.jsonl") == ["d0", "d1", "d2", "d3", "d4"]


def test_resume_repairs_a_last_line_cut_by_a_kill(tmp_path):
    inputs = [write_jsonl(tmp_path / "in.jsonl", 4)]
    extract_to_file(inputs, tmp_path / "full.jsonl")
    full = (tmp_path / "full.jsonl").read_bytes()
    cut = full.index(b"\n", full.index(b"\n") + 1) + 40  # two records and a piece of the third
    (tmp_path / "out.jsonl").write_bytes(full[:cut])
    extract_to_file(inputs, tmp_path / "out.jsonl", resume=True)
    assert (tmp_path / "out.jsonl").read_bytes() == full


def test_resume_refuses_a_broken_line_before_the_last(tmp_path):
    from gzie.errors import OutputError

    (tmp_path / "out.jsonl").write_text('{"id": "d0"}\n{broken\n{"id": "d2"}\n', encoding="utf-8")
    with pytest.raises(OutputError, match=r"E030.*out.jsonl:2"):
        extract_to_file([write_jsonl(tmp_path / "in.jsonl", 3)], tmp_path / "out.jsonl", resume=True)


def test_resume_of_a_missing_output_is_a_fresh_run(tmp_path):
    summary = extract_to_file([write_jsonl(tmp_path / "in.jsonl", 2)], tmp_path / "out.jsonl", resume=True)
    assert (summary["documents"], summary["skipped"]) == (2, 0)


def test_resume_cli_says_how_many_were_kept(tmp_path):
    write_jsonl(tmp_path / "in.jsonl", 2)
    run_cli(tmp_path / "in.jsonl", "-o", tmp_path / "out.jsonl")
    write_jsonl(tmp_path / "in.jsonl", 3)
    result = run_cli(tmp_path / "in.jsonl", "-o", tmp_path / "out.jsonl", "--resume")
    assert result.stderr.splitlines()[-1] == f"1 documents, 3 facts -> {tmp_path / 'out.jsonl'} (2 already there, kept)"


@pytest.mark.slow
def test_run_killed_midway_then_resumed_equals_an_uninterrupted_run(tmp_path):
    inputs = write_jsonl(tmp_path / "in.jsonl", 64)
    killed = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "gzie", "extract", str(inputs), "-o", str(killed)],
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if killed.exists() and killed.read_bytes().count(b"\n") >= 3:
                break
            time.sleep(0.01)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    written = killed.read_bytes().count(b"\n")
    assert 3 <= written < 64, "the run was not killed midway"
    assert run_cli(inputs, "-o", killed, "--resume").exit_code == 0
    assert run_cli(inputs, "-o", tmp_path / "full.jsonl").exit_code == 0
    assert killed.read_bytes() == (tmp_path / "full.jsonl").read_bytes()


class Crash(Exception):
    pass


def crash_after(monkeypatch, batches):
    """Make extraction raise after `batches` batches, as a crash would."""
    import gzie.batch

    real, calls = gzie.batch.extract_documents, []

    def extract_documents(*args, **kwargs):
        calls.append(1)
        if len(calls) > batches:
            raise Crash
        return real(*args, **kwargs)

    monkeypatch.setattr(gzie.batch, "extract_documents", extract_documents)


def test_csv_run_crashed_midway_then_resumed_equals_an_uninterrupted_run(tmp_path, monkeypatch):
    inputs = [write_jsonl(tmp_path / "in.jsonl", 6)]
    with (tmp_path / "in.jsonl").open("a", encoding="utf-8") as handle:
        handle.write('{"id": "nofacts", "text": "园区环境优美。"}\n')
    extract_to_file(inputs, tmp_path / "full.csv", fmt="csv", batch_size=2)
    with monkeypatch.context() as patch:
        crash_after(patch, 2)
        with pytest.raises(Crash):
            extract_to_file(inputs, tmp_path / "out.csv", fmt="csv", batch_size=2)
    summary = extract_to_file(inputs, tmp_path / "out.csv", fmt="csv", batch_size=2, resume=True)
    assert summary["skipped"] == 4
    assert (tmp_path / "out.csv").read_bytes() == (tmp_path / "full.csv").read_bytes()


def test_csv_resume_drops_rows_of_a_document_cut_by_a_kill(tmp_path):
    inputs = [write_jsonl(tmp_path / "in.jsonl", 3)]
    extract_to_file(inputs, tmp_path / "full.csv", fmt="csv")
    full = (tmp_path / "full.csv").read_bytes()
    done = (tmp_path / "full.done.jsonl").read_text(encoding="utf-8").splitlines()
    first_end = json.loads(done[0])["end"]
    (tmp_path / "out.csv").write_bytes(full[:first_end + 30])  # one document and a piece of a row of the next
    (tmp_path / "out.done.jsonl").write_text(done[0] + "\n" + done[1][:5], encoding="utf-8")
    summary = extract_to_file(inputs, tmp_path / "out.csv", fmt="csv", resume=True)
    assert summary["skipped"] == 1
    assert (tmp_path / "out.csv").read_bytes() == full


def test_csv_resume_without_the_done_file_is_an_error(tmp_path):
    from gzie.errors import OutputError

    (tmp_path / "out.csv").write_text("doc_id\n", encoding="utf-8")
    with pytest.raises(OutputError, match="E031.*out.done.jsonl"):
        extract_to_file([write_jsonl(tmp_path / "in.jsonl", 1)], tmp_path / "out.csv", fmt="csv", resume=True)


def test_interrupted_cli_says_how_to_continue(tmp_path, monkeypatch):
    import gzie.batch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(gzie.batch, "extract_documents", interrupted)
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 1), "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 130
    assert result.stderr.splitlines() == [f"interrupted: {tmp_path / 'out.jsonl'} holds the documents finished so "
                                          "far; the same command with --resume continues"]


def test_output_that_cannot_be_written_is_one_clear_line(tmp_path):
    (tmp_path / "out.jsonl").mkdir()
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 1), "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"[E034] {tmp_path / 'out.jsonl'}: cannot write the output: ")


# --- CSV --------------------------------------------------------------------------------------

def test_csv_has_one_row_per_fact_with_the_document_id(tmp_path):
    inputs = [write_jsonl(tmp_path / "in.jsonl", 2)]
    extract_to_file(inputs, tmp_path / "out.jsonl")
    extract_to_file(inputs, tmp_path / "out.csv", fmt="csv")
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected = [(r["id"], f["indicator"], f["value"], f["period"]["start"] if f["period"] else None)
                for r in records for f in r["facts"]]
    assert [(r["doc_id"], r["indicator"], float(r["value"]) if r["value"] else None, r["period_start"] or None)
            for r in rows] == expected


def test_csv_starts_with_a_byte_order_mark_for_spreadsheets(tmp_path):
    extract_to_file([write_jsonl(tmp_path / "in.jsonl", 1)], tmp_path / "out.csv", fmt="csv")
    assert (tmp_path / "out.csv").read_bytes().startswith("\ufeffdoc_id,date,indicator,value,unit".encode())


def test_csv_of_a_record_flattens_the_period():
    from gzie.tabular import CSV_COLUMNS, fact_rows

    fact = {"indicator": "营业收入", "value": 9.1276e11, "unit": "元", "change": 0.074, "zone": None,
            "period": {"text": "上半年", "start": "2023-01-01", "end": "2023-06-30"}}
    row = dict(zip(CSV_COLUMNS, fact_rows({"id": "x", "date": "2023-07-20", "facts": [fact]})[0]))
    assert (row["value"], row["change"], row["period_text"], row["period_end"], row["zone"]) == (
        "912760000000.0", "0.074", "上半年", "2023-06-30", "")


def test_unknown_format_is_a_clear_error(tmp_path):
    from gzie.errors import OutputError

    with pytest.raises(OutputError, match="E033.*'xml'"):
        extract_to_file([], tmp_path / "out.xml", fmt="xml")


# --- HTML report ------------------------------------------------------------------------------

RECORD = {"id": "<id>", "date": "2023-07-20",
          "entities": [{"start": 0, "end": 3, "label": "PERIOD", "text": "上半年"},
                       {"start": 3, "end": 7, "label": "INDICATOR", "text": "营业收入"}],
          "facts": [{"indicator": "营业收入", "value": 2.0e9, "unit": "元", "change": None,
                     "period": {"text": "上半年", "start": None, "end": None}, "zone": "<b>区</b>"}],
          "policies": []}


def test_html_report_highlights_entities_and_escapes_all_text():
    from gzie.report import render_report

    page = render_report([("上半年营业收入<script>alert(1)</script>20亿元", RECORD)], extracted=1)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "&lt;id&gt;" in page and "&lt;b&gt;区&lt;/b&gt;" in page
    assert 'class="entity"' in page and "INDICATOR" in page and "2,000,000,000" in page


def test_html_report_renders_at_most_the_limit_and_says_so():
    from gzie.report import render_report

    page = render_report([("上半年营业收入", RECORD)] * 3, extracted=3, limit=2)
    assert page.count("<section>") == 2 and "Only the first 2 are rendered" in page


def test_html_report_is_written_with_the_output(tmp_path):
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 2), "-o", tmp_path / "out.jsonl",
                     "--html", tmp_path / "report.html")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert result.exit_code == 0 and page.count("<section>") == 2 and "865.4亿元" in page


# --- several processes ------------------------------------------------------------------------

@pytest.mark.slow
def test_two_processes_write_the_same_output_as_one(tmp_path):
    texts = [json.loads(line) for line in (ROOT / "corpora" / "dev.jsonl").read_text(encoding="utf-8").splitlines()]
    long_text = "\n".join(NEWS.format(n=n) for n in range(PIECE_CHARS // len(NEWS) + 5))
    docs = [{"id": t["id"], "text": t["text"]} for t in texts]
    docs.insert(7, {"id": "long", "text": long_text})  # the pieces path, between batches
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                                       encoding="utf-8")
    extract_to_file([tmp_path / "in.jsonl"], tmp_path / "one.jsonl")
    extract_to_file([tmp_path / "in.jsonl"], tmp_path / "two.jsonl", n_process=2)
    assert ids(tmp_path / "two.jsonl")[6:9] == [docs[6]["id"], "long", docs[8]["id"]]
    assert (tmp_path / "two.jsonl").read_bytes() == (tmp_path / "one.jsonl").read_bytes()


def test_model_errors_reach_the_caller_with_several_processes(tmp_path):
    from gzie.errors import ModelError

    with pytest.raises(ModelError, match="E001"):
        extract_to_file([write_jsonl(tmp_path / "in.jsonl", 1)], tmp_path / "out.jsonl", model=tmp_path / "no",
                        n_process=2)


# --- very long documents ----------------------------------------------------------------------

def paragraphs_from_the_test_split(count):
    records = [json.loads(line) for line in (ROOT / "corpora" / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    paragraphs = [p for r in records for p in r["text"].split("\n") if len(p) > 200]
    return paragraphs[:count]


@pytest.mark.slow
def test_a_million_character_document_goes_through_pieces_without_losing_entities():
    """Rules only (no entity model), so that a million characters take seconds and each paragraph
    finds the same entities alone and inside the long document."""
    nlp = gzie.load()
    nlp.max_length = PIECE_CHARS  # no text longer than a piece may reach spaCy
    paragraphs = paragraphs_from_the_test_split(12)
    with nlp.select_pipes(disable=["tok2vec", "ner"]):
        alone = [gzie.extract(p, date="2023-10-01", nlp=nlp)["entities"] for p in paragraphs]
        parts, expected, offset, k = [], [], 0, 0
        while offset < 1_000_000:
            i = k % len(paragraphs)
            parts.append(paragraphs[i])
            expected += [(e["start"] + offset, e["end"] + offset, e["label"]) for e in alone[i]]
            offset += len(paragraphs[i]) + 1
            k += 1
        text = "\n".join(parts)
        result = gzie.extract(text, date="2023-10-01", nlp=nlp)
    assert len(text) >= 1_000_000
    assert [(e["start"], e["end"], e["label"]) for e in result["entities"]] == expected
    assert all(text[e["start"]:e["end"]] == e["text"] for e in result["entities"])


# --- bad input --------------------------------------------------------------------------------

def test_folder_of_bad_inputs_and_two_good_ones(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    (news / "good.txt").write_text(NEWS.format(n=1), encoding="utf-8")
    (news / "good.jsonl").write_text(json.dumps({"id": "g2", "text": NEWS.format(n=2)}, ensure_ascii=False) + "\n"
                                     + "{broken\n" + '{"id": "no-text"}\n'
                                     + json.dumps({"id": "ctl", "text": "\x01\x02"}) + "\n"
                                     + json.dumps({"id": "en", "text": "Output rose 7.3%."}) + "\n",
                                     encoding="utf-8")
    (news / "empty.txt").write_text("", encoding="utf-8")
    (news / "gbk.txt").write_bytes(NEWS.format(n=3).encode("gb18030"))
    (news / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (news / "digits.txt").write_text("2023 8426.5 7.3%", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run_cli(news, tmp_path / "missing.txt", "-o", out)
    expected = [
        f"{news / 'digits.txt'}: no Chinese text (the pipeline reads Chinese only)",
        f"{news / 'empty.txt'}: empty document",
        f"{news / 'gbk.txt'}: encoded in GB18030/GBK, not UTF-8: convert it first (e.g. iconv -f GB18030 -t UTF-8)",
        f"{news / 'good.jsonl'}:2: invalid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{news / 'good.jsonl'}:3: record has no text field",
        f"{news / 'good.jsonl'}:4: no text, only control characters",
        f"{news / 'good.jsonl'}:5: no Chinese text (the pipeline reads Chinese only)",
        f"{news / 'image.txt'}: binary file, not text",
        f"{tmp_path / 'missing.txt'}: no such file or folder",
    ]
    assert result.exit_code == 1
    assert result.stderr.splitlines() == expected + [f"2 documents, 6 facts -> {out}"]
    errors = [json.loads(line) for line in errors_path_for(out).read_text(encoding="utf-8").splitlines()]
    assert [f"{e['input']}: {e['error']}" for e in errors] == expected
    assert ids(out) == ["g2", "good"]


def test_text_with_control_characters_is_extracted_with_offsets_into_the_original(tmp_path):
    text = NEWS.format(n=1).replace("今年", "\x0c今年\x1b")
    (tmp_path / "c.txt").write_text(text, encoding="utf-8")
    result = run_cli(tmp_path / "c.txt", "-o", tmp_path / "out.jsonl")
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert result.exit_code == 0 and record["facts"]
    # offsets into the original; an entity's text has the control characters as spaces, as extraction reads them
    assert all(text[e["start"]:e["end"]].replace("\x0c", " ").replace("\x1b", " ") == e["text"]
               for e in record["entities"])


def test_all_good_inputs_exit_zero_and_leave_no_errors_file(tmp_path):
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", 1), "-o", tmp_path / "out.jsonl")
    assert result.exit_code == 0 and not errors_path_for(tmp_path / "out.jsonl").exists()


# --- model directories ------------------------------------------------------------------------

@pytest.fixture
def model_copy(tmp_path):
    import shutil

    shutil.copytree(default_model_path(), tmp_path / "model")
    return tmp_path / "model"


def extract_with_model(tmp_path, model):
    (tmp_path / "a.txt").write_text(NEWS.format(n=1), encoding="utf-8")
    return run_cli(tmp_path / "a.txt", "-o", tmp_path / "out.jsonl", "--model", model)


def test_missing_model_directory_is_one_clear_line(tmp_path):
    result = extract_with_model(tmp_path, tmp_path / "nothing-here")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"[E001] {tmp_path / 'nothing-here'}: not a gzie model directory (no config.cfg or meta.json found)"]


def test_model_without_meta_is_incomplete(tmp_path, model_copy):
    (model_copy / "meta.json").unlink()
    result = extract_with_model(tmp_path, model_copy)
    assert result.stderr.splitlines() == [f"[E002] {model_copy}: model directory is incomplete: missing meta.json"]


def test_model_without_a_component_folder_is_incomplete(tmp_path, model_copy):
    import shutil

    shutil.rmtree(model_copy / "ner")
    result = extract_with_model(tmp_path, model_copy)
    assert result.stderr.splitlines() == [
        f"[E002] {model_copy}: model directory is incomplete: missing component folder(s) ner"]


def test_model_without_weights_file_is_incomplete(tmp_path, model_copy):
    (model_copy / "ner" / "model").unlink()
    result = extract_with_model(tmp_path, model_copy)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"[E002] {model_copy}: model directory is incomplete:")


def test_model_of_another_gzie_version_is_one_clear_line(tmp_path, model_copy):
    meta = json.loads((model_copy / "meta.json").read_text())
    meta["gzie"]["version"] = "9.0.0"
    (model_copy / "meta.json").write_text(json.dumps(meta))
    result = extract_with_model(tmp_path, model_copy)
    assert result.stderr.splitlines() == [
        f"[E003] {model_copy}: model was built with gzie 9.0.0, incompatible with this gzie {gzie.__version__}"]


def test_model_for_another_spacy_minor_version_is_one_clear_line(tmp_path, model_copy):
    import spacy

    meta = json.loads((model_copy / "meta.json").read_text())
    meta["spacy_version"] = ">=3.99.0,<3.100.0"
    (model_copy / "meta.json").write_text(json.dumps(meta))
    result = extract_with_model(tmp_path, model_copy)
    assert result.stderr.splitlines() == [
        f"[E004] {model_copy}: model was built for spaCy >=3.99.0,<3.100.0, incompatible with the installed "
        f"spaCy {spacy.about.__version__}"]
