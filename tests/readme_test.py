"""The README's Python examples run as written.

Every ```python block of README.md is executed in order, in one namespace,
from the repository root; they use tiny shapes and random backbones, so
nothing is downloaded. Blocks fenced as ```bash (or anything else) are not
run.
"""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


def python_blocks():
    return PYTHON_BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_python_examples():
    assert len(python_blocks()) >= 2


def test_readme_keeps_the_two_quickstart_commands():
    text = README.read_text(encoding="utf-8")
    quickstart = text.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^```bash\n(.*?)^```", quickstart, re.M | re.S)[0]
    assert [line.split("#")[0].strip() for line in commands.splitlines()] == [
        "make demo",
        "make test",
    ]


def test_readme_links_exist():
    text = README.read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs|notebooks)/[^)]+)\)", text)
    assert links
    missing = [link for link in links if not (README.parent / link).exists()]
    assert not missing, missing


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_block_runs(index, monkeypatch):
    monkeypatch.chdir(README.parent)
    namespace = {"__name__": "readme"}
    # Earlier blocks first: a block may use names an earlier one defined.
    for block in python_blocks()[: index + 1]:
        exec(compile(block, f"README.md python block {index}", "exec"), namespace)
