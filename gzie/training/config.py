"""Training configs: spaCy's config format, with short variant configs that build on a base.

A variant config holds a ``[base]`` section naming the config it builds on (relative to the
variant's own folder) and only the settings it changes::

    [base]
    path = "default.cfg"

    [nlp]
    tokenizer = {"@tokenizers":"gzie.ChineseBigramTokenizer.v1","segmenter":"char"}

Loading merges the variant into the base (deeply: a section the variant names is updated key by
key), so every config `gzie train` sees is a complete spaCy config.
"""

from __future__ import annotations

import configparser
import io
import json
from pathlib import Path

from thinc.api import Config

from ..errors import ConfigError, Errors

BASE_SECTION = "base"
MAX_DEPTH = 8


def _parser(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, allow_no_value=True)
    parser.optionxform = str  # keys keep their case, as thinc reads them
    parser.read_string(text)
    return parser


def _parse(path: Path, text: str) -> Config:
    try:
        return Config().from_str(text, interpolate=False)
    except Exception as err:  # thinc raises ConfigValidationError, ValueError or configparser errors
        detail = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise ConfigError(Errors.E046.format(path=path, detail=detail)) from None


def read_config(path: str | Path, _depth: int = 0) -> Config:
    """The complete config of `path`, its bases merged in, before overrides and interpolation."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(Errors.E045.format(path=path))
    try:
        text = path.read_text(encoding="utf-8")
        variant = _parser(text)
    except (UnicodeDecodeError, configparser.Error) as err:
        detail = str(err).strip().splitlines()[0]
        raise ConfigError(Errors.E046.format(path=path, detail=detail)) from None
    if not variant.has_section(BASE_SECTION):
        return _parse(path, text)
    try:
        base_name = json.loads(variant.get(BASE_SECTION, "path"))
    except (configparser.Error, ValueError, TypeError):
        base_name = None
    if _depth >= MAX_DEPTH or not isinstance(base_name, str):
        raise ConfigError(Errors.E046.format(path=path, detail='[base] needs path = "<config it builds on>" '
                                                                f"(at most {MAX_DEPTH} levels)"))
    merged = _parser(read_config(path.parent / base_name, _depth + 1).to_str())
    for section in variant.sections():
        if section == BASE_SECTION:
            continue
        if not merged.has_section(section):
            merged.add_section(section)
        for key, value in variant.items(section, raw=True):
            # A key given inline replaces a block the base writes as a section of its own
            # (tokenizer = {...} replaces [nlp.tokenizer]).
            block = f"{section}.{key}"
            for name in [n for n in merged.sections() if n == block or n.startswith(block + ".")]:
                merged.remove_section(name)
            merged.set(section, key, value)
    out = io.StringIO()
    merged.write(out)
    return _parse(path, out.getvalue())


def load_training_config(path: str | Path, overrides: dict | None = None, interpolate: bool = False) -> Config:
    """The config of `path` with its bases merged and `overrides` ({"section.key": value}) applied."""
    config = read_config(path)
    if overrides:
        from spacy.util import dot_to_dict

        config = config.merge(Config(dot_to_dict(overrides)))
    for section in ("nlp", "components", "training"):
        if section not in config:
            raise ConfigError(Errors.E046.format(path=path, detail=f"no [{section}] section"))
    return config.interpolate() if interpolate else config
