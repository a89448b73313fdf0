"""Every notebook runs top to bottom, and is committed with its outputs.

The notebooks are executed by `scripts/notebook_outputs.py`, the code that
`make notebooks` refreshes them with: each is cleared first (nothing depends
on the committed outputs) and run with its QUICK defaults in a fresh
`python3` kernel started in the repository root (the notebooks put it on
`sys.path`, so they import this checkout). Each trains tiny models on
generated data in about a minute on 2 CPU cores. The committed files must
show what that run shows, so they render with their figures on GitHub.
"""

import importlib.util
import pathlib
import time

import nbformat
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location(
    "notebook_outputs", ROOT / "scripts" / "notebook_outputs.py"
)
notebook_outputs = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(notebook_outputs)

NOTEBOOKS = notebook_outputs.notebook_paths()
REFRESH = "run `make notebooks` and commit the notebooks"


def test_every_notebook_is_listed():
    names = [path.name for path in NOTEBOOKS]
    assert names[:6] == [
        "01_quickstart.ipynb",
        "02_fine_tune_your_videos.ipynb",
        "03_captioning.ipynb",
        "04_export_and_serve.ipynb",
        "05_inside_convgru.ipynb",
        "06_two_stream_flow.ipynb",
    ], names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_stays_small(path):
    size = path.stat().st_size
    assert size < notebook_outputs.MAX_BYTES, (
        f"{path.name} is {size:,} bytes, over {notebook_outputs.MAX_BYTES:,}: "
        "smaller figures, or fewer of them"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_is_committed_with_its_outputs(path):
    problems = notebook_outputs.committed_output_problems(
        nbformat.read(path, as_version=4), path.name
    )
    assert not problems, "\n".join([*problems, REFRESH])


def test_output_rule_catches_a_notebook_without_outputs():
    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    problems = notebook_outputs.committed_output_problems(notebook)
    assert any("not run top to bottom" in problem for problem in problems)
    assert any("prints but shows no text" in problem for problem in problems)
    assert any("draws but shows no figure" in problem for problem in problems)


@pytest.mark.large
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[path.stem for path in NOTEBOOKS])
def test_notebook_runs_top_to_bottom(path):
    committed = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    # Raises nbclient's CellExecutionError, with the cell and traceback, on error.
    fresh = notebook_outputs.execute_notebook(path)
    seconds = time.perf_counter() - start
    missing = notebook_outputs.missing_outputs(committed, fresh, path.name)
    assert not missing, "\n".join([*missing, REFRESH])
    print(f"{path.name}: {seconds:.0f} s")
