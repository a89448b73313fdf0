"""Every notebook in `notebooks/` runs top to bottom with its QUICK defaults.

The notebooks are executed with nbclient in a `python3` kernel started in
the repository root (the notebooks put it on `sys.path`), so they import
this checkout of the package. Each one trains tiny models on generated data
and takes well under a minute on 2 CPU cores.
"""

import pathlib
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Per-cell limit: a hung kernel fails the test instead of stalling CI.
CELL_TIMEOUT_S = 300


def execute_notebook(path):
    """Runs `path` in a fresh kernel; returns the executed notebook."""
    nbclient = pytest.importorskip("nbclient", reason="pip install keras-grurcn[test]")
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(ROOT)}},
    )
    client.execute()
    return notebook


def test_every_notebook_is_listed():
    names = [path.name for path in NOTEBOOKS]
    assert names[:5] == [
        "01_quickstart.ipynb",
        "02_fine_tune_your_videos.ipynb",
        "03_captioning.ipynb",
        "04_export_and_serve.ipynb",
        "05_inside_convgru.ipynb",
    ], names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_committed_without_large_outputs(path):
    size = path.stat().st_size
    assert size < 100_000, f"{path.name} is {size} bytes: clear its outputs."


@pytest.mark.large
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path):
    start = time.perf_counter()
    notebook = execute_notebook(path)
    seconds = time.perf_counter() - start
    errors = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert not errors, errors
    print(f"{path.name}: {seconds:.0f} s")
