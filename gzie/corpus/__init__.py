"""Corpus format: reading, writing, validating and converting annotated documents."""
