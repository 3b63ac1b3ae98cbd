"""Shipped pipelines (gzie/models/default is produced by `gzie train configs/default.cfg`)."""
