"""`gzie extract`: run the pipeline over documents and write one JSON record per document."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import app, fail


@app.command("extract")
def extract_cli(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, or .jsonl with id, text, date")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output JSONL, one record per document")],
    date: Annotated[Optional[str], typer.Option(help="Document date YYYY-MM-DD for every input")] = None,
    model: Annotated[Optional[str], typer.Option(help="Model directory (default: the shipped model)")] = None,
) -> None:
    """Extract entities, relations, facts and policies."""
    from ..batch import extract_to_file
    from ..errors import GzieError

    try:
        summary = extract_to_file(inputs, output, date=date, model=model)
    except GzieError as err:
        fail(str(err))
    for problem in summary["problems"]:
        typer.echo(problem, err=True)
    typer.echo(f"{summary['documents']} documents, {summary['facts']} facts -> {output}", err=True)
    if summary["problems"]:
        raise typer.Exit(1)
