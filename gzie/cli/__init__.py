"""The `gzie` command line: one module per command, each calling a library function."""

from . import annotate, corpus, evaluate, extract, learning_curve, series, store, train  # noqa: F401  (each module adds its command to app)
from ._util import app


def main() -> None:
    app()


__all__ = ["app", "main"]
