"""`gzie evaluate`: score a model or a predictions file against gold corpus files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..fileio import atomic_write_text
from ._util import app, fail, progress_to_stderr


@app.command("evaluate")
def evaluate_cli(
    model: Annotated[str, typer.Argument(help='Model directory, "default", or a predictions .jsonl')],
    data: Annotated[list[Path], typer.Argument(help="Gold corpus files or folders")],
    as_json: Annotated[bool, typer.Option("--json", help="Print all scores as JSON instead of the table")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write the JSON to this file")] = None,
    errors: Annotated[Optional[Path], typer.Option(help="Write false positives and negatives as JSONL")] = None,
) -> None:
    """Precision, recall and F1 per entity label, relation label and for facts; normalization; speed."""
    from ..errors import GzieError
    from ..training.evaluate import evaluate, format_table

    try:
        scores = evaluate(model, data, errors_path=errors, progress=progress_to_stderr)
    except GzieError as err:
        fail(str(err))
    as_text = json.dumps(scores, ensure_ascii=False, indent=2)
    typer.echo(as_text if as_json else format_table(scores))
    if output:
        atomic_write_text(output, as_text)
