#!/usr/bin/env python
"""Speed lever: the neural recognizer only on the sentences that need it.

    python benchmarks/lever_sentence_ner.py [--model DIR] [--json out.json]

For each document of both test splits, two runs of the shipped pipeline:
  full       tok2vec + ner on the whole document, then gzie_rules, gzie_relations, gzie_facts
  sentences  gzie.api.run_pipeline, as gzie.extract runs it: tok2vec + ner only on the sentences
             where the rule finders see a figure (a VALUE) or a zone word they cannot name whole;
             the other sentences keep the rule spans alone (gazetteer organs, zones, periods); then
             the same rules, relations and facts
and reports fact F and entity F on both splits and the CPU seconds of each run (one process, one
document at a time, in the same run).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(model: str | None, splits: list[Path]) -> dict:
    import gzie
    from gzie.api import doc_to_output, make_input_doc, run_pipeline

    nlp = gzie.load(model)

    def full(record):
        doc = make_input_doc(nlp, record["text"], (record.get("meta") or {}).get("date"), record["id"])
        for _, proc in nlp.pipeline:
            doc = proc(doc)
        return doc_to_output(doc)

    def sentences(record):
        doc = make_input_doc(nlp, record["text"], (record.get("meta") or {}).get("date"), record["id"])
        return doc_to_output(run_pipeline(nlp, [doc])[0])

    from gzie.facts import fact_keys
    from gzie.training.metrics import record_facts

    report = {}
    for path in splits:
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        chars = sum(len(r["text"]) for r in records)
        report[path.name] = {"documents": len(records), "chars": chars}
        for name, fn in (("full", full), ("sentences", sentences)):
            fn(records[0])  # warm up
            start = time.process_time()
            outputs = [fn(r) for r in records]
            seconds = time.process_time() - start
            tp = fp = fn_ = 0
            etp = efp = efn = 0
            for record, out in zip(records, outputs):
                gold, pred = fact_keys(record_facts(record)), fact_keys(out["facts"])
                tp += len(gold & pred)
                fp += len(pred - gold)
                fn_ += len(gold - pred)
                gold_e = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
                pred_e = {(e["start"], e["end"], e["label"]) for e in out["entities"]}
                etp += len(gold_e & pred_e)
                efp += len(pred_e - gold_e)
                efn += len(gold_e - pred_e)

            def f1(t, p, n):
                return 2 * t / (2 * t + p + n) if t else 0.0

            report[path.name][name] = {"facts_f": round(f1(tp, fp, fn_), 4), "ents_f": round(f1(etp, efp, efn), 4),
                                       "cpu_seconds": round(seconds, 2), "chars_per_cpu_second": round(chars / seconds)}
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="model directory (default: the shipped model)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    report = run(args.model, [ROOT / "corpora" / "test.jsonl", ROOT / "corpora" / "test-real-style.jsonl"])
    for split, result in report.items():
        for name in ("full", "sentences"):
            r = result[name]
            print(f"{split:<24}{name:<11} facts F {r['facts_f']:.3f}  entities F {r['ents_f']:.3f}  "
                  f"{r['chars_per_cpu_second']:,} chars per CPU second")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
