"""`gzie annotate ...`: Label Studio config, pre-annotated exports and imports of finished annotations,
and push/pull straight to and from a Label Studio server."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..fileio import atomic_write_text
from ._util import annotate_app, fail

TOKEN_ENV = "LABEL_STUDIO_API_KEY"
TokenEnv = Annotated[str, typer.Option("--token-env", help="Environment variable holding the Label Studio API token")]


@annotate_app.command("config")
def config_cli(output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the XML")]) -> None:
    """Write a Label Studio labeling config with every entity label and relation."""
    from ..annotate.formats import label_studio_config

    atomic_write_text(output, label_studio_config())
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


def write_converted(records: list[dict], problems: list, output: Path, allow_partial: bool) -> None:
    """Report every unconverted item; write the records unless something failed and partial results
    were not allowed; exit 1 whenever something failed."""
    from ..corpus.io import write_records

    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems and not allow_partial:
        fail(f"{len(problems)} item(s) could not be converted; nothing written (use --allow-partial to keep the rest)")
    count = write_records(records, output)
    typer.echo(f"{count} documents -> {output}")
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
    from ..errors import GzieError

    try:
        records, problems = read_export(export, fmt)
    except GzieError as err:
        fail(str(err))
    write_converted(records, problems, output, allow_partial)


def _token(env_name: str) -> str:
    token = os.environ.get(env_name, "").strip()
    if not token:
        fail(f"no Label Studio API token: set {env_name} to a personal access token "
             f"(Label Studio: Account & Settings -> Personal Access Token)")
    return token


def _server_failure(err: Exception, env_name: str) -> None:
    from ..errors import LabelStudioError

    hint = f" — check {env_name}" if isinstance(err, LabelStudioError) and err.status in (401, 403) else ""
    fail(f"{err}{hint}")


@annotate_app.command("push")
def push_cli(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders, or .jsonl with id, text, date")],
    url: Annotated[str, typer.Option(help="Label Studio server, e.g. http://127.0.0.1:8080")],
    project: Annotated[str, typer.Option(help="Project title (created with gzie's config if missing)")],
    model: Annotated[Optional[str], typer.Option(help="Model directory (default: the shipped model)")] = None,
    order: Annotated[str, typer.Option(help="uncertainty (least sure first) or input")] = "uncertainty",
    limit: Annotated[Optional[int], typer.Option(help="Push only the first N tasks")] = None,
    token_env: TokenEnv = TOKEN_ENV,
) -> None:
    """Pre-annotate raw news with the model and import the tasks into a Label Studio project."""
    from ..annotate.labelstudio import push
    from ..errors import GzieError

    token = _token(token_env)
    try:
        summary, problems = push(inputs, url, project, token, model=model, order=order, limit=limit)
    except GzieError as err:
        _server_failure(err, token_env)
    for problem in problems:
        typer.echo(str(problem), err=True)
    already = f"; {summary['already']} already in the project" if summary["already"] else ""
    if summary["tasks"]:
        state = "new project" if summary["created"] else "project"
        typer.echo(f"{summary['tasks']} tasks ({summary['predictions']} predictions) -> {state} {project!r} "
                   f"(id {summary['project_id']}) at {summary['url']}{already}")
    else:
        typer.echo(f"no new tasks for {project!r}{already}")
    if problems:
        raise typer.Exit(1)


@annotate_app.command("pull")
def pull_cli(
    url: Annotated[str, typer.Option(help="Label Studio server, e.g. http://127.0.0.1:8080")],
    project: Annotated[str, typer.Option(help="Project title")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus JSONL to write")],
    allow_partial: Annotated[bool, typer.Option(help="Write what converted even when some tasks did not")] = False,
    token_env: TokenEnv = TOKEN_ENV,
) -> None:
    """Convert a Label Studio project's finished annotations into the corpus format; gaps are reported."""
    from ..annotate.labelstudio import pull
    from ..errors import GzieError

    token = _token(token_env)
    try:
        records, problems = pull(url, project, token)
    except GzieError as err:
        _server_failure(err, token_env)
    write_converted(records, problems, output, allow_partial)
