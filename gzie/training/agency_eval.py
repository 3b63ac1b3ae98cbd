"""Scoring AGENCY recognition and linking on news written for that purpose (tests/agencies/).

The files use a markup of their own: a document starts with ``### id=… date=… region=…``; an
organ is ``[[surface|AGENCY|canonical=…;level=…;region=…]]`` and another organisation that must
not be tagged is ``{{surface|NEG:kind}}``. Recognition is scored by exact spans (P/R/F); linking
accuracy is the share of gold mentions whose span is found and whose canonical name is right.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Callable

from ..errors import CorpusError, Errors
from ..scoring import prf

MARK_RE = re.compile(r"\[\[([^\[\]|]+)\|AGENCY\|([^\]]*)\]\]|\{\{([^{}|]+)\|NEG:([a-z_]+)\}\}")
HEADER_RE = re.compile(r"^### (.*)$")
UNKNOWN_REGIONS = {"未知", "全国", ""}


def is_agency_file(path: Path) -> bool:
    if path.suffix != ".md" or not path.is_file():
        return False
    head = path.read_text(encoding="utf-8")[:5000]
    return "|AGENCY|canonical=" in head


def read_agency_documents(path: str | Path) -> list[dict]:
    """Documents as {"id", "date", "region", "text", "agencies": [...], "negatives": [...]}."""
    path = Path(path)
    documents, current, lines = [], None, []

    def finish():
        if current is None:
            return
        raw = "\n".join(lines).strip("\n")
        text, agencies, negatives, cursor = [], [], [], 0
        position = 0
        for match in MARK_RE.finditer(raw):
            text.append(raw[position:match.start()])
            cursor += match.start() - position
            surface = match.group(1) or match.group(3)
            if match.group(1):
                fields = dict(part.split("=", 1) for part in match.group(2).split(";") if "=" in part)
                agencies.append({"start": cursor, "end": cursor + len(surface), "text": surface, **fields})
            else:
                negatives.append({"start": cursor, "end": cursor + len(surface), "text": surface,
                                  "kind": match.group(4)})
            text.append(surface)
            cursor += len(surface)
            position = match.end()
        text.append(raw[position:])
        documents.append({**current, "text": "".join(text), "agencies": agencies, "negatives": negatives})

    for line in path.read_text(encoding="utf-8").splitlines():
        header = HEADER_RE.match(line)
        if header:
            finish()
            current = dict(part.split("=", 1) for part in header.group(1).split() if "=" in part)
            lines = []
        elif current is not None:
            lines.append(line)
    finish()
    if not documents:
        raise CorpusError(Errors.E042.format(path=path))
    return documents


def evaluate_agencies(extract: Callable[..., dict], documents: list[dict]) -> dict:
    """Recognition P/R/F (overall and by gold level), negatives tagged, linking accuracy."""
    counts = Counter()
    by_level: dict[str, Counter] = {}
    wrong_links = []
    for doc in documents:
        region = doc.get("region")
        record = extract(doc["text"], doc.get("date"), doc.get("id"), None if region in UNKNOWN_REGIONS else region)
        predicted = {(e["start"], e["end"]): e for e in record["entities"] if e["label"] == "AGENCY"}
        gold = {(a["start"], a["end"]): a for a in doc["agencies"]}
        for key, agency in gold.items():
            level = by_level.setdefault(agency.get("level", "?"), Counter())
            hit = key in predicted
            counts["tp" if hit else "fn"] += 1
            level["tp" if hit else "fn"] += 1
            counts["mentions"] += 1
            if hit and predicted[key].get("canonical") == agency.get("canonical"):
                counts["linked"] += 1
            elif hit:
                wrong_links.append({"id": doc.get("id"), "text": agency["text"], "expected": agency.get("canonical"),
                                    "got": predicted[key].get("canonical")})
        for key in predicted:
            if key not in gold:
                counts["fp"] += 1
                if any(n["start"] < key[1] and key[0] < n["end"] for n in doc["negatives"]):
                    counts["negatives_tagged"] += 1
        counts["negatives"] += len(doc["negatives"])
    micro = prf(counts["tp"], counts["fp"], counts["fn"])
    return {"kind": "agencies", "documents": len(documents), "micro": micro,
            "per_level": {k: prf(c["tp"], 0, c["fn"])["r"] for k, c in sorted(by_level.items())},
            "linking_accuracy": counts["linked"] / counts["mentions"] if counts["mentions"] else 0.0,
            "mentions": counts["mentions"], "negatives": counts["negatives"],
            "negatives_tagged": counts["negatives_tagged"], "wrong_links": wrong_links}


def format_agencies(scores: dict) -> str:
    micro = scores["micro"]
    lines = [f"AGENCY on {scores['documents']} documents, {scores['mentions']} mentions",
             f"  P {micro['p'] * 100:.1f}  R {micro['r'] * 100:.1f}  F {micro['f'] * 100:.1f}",
             f"  linking accuracy {scores['linking_accuracy'] * 100:.1f}% (span found and canonical name right)",
             f"  other organisations tagged as AGENCY: {scores['negatives_tagged']} of {scores['negatives']}",
             "  recall by level: " + ", ".join(f"{k} {v * 100:.0f}%" for k, v in scores["per_level"].items())]
    return "\n".join(lines)
