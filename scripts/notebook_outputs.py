"""Runs the notebooks top to bottom and saves them with their outputs.

`make notebooks` calls this; `tests/notebooks/` imports its functions, so the
test suite executes the notebooks exactly as the refresh does. Each notebook
is cleared first and run in a fresh `python3` kernel started in the repository
root, with its `QUICK = True` default. Figures are drawn with `FIGURE_RC`, and
what changes from run to run without the results changing (execution
timestamps, the kernel's Python version) is left out, so a refresh that
changes nothing gives no diff beyond the numbers that moved.

    python scripts/notebook_outputs.py                 # every notebook, in place
    python scripts/notebook_outputs.py notebooks/03_captioning.ipynb
    python scripts/notebook_outputs.py --check         # report, change nothing
"""

import argparse
import ast
import os
import pathlib
import re
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
# Per-cell limit: a hung kernel fails the run instead of stalling it.
CELL_TIMEOUT_S = 300
# Matplotlib settings of the inline figures: 72 dpi instead of 100 (half the
# pixels, still legible on GitHub), and frames drawn as their pixels (nearest)
# rather than smoothed, which PNG compresses several times better.
FIGURE_RC = {"figure.dpi": 72, "image.interpolation": "nearest"}
# Committed size cap per notebook, outputs included (figures are base64 PNGs).
MAX_BYTES = 250_000
# A line of TensorFlow's C++ (absl) logging, e.g. "I0000 00:00:17.1 123 port.cc:153]
# ...", and the banner absl prints before its first line.
NATIVE_LOG_LINE = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:[\d.]+ +\d+ [\w./-]+:\d+\] .*|"
    r"WARNING: All log messages before absl::InitializeLog\(\) is called .*)\n?",
    re.MULTILINE,
)
# The kinds of output a reader looks for; stderr (warnings, progress bars)
# varies between runs and is not required.
SHOWN_KINDS = ("stdout", "image/png", "text/plain", "text/html")


def notebook_paths(names=()):
    """Returns the notebooks named (default: every one in `notebooks/`)."""
    if names:
        return [pathlib.Path(name).resolve() for name in names]
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def execute_notebook(path, timeout=CELL_TIMEOUT_S):
    """Clears `path`'s outputs and runs it in a fresh kernel.

    Returns the executed notebook (not written anywhere). A failing cell raises
    nbclient's `CellExecutionError`, which names the cell and the traceback.
    """
    try:
        import nbclient
        import nbformat
    except ImportError as error:
        raise ImportError(
            'Running notebooks needs nbclient and nbformat: pip install -e ".[test]"'
        ) from error

    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=timeout,
        record_timing=False,
        extra_arguments=[f"--InlineBackend.rc={FIGURE_RC!r}"],
        coalesce_streams=True,
        resources={"metadata": {"path": str(ROOT)}},
    )
    # As in the test suite: TensorFlow's C++ INFO and WARNING lines are off.
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    client.execute(env=environment)
    return strip_volatile_metadata(notebook)


def strip_volatile_metadata(notebook):
    """Drops what differs between runs of the same code: returns `notebook`.

    That is the kernel's Python version, cell timings, TensorFlow's C++ log
    lines (timestamps and thread ids; TensorFlow 2.21 prints its oneDNN notice
    before `TF_CPP_MIN_LOG_LEVEL` applies), and the paths of the environment
    and checkout that ran it (in warnings' file names), which become `<env>`
    and `<repo>`.
    """
    language = notebook.metadata.get("language_info", {}).get("name", "python")
    notebook.metadata["language_info"] = {"name": language}
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _short_paths(NATIVE_LOG_LINE.sub("", output.text))
        cell.outputs = [
            output
            for output in cell.outputs
            if output.output_type != "stream" or output.text
        ]
    return notebook


def _short_paths(text):
    # Longest first: the environment may live inside the checkout (.venv/).
    prefixes = {sys.prefix: "<env>", str(ROOT): "<repo>"}
    for prefix in sorted(prefixes, key=len, reverse=True):
        text = text.replace(prefix + os.sep, prefixes[prefix] + os.sep)
    return text


