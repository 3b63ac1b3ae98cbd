#!/usr/bin/env python
"""Speed of the facts store: loading `gzie extract` output and querying one series.

    python benchmarks/bench_store.py                       # 100,000 facts
    python benchmarks/bench_store.py --facts 1000000 --json out.json

Generates records shaped like `gzie extract` output (entities, relations, facts with periods,
zones and spans, policies): FACTS_PER_DOC facts per document, each with the four entities it
links, over 40 indicators, 300 zones and 20 quarters, every figure reported by one to three
releases, one in twenty with a value 2% off (a conflict). Then times, on a new DuckDB file in a
temporary folder:

  load           gzie.store.load of the JSONL file (parsing, checking, inserting, series points)
  reload         loading the same file again (every document skipped, nothing changes)
  series query   gzie.store.series(store, indicator, zone) on an open store: median of --repeats
                 queries of random (indicator, zone) pairs
  conflicts      gzie.store.conflicts over the whole store, median of 5
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_LOAD_S = 10.0
TARGET_QUERY_MS = 100.0
FACTS_PER_DOC = 5
N_INDICATORS = 40
N_ZONES = 300
QUARTERS = [(year, q) for year in range(2020, 2025) for q in range(1, 5)]
PERIOD_TEXT = {1: "一季度", 2: "上半年", 3: "前三季度", 4: "全年"}
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


def indicators() -> list[tuple[str, str]]:
    from gzie.indicators import indicator_table

    rows = sorted(indicator_table().values(), key=lambda r: r["id"])[:N_INDICATORS]
    return [(r["id"], r["name_zh"]) for r in rows]


def make_fact(rng: random.Random, indicator: tuple[str, str], zone: int, quarter: tuple[int, int], value: float,
              offset: int) -> tuple[dict, list[dict]]:
    year, q = quarter
    zone_text, zone_canonical = f"测试{zone}经开区", f"测试{zone}经济技术开发区"
    period = {"text": PERIOD_TEXT[q], "start": f"{year}-01-01", "end": f"{year}-{QUARTER_END[q]}"}
    value_text = f"{value / 1e8:.1f}亿元"
    sentence = f"{period['text']}，{zone_text}完成{indicator[1]}{value_text}，同比增长7.3%。"
    entities = [
        {"start": offset, "end": offset + 4, "label": "PERIOD", "text": period["text"]},
        {"start": offset + 5, "end": offset + 12, "label": "ZONE", "text": zone_text, "canonical": zone_canonical,
         "zone_type": "provincial_etdz"},
        {"start": offset + 14, "end": offset + 20, "label": "INDICATOR", "text": indicator[1]},
        {"start": offset + 20, "end": offset + 27, "label": "VALUE", "text": value_text},
    ]
    fact = {"indicator": indicator[1], "value": value, "unit": "元", "kind": "amount", "qualifier": None,
            "value_text": value_text, "change": round(rng.uniform(-0.05, 0.15), 3), "change_unit": "%",
            "change_text": "同比增长7.3%", "period": period, "zone": zone_text, "start": offset + 14,
            "end": offset + 33, "sentence": sentence,
            "spans": {"indicator": [offset + 14, offset + 20], "value": [offset + 20, offset + 27],
                      "zone": [offset + 5, offset + 12]},
            "indicator_id": indicator[0], "zone_canonical": zone_canonical, "zone_type": "provincial_etdz"}
    return fact, entities


def generate(path: Path, n_facts: int, seed: int = 0) -> dict:
    """Write records with n_facts facts in all to `path`; returns counts."""
    rng = random.Random(seed)
    names = indicators()
    figures = []  # (indicator, zone, quarter, value, releases): each reported by 1-3 releases
    total = 0
    while total < n_facts:
        value = round(rng.uniform(1, 900), 1) * 1e8
        figures.append((rng.choice(names), rng.randrange(N_ZONES), rng.choice(QUARTERS), value, rng.choice((1, 2, 3))))
        total += figures[-1][-1]
    reports = []
    for indicator, zone, quarter, value, n in figures:
        for k in range(n):
            off = value * 1.02 if k == 1 and rng.random() < 0.05 else value  # a conflicting release
            reports.append((indicator, zone, quarter, off))
    reports = reports[:n_facts]
    rng.shuffle(reports)
    documents = 0
    with path.open("w", encoding="utf-8") as out:
        for start in range(0, len(reports), FACTS_PER_DOC):
            facts, entities, relations = [], [], []
            for i, (indicator, zone, quarter, value) in enumerate(reports[start:start + FACTS_PER_DOC]):
                fact, ents = make_fact(rng, indicator, zone, quarter, value, offset=40 * i)
                base = len(entities)
                relations += [{"head": base + 2, "child": base + j, "label": label, "score": 0.99}
                              for j, label in ((0, "IN_PERIOD"), (1, "IN_ZONE"), (3, "HAS_VALUE"))]
                entities += ents
                facts.append(fact)
            year, q = reports[start][2]
            record = {"id": f"bench-{documents:07d}", "date": f"{year + (q == 4)}-{'10' if q < 4 else '01'}-2{q}",
                      "entities": entities, "relations": relations, "facts": facts,
                      "policies": [{"title": "关于推进开发区高质量发展的若干措施", "issuers": ["省商务厅"],
                                    "doc_number": None, "start": 300, "end": 317,
                                    "issuers_canonical": ["贵州省商务厅"]}]}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            documents += 1
    return {"documents": documents, "facts": len(reports), "pairs": [(f[0][0], f[1]) for f in figures[:1000]]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=100_000, help="Facts to generate (default 100,000)")
    parser.add_argument("--repeats", type=int, default=50, help="Series queries to time (default 50)")
    parser.add_argument("--json", type=Path, help="Also write the results as JSON")
    args = parser.parse_args()

    import gzie.store

    with tempfile.TemporaryDirectory(prefix="gzie-bench-store-") as tmp:
        folder = Path(tmp)
        data = folder / "facts.jsonl"
        generated = generate(data, args.facts)
        size_mb = data.stat().st_size / 1e6
        print(f"{generated['documents']:,} documents, {generated['facts']:,} facts, {size_mb:,.0f} MB of JSONL",
              file=sys.stderr)
        db = folder / "facts.duckdb"

        start = time.perf_counter()
        summary = gzie.store.load([data], db)
        load_s = time.perf_counter() - start
        assert not summary["problems"], summary["problems"][:3]
        start = time.perf_counter()
        again = gzie.store.load([data], db)
        reload_s = time.perf_counter() - start
        assert again["documents"] == 0

        rng = random.Random(1)
        pairs = generated["pairs"]
        with gzie.store.open(db, read_only=True) as store:
            store.series(*pairs[0][:1])  # warm up: first query plans, imports pandas conversions
            query_ms, rows = [], []
            for _ in range(args.repeats):
                indicator, zone = rng.choice(pairs)
                start = time.perf_counter()
                frame = store.series(indicator, zone=f"测试{zone}经开区")
                query_ms.append((time.perf_counter() - start) * 1000)
                rows.append(len(frame))
            conflict_ms = []
            for _ in range(5):
                start = time.perf_counter()
                found = store.conflicts()
                conflict_ms.append((time.perf_counter() - start) * 1000)

    results = {
        "facts": generated["facts"], "documents": generated["documents"], "jsonl_mb": round(size_mb, 1),
        "load_s": round(load_s, 2), "reload_s": round(reload_s, 2),
        "series_points": summary["series_points"], "conflicting_figures": summary["conflicts"],
        "series_query_ms_median": round(statistics.median(query_ms), 2),
        "series_query_ms_max": round(max(query_ms), 2), "series_rows_median": statistics.median(rows),
        "conflicts_ms_median": round(statistics.median(conflict_ms), 1), "conflict_rows": len(found),
    }
    print(f"| measure | result | target |\n| --- | ---: | --- |\n"
          f"| load {results['facts']:,} facts ({results['documents']:,} documents, {size_mb:,.0f} MB) "
          f"| {load_s:.2f} s | < {TARGET_LOAD_S:.0f} s {'ok' if load_s < TARGET_LOAD_S else 'MISSED'} |\n"
          f"| reload the same file (all skipped) | {reload_s:.2f} s | |\n"
          f"| series query, median of {args.repeats} (max) | {results['series_query_ms_median']:.1f} ms "
          f"({results['series_query_ms_max']:.1f} ms) | < {TARGET_QUERY_MS:.0f} ms "
          f"{'ok' if results['series_query_ms_median'] < TARGET_QUERY_MS else 'MISSED'} |\n"
          f"| conflicts over the store, median of 5 | {results['conflicts_ms_median']:.0f} ms | |\n"
          f"| series points / conflicting figures | {results['series_points']:,} / "
          f"{results['conflicting_figures']:,} | |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
