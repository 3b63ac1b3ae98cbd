"""`gzie corpus ...`: validate, stats, lint and from-markup."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import corpus_app, fail


@corpus_app.command("validate")
def validate_cli(paths: Annotated[list[Path], typer.Argument(help="Corpus files or folders")]) -> None:
    """Check every file; exit 1 with one line per problem. Nothing is modified."""
    from ..corpus.validate import corpus_files, validate_paths

    problems = validate_paths(paths)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        fail(f"{len(problems)} problem(s) found")
    n_files = len(corpus_files(paths))
    typer.echo(f"{n_files} file(s) valid")


@corpus_app.command("stats")
def stats_cli(paths: Annotated[list[Path], typer.Argument(help="Corpus files or folders")],
              as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False) -> None:
    """Counts and coverage of labels, regions, forms and scripts."""
    from ..corpus.stats import corpus_stats, format_stats
    from ..errors import GzieError

    try:
        stats = corpus_stats(paths)
    except GzieError as err:
        fail(str(err))
    typer.echo(json.dumps(stats, ensure_ascii=False, indent=2) if as_json else format_stats(stats))


@corpus_app.command("lint")
def lint_cli(paths: Annotated[list[Path], typer.Argument(help="Corpus files or folders")],
             min_length: Annotated[int, typer.Option(help="Shortest surface string to check")] = 3) -> None:
    """List consistency doubts: surfaces labeled differently, or labeled in one place and not in another."""
    from ..corpus.lint import lint_paths
    from ..errors import GzieError

    try:
        doubts = lint_paths(paths, min_surface=min_length)
    except GzieError as err:
        fail(str(err))
    for doubt in doubts:
        typer.echo(str(doubt))
    typer.echo(f"{len(doubts)} doubt(s)")


@corpus_app.command("from-markup")
def from_markup_cli(paths: Annotated[list[Path], typer.Argument(help="Markup files (see the guidelines)")],
                    output: Annotated[Path, typer.Option("--output", "-o", help="Corpus JSONL to write")]) -> None:
    """Convert gzie's inline authoring markup into the corpus JSONL format."""
    from ..corpus.io import write_records
    from ..corpus.markup import read_markup

    records, problems = [], []
    for path in paths:
        if not path.is_file():
            fail(f"{path}: no such file")
        found, issues = read_markup(path)
        records.extend(found)
        problems.extend(str(issue) for issue in issues)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        fail(f"{len(problems)} problem(s); nothing written")
    count = write_records(records, output)
    typer.echo(f"{count} documents -> {output}")


@corpus_app.command("agree")
def agree_cli(first: Annotated[Path, typer.Argument(help="One annotation (corpus JSONL)")],
              second: Annotated[Path, typer.Argument(help="Another annotation of the same documents")],
              as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON, not the table")] = False,
              output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Also write them here")] = None,
              ) -> None:
    """Agreement of two annotations of the same documents: span and relation F1 per label."""
    import json

    from ..corpus.agreement import agreement, format_agreement
    from ..errors import GzieError
    from ..fileio import atomic_write_text

    try:
        result = agreement(first, second)
    except GzieError as err:
        fail(str(err))
    as_text = json.dumps(result, ensure_ascii=False, indent=2)
    typer.echo(as_text if as_json else format_agreement(result))
    if output:
        atomic_write_text(output, as_text)


@corpus_app.command("merge")
def merge_cli(new: Annotated[Path, typer.Argument(help="Newly annotated corpus JSONL")],
              into: Annotated[Path, typer.Option("--into", help="Split file to extend, e.g. corpora/train.jsonl")],
              corpus: Annotated[Path, typer.Option(
                  help="Corpus folder checked for duplicates (default: the split's folder)")] = None) -> None:
    """Add new documents to a split, skipping texts and ids the corpus already has."""
    from ..corpus.io import read_records
    from ..corpus.merge import merge_records
    from ..errors import GzieError

    try:
        summary = merge_records(read_records(new), into, corpus)
    except GzieError as err:
        fail(str(err))
    for doc_id in summary["skipped"]:
        typer.echo(f"{doc_id}: already in the corpus, skipped", err=True)
    typer.echo(f"{summary['added']} added, {len(summary['skipped'])} skipped; {into} has {summary['total']} documents")
