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
from spacy.training.initialize import init_nlp
from spacy.training.loop import train as train_loop
from thinc.api import ConfigValidationError

from .. import __version__
from ..corpus.dataset import export_splits, is_saved_dataset
from ..corpus.io import read_records
from ..errors import ConfigError, CorpusError, Errors
from ..resources import tables_hash
from .config import load_training_config
from .evaluate import evaluate
from .segmenter import train_pkuseg

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

    `train_path` may also be a corpus saved with ``DatasetDict.save_to_disk`` (see
    gzie.corpus.dataset): its train split is trained on and its dev split scored, unless
    `dev_path` names another. Returns the dev scores of the written model. Progress (epochs,
    losses, dev scores) goes to `stdout` when given; the library itself stays silent.
    """
    config_path, output_dir = Path(config_path), Path(output_dir)
    with tempfile.TemporaryDirectory(prefix="gzie-train-") as workdir:
        if train_path is not None and is_saved_dataset(train_path):
            splits = export_splits(train_path, workdir)
            if "train" not in splits or (dev_path is None and "dev" not in splits):
                raise CorpusError(Errors.E044.format(path=train_path, detail="needs train and dev splits"))
            train_path, dev_path = splits["train"], dev_path or splits["dev"]
        return _train(config_path, output_dir, Path(workdir), train_path, dev_path, seed, overrides, stdout)


def _train(config_path: Path, output_dir: Path, workdir: Path, train_path, dev_path, seed, overrides, stdout) -> dict:
    overrides = dict(overrides or {})
    if train_path is not None:
        overrides["paths.train"] = str(train_path)
    if dev_path is not None:
        overrides["paths.dev"] = str(dev_path)
    if seed is not None:
        overrides["system.seed"] = int(seed)
    config = load_training_config(config_path, overrides)
    resolved_paths = config.interpolate()["paths"]
    for key in ("train", "dev"):
        if not Path(resolved_paths[key]).exists():
            raise ConfigError(Errors.E047.format(path=resolved_paths[key], key=key))
    sink = stdout or io.StringIO()
    with tempfile.TemporaryDirectory(prefix="run-", dir=workdir) as workdir:
        if _needs_pkuseg_model(config):
            sink.write("Training the pkuseg segmenter on the training corpus\n")
            segmenter_dir = train_pkuseg(read_records(resolved_paths["train"]), Path(workdir) / "pkuseg")
            config["initialize"]["tokenizer"]["pkuseg_model"] = str(segmenter_dir)
            config["initialize"]["tokenizer"]["pkuseg_user_dict"] = str(segmenter_dir / "user_dict.txt")
        try:
            nlp = init_nlp(config, use_gpu=-1)
        except ConfigValidationError as err:
            detail = " ".join(str(err).split())[:300]
            raise ConfigError(Errors.E046.format(path=config_path, detail=detail)) from None
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
