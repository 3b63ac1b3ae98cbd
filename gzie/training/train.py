"""`gzie train`: config-driven training of the whole pipeline with spaCy's training loop.

The statistical entity recognizer learns in spaCy's loop; the relation classifier is fitted
when the pipeline is initialized (gzie_relations.initialize); rule components need no training.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
from pathlib import Path
from typing import IO

import srsly
from spacy import util
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_loop

from .. import __version__
from ..corpus.io import read_records
from ..errors import CorpusError
from ..resources import tables_hash
from .segmenter import train_pkuseg
from .evaluate import evaluate

BEST_MODEL = "model-best"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(path.rglob("*.jsonl")) if path.is_dir() else [path]
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def compact_scores(scores: dict) -> dict:
    """The F scores kept in meta.json and in learning-curve points: micro and per label."""
    return {
        "ents_f": round(scores["entities"]["micro"]["f"], 4),
        "ents_per_type": {k: round(v["f"], 4) for k, v in scores["entities"]["per_type"].items()},
        "rel_f": round(scores["relations"]["micro"]["f"], 4),
        "rel_per_type": {k: round(v["f"], 4) for k, v in scores["relations"]["per_type"].items()},
        "facts_f": round(scores["facts"]["f"], 4),
    }


def _needs_pkuseg_model(config) -> bool:
    """A config asks for a segmenter to be trained by naming pkuseg_model = null."""
    settings = config["initialize"].get("tokenizer") or {}
    return "pkuseg_model" in settings and not settings["pkuseg_model"]


def train(config_path: str | Path, output_dir: str | Path, *, train_path: str | Path | None = None,
          dev_path: str | Path | None = None, seed: int | None = None, overrides: dict | None = None,
          stdout: IO | None = None) -> dict:
    """Train the pipeline of `config_path` and write a loadable model to `output_dir`.

    Returns the dev scores of the written model. Progress (epochs, losses, dev scores) goes to
    `stdout` when given; the library itself stays silent.
    """
    config_path, output_dir = Path(config_path), Path(output_dir)
    if not config_path.is_file():
        raise CorpusError(f"{config_path}: config file not found")
    overrides = dict(overrides or {})
    if train_path is not None:
        overrides["paths.train"] = str(train_path)
    if dev_path is not None:
        overrides["paths.dev"] = str(dev_path)
    if seed is not None:
        overrides["system.seed"] = int(seed)
    config = util.load_config(config_path, overrides=overrides, interpolate=False)
    resolved_paths = util.load_config(config_path, overrides=overrides, interpolate=True)["paths"]
    for key in ("train", "dev"):
        if not Path(resolved_paths[key]).exists():
            raise CorpusError(f"{resolved_paths[key]}: {key} corpus not found (set --{key} or paths.{key})")
    sink = stdout or io.StringIO()
    with tempfile.TemporaryDirectory(prefix="gzie-train-") as workdir:
        if _needs_pkuseg_model(config):
            sink.write("Training the pkuseg segmenter on the training corpus\n")
            segmenter_dir = train_pkuseg(read_records(resolved_paths["train"]), Path(workdir) / "pkuseg")
            config["initialize"]["tokenizer"]["pkuseg_model"] = str(segmenter_dir)
            config["initialize"]["tokenizer"]["pkuseg_user_dict"] = str(segmenter_dir / "user_dict.txt")
        nlp = init_nlp(config, use_gpu=-1)
        train_loop(nlp, Path(workdir), use_gpu=-1, stdout=sink, stderr=sink)
        output_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(Path(workdir) / BEST_MODEL, output_dir, dirs_exist_ok=True)
    dev = Path(resolved_paths["dev"])
    scores = evaluate(output_dir, [dev])
    meta_path = output_dir / "meta.json"
    meta = srsly.read_json(meta_path)
    meta["name"], meta["version"] = "gzie_" + config_path.stem, __version__
    meta["gzie"] = {
        "version": __version__,
        "config": config_path.name,
        "seed": int(config["system"]["seed"]),
        "train_sha256": _sha256(Path(resolved_paths["train"])),
        "dev_sha256": _sha256(dev),
        "tables_sha256": tables_hash(),
        "metrics": {"dev": compact_scores(scores)},
    }
    srsly.write_json(meta_path, meta)
    return scores
