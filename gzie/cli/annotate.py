"""`gzie annotate ...`: Label Studio config, pre-annotated exports and imports of finished annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import annotate_app, fail


@annotate_app.command("config")
def config_cli(output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the XML")]) -> None:
    """Write a Label Studio labeling config with every entity label and relation."""
    from ..annotate.formats import label_studio_config

    output.write_text(label_studio_config(), encoding="utf-8")
    typer.echo(f"Label Studio config -> {output}")


@annotate_app.command("export")
def export_cli(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, or .jsonl with id, text, date")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Tasks file to write")],
    model: Annotated[Optional[str], typer.Option(help="Model directory (default: the shipped model)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="labelstudio or doccano")] = "labelstudio",
    order: Annotated[str, typer.Option(help="uncertainty (least sure first) or input")] = "uncertainty",
    limit: Annotated[Optional[int], typer.Option(help="Keep only the first N tasks")] = None,
) -> None:
    """Pre-annotate raw news with the model and write tasks for annotators."""
    from ..annotate.tasks import pre_annotate, to_tasks, write_tasks
    from ..errors import GzieError

    try:
        scored, problems = pre_annotate(inputs, model=model, order=order, limit=limit)
        write_tasks(to_tasks(scored, fmt), output, fmt)
    except GzieError as err:
        fail(str(err))
    for problem in problems:
        typer.echo(str(problem), err=True)
    typer.echo(f"{len(scored)} tasks -> {output}")
    if problems:
        raise typer.Exit(1)


@annotate_app.command("import")
def import_cli(
    export: Annotated[Path, typer.Argument(help="Exported annotations (Label Studio JSON or doccano JSONL)")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus JSONL to write")],
    fmt: Annotated[str, typer.Option("--format", help="labelstudio or doccano")] = "labelstudio",
    allow_partial: Annotated[bool, typer.Option(help="Write what converted even when some items did not")] = False,
) -> None:
    """Convert finished annotations into the corpus format; every unconverted item is reported."""
    from ..annotate.tasks import read_export
    from ..corpus.io import write_records
    from ..errors import GzieError

    try:
        records, problems = read_export(export, fmt)
    except GzieError as err:
        fail(str(err))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems and not allow_partial:
        fail(f"{len(problems)} item(s) could not be converted; nothing written (use --allow-partial to keep the rest)")
    count = write_records(records, output)
    typer.echo(f"{count} documents -> {output}")
    if problems:
        raise typer.Exit(1)
