"""The annotation loop: pre-annotated tasks for Label Studio and doccano, and back to the corpus."""
