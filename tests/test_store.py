"""The facts store (gzie.store, `gzie store`, `gzie series`) on real DuckDB files in tmp_path."""

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import gzie
import gzie.store
from gzie.cli import app
from gzie.errors import StoreError

runner = CliRunner()

# The same figure in three differently worded releases, and a fourth release with another value.
RELEASES = [
    ("outlet-a", "2024-10-25", "省商务厅发布消息，前三季度，贵阳经开区完成规上工业总产值426.5亿元，同比增长7.3%。"),
    ("outlet-b", "2024-10-26", "记者获悉，今年前三季度贵阳经开区规上工业总产值达426.5亿元，增长7.3%。"),
    ("outlet-c", "2024-10-28", "前三季度，贵阳经济技术开发区实现规模以上工业总产值426.5亿元，同比增长7.3%。"),
]
CONFLICTING = ("outlet-d", "2024-11-02", "前三季度，贵阳经开区完成规上工业总产值436.5亿元，同比增长7.3%。")
INDICATOR = "industrial_output_above_scale"
ZONE = "贵阳经济技术开发区"


@pytest.fixture(scope="session")
def extracted():
    """doc id -> the `gzie extract` record of each release."""
    return {doc_id: gzie.extract(text, date=date, doc_id=doc_id, region="贵州省")
            for doc_id, date, text in [*RELEASES, CONFLICTING]}


def write_jsonl(path, records, extra_lines=()):
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def agreeing(tmp_path, extracted):
    return write_jsonl(tmp_path / "agreeing.jsonl", [extracted[d] for d, _, _ in RELEASES])


@pytest.fixture
def all_releases(tmp_path, extracted):
    return write_jsonl(tmp_path / "all.jsonl", list(extracted.values()))


def fact_record(doc_id, value, *, date="2024-08-01", period=("2024-01-01", "2024-06-30"), indicator="营业收入",
                zone="云溪经开区"):
    """A record written by hand, with one fact."""
    start, end = period if period else (None, None)
    fact = {"indicator": indicator, "indicator_id": None, "value": value, "unit": "元", "kind": "amount",
            "qualifier": None, "value_text": None, "change": None, "change_unit": None, "change_text": None,
            "period": {"text": None, "start": start, "end": end} if period else None, "zone": zone,
            "zone_canonical": None, "zone_type": None, "sentence": "…"}
    return {"id": doc_id, "date": date, "entities": [], "relations": [], "facts": [fact], "policies": []}


def snapshot(db):
    with gzie.store.open(db, read_only=True) as store:
        return {t: store.df(f"SELECT * FROM {t} ORDER BY ALL").to_json() for t in gzie.store.TABLES}


# --- loading ----------------------------------------------------------------------------------


def test_load_fills_documents_and_facts(tmp_path, all_releases):
    summary = gzie.store.load([all_releases], tmp_path / "facts.duckdb")
    assert (summary["documents"], summary["facts"], summary["problems"]) == (4, 4, [])
    with gzie.store.open(tmp_path / "facts.duckdb") as store:
        row = store.df("SELECT * FROM documents WHERE id = 'outlet-a'").iloc[0]
        fact = store.df("SELECT * FROM facts WHERE doc_id = 'outlet-a'").iloc[0]
    assert (str(row["date"].date()), row["n_facts"], row["source"].endswith("all.jsonl")) == ("2024-10-25", 1, True)
    assert (fact["indicator_id"], fact["zone_canonical"], fact["value"]) == (INDICATOR, ZONE, 42650000000.0)


def test_loading_the_same_output_again_changes_nothing(tmp_path, all_releases):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    before = snapshot(db)
    summary = gzie.store.load([all_releases], db)
    assert (summary["documents"], summary["facts"], summary["skipped"]) == (0, 0, 4)
    assert snapshot(db) == before


def test_a_later_load_adds_only_new_documents(tmp_path, agreeing, extracted):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    later = write_jsonl(tmp_path / "later.jsonl", [extracted["outlet-c"], extracted["outlet-d"]])
    summary = gzie.store.load([later], db)
    assert (summary["documents"], summary["skipped"]) == (1, 1)
    with gzie.store.open(db, read_only=True) as store:
        assert store.sql("SELECT count(*) FROM documents").fetchall() == [(4,)]


