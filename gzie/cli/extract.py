"""`gzie extract`: run the pipeline over documents and write their records (JSONL) or facts (CSV)."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager, nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ._util import app, fail


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextmanager
def _interruptible(kept: str):
    """SIGTERM stops the run as Ctrl-C does; a gzie error or an interruption ends it with one line
    (`kept`: what the output holds then)."""
    from ..errors import GzieError

    previous = signal.signal(signal.SIGTERM, _interrupt)  # stop workers and keep the output, as on Ctrl-C
    try:
        yield
    except GzieError as err:
        fail(str(err))
    except KeyboardInterrupt:
        fail(f"interrupted: {kept}; the same command with --resume continues", code=130)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _finish(problems: list, line: str) -> None:
    """The problems one per line, the summary line, and exit status 1 when anything failed."""
    for problem in problems:
        typer.echo(problem, err=True)
    typer.echo(line, err=True)
    if problems:
        raise typer.Exit(1)


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"  # --engine dask only


class Engine(str, Enum):
    local = "local"
    dask = "dask"


CLUSTER = "Cluster (--engine dask)"


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_bar():
    """A rich progress bar on stderr; yields the callback extract_to_file reports to. Speed and
    time left are averaged over the whole run: documents finish in batches, so the latest few
    updates say little."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, ProgressColumn, TextColumn
    from rich.text import Text

    def average_speed(task) -> float | None:
        return task.completed / task.elapsed if task.completed and task.elapsed else None

    class CharactersPerSecond(ProgressColumn):
        def render(self, task) -> Text:
            speed = average_speed(task)
            return Text(f"{speed:,.0f} chars/s" if speed else "… chars/s", style="progress.data.speed")

    class TimeLeft(ProgressColumn):
        def render(self, task) -> Text:
            speed = average_speed(task)
            if task.total is None or not speed:
                return Text("-:--:--", style="progress.remaining")
            seconds = int(max(task.total - task.completed, 0) / speed)
            left = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d} left"
            return Text(left, style="progress.remaining")

    columns = (TextColumn("{task.fields[documents]} documents"), BarColumn(),
               TextColumn("{task.percentage:>3.0f}%"), CharactersPerSecond(), TimeLeft())
    with Progress(*columns, console=Console(stderr=True)) as bar:
        task = bar.add_task("extract", total=None, documents="0", start=False)

        def update(state) -> None:
            if not bar.tasks[0].started:
                bar.start_task(task)  # the clock starts once the model is loaded and the inputs counted
            done = f"{state.documents:,}" + (f"/{state.total_documents:,}" if state.total_documents is not None else "")
            bar.update(task, completed=state.characters, total=state.total_characters or None, documents=done)
            if state.documents == state.total_documents:
                bar.stop_task(task)  # the speed shown stays that of the run

        yield update


