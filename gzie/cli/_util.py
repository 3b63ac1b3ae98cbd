"""The typer app and helpers shared by the command modules."""

from __future__ import annotations

import sys

import typer

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="gzie: structured facts from Chinese development-zone news.")
corpus_app = typer.Typer(no_args_is_help=True, help="Validate, inspect and convert annotated corpora.")
annotate_app = typer.Typer(no_args_is_help=True,
                           help="Pre-annotate news for Label Studio or doccano, push to and pull from "
                                "Label Studio, import finished annotations.")
app.add_typer(corpus_app, name="corpus")
app.add_typer(annotate_app, name="annotate")


def fail(message: str, code: int = 1) -> None:
    """One clear line on stderr, then exit."""
    typer.echo(message, err=True)
    raise typer.Exit(code)


def parse_overrides(args: list[str]) -> dict:
    """--section.key value pairs (as `spacy train` takes them) into a dict of config overrides."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)


def progress_to_stderr(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{done}/{total} documents")
        if done == total:
            sys.stderr.write("\n")