def test_loading_in_chunks_gives_the_same_store(tmp_path, all_releases, monkeypatch):
    gzie.store.load([all_releases], tmp_path / "whole.duckdb")
    monkeypatch.setattr(gzie.store, "CHUNK_DOCUMENTS", 1)
    gzie.store.load([all_releases], tmp_path / "chunked.duckdb")
    assert snapshot(tmp_path / "chunked.duckdb") == snapshot(tmp_path / "whole.duckdb")


def test_a_folder_is_read_without_the_side_files_of_extract(tmp_path, extracted):
    folder = tmp_path / "out"
    folder.mkdir()
    write_jsonl(folder / "facts.jsonl", list(extracted.values()))
    (folder / "facts.errors.jsonl").write_text('{"source": "x.txt", "message": "no text"}\n', encoding="utf-8")
    summary = gzie.store.load([folder], tmp_path / "facts.duckdb")
    assert (summary["files"], summary["documents"], summary["problems"]) == (1, 4, [])


def write_parquet(path, records, layout):
    """Records as the cluster engine writes them (id, date, record: the JSON line), or nested columns."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if layout == "cluster":
        table = pa.table({"id": [r["id"] for r in records], "date": [r["date"] for r in records],
                          "record": [json.dumps(r, ensure_ascii=False) for r in records]})
    else:
        table = pa.Table.from_pylist(records)
    pq.write_table(table, path)
    return path


@pytest.mark.parametrize("layout", ["cluster", "nested"])
def test_parquet_records_load_like_jsonl(tmp_path, extracted, layout):
    gzie.store.load([write_parquet(tmp_path / "part-00000.parquet", list(extracted.values()), layout)],
                    tmp_path / "from_parquet.duckdb")
    gzie.store.load([write_jsonl(tmp_path / "all.jsonl", list(extracted.values()))], tmp_path / "from_jsonl.duckdb")
    drop_source = "SELECT * EXCLUDE (source) FROM documents ORDER BY id"
    with gzie.store.open(tmp_path / "from_parquet.duckdb") as a, gzie.store.open(tmp_path / "from_jsonl.duckdb") as b:
        assert a.df(drop_source).equals(b.df(drop_source))
        assert a.df("SELECT * FROM facts ORDER BY ALL").equals(b.df("SELECT * FROM facts ORDER BY ALL"))


def test_a_cluster_output_folder_is_read_once(tmp_path, extracted):
    records = list(extracted.values())
    folder = tmp_path / "out"
    folder.mkdir()
    write_jsonl(folder / "part-00000.jsonl", records[:2])
    write_jsonl(folder / "part-00001.jsonl", records[2:])
    write_jsonl(folder / "merged.jsonl", records)
    (folder / "part-00000.done").write_text("{}", encoding="utf-8")
    summary = gzie.store.load([folder], tmp_path / "facts.duckdb")
    assert (summary["files"], summary["documents"], summary["skipped"]) == (1, 4, 0)


@pytest.mark.parametrize("name", ["all.jsonl", "cluster.parquet", "nested.parquet"])
def test_extract_output_takes_the_fast_path(tmp_path, extracted, monkeypatch, name):
    records = list(extracted.values())
    path = (write_jsonl(tmp_path / name, records) if name.endswith(".jsonl")
            else write_parquet(tmp_path / name, records, name.split(".")[0]))

    def careful(self, path):
        raise AssertionError(f"{path} was read the careful way")

    monkeypatch.setattr(gzie.store._Loader, "_careful", careful)
    assert gzie.store.load([path], tmp_path / "facts.duckdb")["documents"] == 4


def test_the_fast_and_the_careful_path_give_the_same_store(tmp_path, all_releases, monkeypatch):
    gzie.store.load([all_releases], tmp_path / "fast.duckdb")

    def unsuitable(path):
        raise gzie.store._Unsuitable

    monkeypatch.setattr(gzie.store, "_fast_batches", unsuitable)
    gzie.store.load([all_releases], tmp_path / "careful.duckdb")
    assert snapshot(tmp_path / "careful.duckdb") == snapshot(tmp_path / "fast.duckdb")


def test_a_bad_line_is_reported_with_file_and_line(tmp_path, agreeing):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(agreeing.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    summary = gzie.store.load([bad], tmp_path / "facts.duckdb")
    assert summary["documents"] == 3
    assert [p.where for p in summary["problems"]] == [f"{bad}:4"]


def test_a_record_with_a_bad_field_is_skipped_and_named(tmp_path):
    record = fact_record("r1", "a lot")
    summary = gzie.store.load([write_jsonl(tmp_path / "in.jsonl", [record])], tmp_path / "facts.duckdb")
    assert summary["documents"] == 0
    assert "facts[0].value is not a finite number" in str(summary["problems"][0])


def test_a_value_that_is_nan_is_reported_and_the_rest_loaded(tmp_path, agreeing):
    bad = tmp_path / "bad.jsonl"
    lines = agreeing.read_text(encoding="utf-8").splitlines()
    lines.insert(1, json.dumps(fact_record("nan", float("nan"))))  # json writes NaN, which is not JSON
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = gzie.store.load([bad], tmp_path / "facts.duckdb")
    assert summary["documents"] == 3
    assert [p.where for p in summary["problems"]] == [f"{bad}:2 [nan]"]


def test_a_lone_surrogate_is_reported(tmp_path):
    lines = [json.dumps(fact_record("ok", 1.0)), json.dumps(fact_record("bad", 1.0, indicator="\ud800"))]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = gzie.store.load([path], tmp_path / "facts.duckdb")
    assert summary["documents"] == 1
    assert "lone surrogate" in str(summary["problems"][0]) and summary["problems"][0].line == 2


def test_a_missing_input_is_a_problem_not_an_error(tmp_path):
    summary = gzie.store.load([tmp_path / "nowhere.jsonl"], tmp_path / "facts.duckdb")
    assert "no such file or folder" in str(summary["problems"][0])


# --- series points ----------------------------------------------------------------------------


def test_the_same_figure_from_three_outlets_is_one_series_point(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    points = gzie.store.series(db, INDICATOR)
    assert len(points) == 1
    point = points.iloc[0]
    assert (point["zone_key"], point["value"], point["n_sources"]) == (ZONE, 42650000000.0, 3)
    assert point["doc_ids"] == ["outlet-a", "outlet-b", "outlet-c"]
    assert point["dates"] == ["2024-10-25", "2024-10-26", "2024-10-28"]


def test_values_within_half_a_percent_are_one_point(tmp_path):
    records = [fact_record("a", 1000.0), fact_record("b", 1004.9), fact_record("c", 1006.0)]
    db = tmp_path / "facts.duckdb"
    gzie.store.load([write_jsonl(tmp_path / "in.jsonl", records)], db)
    assert [p for p in gzie.store.series(db, "营业收入")["doc_ids"]] == [["a", "b"], ["c"]]


def test_no_point_holds_values_more_than_half_a_percent_apart(tmp_path):
    records = [fact_record(str(i), value) for i, value in enumerate([1000.0, 1004.0, 1008.0, 1012.0])]
    db = tmp_path / "facts.duckdb"
    gzie.store.load([write_jsonl(tmp_path / "in.jsonl", records)], db)
    assert [p for p in gzie.store.series(db, "营业收入")["doc_ids"]] == [["0", "1"], ["2", "3"]]


def test_other_periods_are_other_points(tmp_path):
    records = [fact_record("h1", 1000.0), fact_record("q3", 1000.0, period=("2024-01-01", "2024-09-30"))]
    db = tmp_path / "facts.duckdb"
    gzie.store.load([write_jsonl(tmp_path / "in.jsonl", records)], db)
    assert len(gzie.store.series(db, "营业收入")) == 2


# --- conflicts --------------------------------------------------------------------------------


def test_a_release_with_another_value_is_a_conflict(tmp_path, all_releases):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    found = gzie.store.conflicts(db)
    assert found["value"].tolist() == [42650000000.0, 43650000000.0]
    assert found["doc_ids"].tolist() == [["outlet-a", "outlet-b", "outlet-c"], ["outlet-d"]]
    assert set(found["zone_key"]) == {ZONE}


def test_agreeing_releases_are_no_conflict(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    assert gzie.store.conflicts(db).empty


def test_figures_without_a_period_are_no_conflict(tmp_path):
    records = [fact_record("a", 1000.0, period=None), fact_record("b", 2000.0, period=None)]
    db = tmp_path / "facts.duckdb"
    gzie.store.load([write_jsonl(tmp_path / "in.jsonl", records)], db)
    assert gzie.store.conflicts(db).empty


# --- querying ---------------------------------------------------------------------------------


def test_series_by_name_id_and_zone_mention_agree(tmp_path, all_releases):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    by_id = gzie.store.series(db, INDICATOR)
    by_name = gzie.store.series(db, "规模以上工业总产值", zone="贵阳经开区")
    assert by_name.equals(by_id)


def test_series_of_an_unknown_indicator_raises_e085(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    with pytest.raises(StoreError) as err:
        gzie.store.series(db, "营业收入")
    assert err.value.code == "E085" and INDICATOR in str(err.value)


def test_open_gives_the_connection_and_helpers(tmp_path, all_releases):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    with gzie.store.open(db) as store:
        assert store.sql("SELECT count(*) FROM facts").fetchall() == [(4,)]
        assert store.con.execute("SELECT count(*) FROM series_points").fetchall() == [(2,)]
        assert len(store.facts()) == 4
        assert len(store.series(INDICATOR, zone=ZONE)) == 2


# --- export and chart ---------------------------------------------------------------------------


def test_export_writes_every_table_as_parquet(tmp_path, all_releases):
    import duckdb

    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    written = gzie.store.export_parquet(db, tmp_path / "export")
    for table, rows in written["tables"].items():
        path = str(tmp_path / "export" / f"{table}.parquet")
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall() == [(rows,)]
    assert written["tables"]["facts"] == 4
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_export_replaces_an_earlier_export(tmp_path, agreeing, all_releases):
    import duckdb

    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    gzie.store.export_parquet(db, tmp_path / "export")
    gzie.store.load([all_releases], db)
    gzie.store.export_parquet(db, tmp_path / "export")
    path = str(tmp_path / "export" / "documents.parquet")
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall() == [(4,)]


def test_export_refuses_to_replace_a_folder_of_other_files(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    with pytest.raises(StoreError) as err:
        gzie.store.export_parquet(db, tmp_path)
    assert err.value.code == "E087"
    assert agreeing.exists()


@pytest.mark.parametrize("name,magic", [("chart.svg", b"<?xml"), ("chart.png", b"\x89PNG")])
def test_plot_writes_the_chart_by_suffix(tmp_path, all_releases, name, magic):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([all_releases], db)
    gzie.store.plot_series(gzie.store.series(db, INDICATOR), tmp_path / name)
    assert (tmp_path / name).read_bytes().startswith(magic)


def test_plot_draws_the_points_of_the_most_common_unit():
    import pandas as pd

    from gzie.store import _one_unit

    df = pd.DataFrame({"value": [1.2e11, 1.3e11, 0.312], "unit": ["元", "元", "%"],
                       "change": [None, None, None], "change_unit": [None, None, None]})
    assert list(_one_unit(df, "value")["unit"]) == ["元", "元"]


def test_plot_refuses_other_suffixes_with_e089(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    with pytest.raises(StoreError) as err:
        gzie.store.plot_series(gzie.store.series(db, INDICATOR), tmp_path / "chart.pdf")
    assert err.value.code == "E089"


# --- databases that cannot be used ---------------------------------------------------------------


def test_a_file_that_is_not_duckdb_raises_e081(tmp_path, agreeing):
    with pytest.raises(StoreError) as err:
        gzie.store.load([agreeing], agreeing)
    assert err.value.code == "E081"


def test_a_missing_store_raises_e083_when_read(tmp_path):
    with pytest.raises(StoreError) as err:
        gzie.store.conflicts(tmp_path / "none.duckdb")
    assert err.value.code == "E083"


def test_another_duckdb_database_raises_e084(tmp_path):
    import duckdb

    with duckdb.connect(str(tmp_path / "other.duckdb")) as con:
        con.execute("CREATE TABLE prices (x INTEGER)")
    with pytest.raises(StoreError) as err:
        gzie.store.open(tmp_path / "other.duckdb")
    assert err.value.code == "E084"


def test_a_store_locked_by_another_process_raises_e082(tmp_path, agreeing):
    db = tmp_path / "facts.duckdb"
    gzie.store.load([agreeing], db)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); sys.stdin.read()", str(db)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError) as err:
            gzie.store.load([agreeing], db)
        assert err.value.code == "E082"
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()


# --- command line -------------------------------------------------------------------------------


def test_cli_load_reports_what_it_loaded(tmp_path, all_releases):
    result = runner.invoke(app, ["store", "load", str(all_releases), "--db", str(tmp_path / "facts.duckdb")])
    assert result.exit_code == 0, result.output
    assert "4 documents, 4 facts" in result.output and "1 in conflict" in result.output


def test_cli_load_prints_bad_lines_and_fails(tmp_path, agreeing):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n" + agreeing.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["store", "load", str(bad), "--db", str(tmp_path / "facts.duckdb")])
    assert result.exit_code == 1
    assert f"{bad}:1: not a JSON record" in result.stderr and "3 documents" in result.stderr


def test_cli_conflicts_prints_each_value_with_its_documents(tmp_path, all_releases):
    db = str(tmp_path / "facts.duckdb")
    runner.invoke(app, ["store", "load", str(all_releases), "--db", db])
    result = runner.invoke(app, ["store", "conflicts", "--db", db])
    assert result.exit_code == 0, result.output
    assert "426.5亿元" in result.stdout and "436.5亿元" in result.stdout and "outlet-d" in result.stdout


def test_cli_export_writes_the_parquet_folder(tmp_path, all_releases):
    db = str(tmp_path / "facts.duckdb")
    runner.invoke(app, ["store", "load", str(all_releases), "--db", db])
    result = runner.invoke(app, ["store", "export", "--db", db, "--parquet", str(tmp_path / "pq")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(f"{t}.parquet" for t in gzie.store.TABLES)


def test_cli_series_prints_the_table_and_draws_the_chart(tmp_path, all_releases):
    db = str(tmp_path / "facts.duckdb")
    runner.invoke(app, ["store", "load", str(all_releases), "--db", db])
    result = runner.invoke(app, ["series", "--db", db, "--indicator", "规上工业总产值", "--zone", "贵阳经开区",
                                 "--plot", str(tmp_path / "chart.svg")])
    assert result.exit_code == 0, result.output
    assert "426.5亿元" in result.stdout and "outlet-a, outlet-b, outlet-c" in result.stdout
    assert (tmp_path / "chart.svg").exists()


def test_cli_series_of_an_unknown_indicator_fails_with_e085(tmp_path, agreeing):
    db = str(tmp_path / "facts.duckdb")
    runner.invoke(app, ["store", "load", str(agreeing), "--db", db])
    result = runner.invoke(app, ["series", "--db", db, "--indicator", "营业收入"])
    assert result.exit_code == 1 and "[E085]" in result.stderr


# --- properties ---------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.lists(st.one_of(st.binary(max_size=80),
                                st.recursive(st.none() | st.booleans() | st.floats() | st.text(max_size=8),
                                             lambda inner: st.lists(inner, max_size=3)
                                             | st.dictionaries(st.sampled_from(["id", "date", "facts", "entities",
                                                                                "value", "period", "x"]), inner,
                                                               max_size=4),
                                             max_leaves=8).map(lambda v: json.dumps(v).encode())),
                      max_size=4))
def test_no_input_raises_and_every_good_record_is_loaded(tmp_path_factory, noise):
    folder = tmp_path_factory.mktemp("noise")
    good = json.dumps(fact_record("good", 1000.0)).encode()
    (folder / "in.jsonl").write_bytes(b"\n".join([good, *[n.replace(b"\n", b" ") for n in noise]]) + b"\n")
    summary = gzie.store.load([folder / "in.jsonl"], folder / "facts.duckdb")
    with gzie.store.open(folder / "facts.duckdb", read_only=True) as store:
        assert store.sql("SELECT count(*) FROM documents WHERE id = 'good'").fetchall() == [(1,)]
    assert all(problem.source.endswith("in.jsonl") for problem in summary["problems"])