@app.command("extract")
def extract_cli(
    inputs: Annotated[list[Path], typer.Argument(help=".txt files, folders of them, or .jsonl with id, text, date")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file: JSONL, one record per document, "
                                                                 "or CSV with --format csv; with --engine dask "
                                                                 "an output folder of part files")],
    date: Annotated[Optional[str], typer.Option(help="Document date YYYY-MM-DD for every input")] = None,
    model: Annotated[Optional[str], typer.Option(help="Model directory (default: the shipped model)")] = None,
    fmt: Annotated[OutputFormat, typer.Option(
        "--format", help="jsonl: one record per document; csv: one row per fact, UTF-8 with a byte order mark "
                         "(utf-8-sig) so that Excel reads the Chinese, finished documents listed in OUT.done.jsonl; "
                         "parquet (--engine dask only): columns id, date and record, the JSON record")
    ] = OutputFormat.jsonl,
    n_process: Annotated[int, typer.Option("--n-process", min=1, help="Worker processes; the output is the same "
                                                                      "as with one")] = 1,
    resume: Annotated[bool, typer.Option("--resume", help="Keep the documents already in OUTPUT (by id) and "
                                                          "append the others, e.g. after an interrupted run")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Also write an HTML page for reading: entities "
                                                                "in the text and a facts table, first 200 "
                                                                "documents")] = None,
    engine: Annotated[Engine, typer.Option(help="local: this process (and --n-process workers); dask: a Dask "
                                                "cluster, one task and one part file per partition",
                                           rich_help_panel=CLUSTER)] = Engine.local,
    scheduler: Annotated[Optional[str], typer.Option(help="Address of a running Dask scheduler (tcp://host:8786); "
                                                          "default: start --n-process workers here",
                                                     rich_help_panel=CLUSTER)] = None,
    partition_size: Annotated[Optional[int], typer.Option(
        "--partition-size", min=1, help="Documents per partition (at most; default 1000)", rich_help_panel=CLUSTER)
    ] = None,
    merge: Annotated[bool, typer.Option("--merge", help="Also write OUTPUT/merged.jsonl, the parts in input order",
                                        rich_help_panel=CLUSTER)] = False,
) -> None:
    """Extract entities, relations, facts and policies."""
    from ..batch import extract_to_file
    from ..errors import Errors

    if engine is Engine.dask:
        _extract_on_dask(inputs, output, date=date, model=model, fmt=fmt, n_process=n_process, resume=resume,
                         html=html, scheduler=scheduler, partition_size=partition_size, merge=merge)
        return
    for option, value in (("--scheduler", scheduler), ("--partition-size", partition_size), ("--merge", merge)):
        if value:
            fail(Errors.E049.format(option=option, detail="only with --engine dask"))

    show_progress = stderr_is_terminal()
    with _interruptible(f"{output} holds the documents finished so far"):
        with progress_bar() if show_progress else nullcontext() as progress:
            summary = extract_to_file(inputs, output, date=date, model=model, fmt=fmt.value, n_process=n_process,
                                      resume=resume, html=html, progress=progress, count_first=show_progress)
    skipped = f" ({summary['skipped']} already there, kept)" if summary["skipped"] else ""
    _finish(summary["problems"], f"{summary['documents']} documents, {summary['facts']} facts -> {output}{skipped}")


def _extract_on_dask(inputs: list[Path], output: Path, *, date, model, fmt: OutputFormat, n_process: int,
                     resume: bool, html: Optional[Path], scheduler: Optional[str], partition_size: Optional[int],
                     merge: bool) -> None:
    """`gzie extract --engine dask`: gzie.cluster.extract_on_cluster with a progress bar on a terminal."""
    from ..cluster import DEFAULT_PARTITION_SIZE, extract_on_cluster
    from ..errors import Errors

    if html:
        fail(Errors.E049.format(option="--html", detail="not available with --engine dask (write the page from a "
                                                        "part with the local engine)"))
    show_progress = stderr_is_terminal()
    with _interruptible(f"{output} holds the partitions finished so far"):
        with progress_bar() if show_progress else nullcontext() as update:
            announced = []

            def progress(state) -> None:
                if not announced:
                    announced.append(True)
                    if state.dashboard:
                        typer.echo(f"Dask dashboard: {state.dashboard}", err=True)
                if update:
                    update(state)

            summary = extract_on_cluster(inputs, output, scheduler=scheduler, fmt=fmt.value, resume=resume,
                                         partition_size=partition_size or DEFAULT_PARTITION_SIZE, merge=merge,
                                         model=model, date=date, progress=progress, n_workers=n_process,
                                         count_first=show_progress)
    kept = f", {summary['partitions_skipped']} already there, kept" if summary["partitions_skipped"] else ""
    partitions = f"{summary['partitions']} partition" + ("s" if summary["partitions"] != 1 else "")
    _finish(summary["problems"], f"{summary['documents']} documents, {summary['facts']} facts -> {output} "
                                 f"({partitions}{kept})")
