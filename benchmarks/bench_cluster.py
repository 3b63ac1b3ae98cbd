#!/usr/bin/env python
"""Throughput and memory per worker of `gzie extract --engine dask` (gzie.cluster.extract_on_cluster).

    python benchmarks/bench_cluster.py                       # 1 and 2 workers, ~300,000 characters
    python benchmarks/bench_cluster.py --workers 1,2,4 --chars 1000000 --json out.json

The texts of corpora/test.jsonl are repeated (each copy a new id) until there are at least --chars
characters. For each number of workers a fresh LocalCluster of that many worker processes (one
thread each) runs, as `gzie extract --engine dask --n-process N` starts it; a small warm-up run
loads the model on every worker first, so that the timed run measures extraction:

  wall s          the timed run, from reading the inputs to the last part file
  chars/s         characters extracted per second of wall time (all workers together)
  chars/CPU-s     characters per CPU-second of the workers (user + system): the speed of one
                  worker on a core of its own, whatever else the machine runs
  peak MB/worker  the largest peak resident memory (ru_maxrss) of a worker process, model included
  start s         starting the cluster and loading the model on every worker (not in wall s)

A single-process run of gzie.batch.extract_to_file (what `gzie extract` runs) on the same input
gives the baseline, and the merged output of every cluster run is compared with its bytes.
The machine's load average is printed: on a shared machine, compare chars/CPU-s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_input(path: Path, chars: int) -> tuple[int, int]:
    """JSONL of the corpus texts repeated to at least `chars` characters: (documents, characters)."""
    records = [json.loads(line) for line in (ROOT / "corpora" / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    documents = total = copy = 0
    with path.open("w", encoding="utf-8") as handle:
        while total < chars:
            for record in records:
                handle.write(json.dumps({"id": f"{copy}-{record['id']}", "text": record["text"]},
                                        ensure_ascii=False) + "\n")
                documents += 1
                total += len(record["text"])
                if total >= chars:
                    break
            copy += 1
    return documents, total


def worker_usage() -> dict:
    """Runs on a worker: its CPU seconds and peak resident memory so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024}


def baseline(path: Path, workdir: Path) -> dict:
    import gzie
    from gzie.batch import extract_to_file

    gzie.load()  # the model loaded (and cached) before the clock starts, as the workers' is
    start, cpu = time.perf_counter(), time.process_time()
    summary = extract_to_file([path], workdir / "single.jsonl")
    return {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu, "documents": summary["documents"]}


def on_cluster(path: Path, workdir: Path, workers: int, partition_size: int) -> dict:
    from distributed import Client, LocalCluster

    from gzie.cluster import extract_on_cluster

    warmup = workdir / "warmup.jsonl"
    with path.open(encoding="utf-8") as source:
        warmup.write_text("".join(source.readline() for _ in range(workers)), encoding="utf-8")
    start = time.perf_counter()
    with LocalCluster(n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=":0") as cluster, \
            Client(cluster, set_as_default=False) as client:
        extract_on_cluster([warmup], workdir / f"warmup-{workers}", scheduler=cluster.scheduler_address,
                           partition_size=1)
        started = time.perf_counter() - start
        before = client.run(worker_usage)
        clock = time.perf_counter()
        summary = extract_on_cluster([path], workdir / f"out-{workers}", scheduler=cluster.scheduler_address,
                                     partition_size=partition_size, merge=True)
        wall = time.perf_counter() - clock
        after = client.run(worker_usage)
    cpu = sum(after[w]["cpu"] - before[w]["cpu"] for w in after)
    return {"workers": workers, "wall": wall, "cpu": cpu, "start": started, "partitions": summary["partitions"],
            "peak_mb": max(u["peak_mb"] for u in after.values()), "documents": summary["documents"],
            "merged": Path(summary["merged"]).read_bytes()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=300_000, help="characters of input (at least)")
    parser.add_argument("--workers", default="1,2", help="numbers of workers to compare")
    parser.add_argument("--partition-size", type=int, default=64,
                        help="documents per partition: enough partitions to keep every worker busy")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gzie-cluster-") as tmp:
        workdir = Path(tmp)
        path = workdir / "input.jsonl"
        documents, chars = make_input(path, args.chars)
        print(f"{documents:,} documents, {chars:,} characters; {os.cpu_count()} CPUs, load average "
              f"{os.getloadavg()[0]:.1f} at the start", file=sys.stderr)
        single = baseline(path, workdir)
        reference = (workdir / "single.jsonl").read_bytes()
        runs = []
        for workers in (int(n) for n in args.workers.split(",")):
            run = on_cluster(path, workdir, workers, args.partition_size)
            run["same"] = run["merged"] == reference
            runs.append(run)
            print(f"{workers} worker(s): {chars / run['wall']:,.0f} chars/s", file=sys.stderr)
    print(f"{documents:,} documents, {chars:,} characters, partitions of {args.partition_size} documents; "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print()
    print("| engine | workers | partitions | wall s | chars/s | chars/CPU-s | peak MB/worker | start s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| local (one process) | 1 | | {single['wall']:.1f} | {chars / single['wall']:,.0f} | "
          f"{chars / single['cpu']:,.0f} | | |")
    for run in runs:
        print(f"| dask | {run['workers']} | {run['partitions']} | {run['wall']:.1f} | {chars / run['wall']:,.0f} | "
              f"{chars / run['cpu']:,.0f} | {run['peak_mb']:,.0f} | {run['start']:.1f} |")
    print()
    same = all(run["same"] for run in runs)
    print("merged output of every cluster run: " + ("the same bytes as one process's" if same else
          "DIFFERENT from one process's (did gzie's code or data change during the benchmark?)"))
    if args.json:
        results = {"documents": documents, "characters": chars, "partition_size": args.partition_size,
                   "single": single, "cluster": [{k: v for k, v in r.items() if k != "merged"} for r in runs]}
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
