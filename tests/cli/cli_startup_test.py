"""`grurcn` starts light: parsing and `--help` import neither Keras nor TensorFlow,
and TensorFlow's start-up logs stay quiet unless asked for.

Each check runs in a fresh interpreter: the test process itself has long
imported TensorFlow.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from tests.captioning.tiny_grurcn_captioner import tiny_captioner

HEAVY = ("tensorflow", "keras", "jax", "torch")


def run_python(code, *args, env=None):
    environment = dict(os.environ)
    environment.pop("TF_CPP_MIN_LOG_LEVEL", None)  # conftest sets it for pytest
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
    )


PARSE_EVERYTHING = """
import json, sys
from keras_grurcn.cli.main import build_parser, main

helps = [[], ["prepare", "synthetic"], ["prepare", "check"]] + [
    [name] for name in ("demo", "prepare", "extract", "train", "evaluate",
                        "export", "predict", "caption")
]
for words in helps:
    try:
        main(words + ["--help"])
    except SystemExit as exit:
        assert exit.code == 0, (words, exit.code)
parser = build_parser()
for argv in (
    ["train", "--model", "grurcn", "--data-dir", "caches", "--workdir", "w",
     "--set", "train.epochs=2", "--set", "model.hidden_maps=[16,32]", "--verbose"],
    ["train", "--preset", "ucf101_grurcn", "--config", "exp.yaml", "--dry-run"],
    ["--verbose", "predict", "--model", "m.keras", "a.mp4", "b.avi", "--json"],
    ["caption", "--model", "m.keras", "a.mp4", "--json"],
    ["evaluate", "--model", "p", "--cache", "c"],
    ["evaluate", "--model", "p", "--videos", "v", "--clips", "10", "--crops", "3"],
    ["extract", "--videos", "v", "--out", "o"],
    ["export", "--model", "p", "--format", "litert", "--frame-size", "240x320",
     "--out", "m.tflite"],
    ["predict", "--stream", "--every", "2", "--json", "--model", "m", "a.mp4"],
):
    parser.parse_args(argv)
try:  # A usage error exits before anything is imported, too.
    main(["train", "--epochs", "0"])
except SystemExit as exit:
    assert exit.code == 2
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy})
print(json.dumps(heavy))
""".replace("{heavy}", repr(set(HEAVY)))


def test_parsing_and_help_import_no_keras_or_tensorflow():
    result = run_python(PARSE_EVERYTHING)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []


def test_the_package_is_lazy_and_every_public_name_resolves():
    code = """
import json, sys
import keras_grurcn
light = not any(m.split(".")[0] in ("keras", "tensorflow") for m in sys.modules)
missing = [n for n in keras_grurcn.__all__ if getattr(keras_grurcn, n, None) is None]
print(json.dumps([light, missing, sorted(set(keras_grurcn.__all__) - set(dir(keras_grurcn)))]))
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    light, missing, undirred = json.loads(result.stdout.splitlines()[-1])
    assert light and missing == [] and undirred == []


@pytest.mark.large
def test_saved_tasks_load_whatever_part_of_the_package_was_imported(tmp_path):
    # A captioner needs keras_grurcn.captioning's classes; the lazy package
    # must not leave them unregistered when only `models` was imported, or
    # when Keras' own loader runs after the first use of a public name.
    model = tiny_captioner()
    path = str(tmp_path / "captioner.keras")
    model.save(path)
    model.save_to_preset(str(tmp_path / "preset"))
    code = """
import sys
from keras_grurcn.models import load_task
print(type(load_task(sys.argv[1])).__name__, type(load_task(sys.argv[2])).__name__)
"""
    result = run_python(code, path, str(tmp_path / "preset"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["VideoCaptioner", "VideoCaptioner"]
    code = """
import sys, keras, keras_grurcn
keras_grurcn.list_models()
print(type(keras.saving.load_model(sys.argv[1])).__name__)
"""
    result = run_python(code, path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["VideoCaptioner"]


@pytest.mark.large
def test_tensorflow_start_up_logs_are_quiet_unless_verbose(tmp_path):
    plain = run_python("import tensorflow")
    command = (
        "from keras_grurcn.cli import main; import sys; sys.exit(main(sys.argv[1:]))"
    )
    prepare = ["prepare", "synthetic", "--clips", "4", "--frames", "2"]
    prepare += ["--image-size", "16", "--out"]
    quiet = run_python(command, *prepare, str(tmp_path / "quiet"))
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""
    verbose = run_python(command, *prepare, str(tmp_path / "verbose"), "--verbose")
    assert verbose.returncode == 0
    # Whatever TensorFlow prints on this machine when imported plainly (on
    # this kind: oneDNN and CPU-feature lines) is shown with --verbose.
    assert set(_log_lines(plain.stderr)) <= set(_log_lines(verbose.stderr))
    assert _log_lines(verbose.stderr) or not _log_lines(plain.stderr)
    # A level the user chose is theirs: nothing is hidden behind their back.
    chosen = run_python(
        command,
        *prepare,
        str(tmp_path / "chosen"),
        env={"TF_CPP_MIN_LOG_LEVEL": "0"},
    )
    assert set(_log_lines(plain.stderr)) <= set(_log_lines(chosen.stderr))


def _log_lines(stderr):
    """TensorFlow's C++ log lines, without their time stamps and thread ids."""
    return [
        line.split("]", 1)[-1].strip()
        for line in stderr.splitlines()
        if re.match(r"[IWEF]\d{4} ", line) or "absl::InitializeLog" in line
    ]
