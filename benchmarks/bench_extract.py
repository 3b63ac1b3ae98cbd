#!/usr/bin/env python
"""Extraction speed and memory of gzie, next to a stock spaCy NER baseline and JioNLP.

    python benchmarks/bench_extract.py                  # the table (trains the baseline once, cached)
    python benchmarks/bench_extract.py --json out.json  # the same, results also saved as JSON
    python benchmarks/bench_extract.py --profile        # time share of each pipeline stage instead
    python benchmarks/bench_extract.py --scaling        # also 1/2/4 processes, document lengths, latency
    python benchmarks/bench_extract.py --compare-model DIR   # also another model, e.g. configs/accurate.cfg's

Every system reads the same texts: those of corpora/test.jsonl, repeated until there are at least
--chars characters. Each configuration runs in a fresh subprocess, so that its peak memory (RSS)
is its own; `gzie.load()` is timed in fresh subprocesses too, imports included.

Systems:
  gzie                 the shipped model (gzie.load()), gzie.api.extract_documents as `gzie extract` uses it
  gzie, N processes    spaCy's nlp.pipe(n_process=N) on docs made by gzie.api.make_input_doc, then
                       gzie.api.doc_to_output in the parent process
  gzie, worker pool    N spawned workers running extract_documents on batches: gzie.batch's own
                       pool, as `gzie extract --n-process N` runs it (start-up and loading timed)
  gzie tok2vec+ner     only the neural part of the same model (for reference)
  baseline             spacy.blank("zh") (character tokens) + the `ner` of
                       `spacy init config --lang zh --pipeline ner --optimize efficiency`, trained on
                       the same corpus for --baseline-epochs epochs; only its speed is compared
  JioNLP               jionlp.ner.extract_money + jionlp.ner.extract_time, when jionlp is installed
                       (an optional extra: pip install jionlp)

With --scaling the report adds the scaling curve: chars/s of 1, 2 and 4 processes (the worker
pool) on --scaling-chars characters, of one process on documents of 200 to 100,000 characters (the
corpus texts joined and cut at a sentence end), and the latency of one 1,000-character release in
a warm process (median and p95 of --latency-runs calls of gzie.extract).

The benchmark needs nothing beyond gzie's own dependencies; jionlp is used only when installed.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"

TARGET_CHARS_PER_SECOND = 25_000
TARGET_BASELINE_RATIO = 1.0
TARGET_TWO_PROCESS_RATIO = 1.7
TARGET_PEAK_MB = 600
TARGET_LOAD_SECONDS = 3.0
SCALING_PROCESSES = (1, 2, 4)
LENGTHS = (200, 1_000, 5_000, 20_000, 100_000)
LATENCY_CHARS = 1_000

WARMUP_DOCS = 4
MULTI_PROCESS = ("gzie-multi", "gzie-pool")
NEURAL_STAGES = ("tok2vec", "ner")


# --- texts --------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def benchmark_documents(source: Path, min_chars: int) -> list[list]:
    """(text, date, id) triples: the source texts in order, repeated until min_chars is reached."""
    records = read_jsonl(source)
    if not records:
        raise SystemExit(f"{source}: no documents")
    documents, chars, round_ = [], 0, 0
    while chars < min_chars:
        for record in records:
            documents.append([record["text"], (record.get("meta") or {}).get("date"), f"{record.get('id')}#{round_}"])
            chars += len(record["text"])
        round_ += 1
    return documents


def documents_of_length(source: Path, length: int, min_chars: int) -> list[list]:
    """(text, date, id) triples of `length` characters (give or take a sentence): the source texts
    joined by line breaks and cut at the last sentence end before `length`; at least min_chars (and
    three documents) in all."""
    records = read_jsonl(source)
    stream = "\n".join(r["text"] for r in records)
    documents, offset, chars = [], 0, 0
    while chars < min_chars or len(documents) < 3:
        piece = (stream[offset:] + "\n" + stream)[:length]
        cut = max(piece.rfind("。"), piece.rfind("\n"))
        text = piece[:cut + 1] if cut > length // 2 else piece
        documents.append([text, "2024-06-30", f"len{length}-{len(documents)}"])
        chars += len(text)
        offset = (offset + len(text)) % len(stream)
    return documents


# --- memory -------------------------------------------------------------------------------------


def max_rss_mb() -> float:
    """Peak resident set size of this process (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _proc_kib(pid: int, path: str, field: str) -> int:
    try:
        with open(f"/proc/{pid}/{path}", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemorySampler:
    """Samples the summed RSS and PSS of this process and its descendants (Linux /proc).

    RSS counts pages shared by forked workers once per process; PSS splits them, so the PSS sum
    is the memory the process tree really holds."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.peak_rss_kib = self.peak_pss_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree(self) -> list[int]:
        tree, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(_children(pid))
        return tree

    def sample(self) -> None:
        pids = self._tree()
        self.peak_rss_kib = max(self.peak_rss_kib, sum(_proc_kib(p, "status", "VmRSS:") for p in pids))
        self.peak_pss_kib = max(self.peak_pss_kib, sum(_proc_kib(p, "smaps_rollup", "Pss:") for p in pids))

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> "TreeMemorySampler":
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


# --- the systems (each runs inside a worker subprocess) -----------------------------------------


def _timed_passes(run, documents: list[list], repeat: int, max_seconds: float | None) -> dict:
    """Best of `repeat` passes of run(documents) -> chars, docs, seconds. A pass that exceeds
    max_seconds stops early and is measured on the documents it finished."""
    best = None
    for _ in range(repeat):
        start, cpu_start = time.perf_counter(), time.process_time()
        done_docs = done_chars = 0
        for text_len in run(documents):
            done_docs += 1
            done_chars += text_len
            if max_seconds and time.perf_counter() - start > max_seconds:
                break
        seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
        result = {"chars": done_chars, "docs": done_docs, "seconds": seconds, "cpu_seconds": cpu_seconds,
                  "chars_per_second": done_chars / seconds, "docs_per_second": done_docs / seconds,
                  "chars_per_cpu_second": done_chars / cpu_seconds if cpu_seconds else None}
        if best is None or result["chars_per_second"] > best["chars_per_second"]:
            best = result
    return best


def _gzie_runner(batch_size: int, model: str | None = None):
    import gzie
    from gzie.api import extract_documents

    nlp = gzie.load(model)

    def run(documents):
        # Records come in input order.
        records = extract_documents(nlp, ((t, d, i) for t, d, i in documents), batch_size=batch_size)
        for (text, _, _), _record in zip(documents, records):
            yield len(text)

    return nlp, run


def _gzie_multiprocess_runner(batch_size: int, n_process: int):
    # `gzie extract --n-process` is being added to gzie/batch.py; until it is there, this calls
    # spaCy's nlp.pipe(n_process=N) directly on docs made by gzie.api.make_input_doc and builds
    # the output records with gzie.api.doc_to_output, as extract_documents does for one process.
    import gzie
    from gzie.api import doc_to_output, make_input_doc

    nlp = gzie.load()

    def run(documents):
        docs = (make_input_doc(nlp, t, d, i) for t, d, i in documents)
        for (text, _, _), doc in zip(documents, nlp.pipe(docs, batch_size=batch_size, n_process=n_process)):
            doc_to_output(doc)
            yield len(text)

    return nlp, run


def _gzie_neural_runner(batch_size: int):
    import gzie

    nlp = gzie.load(exclude=["gzie_rules", "gzie_relations", "gzie_facts"])

    def run(documents):
        for (text, _, _), doc in zip(documents, nlp.pipe((t for t, _, _ in documents), batch_size=batch_size)):
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            yield len(text)

    return nlp, run


def _gzie_pool_runner(batch_size: int, n_process: int):
    # What `gzie extract --n-process N` runs: gzie.batch's pool of N spawned workers, each loading
    # the pipeline on its first batch and running extract_documents; at most two batches per
    # worker wait; records come back in input order. Start-up and model loading are timed too.
    from gzie.batch import _in_processes
    from gzie.inputs import InputDocument

    def run(documents):
        inputs = [InputDocument(i, t, d) for t, d, i in documents]
        batches = (inputs[k:k + batch_size] for k in range(0, len(inputs), batch_size))
        for batch, records in _in_processes(batches, None, batch_size, n_process):
            if records is None:
                raise RuntimeError("a worker died twice on the same batch")
            for document in batch:
                yield len(document.text)

    return None, run


def _latency(runs: int) -> dict:
    """Seconds to extract one release of LATENCY_CHARS characters in a warm process (gzie.extract)."""
    import gzie

    nlp = gzie.load()
    text, date, _ = documents_of_length(CORPORA / "test.jsonl", LATENCY_CHARS, 0)[0]
    for _ in range(5):
        gzie.extract(text, date=date, nlp=nlp)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        gzie.extract(text, date=date, nlp=nlp)
        times.append(time.perf_counter() - start)
    times.sort()
    return {"chars": len(text), "runs": runs, "median_ms": statistics.median(times) * 1000,
            "p95_ms": times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)] * 1000}


def _baseline_runner(batch_size: int, model_dir: str):
    import spacy

    nlp = spacy.load(model_dir)

    def run(documents):
        for (text, _, _), doc in zip(documents, nlp.pipe((t for t, _, _ in documents), batch_size=batch_size)):
            [(e.start_char, e.end_char, e.label_) for e in doc.ents]
            yield len(text)

    return nlp, run


def _jionlp_runner():
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp

    def run(documents):
        for text, date, _ in documents:
            base = None
            if date:
                year, month, day = (int(x) for x in date.split("-"))
                base = {"year": year, "month": month, "day": day}
            jionlp.ner.extract_money(text, with_parsing=True)
            jionlp.ner.extract_time(text, time_base=base or time.time(), with_parsing=True)
            yield len(text)

    return None, run


def worker(args) -> dict:
    """Runs one configuration on the documents in args.documents and returns its measurements."""
    if args.worker == "gzie-latency":
        return _latency(args.latency_runs)
    documents = json.loads(Path(args.documents).read_text(encoding="utf-8"))
    sampler = None
    start = time.perf_counter()
    if args.worker == "gzie":
        _, run = _gzie_runner(args.batch_size)
    elif args.worker == "gzie-other":
        _, run = _gzie_runner(args.batch_size, args.other_model)
    elif args.worker == "gzie-multi":
        _, run = _gzie_multiprocess_runner(args.batch_size, args.n_process)
        sampler = TreeMemorySampler()
    elif args.worker == "gzie-pool":
        _, run = _gzie_pool_runner(args.batch_size, args.n_process)
        sampler = TreeMemorySampler()
    elif args.worker == "gzie-neural":
        _, run = _gzie_neural_runner(args.batch_size)
    elif args.worker == "baseline":
        _, run = _baseline_runner(args.batch_size, args.baseline_model)
    elif args.worker == "jionlp":
        try:
            _, run = _jionlp_runner()
        except ImportError:
            return {"installed": False}
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    load_seconds = time.perf_counter() - start
    for _ in run(documents[:WARMUP_DOCS]):
        pass
    max_seconds = args.jionlp_max_seconds if args.worker == "jionlp" else None
    with sampler or contextlib.nullcontext():
        result = _timed_passes(run, documents, args.repeat, max_seconds)
    if sampler is not None:
        sampler.sample()
        result["peak_rss_mb"] = max(sampler.peak_rss_kib / 1024, max_rss_mb())
        result["peak_pss_mb"] = sampler.peak_pss_kib / 1024
        result["memory_note"] = "sum over the parent and its worker processes, sampled every 50 ms"
    else:
        result["peak_rss_mb"] = max_rss_mb()
    result["load_seconds_in_worker"] = load_seconds
    result["total_chars"] = sum(len(t) for t, _, _ in documents)
    result["installed"] = True
    return result


LOAD_SNIPPET = """
import time
start = time.perf_counter()
import gzie
nlp = gzie.load()
print(time.perf_counter() - start)
"""


def measure_load(repeats: int) -> dict:
    """gzie.load() in fresh interpreters: import gzie (and spaCy) + load, and the process wall time."""
    inside, wall = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], check=True, capture_output=True, text=True)
        wall.append(time.perf_counter() - start)
        inside.append(float(out.stdout.strip().splitlines()[-1]))
    return {"import_and_load_seconds": inside, "process_wall_seconds": wall,
            "median_seconds": statistics.median(inside), "median_wall_seconds": statistics.median(wall)}


# --- the baseline model -------------------------------------------------------------------------


def _file_hash(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _to_docbin(records: list[dict], nlp, path: Path) -> dict:
    from spacy.tokens import DocBin

    from gzie.corpus.convert import record_to_doc

    docbin = DocBin(attrs=["ENT_IOB", "ENT_TYPE"], store_user_data=False)
    gold = kept = 0
    for record in records:
        doc = record_to_doc(record, nlp.make_doc)
        offsets = {(span["start"], span["end"]) for span in record.get("spans", [])}
        gold += len(record.get("spans", []))
        kept += sum((e.start_char, e.end_char) in offsets for e in doc.ents)
        docbin.add(doc)
    docbin.to_disk(path)
    return {"docs": len(records), "gold_spans": gold, "spans_kept_exactly": kept}


def baseline_model(train: Path, dev: Path, epochs: int, cache: Path, log=print) -> tuple[Path, dict]:
    """The trained baseline, from the cache when the same data, epochs and spaCy version trained it."""
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.tokens import DocBin
    from spacy.training import Example

    key = f"{_file_hash(train, dev)}-e{epochs}-spacy{spacy.__version__}"
    folder = cache / "baseline" / key
    info_path = folder / "info.json"
    if info_path.exists():
        info = json.loads(info_path.read_text(encoding="utf-8"))
        return folder / info["model"], info
    log(f"training the baseline ({epochs} epochs, log in {folder / 'train.log'}); later runs reuse it")
    folder.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("zh")  # the zh default: character segmentation
    conversion = {"train": _to_docbin(read_jsonl(train), nlp, folder / "train.spacy"),
                  "dev": _to_docbin(read_jsonl(dev), nlp, folder / "dev.spacy")}
    config = init_config(lang="zh", pipeline=["ner"], optimize="efficiency")
    config["paths"]["train"] = str(folder / "train.spacy")
    config["paths"]["dev"] = str(folder / "dev.spacy")
    config["training"]["max_epochs"] = epochs
    config["training"]["max_steps"] = 0
    config["system"]["seed"] = 0
    config.to_disk(folder / "config.cfg")
    start = time.perf_counter()
    with (folder / "train.log").open("w", encoding="utf-8") as handle:
        done = subprocess.run([sys.executable, "-m", "spacy", "train", str(folder / "config.cfg"), "--output",
                               str(folder / "training")], stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        raise SystemExit(f"training the baseline failed; see {folder / 'train.log'}")
    train_seconds = time.perf_counter() - start
    model = "training/model-best" if (folder / "training" / "model-best").exists() else "training/model-last"
    trained = spacy.load(folder / model)
    gold_docs = list(DocBin().from_disk(folder / "dev.spacy").get_docs(trained.vocab))
    scores = trained.evaluate([Example(trained.make_doc(doc.text), doc) for doc in gold_docs])
    info = {"model": model, "epochs": epochs, "train_seconds": train_seconds, "conversion": conversion,
            "dev_ents_p": scores["ents_p"], "dev_ents_r": scores["ents_r"], "dev_ents_f": scores["ents_f"],
            "train_file": str(train), "dev_file": str(dev), "spacy": spacy.__version__}
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return folder / model, info


# --- the table ----------------------------------------------------------------------------------


def run_worker(name: str, documents_path: Path, args, extra: list[str] = ()) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--documents", str(documents_path),
               "--batch-size", str(args.batch_size), "--n-process", str(args.n_process), "--repeat", str(args.repeat),
               "--jionlp-max-seconds", str(args.jionlp_max_seconds), "--latency-runs", str(args.latency_runs), *extra]
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=args.worker_timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"no result after {args.worker_timeout:.0f} s"}
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr.strip() else f"exit {out.returncode}",
                "stderr": out.stderr[-4000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _mark(ok: bool) -> str:
    return "met" if ok else "MISSED"


def format_report(report: dict) -> str:
    lines = []
    setup = report["setup"]
    lines.append(f"gzie extraction benchmark: {setup['chars']:,} characters in {setup['docs']:,} documents "
                 f"({setup['source']} x{setup['rounds']}), batch size {setup['batch_size']}, best of "
                 f"{setup['repeat']} pass(es)")
    lines.append(f"Python {setup['python']}, spaCy {setup['spacy']}, {setup['cpus']} CPU(s), load average "
                 f"{setup['loadavg_before']} before / {setup['loadavg_after']} after (other load skews timings)")
    lines.append("")
    header = f"{'system':<44}{'chars/s':>10}{'docs/s':>9}{'peak MB':>9}{'vs baseline':>13}{'chars/CPU s':>13}"
    lines.append(header)
    lines.append("-" * len(header))
    base = report["systems"].get("baseline", {})
    base_cps = base.get("chars_per_second")
    for key, label in report["labels"].items():
        result = report["systems"].get(key)
        if result is None:
            continue
        if not result.get("installed", True):
            lines.append(f"{label:<44}{'not installed':>10}")
            continue
        if "error" in result:
            lines.append(f"{label:<44}  failed: {result['error']}")
            continue
        ratio = f"{result['chars_per_second'] / base_cps:.2f}" if base_cps else "-"
        peak = f"{result['peak_rss_mb']:,.0f}"
        if "peak_pss_mb" in result:
            peak += "*"
        cpu = f"{result['chars_per_cpu_second']:,.0f}" if key not in MULTI_PROCESS else "-"
        lines.append(f"{label:<44}{result['chars_per_second']:>10,.0f}{result['docs_per_second']:>9.1f}"
                     f"{peak:>9}{ratio:>13}{cpu:>13}")
        if result["chars"] < result["total_chars"]:
            lines.append(f"{'':<44}(stopped after {result['seconds']:.0f} s: measured on {result['chars']:,} "
                         f"characters)")
    lines.append("chars/s and docs/s: wall clock; chars/CPU s: per second of the process's own CPU time, which "
                 "other load on the machine disturbs less")
    multi = {key: report["systems"][key] for key in MULTI_PROCESS if "peak_pss_mb" in report["systems"].get(key, {})}
    if multi:
        pss = ", ".join(f"{report['labels'][key].split(' (')[-1].rstrip(')')} {result['peak_pss_mb']:,.0f} MB"
                        for key, result in multi.items())
        lines.append(f"* peak of the summed RSS of the parent and its workers (pages that forked workers share "
                     f"count once per process); summed PSS: {pss}")
    if "gzie-pool" in report["systems"]:
        lines.append("worker pool: as `gzie extract --n-process` runs it (spawned workers, each with its own "
                     "pipeline); their start-up and model loading are in the time")
    if base.get("info"):
        info = base["info"]
        lines.append(f"baseline: trained {info['epochs']} epochs on {Path(info['train_file']).name} (dev entity F "
                     f"{info['dev_ents_f'] * 100:.1f}, P {info['dev_ents_p'] * 100:.1f}, R "
                     f"{info['dev_ents_r'] * 100:.1f}); it is trained for speed only, its scores are not compared")
    if report["systems"].get("jionlp", {}).get("installed"):
        lines.append("JioNLP finds money and time expressions only (no indicators, zones, relations or facts).")
    load = report.get("load")
    gzie = report["systems"].get("gzie", {})
    if "chars_per_second" in gzie or load:
        lines += ["", "Targets"]
    if "chars_per_second" in gzie:
        cps = gzie["chars_per_second"]
        lines.append(f"  gzie 1 process >= {TARGET_CHARS_PER_SECOND:,} chars/s: {cps:,.0f} "
                     f"{_mark(cps >= TARGET_CHARS_PER_SECOND)}")
        if base_cps:
            lines.append(f"  gzie 1 process >= {TARGET_BASELINE_RATIO} x baseline: {cps / base_cps:.2f} "
                         f"{_mark(cps / base_cps >= TARGET_BASELINE_RATIO)}")
        lines.append(f"  peak memory (gzie 1 process) < {TARGET_PEAK_MB} MB: {gzie['peak_rss_mb']:,.0f} MB "
                     f"{_mark(gzie['peak_rss_mb'] < TARGET_PEAK_MB)}")
    if load:
        lines.append(f"  gzie.load() < {TARGET_LOAD_SECONDS:.0f} s (fresh process, import included; median of "
                     f"{len(load['import_and_load_seconds'])}): {load['median_seconds']:.2f} s "
                     f"{_mark(load['median_seconds'] < TARGET_LOAD_SECONDS)} (process wall time "
                     f"{load['median_wall_seconds']:.2f} s)")
    return "\n".join(lines)


def benchmark(args) -> dict:
    import spacy

    documents = benchmark_documents(args.source, args.chars)
    labels = {"gzie": "gzie, 1 process (extract_documents)",
              "gzie-multi": f"gzie, {args.n_process} processes (nlp.pipe n_process)",
              "gzie-pool": f"gzie, {args.n_process} processes (worker pool)",
              "gzie-neural": "gzie tok2vec+ner only, 1 process",
              "baseline": "baseline: blank zh + ner (efficiency)",
              "jionlp": "JioNLP extract_money + extract_time"}
    if args.compare_model:
        labels["gzie-other"] = f"gzie {Path(args.compare_model).name}, 1 process"
    selected = [s.strip() for s in args.systems.split(",")] if args.systems else list(labels)
    report = {"setup": {"source": str(args.source.relative_to(ROOT) if args.source.is_relative_to(ROOT)
                                      else args.source),
                        "chars": sum(len(d[0]) for d in documents), "docs": len(documents),
                        "rounds": int(documents[-1][2].rsplit("#", 1)[1]) + 1, "batch_size": args.batch_size,
                        "n_process": args.n_process, "repeat": args.repeat, "python": platform.python_version(),
                        "spacy": spacy.__version__, "cpus": os.cpu_count(),
                        "loadavg_before": " ".join(f"{x:.1f}" for x in os.getloadavg())},
              "labels": {k: v for k, v in labels.items() if k in selected}, "systems": {}}
    with tempfile.TemporaryDirectory() as tmp:
        documents_path = Path(tmp) / "documents.json"
        documents_path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
        if "baseline" in selected:
            model, info = baseline_model(args.train, args.dev, args.baseline_epochs, args.cache,
                                         log=lambda m: print(m, file=sys.stderr))
        for key in selected:
            print(f"measuring {labels[key]} ...", file=sys.stderr)
            extra = ["--baseline-model", str(model)] if key == "baseline" else []
            if key == "gzie-other":
                extra = ["--other-model", str(args.compare_model)]
            report["systems"][key] = run_worker(key, documents_path, args, extra)
            if key == "baseline" and "error" not in report["systems"][key]:
                report["systems"][key]["info"] = info
        if args.scaling:
            report["scaling"] = scaling(args, Path(tmp))
    if not args.skip_load:
        print("timing gzie.load() in fresh processes ...", file=sys.stderr)
        report["load"] = measure_load(args.load_repeats)
    report["setup"]["loadavg_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    gzie, base = report["systems"].get("gzie", {}), report["systems"].get("baseline", {})
    if gzie.get("chars_per_second") and base.get("chars_per_second"):
        report["ratio_to_baseline"] = gzie["chars_per_second"] / base["chars_per_second"]
    report["targets"] = {"chars_per_second": TARGET_CHARS_PER_SECOND, "baseline_ratio": TARGET_BASELINE_RATIO,
                         "two_process_ratio": TARGET_TWO_PROCESS_RATIO, "peak_mb": TARGET_PEAK_MB,
                         "load_seconds": TARGET_LOAD_SECONDS}
    return report


def scaling(args, tmp: Path) -> dict:
    """chars/s by number of processes and by document length, and the latency of one release."""
    out: dict = {"processes": {}, "lengths": {}}
    documents = benchmark_documents(args.source, args.scaling_chars)
    path = tmp / "scaling.json"
    path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
    for n in SCALING_PROCESSES:
        print(f"measuring {n} process(es) on {args.scaling_chars:,} characters ...", file=sys.stderr)
        name = "gzie" if n == 1 else "gzie-pool"
        sub = argparse.Namespace(**{**vars(args), "n_process": n, "repeat": 1})
        out["processes"][n] = run_worker(name, path, sub)
    for length in LENGTHS:
        print(f"measuring documents of {length:,} characters ...", file=sys.stderr)
        documents = documents_of_length(args.source, length, max(3 * length, args.length_chars))
        path = tmp / f"length-{length}.json"
        path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
        out["lengths"][length] = run_worker("gzie", path, argparse.Namespace(**{**vars(args), "repeat": 1}))
    print("measuring the latency of one release ...", file=sys.stderr)
    out["latency"] = run_worker("gzie-latency", path, args)
    one = out["processes"][1].get("chars_per_second")
    two = out["processes"][2].get("chars_per_second")
    out["two_process_ratio"] = two / one if one and two else None
    return out


def format_scaling(scaling: dict) -> str:
    lines = ["", "Scaling (gzie; 2 and 4 processes: gzie extract's worker pool, start-up and loading included)",
             f"{'processes':<12}{'chars/s':>10}{'vs 1 process':>14}{'peak MB':>10}"]
    one = scaling["processes"].get(1, {}).get("chars_per_second")
    for n, result in scaling["processes"].items():
        if "error" in result:
            lines.append(f"{n!s:<12}  failed: {result['error']}")
            continue
        ratio = result["chars_per_second"] / one if one else float("nan")
        lines.append(f"{n!s:<12}{result['chars_per_second']:>10,.0f}{ratio:>14.2f}{result['peak_rss_mb']:>10,.0f}")
    lines += ["", f"{'document length':<18}{'documents':>10}{'chars/s':>10}{'µs per char':>13}{'peak MB':>10}"]
    for length, result in scaling["lengths"].items():
        if "error" in result:
            lines.append(f"{length!s:<18}  failed: {result['error']}")
            continue
        lines.append(f"{int(length):<18,}{result['docs']:>10}{result['chars_per_second']:>10,.0f}"
                     f"{1e6 / result['chars_per_second']:>13.1f}{result['peak_rss_mb']:>10,.0f}")
    latency = scaling.get("latency", {})
    if "median_ms" in latency:
        lines.append(f"\nlatency of one {latency['chars']:,}-character release, warm process ({latency['runs']} runs): "
                     f"median {latency['median_ms']:.0f} ms, p95 {latency['p95_ms']:.0f} ms")
    ratio = scaling.get("two_process_ratio")
    if ratio:
        lines.append(f"  2 processes >= {TARGET_TWO_PROCESS_RATIO} x 1 process: {ratio:.2f} "
                     f"{_mark(ratio >= TARGET_TWO_PROCESS_RATIO)}")
    return "\n".join(lines)


# --- profile: time share per pipeline stage -----------------------------------------------------


def profile(args) -> dict:
    """Runs the single-process path stage by stage, timing each: doc creation (tokenizer and date),
    every pipeline component, and doc_to_output, batch by batch as extract_documents does. Times are
    CPU time of this process (less disturbed by other load than wall time); each stage gets the best
    of --repeat passes."""
    import gzie
    from gzie.api import doc_to_output, make_input_doc

    documents = benchmark_documents(args.source, args.profile_chars)
    nlp = gzie.load(args.profile_model)
    stages = ["make_input_doc (tokenizer, date)", *nlp.pipe_names, "doc_to_output"]
    best = {stage: float("inf") for stage in stages}
    for doc in nlp.pipe(make_input_doc(nlp, t, d, i) for t, d, i in documents[:WARMUP_DOCS]):
        doc_to_output(doc)
    clock = time.process_time
    for _ in range(args.repeat):
        _clear_normalizer_caches()
        spent = dict.fromkeys(stages, 0.0)
        for offset in range(0, len(documents), args.batch_size):
            batch = documents[offset:offset + args.batch_size]
            start = clock()
            docs = [make_input_doc(nlp, t, d, i) for t, d, i in batch]
            spent[stages[0]] += clock() - start
            for name, proc in nlp.pipeline:
                start = clock()
                if hasattr(proc, "pipe"):
                    docs = list(proc.pipe(docs, batch_size=args.batch_size))
                else:
                    docs = [proc(doc) for doc in docs]
                spent[name] += clock() - start
            start = clock()
            for doc in docs:
                doc_to_output(doc)
            spent["doc_to_output"] += clock() - start
        for stage in stages:
            best[stage] = min(best[stage], spent[stage])
    chars = sum(len(d[0]) for d in documents)
    total = sum(best.values())
    return {"chars": chars, "docs": len(documents), "batch_size": args.batch_size, "repeat": args.repeat,
            "seconds": best, "total_seconds": total, "chars_per_second": chars / total}


def _clear_normalizer_caches() -> None:
    """Each pass starts with empty value and period caches, as a fresh process would."""
    from gzie.normalize import periods, values

    for cached in (getattr(values, "_resolve_value", None), getattr(periods, "_resolve_period", None)):
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def format_profile(result: dict) -> str:
    lines = [f"CPU time per stage, gzie default pipeline, 1 process: {result['chars']:,} characters, "
             f"{result['docs']} documents, batch size {result['batch_size']}, best of {result['repeat']} per stage",
             "", f"{'stage':<36}{'seconds':>9}{'share':>8}{'chars/s alone':>15}", "-" * 68]
    for stage, seconds in result["seconds"].items():
        lines.append(f"{stage:<36}{seconds:>9.2f}{seconds / result['total_seconds'] * 100:>7.1f}%"
                     f"{result['chars'] / seconds if seconds else float('inf'):>15,.0f}")
    lines.append(f"{'total':<36}{result['total_seconds']:>9.2f}{100:>7.1f}%{result['chars_per_second']:>15,.0f}")
    neural = sum(seconds for stage, seconds in result["seconds"].items() if stage in NEURAL_STAGES)
    rest = result["total_seconds"] - neural
    lines.append(f"neural stages ({', '.join(NEURAL_STAGES)}): {neural / result['total_seconds'] * 100:.1f}%; "
                 f"the others: {rest / result['total_seconds'] * 100:.1f}% ({rest / result['chars'] * 1e6:.1f} "
                 f"microseconds per character)")
    return "\n".join(lines)


# --- command line -------------------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=300_000, help="at least this many characters (default 300000)")
    parser.add_argument("--source", type=Path, default=CORPORA / "test.jsonl", help="texts (corpus JSONL)")
    parser.add_argument("--batch-size", type=int, default=16, help="nlp.pipe batch size (extract's default 16)")
    parser.add_argument("--n-process", type=int, default=2, help="processes of the multiprocess run (default 2)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes per system; the best counts")
    parser.add_argument("--systems",
                        help="comma-separated subset of gzie,gzie-multi,gzie-pool,gzie-neural,baseline,jionlp")
    parser.add_argument("--baseline-epochs", type=int, default=5,
                        help="training epochs of the baseline (default 5: only its speed is measured)")
    parser.add_argument("--train", type=Path, default=CORPORA / "train.jsonl")
    parser.add_argument("--dev", type=Path, default=CORPORA / "dev.jsonl")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where the trained baseline is kept")
    parser.add_argument("--jionlp-max-seconds", type=float, default=120.0,
                        help="stop JioNLP after this many seconds and rate it on what it finished")
    parser.add_argument("--worker-timeout", type=float, default=3600.0,
                        help="give up on a configuration after this many seconds")
    parser.add_argument("--load-repeats", type=int, default=3, help="fresh processes timing gzie.load()")
    parser.add_argument("--skip-load", action="store_true", help="do not time gzie.load()")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--profile", action="store_true", help="print the time share per pipeline stage instead")
    parser.add_argument("--profile-chars", type=int, default=40_000,
                        help="characters for --profile (default 40000: the test texts once)")
    parser.add_argument("--scaling", action="store_true",
                        help="also measure 1/2/4 processes, document lengths and latency")
    parser.add_argument("--scaling-chars", type=int, default=1_000_000,
                        help="characters of the runs by number of processes (default 1000000)")
    parser.add_argument("--length-chars", type=int, default=100_000,
                        help="characters per document length measured (at least 3 documents; default 100000)")
    parser.add_argument("--latency-runs", type=int, default=100, help="calls timed for the latency (default 100)")
    parser.add_argument("--compare-model", type=Path,
                        help="also time this model directory in one process (e.g. configs/accurate.cfg's)")
    parser.add_argument("--profile-model", help="--profile: this model directory (default: the shipped model)")
    parser.add_argument("--other-model", help=argparse.SUPPRESS)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--documents", help=argparse.SUPPRESS)
    parser.add_argument("--baseline-model", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args)))
        return 0
    if args.profile:
        result = profile(args)
        print(format_profile(result))
    else:
        result = benchmark(args)
        print(format_report(result))
        if "scaling" in result:
            print(format_scaling(result["scaling"]))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
