"""`gzie extract --engine dask`: parts equal to one process's output, resume, killed workers, clients and
schedulers, merge, Parquet. One LocalCluster of two worker processes serves most tests."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gzie.batch import extract_to_file
from gzie.cli import app

pytest.importorskip("distributed")
from distributed import Client, LocalCluster, WorkerPlugin  # noqa: E402

from gzie.cluster import extract_on_cluster, plugin_name  # noqa: E402
from gzie.errors import ConfigError, OutputError  # noqa: E402

ROOT = Path(__file__).parents[1]
# Written for these tests, in no corpus split; {n} makes each copy a different document.
NEWS = ("2024-08-02 16:20 来源：市投资促进局\n"
        "今年1—6月，全市12个省级以上开发区新签约亿元以上项目{n}个，计划总投资865.4亿元，同比增长18.2%。"
        "市发展改革委、市财政局联合印发《关于支持园区标准厂房建设的若干措施》。")
DOCUMENTS = 43  # 40 in news.jsonl, 3 .txt files


def write_inputs(folder: Path) -> list[Path]:
    """news.jsonl (40 documents, a bad line, a duplicate id) and a folder of .txt (3 documents, an empty file)."""
    lines = [json.dumps({"id": f"d{n}", "text": NEWS.format(n=n)}, ensure_ascii=False) for n in range(40)]
    lines.insert(5, "{not json")
    lines.insert(20, json.dumps({"id": "d3", "text": "重复的编号"}, ensure_ascii=False))
    (folder / "news.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    txt = folder / "txt"
    txt.mkdir()
    for n in range(3):
        (txt / f"t{n}.txt").write_text(NEWS.format(n=100 + n), encoding="utf-8")
    (txt / "empty.txt").write_text("", encoding="utf-8")
    return [folder / "news.jsonl", txt]


def parts(folder: Path, suffix: str = "jsonl") -> bytes:
    """The part files of a folder, concatenated in partition order (part-*[0-9].jsonl leaves out
    part-00000.errors.jsonl)."""
    pattern = "part-*.errors.jsonl" if suffix == "errors.jsonl" else f"part-*[0-9].{suffix}"
    return b"".join(path.read_bytes() for path in sorted(folder.glob(pattern)))


def line_counts(folder: Path) -> list[int]:
    return [path.read_bytes().count(b"\n") for path in sorted(folder.glob("part-*[0-9].jsonl"))]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    return write_inputs(tmp_path_factory.mktemp("inputs"))


@pytest.fixture(scope="module")
def reference(inputs, tmp_path_factory):
    """What `gzie extract` writes in one process: (records, errors) bytes."""
    out = tmp_path_factory.mktemp("reference") / "out.jsonl"
    summary = extract_to_file(inputs, out)
    assert summary["documents"] == DOCUMENTS
    return out.read_bytes(), out.with_name("out.errors.jsonl").read_bytes()


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    with Client(cluster, set_as_default=False) as client:
        yield client


def extract(inputs, out, cluster, **kwargs):
    return extract_on_cluster(inputs, out, scheduler=cluster.scheduler_address, **kwargs)


class Slow(WorkerPlugin):
    """Makes each partition take `seconds` longer, so that a test can kill something mid-run."""

    name = "test-slow"

    def __init__(self, seconds: float):
        self.seconds = seconds

    def setup(self, worker):
        import gzie.cluster

        real = getattr(gzie.cluster, "_unslowed", gzie.cluster.extract_documents)
        gzie.cluster._unslowed = real
        seconds = self.seconds

        def slow(*args, **kwargs):
            time.sleep(seconds)
            return real(*args, **kwargs)

        gzie.cluster.extract_documents = slow

    def teardown(self, worker):
        import gzie.cluster

        gzie.cluster.extract_documents = getattr(gzie.cluster, "_unslowed", gzie.cluster.extract_documents)


class FailOn(WorkerPlugin):
    """Makes the partition holding document `doc_id` raise, every time it runs."""

    name = "test-fail"

    def __init__(self, doc_id: str):
        self.doc_id = doc_id

    def setup(self, worker):
        import gzie.cluster

        real = gzie.cluster.extract_documents
        doc_id = self.doc_id

        def failing(nlp, triples, **kwargs):
            if any(t[2] == doc_id for t in triples):
                raise RuntimeError("extraction failed")
            return real(nlp, triples, **kwargs)

        failing.real = real
        gzie.cluster.extract_documents = failing

    def teardown(self, worker):
        import gzie.cluster

        gzie.cluster.extract_documents = gzie.cluster.extract_documents.real


def in_thread(function, result: dict) -> threading.Thread:
    """Runs function() in a started thread; its return value or exception goes to result."""

    def run():
        try:
            result["summary"] = function()
        except Exception as err:
            result["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


# --- the output -----------------------------------------------------------------------------------

def test_parts_equal_a_single_process_run_byte_for_byte(inputs, reference, cluster, tmp_path):
    summary = extract(inputs, tmp_path / "out", cluster, partition_size=16)
    assert parts(tmp_path / "out") == reference[0]
    assert parts(tmp_path / "out", "errors.jsonl") == reference[1]
    assert line_counts(tmp_path / "out") == [16, 16, 11]
    assert summary["documents"] == DOCUMENTS and summary["partitions"] == 3 and len(summary["problems"]) == 3
    marker = json.loads((tmp_path / "out" / "part-00000.done").read_text(encoding="utf-8"))
    assert marker["documents"] == 16 and marker["partition"] == 0 and len(marker["ids_sha256"]) == 64


def test_partitions_are_whole_extraction_batches(inputs, reference, cluster, tmp_path):
    # Batches hold 16 documents: a partition is cut between batches, so 20 gives partitions of 16.
    extract(inputs, tmp_path / "out", cluster, partition_size=20)
    assert line_counts(tmp_path / "out") == [16, 16, 11]
    assert parts(tmp_path / "out") == reference[0]


def test_the_model_is_loaded_once_on_every_worker(inputs, cluster, client, tmp_path):
    extract(inputs, tmp_path / "out", cluster, partition_size=8)

    def loaded(dask_worker):
        import gzie.cluster

        plugin = dask_worker.plugins.get(plugin_name(None))
        return plugin is not None and plugin.nlp is not None and not gzie.cluster._fallback

    assert list(client.run(loaded).values()) == [True, True]


def test_workers_running_other_gzie_code_are_refused(inputs, cluster, tmp_path, monkeypatch):
    import gzie.cluster

    monkeypatch.setattr(gzie.cluster, "code_fingerprint", lambda model: "0" * 64)
    with pytest.raises(ConfigError, match=r"E049.*runs other gzie code or model than the client"):
        extract(inputs, tmp_path / "out", cluster)
    assert not list((tmp_path / "out").glob("part-*"))


def test_progress_counts_parts_and_documents(inputs, cluster, tmp_path):
    states = []
    extract(inputs, tmp_path / "out", cluster, partition_size=16, progress=states.append, count_first=True)
    assert (states[0].parts, states[0].total_parts, states[0].total_documents) == (0, 3, DOCUMENTS)
    assert (states[-1].parts, states[-1].documents) == (3, DOCUMENTS)
    assert states[0].dashboard.startswith("http")


def test_fresh_run_removes_the_parts_of_an_earlier_run(inputs, reference, cluster, tmp_path):
    extract(inputs, tmp_path / "out", cluster, partition_size=8)
    extract(inputs, tmp_path / "out", cluster, partition_size=16)
    assert len(line_counts(tmp_path / "out")) == 3 and parts(tmp_path / "out") == reference[0]


def test_output_folder_inside_an_input_folder_is_refused(inputs, tmp_path):
    with pytest.raises(OutputError, match="E035"):
        extract_on_cluster(inputs, inputs[1] / "out")


# --- resume ---------------------------------------------------------------------------------------

def test_resume_skips_finished_parts(inputs, reference, cluster, tmp_path):
    out = tmp_path / "out"
    extract(inputs, out, cluster, partition_size=16)
    (out / "part-00001.done").unlink()
    first = (out / "part-00000.jsonl").stat()
    summary = extract(inputs, out, cluster, partition_size=16, resume=True)
    assert (summary["partitions_skipped"], summary["documents"], summary["skipped"]) == (2, 16, 27)
    assert (out / "part-00000.jsonl").stat().st_mtime_ns == first.st_mtime_ns  # not written again
    assert parts(out) == reference[0] and parts(out, "errors.jsonl") == reference[1]


def test_resume_extracts_again_a_part_of_other_documents(inputs, reference, cluster, tmp_path):
    out = tmp_path / "out"
    extract(inputs, out, cluster, partition_size=16)
    marker = json.loads((out / "part-00002.done").read_text(encoding="utf-8"))
    (out / "part-00002.done").write_text(json.dumps({**marker, "ids_sha256": "0" * 64}), encoding="utf-8")
    (out / "part-00002.jsonl").write_text("stale\n", encoding="utf-8")
    summary = extract(inputs, out, cluster, partition_size=16, resume=True)
    assert summary["partitions_skipped"] == 2 and summary["documents"] == 11
    assert parts(out) == reference[0]


def test_a_partition_that_fails_is_reported_and_extracted_by_resume(inputs, reference, cluster, client, tmp_path):
    out = tmp_path / "out"
    client.register_plugin(FailOn("d20"))
    try:
        summary = extract(inputs, out, cluster, partition_size=16, merge=True)
    finally:
        client.unregister_worker_plugin("test-fail")
    assert summary["partitions_failed"] == 1 and summary["merged"] is None
    assert any("partition 1 (16 documents) not extracted: RuntimeError: extraction failed" in p
               for p in summary["problems"])
    assert not (out / "part-00001.done").exists() and not (out / "merged.jsonl").exists()
    summary = extract(inputs, out, cluster, partition_size=16, merge=True, resume=True)
    assert summary["partitions_skipped"] == 2 and summary["partitions_failed"] == 0
    assert (out / "merged.jsonl").read_bytes() == reference[0]


# --- merge and Parquet ----------------------------------------------------------------------------

def test_merge_writes_the_parts_in_input_order(inputs, reference, cluster, tmp_path):
    summary = extract(inputs, tmp_path / "out", cluster, partition_size=8, merge=True)
    assert summary["merged"] == str(tmp_path / "out" / "merged.jsonl")
    assert (tmp_path / "out" / "merged.jsonl").read_bytes() == reference[0]
    assert (tmp_path / "out" / "merged.errors.jsonl").read_bytes() == reference[1]


def test_parquet_parts_are_readable(inputs, reference, cluster, tmp_path):
    import pyarrow.parquet as pq

    extract(inputs, tmp_path / "out", cluster, partition_size=16, fmt="parquet", merge=True)
    tables = [pq.read_table(path) for path in sorted((tmp_path / "out").glob("part-*[0-9].parquet"))]
    assert [t.num_rows for t in tables] == [16, 16, 11]
    assert tables[0].column_names == ["id", "date", "record"]
    records = [record for table in tables for record in table.column("record").to_pylist()]
    assert "".join(r + "\n" for r in records).encode("utf-8") == reference[0]
    merged = pq.read_table(tmp_path / "out" / "merged.parquet")
    assert merged.column("id").to_pylist() == [json.loads(r)["id"] for r in records]


def test_parquet_inputs_are_read_like_jsonl(reference, cluster, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = {"id": [f"d{n}" for n in range(40) if n != 3], "text": [NEWS.format(n=n) for n in range(40) if n != 3]}
    rows["id"].insert(3, "d3")
    rows["text"].insert(3, NEWS.format(n=3))
    rows["id"].append("blank")
    rows["text"].append(" ")
    pq.write_table(pa.table(rows), tmp_path / "news.parquet")
    summary = extract([tmp_path / "news.parquet"], tmp_path / "out", cluster, partition_size=16)
    assert parts(tmp_path / "out").splitlines()[:40] == reference[0].splitlines()[:40]
    assert summary["problems"] == [f"{tmp_path / 'news.parquet'}:41: empty text"]


# --- killed workers, clients and schedulers -------------------------------------------------------

@pytest.mark.slow
def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(inputs, reference, tmp_path):
    out = tmp_path / "out"
    result = {}
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster, set_as_default=False) as client:
        client.register_plugin(Slow(1.0))
        pids = client.run(os.getpid)
        run = in_thread(lambda: extract(inputs, out, cluster, partition_size=8), result)
        try:
            wait_for(lambda: any(client.processing().values()) or not run.is_alive())
            busy = next(address for address, tasks in client.processing().items() if tasks)
            time.sleep(0.3)  # inside the task's first second
            os.kill(pids[busy], signal.SIGKILL)
        finally:
            run.join()
        assert busy not in client.run(os.getpid), "the worker was not killed"
    assert "error" not in result, result.get("error")
    assert result["summary"]["partitions_failed"] == 0 and result["summary"]["documents"] == DOCUMENTS
    assert parts(out) == reference[0]
    ids = [json.loads(line)["id"] for line in parts(out).splitlines()]
    assert len(ids) == len(set(ids)) == DOCUMENTS
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


DRIVER = textwrap.dedent("""
    import os, sys, time
    from distributed import Client, LocalCluster, WorkerPlugin
    from gzie.cluster import extract_on_cluster

    class Slow(WorkerPlugin):
        name = "test-slow"
        def setup(self, worker):
            import gzie.cluster
            real = gzie.cluster.extract_documents
            def slow(*args, **kwargs):
                time.sleep(0.5)
                return real(*args, **kwargs)
            gzie.cluster.extract_documents = slow

    if __name__ == "__main__":
        inputs, out, pids = sys.argv[1:3], sys.argv[3], sys.argv[4]
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \\
                Client(cluster) as client:
            client.register_plugin(Slow())
            with open(pids, "w") as handle:
                handle.write(" ".join(str(pid) for pid in client.run(os.getpid).values()))
            extract_on_cluster(inputs, out, scheduler=cluster.scheduler_address, partition_size=8)
