"""The default model shipped in the package."""

import json
import shutil
from pathlib import Path

import pytest

import gzie
from gzie.api import default_model_path
from gzie.errors import ModelError
from gzie.training.evaluate import evaluate

ROOT = Path(__file__).parents[1]
# Written for this test; it is in no corpus split.
UNSEEN = ("2024-08-02 16:20 来源：市投资促进局\n"
          "记者从市投资促进局获悉，今年1—6月，全市12个省级以上开发区新签约亿元以上项目137个，"
          "计划总投资865.4亿元，同比增长18.2%；实际到位资金412亿元。"
          "市发展改革委、市财政局联合印发《关于支持园区标准厂房建设的若干措施》。")


@pytest.fixture(scope="module")
def nlp():
    return gzie.load()


def test_default_model_loads_without_a_path(nlp):
    assert nlp.pipe_names == ["tok2vec", "ner", "gzie_rules", "gzie_relations", "gzie_facts"]


def test_unseen_document_gives_linked_facts(nlp):
    result = gzie.extract(UNSEEN, nlp=nlp)
    assert result["date"] == "2024-08-02"
    by_indicator = {f["indicator"]: f for f in result["facts"]}
    fact = next(f for name, f in by_indicator.items() if "总投资" in name)
    assert fact["value"] == pytest.approx(8.654e10)
    assert fact["change"] == pytest.approx(0.182)
    assert (fact["period"]["start"], fact["period"]["end"]) == ("2024-01-01", "2024-06-30")
    assert result["policies"][0]["title"] == "关于支持园区标准厂房建设的若干措施"


def test_offsets_point_into_the_original_text(nlp):
    result = gzie.extract(UNSEEN, nlp=nlp)
    for entity in result["entities"]:
        assert UNSEEN[entity["start"]:entity["end"]] == entity["text"]


@pytest.mark.slow
def test_recorded_dev_metrics_match_a_fresh_evaluation():
    recorded = json.loads((default_model_path() / "meta.json").read_text())["gzie"]["metrics"]["dev"]
    fresh = evaluate("default", [ROOT / "corpora" / "dev.jsonl"])
    assert recorded["ents_f"] == round(fresh["entities"]["micro"]["f"], 4)
    assert recorded["rel_f"] == round(fresh["relations"]["micro"]["f"], 4)
    assert recorded["facts_f"] == round(fresh["facts"]["f"], 4)


def test_shipped_model_was_trained_on_the_committed_corpus():
    import hashlib

    meta = json.loads((default_model_path() / "meta.json").read_text())["gzie"]
    digest = hashlib.sha256((ROOT / "corpora" / "train.jsonl").read_bytes()).hexdigest()
    assert meta["train_sha256"] == digest


def test_missing_model_directory_is_a_clear_error(tmp_path):
    from gzie.errors import ModelError

    with pytest.raises(ModelError, match="E001"):
        gzie.load(tmp_path / "nothing-here")


def test_incompatible_model_version_is_a_clear_error(tmp_path):
    import shutil

    from gzie.errors import ModelError

    shutil.copytree(default_model_path(), tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["gzie"]["version"] = "9.0.0"
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="E003"):
        gzie.load(tmp_path / "m")


