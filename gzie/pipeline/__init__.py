"""spaCy components of the gzie pipeline (registered through entry points in pyproject.toml)."""
