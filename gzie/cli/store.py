"""`gzie store load | conflicts | export`: the facts store, one DuckDB file of `gzie extract` output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._util import app, fail

store_app = typer.Typer(no_args_is_help=True,
                        help="The facts store: load `gzie extract` output into one DuckDB file, find figures "
                             "that releases disagree on, export Parquet. `gzie series` reads it.")
app.add_typer(store_app, name="store")

DbOption = Annotated[Path, typer.Option("--db", help="The facts store, a DuckDB file (e.g. facts.duckdb)")]


@store_app.command("load")
def load_cli(
    inputs: Annotated[list[Path], typer.Argument(help="`gzie extract` output: .jsonl files, .parquet files of "
                                                      "records, or folders of them")],
    db: DbOption,
) -> None:
    """Load extract output; documents already in the store are skipped, so loading again changes nothing."""
    from ..errors import GzieError
    from ..store import load

    try:
        summary = load(inputs, db)
    except GzieError as err:
        fail(str(err))
    for problem in summary["problems"]:
        typer.echo(problem, err=True)
    skipped = f" ({summary['skipped']} already there, skipped)" if summary["skipped"] else ""
    conflicts = f", {summary['conflicts']} in conflict" if summary["conflicts"] else ""
    typer.echo(f"{summary['documents']} documents, {summary['facts']} facts -> {db}{skipped}; "
               f"{summary['series_points']} series points{conflicts}", err=True)
    if summary["problems"]:
        raise typer.Exit(1)


@store_app.command("conflicts")
def conflicts_cli(db: DbOption) -> None:
    """Figures that releases disagree on by more than 0.5%: one line per value, with its documents."""
    from ..errors import GzieError
    from ..store import conflicts, format_conflicts

    try:
        found = conflicts(db)
    except GzieError as err:
        fail(str(err))
    if found.empty:
        typer.echo("no conflicts", err=True)
        return
    typer.echo(format_conflicts(found))
    keys = found[["indicator_key", "zone_key", "period_start", "period_end", "unit"]].drop_duplicates()
    typer.echo(f"{len(keys)} figure{'s' if len(keys) != 1 else ''} with conflicting values", err=True)


@store_app.command("export")
def export_cli(
    db: DbOption,
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder for TABLE.parquet files (replaced whole)")],
) -> None:
    """Write every table as Parquet, for pandas, Spark or another DuckDB."""
    from ..errors import GzieError
    from ..store import export_parquet

    try:
        written = export_parquet(db, parquet)
    except GzieError as err:
        fail(str(err))
    tables = ", ".join(f"{table} {rows:,}" for table, rows in written["tables"].items())
    typer.echo(f"{tables} rows -> {parquet}", err=True)
