"""gzie: structured facts from Chinese development-zone news."""

__version__ = "0.1.0"


def load(model=None, **kwargs):
    """Load a gzie pipeline: the shipped default when ``model`` is None."""
    from .api import load as _load

    return _load(model, **kwargs)


def extract(text, date=None, id=None, nlp=None):
    """Extract entities, relations, facts and policies from one document."""
    from .api import extract as _extract

    return _extract(text, date=date, id=id, nlp=nlp)


__all__ = ["load", "extract", "__version__"]