def output_kinds(cell):
    """The kinds of output `cell` shows: a set of `SHOWN_KINDS` (and "error")."""
    kinds = set()
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stdout":
            kinds.add("stdout")
        elif output.output_type == "error":
            kinds.add("error")
        elif output.output_type in ("display_data", "execute_result"):
            kinds.update(kind for kind in output.get("data", {}) if kind in SHOWN_KINDS)
    return kinds


def _code_cells(notebook):
    return [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and cell.source.strip()
    ]


def _top_level_calls(source):
    """Names of the functions called by the cell's top-level statements."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    names = set()
    for statement in tree.body:
        if isinstance(statement, (ast.FunctionDef, ast.ClassDef, ast.If)):
            continue  # bodies that may not run (QUICK branches, definitions)
        for node in ast.walk(statement):
            if isinstance(node, ast.Call):
                function = node.func
                if isinstance(function, ast.Attribute):
                    names.add(function.attr)
                elif isinstance(function, ast.Name):
                    names.add(function.id)
    return names


def committed_output_problems(notebook, name="notebook"):
    """What is wrong with a committed notebook's outputs: a list of messages.

    The rule: every code cell was run, in order, by one kernel (execution
    counts 1, 2, ...); no cell shows an error; a cell whose top-level code
    prints shows text; a cell that draws (`plt.show`, `display`, `Image`)
    shows a figure; and the file stays under `MAX_BYTES`.
    """
    problems = []
    cells = _code_cells(notebook)
    counts = [cell.execution_count for _, cell in cells]
    if counts != list(range(1, len(cells) + 1)):
        problems.append(
            f"{name}: execution counts are {counts}, not 1..{len(cells)}: it was "
            "not run top to bottom in one kernel"
        )
    for index, cell in cells:
        kinds = output_kinds(cell)
        calls = _top_level_calls(cell.source)
        where = f"{name} cell {index}"
        if "error" in kinds:
            problems.append(f"{where} shows an error")
        if "print" in calls and "stdout" not in kinds:
            problems.append(f"{where} prints but shows no text")
        if calls & {"show", "display", "Image"} and "image/png" not in kinds:
            problems.append(f"{where} draws but shows no figure")
    return problems


def missing_outputs(committed, fresh, name="notebook"):
    """Outputs a fresh run shows that the committed notebook lacks, per cell."""
    committed_cells = dict(_code_cells(committed))
    problems = []
    for index, cell in _code_cells(fresh):
        if index not in committed_cells or committed_cells[index].source != cell.source:
            problems.append(f"{name} cell {index}: source differs from the run one")
            continue
        lacking = output_kinds(cell) - output_kinds(committed_cells[index]) - {"error"}
        if lacking:
            problems.append(f"{name} cell {index}: lacks {sorted(lacking)}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="default: notebooks/*.ipynb")
    parser.add_argument(
        "--check", action="store_true", help="report problems, write nothing"
    )
    arguments = parser.parse_args(argv)
    import nbformat

    failed = []
    for path in notebook_paths(arguments.notebooks):
        if arguments.check:
            problems = committed_output_problems(nbformat.read(path, 4), path.name)
            for problem in problems:
                print(problem)
            failed += problems
            continue
        start = time.perf_counter()
        try:
            notebook = execute_notebook(path)
        except Exception as error:  # report the notebook and go on with the rest
            print(f"{path.name}: FAILED\n{error}", file=sys.stderr)
            failed.append(path.name)
            continue
        nbformat.write(notebook, path)
        size = path.stat().st_size
        print(f"{path.name}: {time.perf_counter() - start:.0f} s, {size:,} bytes")
        if size > MAX_BYTES:
            print(f"{path.name}: over the {MAX_BYTES:,}-byte cap", file=sys.stderr)
            failed.append(path.name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