def test_long_document_is_processed_in_pieces_without_losing_entities(nlp):
    from gzie.api import PIECE_CHARS

    repeats = PIECE_CHARS // len(UNSEEN) + 3
    text = "\n".join([UNSEEN] * repeats)
    whole = gzie.extract(UNSEEN, nlp=nlp)
    long = gzie.extract(text, nlp=nlp)
    assert len(text) > PIECE_CHARS
    assert len(long["entities"]) == repeats * len(whole["entities"])
    assert len(long["facts"]) == repeats * len(whole["facts"])
    for entity in long["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]


def test_window_cores_cover_the_text_and_end_at_sentence_ends():
    from gzie.api import split_into_windows

    text = "第一句。" * 50 + "第二段\n" * 10
    windows = split_into_windows(text, max_chars=40, overlap=5)
    assert "".join(text[w.core_start:w.core_end] for w in windows) == text
    assert all(text[w.core_start:w.core_end].endswith(("。", "\n")) for w in windows)
    assert all(w.end - w.start <= 40 and w.start <= w.core_start and w.core_end <= w.end for w in windows)


def test_without_sentence_ends_windows_cut_at_clause_breaks():
    from gzie.api import split_into_windows

    text = "园区签约项目十个，" * 30
    windows = split_into_windows(text, max_chars=60, overlap=5)
    assert all(text[w.core_start:w.core_end].endswith("，") for w in windows)


def test_an_entity_across_a_hard_cut_is_kept_whole(nlp):
    from gzie.api import PIECE_CHARS, split_into_windows

    head = "园" * (PIECE_CHARS - 608) + "高新技术企业"
    text = head + "2.1万家" + "园" * PIECE_CHARS
    cut = split_into_windows(text)[0].core_end
    assert len(head) < cut < len(head) + 5  # with no punctuation, the cut falls inside the value
    with nlp.select_pipes(disable=["tok2vec", "ner"]):
        values = [e["text"] for e in gzie.extract(text, nlp=nlp)["entities"] if e["label"] == "VALUE"]
    assert values == ["2.1万家"]


def test_pipeline_bytes_round_trip_predicts_the_same(nlp):
    import spacy

    config = nlp.config
    other = spacy.util.load_model_from_config(config, auto_fill=True)
    other.from_bytes(nlp.to_bytes())
    assert gzie.extract(UNSEEN, nlp=other) == gzie.extract(UNSEEN, nlp=nlp)


def test_extract_cli_processes_long_documents_in_pieces_too(tmp_path):
    from typer.testing import CliRunner

    from gzie.api import PIECE_CHARS
    from gzie.cli import app

    repeats = PIECE_CHARS // len(UNSEEN) + 3
    news = tmp_path / "news"
    news.mkdir()
    (news / "long.txt").write_text("\n".join([UNSEEN] * repeats), encoding="utf-8")
    (news / "short.txt").write_text(UNSEEN, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(app, ["extract", str(news), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["long", "short"]
    assert len(records[0]["facts"]) == repeats * len(records[1]["facts"])


class _Payload:
    """Unpickling this writes a file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("where", ["tokenizer/pkuseg_model/features.pkl", "ner/extra.bin"])
def test_a_pickle_in_a_model_folder_is_refused_and_never_run(tmp_path, where):
    import pickle

    model = tmp_path / "m"
    shutil.copytree(default_model_path(), model)
    marker = tmp_path / "code-ran"
    (model / where).parent.mkdir(parents=True, exist_ok=True)
    (model / where).write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ModelError, match=r"\[E005\]"):
        gzie.load(model)
    assert not marker.exists()


@pytest.mark.parametrize("file,content,code", [("meta.json", b"[1, 2]", "E002"),
                                               ("gzie_relations/weights.msgpack", b"\xc1\xc1", "E020")])
def test_a_model_file_of_the_wrong_shape_is_one_clear_error(tmp_path, file, content, code):
    model = tmp_path / "m"
    shutil.copytree(default_model_path(), model)
    (model / file).write_bytes(content)
    with pytest.raises(ModelError, match=rf"\[{code}\]"):
        gzie.load(model)


def test_a_pickle_behind_a_symlinked_folder_is_refused_and_never_run(tmp_path):
    import pickle

    model = tmp_path / "m"
    shutil.copytree(default_model_path(), model)
    marker = tmp_path / "code-ran"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "features.pkl").write_bytes(pickle.dumps(_Payload(marker)))
    shutil.rmtree(model / "tokenizer" / "pkuseg_model", ignore_errors=True)
    (model / "tokenizer" / "pkuseg_model").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(ModelError, match=r"\[E005\]"):
        gzie.load(model)
    assert not marker.exists()


def test_a_pickle_in_a_model_folder_is_refused_by_the_cli_with_workers(tmp_path):
    import pickle

    from typer.testing import CliRunner

    from gzie.cli import app

    model = tmp_path / "m"
    shutil.copytree(default_model_path(), model)
    marker = tmp_path / "code-ran"
    (model / "tokenizer" / "pkuseg_model").mkdir(parents=True, exist_ok=True)
    (model / "tokenizer" / "pkuseg_model" / "features.pkl").write_bytes(pickle.dumps(_Payload(marker)))
    (tmp_path / "a.txt").write_text(UNSEEN, encoding="utf-8")
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "o.jsonl"),
                                      "--model", str(model), "--n-process", "2"])
    assert result.exit_code == 1 and "[E005]" in result.output
    assert not marker.exists() and not (tmp_path / "o.jsonl").exists()


def test_the_recognizer_reads_only_sentences_with_figures_or_unnamed_zones(nlp):
    from gzie.api import make_input_doc, run_pipeline

    text = "记者近日走访了多家企业。前三季度，园区规上工业总产值完成265.3亿元，同比增长7.8%。"
    full = nlp(make_input_doc(nlp, text))
    [focused] = run_pipeline(nlp, [make_input_doc(nlp, text)])
    second = text.index("前三季度")
    assert [(e.text, e.label_) for e in focused.ents if e.start_char >= second] == \
        [(e.text, e.label_) for e in full.ents if e.start_char >= second]
    assert [e for e in focused.ents if e.start_char < second] == []  # no figure, no zone word: rules only


def test_inline_pinyin_gives_the_facts_of_the_clean_text_at_offsets_of_the_original():
    clean = "前三季度，來安經濟開發區規上工業增加值同比增長8.1%，實現營業收入120億元。"
    junk = "前三季度，來安經(jīng)濟開發(fā)區(qū)規(guī)上工業(yè)增加值同比增長(zhǎng)8.1%，實現營業收入120億元。"

    def facts(text):
        return [(f["indicator"], f["value"], f["change"], f["period"]["text"], f["zone"])
                for f in gzie.extract(text, date="2024-11-08")["facts"]]

    assert facts(junk) == facts(clean)
    assert all(junk[e["start"]:e["end"]] == e["text"] for e in gzie.extract(junk, date="2024-11-08")["entities"])
