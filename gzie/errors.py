"""Errors gzie raises on bad input, each with a short code users can search for."""


class GzieError(Exception):
    """Base class: the message names the input and the problem."""


class CorpusError(GzieError, ValueError):
    """A corpus file cannot be read."""


class ModelError(GzieError, OSError):
    """A model directory is missing, incomplete or incompatible."""


class InputError(GzieError, ValueError):
    """An input document cannot be processed."""


class OutputError(GzieError, ValueError):
    """An output file cannot be written or resumed."""


class LabelStudioError(GzieError):
    """A Label Studio server cannot be reached or refuses a request; `status` is the HTTP status, if any."""

    def __init__(self, message: str, status: int | None = None, path: str | None = None):
        super().__init__(message)
        self.status = status
        self.path = path


class Errors:
    E001 = "[E001] {path}: not a gzie model directory (no config.cfg or meta.json found)"
    E002 = "[E002] {path}: model directory is incomplete: {detail}"
    E003 = "[E003] {path}: model was built with gzie {version}, incompatible with this gzie {current}"
    E004 = "[E004] {path}: model was built for spaCy {spec}, incompatible with the installed spaCy {current}"
    E010 = "[E010] document date {date!r} is not an ISO date (YYYY-MM-DD)"
    E011 = "[E011] reference date must be a datetime.date or None, got {kind}"
    E020 = "[E020] relation weights in {path} are malformed: {detail}"
    E030 = "[E030] {path}:{line}: not a complete output record, cannot resume (only a cut last line is repaired)"
    E031 = "[E031] {path}: cannot resume a CSV output without its {done} file (it lists the finished documents)"
    E032 = "[E032] {path}: shorter than {done} says ({size} < {end} bytes), cannot resume"
    E033 = "[E033] output format {format!r} is not one of {formats}"
    E034 = "[E034] {path}: cannot write the output: {reason}"
