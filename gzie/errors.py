"""Errors gzie raises on bad input, each with a short code users can search for."""


class GzieError(Exception):
    """Base class: the message names the input and the problem."""


class CorpusError(GzieError, ValueError):
    """A corpus file cannot be read."""


class ModelError(GzieError, OSError):
    """A model directory is missing, incomplete or incompatible."""


class InputError(GzieError, ValueError):
    """An input document cannot be processed."""


class Errors:
    E001 = "[E001] {path}: not a gzie model directory (no config.cfg or meta.json found)"
    E002 = "[E002] {path}: model directory is incomplete: {detail}"
    E003 = "[E003] {path}: model was built with gzie {version}, incompatible with this gzie {current}"
    E010 = "[E010] document date {date!r} is not an ISO date (YYYY-MM-DD)"
    E011 = "[E011] reference date must be a datetime.date or None, got {kind}"
    E020 = "[E020] relation weights in {path} are malformed: {detail}"