""")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (killed, not yet reaped by its parent) counts as dead
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\nState:\tZ" in status.read_text())


@pytest.mark.slow
def test_client_and_scheduler_killed_mid_run_then_resumed_equals_an_uninterrupted_run(inputs, reference, cluster,
                                                                                     tmp_path):
    out, pids = tmp_path / "out", tmp_path / "pids"
    (tmp_path / "driver.py").write_text(DRIVER, encoding="utf-8")
    driver = subprocess.Popen([sys.executable, str(tmp_path / "driver.py"), *map(str, inputs), str(out), str(pids)],
                              stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: out.exists() and len(list(out.glob("*.done"))) >= 1 or driver.poll() is not None)
        os.kill(driver.pid, signal.SIGKILL)  # the client, and the scheduler of its LocalCluster
    finally:
        driver.wait()
    finished = len(list(out.glob("*.done")))
    assert 1 <= finished < 6, "the run was not killed midway"
    wait_for(lambda: not any(alive(int(pid)) for pid in pids.read_text().split()), 30)  # workers die with it
    summary = extract(inputs, out, cluster, partition_size=8, resume=True)
    assert summary["partitions_skipped"] >= finished and summary["partitions_failed"] == 0
    assert parts(out) == reference[0] and parts(out, "errors.jsonl") == reference[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.slow
def test_scheduler_killed_mid_run_is_one_clear_error_and_resume_continues(inputs, reference, cluster, tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), os.environ.get("PYTHONPATH", "")]))
    scheduler = subprocess.Popen([*dask, "--port", str(port), "--dashboard-address", ":0"], stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1"],
                              stderr=subprocess.DEVNULL, env=env)
    out, result = tmp_path / "out", {}
    try:
        with Client(address, set_as_default=False, timeout=30) as client:
            client.wait_for_workers(1, timeout=30)
            client.register_plugin(Slow(0.5))

        thread = in_thread(lambda: extract_on_cluster(inputs, out, scheduler=address, partition_size=8), result)
        wait_for(lambda: out.exists() and len(list(out.glob("*.done"))) >= 1 or not thread.is_alive())
        scheduler.kill()
        thread.join(60)
        assert not thread.is_alive()
    finally:
        scheduler.kill()
        worker.terminate()
        scheduler.wait()
        worker.wait(30)
    assert isinstance(result.get("error"), OutputError), result
    assert "E034" in str(result["error"]) and "lost the connection to the Dask scheduler" in str(result["error"])
    summary = extract(inputs, out, cluster, partition_size=8, resume=True)
    assert summary["partitions_skipped"] >= 1
    assert parts(out) == reference[0] and parts(out, "errors.jsonl") == reference[1]


# --- the command line -----------------------------------------------------------------------------

def run_cli(*args):
    return CliRunner().invoke(app, ["extract", *map(str, args)])


def test_cli_dask_engine_starts_a_local_cluster(inputs, reference, tmp_path):
    result = run_cli(*inputs, "-o", tmp_path / "out", "--engine", "dask", "--n-process", "1", "--merge")
    lines = result.stderr.splitlines()
    assert result.exit_code == 1  # the inputs have problems
    assert lines[0].startswith("Dask dashboard: http")
    assert lines[-1] == f"{DOCUMENTS} documents, 129 facts -> {tmp_path / 'out'} (1 partition)"
    assert (tmp_path / "out" / "merged.jsonl").read_bytes() == reference[0]


def test_cli_resume_says_how_many_partitions_were_kept(inputs, cluster, tmp_path):
    common = [*inputs, "-o", tmp_path / "out", "--engine", "dask", "--scheduler", cluster.scheduler_address,
              "--partition-size", 16]
    run_cli(*common)
    result = run_cli(*common, "--resume")
    assert result.stderr.splitlines()[-1] == f"0 documents, 0 facts -> {tmp_path / 'out'} (3 partitions, 3 " \
                                             "already there, kept)"


def test_cli_progress_bar_on_a_terminal(inputs, cluster, tmp_path, monkeypatch):
    import gzie.cli.extract

    monkeypatch.setattr(gzie.cli.extract, "stderr_is_terminal", lambda: True)
    result = run_cli(*inputs, "-o", tmp_path / "out", "--engine", "dask", "--scheduler", cluster.scheduler_address)
    assert f"{DOCUMENTS}/{DOCUMENTS} documents" in result.stderr and "chars/s" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--merge"], "[E049] --merge: only with --engine dask"),
    (["--partition-size", "5"], "[E049] --partition-size: only with --engine dask"),
    (["--engine", "dask", "--html", "page.html"], "[E049] --html: not available with --engine dask"),
    (["--engine", "dask", "--format", "csv"], "[E033] output format 'csv' is not one of jsonl, parquet"),
])
def test_cli_options_of_the_other_engine_are_one_clear_error(inputs, tmp_path, args, message):
    result = run_cli(*inputs, "-o", tmp_path / "out", *args)
    assert result.exit_code == 1 and result.stderr.startswith(message)
