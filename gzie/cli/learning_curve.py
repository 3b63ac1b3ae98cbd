"""`gzie learning-curve`: does annotating more help? Train on growing shares of the training split."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..fileio import atomic_write_text
from ._util import app, fail, parse_overrides


@app.command("learning-curve", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def learning_curve_cli(
    ctx: typer.Context,
    config: Annotated[Path, typer.Argument(help="Training config, e.g. configs/default.cfg")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON file for the curve points")],
    fractions: Annotated[str, typer.Option(help="Comma-separated shares of the training split")] = "0.25,0.5,0.75,1",
    train: Annotated[Optional[Path], typer.Option(help="Training corpus (JSONL file or folder)")] = None,
    dev: Annotated[Optional[Path], typer.Option(help="Development corpus scored at every point")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Random seed for subsets and training")] = None,
    plot: Annotated[Optional[Path], typer.Option(help="Also draw the curve (.svg or .png; needs matplotlib)")] = None,
    models: Annotated[Optional[Path], typer.Option(help="Keep the trained models in this folder")] = None,
    verbose: Annotated[bool, typer.Option(help="Show the training log of every point")] = False,
) -> None:
    """Train on 25/50/75/100% of the training split and report dev F1 for each; extra options override the config."""
    from ..errors import GzieError
    from ..training.learning_curve import format_curve, learning_curve, plot_curve

    def report(point: dict) -> None:
        typer.echo(f"{point['fraction']:.0%} ({point['documents']} documents): entity F {point['ents_f']:.3f}, "
                   f"relation F {point['rel_f']:.3f}, fact F {point['facts_f']:.3f}", err=True)

    try:
        shares = [float(part) for part in fractions.split(",") if part.strip()]
    except ValueError:
        fail(f"--fractions {fractions!r}: expected numbers such as 0.25,0.5,1")
    try:
        points = learning_curve(config, fractions=shares, train_path=train, dev_path=dev, seed=seed,
                                overrides=parse_overrides(ctx.args), models_dir=models,
                                stdout=sys.stdout if verbose else None, on_point=report)
    except GzieError as err:
        fail(str(err))
    output.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(output, json.dumps(points, ensure_ascii=False, indent=2))
    typer.echo(format_curve(points))
    if plot:
        try:
            plot_curve(points, plot)
        except GzieError as err:
            fail(str(err))
