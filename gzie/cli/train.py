"""`gzie train`: train the pipeline of a config into a model directory."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import app, fail, parse_overrides


@app.command("train", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def train_cli(
    ctx: typer.Context,
    config: Annotated[Path, typer.Argument(help="Training config, e.g. configs/default.cfg")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory to write")],
    train: Annotated[Optional[Path], typer.Option(help="Training corpus (JSONL file or folder)")] = None,
    dev: Annotated[Optional[Path], typer.Option(help="Development corpus (JSONL file or folder)")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed")] = None,
) -> None:
    """Train; extra options such as --training.max_epochs 20 override the config."""
    from ..errors import GzieError
    from ..training.evaluate import format_table
    from ..training.train import train as train_model

    try:
        scores = train_model(config, output, train_path=train, dev_path=dev, seed=seed,
                             overrides=parse_overrides(ctx.args), stdout=sys.stdout)
    except GzieError as err:
        fail(str(err))
    typer.echo(f"\nModel written to {output}. Dev scores:\n")
    typer.echo(format_table(scores))
