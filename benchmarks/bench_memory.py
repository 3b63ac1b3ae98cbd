#!/usr/bin/env python
"""Peak memory of `gzie extract` against document length and batch size.

    python benchmarks/bench_memory.py                       # the default grid (about 15 minutes)
    python benchmarks/bench_memory.py --lengths 10000,1000000 --many 10000 --json out.json

Each case runs `gzie.batch.extract_to_file` (what `gzie extract` runs) in a fresh subprocess on a
generated JSONL input, with the shipped model, and reports the subprocess's peak resident memory
(ru_maxrss), its time and, for many documents, the resident memory sampled during the run, so that
growth with the number of documents would show. Texts are paragraphs of corpora/test.jsonl joined
until each document has the requested length.

Cases:
  long    one document of each length in --lengths (characters)
  many    --many documents of --doc-chars characters each, for each batch size in --batch-sizes
  baseline  importing gzie and loading the model, nothing extracted (the floor of every case)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_PEAK_MB = 700

CHILD = textwrap.dedent("""
    import json, resource, sys, threading, time
    from pathlib import Path
    args = json.loads(sys.argv[1])
    samples = []
    def rss_mb():
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0
    def sample():
        while True:
            samples.append(rss_mb())
            time.sleep(1.0)
    threading.Thread(target=sample, daemon=True).start()
    start = time.perf_counter()
    import gzie
    from gzie.batch import extract_to_file
    nlp = gzie.load()
    if args["input"]:
        summary = extract_to_file([args["input"]], args["output"], batch_size=args["batch_size"])
    else:
        summary = {"documents": 0, "facts": 0}
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    every = max(1, len(samples) // 20)
    print(json.dumps({"peak_mb": round(peak, 1), "seconds": round(seconds, 1), "documents": summary["documents"],
                      "facts": summary["facts"], "rss_samples_mb": [round(s) for s in samples[::every]]}))
""")


def paragraphs() -> list[str]:
    records = [json.loads(line) for line in (ROOT / "corpora" / "test.jsonl").read_text(encoding="utf-8").splitlines()]
    return [p for r in records for p in r["text"].split("\n") if len(p) > 50]


def make_text(length: int, offset: int, pool: list[str]) -> str:
    parts, size, k = [], 0, offset
    while size < length:
        part = pool[k % len(pool)]
        parts.append(part)
        size += len(part) + 1
        k += 1
    return "\n".join(parts)[:length]


def run_case(input_path: Path | None, batch_size: int, workdir: Path) -> dict:
    args = {"input": str(input_path) if input_path else None, "output": str(workdir / "out.jsonl"),
            "batch_size": batch_size}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(args)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", default="10000,100000,200000,1000000",
                        help="lengths of the single long documents, in characters")
    parser.add_argument("--many", type=int, default=1000, help="number of documents in the many-documents cases")
    parser.add_argument("--doc-chars", type=int, default=10_000, help="length of each of the many documents")
    parser.add_argument("--batch-sizes", default="4,16,64", help="batch sizes (documents) of the many cases")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    pool = paragraphs()
    results = []
    with tempfile.TemporaryDirectory(prefix="gzie-mem-") as tmp:
        workdir = Path(tmp)
        base = run_case(None, 16, workdir)
        results.append({"case": "load only", **base})
        print(f"load only: {base['peak_mb']} MB", file=sys.stderr)
        for length in (int(x) for x in args.lengths.split(",")):
            path = workdir / f"long-{length}.jsonl"
            path.write_text(json.dumps({"id": "long", "text": make_text(length, 0, pool)}, ensure_ascii=False) + "\n",
                            encoding="utf-8")
            result = run_case(path, 16, workdir)
            results.append({"case": f"1 document of {length:,} characters", **result})
            print(f"{length:,} chars: {result['peak_mb']} MB, {result['seconds']} s", file=sys.stderr)
        path = workdir / "many.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for n in range(args.many):
                record = {"id": f"d{n}", "text": make_text(args.doc_chars, n, pool)}
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        for batch_size in (int(x) for x in args.batch_sizes.split(",")):
            result = run_case(path, batch_size, workdir)
            results.append({"case": f"{args.many:,} documents of {args.doc_chars:,} characters, batch size "
                                    f"{batch_size}", **result})
            print(f"many, batch {batch_size}: {result['peak_mb']} MB, {result['seconds']} s", file=sys.stderr)
    print("| case | peak RSS (MB) | seconds | documents | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for r in results:
        verdict = "" if r["case"] == "load only" else ("met" if r["peak_mb"] <= TARGET_PEAK_MB else "missed")
        print(f"| {r['case']} | {r['peak_mb']:,.0f} | {r['seconds']:,.0f} | {r['documents']:,} | {verdict} |")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
