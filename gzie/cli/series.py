"""`gzie series`: one indicator across releases, from the facts store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import app, fail


@app.command("series")
def series_cli(
    db: Annotated[Path, typer.Option("--db", help="The facts store (`gzie store load` writes it)")],
    indicator: Annotated[str, typer.Option("--indicator", help="An indicator id (industrial_output_above_scale) "
                                                               "or name (规上工业总产值)")],
    zone: Annotated[Optional[str], typer.Option("--zone", help="Only this zone (canonical name or a mention "
                                                               "such as 贵阳经开区)")] = None,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Also draw the series: chart.svg or chart.png, "
                                                                "one line per zone (needs matplotlib)")] = None,
) -> None:
    """The series points of an indicator, by zone and period: each figure once, with every release giving it."""
    from ..errors import GzieError
    from ..store import format_series, plot_series, series

    try:
        points = series(db, indicator, zone=zone)
        if plot:
            plot_series(points, plot)
    except GzieError as err:
        fail(str(err))
    typer.echo(format_series(points))
    if plot:
        typer.echo(f"chart -> {plot}", err=True)
