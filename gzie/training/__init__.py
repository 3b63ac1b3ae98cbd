"""Training and evaluation of gzie pipelines."""
