"""The notebooks run from top to bottom, so they cannot rot (slow: they start a kernel, one trains)."""

from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"

pytestmark = pytest.mark.slow


def run_notebook(name: str):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(notebook, timeout=1200, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def outputs_of(notebook) -> list[str]:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return texts


def test_quickstart_runs_and_finds_facts():
    notebook = run_notebook("quickstart.ipynb")
    outputs = outputs_of(notebook)
    assert "'problems': []" in "\n".join(outputs)
    assert any(o.get("output_type") == "display_data" and "image/png" in o.get("data", {})
               for cell in notebook.cells for o in cell.get("outputs", []))


def test_annotate_and_retrain_runs_and_reports_the_unfinished_task():
    notebook = run_notebook("annotate_and_retrain.ipynb")
    assert "skipped: no finished annotation" in "\n".join(outputs_of(notebook))


def test_series_builds_a_store_merges_a_reprint_and_plots():
    notebook = run_notebook("series.ipynb")
    outputs = "\n".join(outputs_of(notebook))
    assert "'problems': []" in outputs
    assert "[2025-07-22-yunxi-h1, yunxi-daily-0724]" in outputs  # the reprint joins the point of 22 July
    conflicts = next(text for text in outputs_of(notebook) if "spread" in text)  # the conflicts table
    assert "[park-newsletter-0730]" in conflicts  # the misprint is a conflict
    assert any("image/svg+xml" in o.get("data", {}) for cell in notebook.cells for o in cell.get("outputs", []))
