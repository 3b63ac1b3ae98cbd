"""Learning curve: train on growing shares of the training split and score each model on dev.

The shares are nested (the 25% documents are part of the 50% ones), drawn once with the seed,
so a point differs from the previous one only by the documents added.
"""

from __future__ import annotations

import io
import random
import tempfile
from pathlib import Path
from typing import IO, Callable, Sequence

from ..corpus.io import read_records, write_records
from ..errors import ConfigError, CorpusError, Errors
from .config import load_training_config
from .train import compact_scores, train

DEFAULT_FRACTIONS = (0.25, 0.5, 0.75, 1.0)


def check_fractions(fractions: Sequence[float]) -> list[float]:
    fractions = sorted({float(f) for f in fractions})
    if not fractions or any(not 0 < f <= 1 for f in fractions):
        got = ", ".join(map(str, fractions)) or "none"
        raise ConfigError(Errors.E049.format(option="--fractions", detail=f"must lie in (0, 1], got {got}"))
    return fractions


def nested_subsets(records: list[dict], fractions: Sequence[float], seed: int) -> list[list[dict]]:
    """One subset per fraction, each containing the smaller ones, in the corpus order."""
    order = list(range(len(records)))
    random.Random(seed).shuffle(order)
    subsets = []
    for fraction in fractions:
        chosen = sorted(order[:max(1, round(fraction * len(records)))])
        subsets.append([records[i] for i in chosen])
    return subsets


def learning_curve(config_path: str | Path, *, fractions: Sequence[float] = DEFAULT_FRACTIONS,
                   train_path: str | Path | None = None, dev_path: str | Path | None = None,
                   seed: int | None = None, overrides: dict | None = None,
                   models_dir: str | Path | None = None, stdout: IO | None = None,
                   on_point: Callable[[dict], None] | None = None) -> list[dict]:
    """Train one model per fraction of the training split and return their dev scores.

    Each point is {"fraction", "documents", "ents_f", "rel_f", "facts_f", ...per-label F}.
    Models are kept under `models_dir` when given (one folder per fraction), else discarded.
    """
    fractions = check_fractions(fractions)
    config_path = Path(config_path)
    config = load_training_config(config_path, dict(overrides or {}), interpolate=True)
    train_path = Path(train_path or config["paths"]["train"])
    dev_path = Path(dev_path or config["paths"]["dev"])
    seed = int(config["system"]["seed"] if seed is None else seed)
    records = read_records(train_path)
    if not records:
        raise CorpusError(Errors.E042.format(path=train_path))
    sink = stdout or io.StringIO()
    points = []
    with tempfile.TemporaryDirectory(prefix="gzie-curve-") as workdir:
        for fraction, subset in zip(fractions, nested_subsets(records, fractions, seed)):
            subset_path = Path(workdir) / f"train-{fraction:.2f}.jsonl"
            write_records(subset, subset_path)
            model_dir = (Path(models_dir) if models_dir else Path(workdir)) / f"model-{round(fraction * 100)}"
            sink.write(f"\n=== {fraction:.0%} of the training split: {len(subset)} documents ===\n")
            scores = train(config_path, model_dir, train_path=subset_path, dev_path=dev_path, seed=seed,
                           overrides=overrides, stdout=sink)
            point = {"fraction": fraction, "documents": len(subset), **compact_scores(scores)}
            points.append(point)
            if on_point:
                on_point(point)
    return points


def format_curve(points: list[dict]) -> str:
    """A Markdown table: share, documents, entity F, relation F, fact F."""
    lines = ["| Training share | Documents | Entity F | Relation F | Fact F |", "|---|---|---|---|---|"]
    for p in points:
        lines.append(f"| {p['fraction']:.0%} | {p['documents']} | {p['ents_f']:.3f} | {p['rel_f']:.3f} "
                     f"| {p['facts_f']:.3f} |")
    return "\n".join(lines)


def plot_curve(points: list[dict], path: str | Path) -> None:
    """Save the curve as an image (format from the suffix: .svg, .png). Needs matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        detail = "plotting needs matplotlib: pip install 'gzie[plot]'"
        raise ConfigError(Errors.E049.format(option="--plot", detail=detail)) from None
    docs = [p["documents"] for p in points]
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for key, name in (("ents_f", "entity F"), ("rel_f", "relation F"), ("facts_f", "fact F")):
        ax.plot(docs, [p[key] for p in points], marker="o", label=name)
    ax.set_xlabel("training documents")
    ax.set_ylabel("dev F1")
    ax.set_title("gzie learning curve (dev split)")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
