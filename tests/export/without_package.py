"""Runs a script where a serving client would: without `keras_grurcn`.

A serving container, a phone or an ONNX runtime has the exported file and
its runtime, and nothing of this package. The child process blocks every
`keras_grurcn` import, runs isolated (`python -I`, no PYTHONPATH) outside
the checkout, and checks at the end that nothing of the package was loaded.
"""

import os
import subprocess
import sys
import textwrap

BLOCK_PACKAGE = textwrap.dedent(
    """
    import sys

    class NoKerasGrurcn:
        def find_spec(self, name, path=None, target=None):
            if name == "keras_grurcn" or name.startswith("keras_grurcn."):
                raise ModuleNotFoundError("keras_grurcn is not installed here")
            return None

    sys.meta_path.insert(0, NoKerasGrurcn())
    try:
        import keras_grurcn  # noqa: F401
    except ModuleNotFoundError:
        pass
    else:
        raise SystemExit("keras_grurcn was importable")
    """
)
CHECK_NOTHING_LOADED = textwrap.dedent(
    """
    assert not any(name.startswith("keras_grurcn") for name in sys.modules)
    """
)


def run_without_package(script, *args, cwd, timeout=300):
    """Runs `script` (Python source; `sys.argv[1:]` are `args`) in such a process.

    Fails the test with the child's output when it exits non-zero.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "TF_CONFIG")
    }
    source = BLOCK_PACKAGE + textwrap.dedent(script) + CHECK_NOTHING_LOADED
    result = subprocess.run(
        [sys.executable, "-I", "-c", source, *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result
