"""gzie: structured facts from Chinese development-zone news."""

__version__ = "0.2.0"


def load(model=None, **kwargs):
    """Load a gzie pipeline: the shipped default when ``model`` is None."""
    from .api import load as _load

    return _load(model, **kwargs)


def extract(text, date=None, doc_id=None, nlp=None, *, region=None, id=None):
    """Extract entities, relations, facts and policies from one document.

    ``region`` (a province or city, e.g. "贵州省") tells where the release is from: it completes
    省商务厅 and 全省开发区. ``id=`` is the former name of ``doc_id=`` and still works, with a
    DeprecationWarning.
    """
    from .api import extract as _extract

    if id is not None:
        import warnings

        warnings.warn("gzie.extract(id=...) is deprecated; use doc_id=...", DeprecationWarning, stacklevel=2)
        doc_id = id if doc_id is None else doc_id
    return _extract(text, date=date, doc_id=doc_id, nlp=nlp, region=region)


__all__ = ["load", "extract", "__version__"]
