"""`grurcn extract`: runners, Beam options, storage dtype, repair of a broken cache."""

import json
import shlex
import sys

import pytest

from keras_grurcn.cli import main
from keras_grurcn.cli.main import build_parser
from keras_grurcn.cli.percept_extraction import RUNNERS
from keras_grurcn.data import BEAM_RUNNERS
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import write_percept_cache_beam
from keras_grurcn.models import Task
from tests.data.percept_cache_helpers import cache_contents

CLIP = ["--frames", "4", "--image-size", "32"]


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    root = str(tmp_path_factory.mktemp("cli_extract") / "videos")
    assert main(["prepare", "synthetic", "--out", root, "--clips", "8", *CLIP]) == 0
    return root


def _extract(videos, out, *extra):
    return main(
        [
            "extract",
            "--videos",
            videos,
            "--out",
            str(out),
            "--levels",
            "pool2",
            "--backbone-weights",
            "none",
            "--examples-per-shard",
            "3",
            *CLIP,
            *extra,
        ]
    )


def test_the_cli_offers_every_beam_runner():
    assert RUNNERS == ("inprocess", *BEAM_RUNNERS)
    args = build_parser().parse_args(
        ["extract", "--videos", "v", "--out", "o", "--beam-option", "a=1"]
        + ["--beam-option", "b=2"]
    )
    assert args.runner == "inprocess" and args.percept_dtype == "float16"
    assert args.beam_option == ["a=1", "b=2"]


def test_extract_into_an_existing_cache_rewrites_broken_shards_and_keeps_good_ones(
    videos, tmp_path, capsys
):
    cache = tmp_path / "cache"
    assert _extract(videos, cache) == 0
    ids, labels, percepts = cache_contents(cache)
    shards = sorted(cache.glob("percepts-*.tfrecord"))
    assert len(shards) == 3
    data = shards[1].read_bytes()
    shards[1].write_bytes(data[: len(data) // 3])
    shards[2].unlink()
    before = (shards[0].stat().st_ino, shards[0].stat().st_mtime_ns)

    # Reading the broken cache names the shard and the command that repairs it.
    capsys.readouterr()
    assert (
        main(
            ["train", "--model", "grurcn", "--train-cache", str(cache)]
            + ["--val-cache", str(cache), "--workdir", str(tmp_path / "run")]
        )
        == 2
    )
    error = capsys.readouterr().err
    assert str(shards[1]) in error and "truncated" in error
    command = error.split("`")[1]
    assert command.startswith("grurcn extract") and "Traceback" not in error

    assert main(shlex.split(command)[1:]) == 0  # The repair, as printed.

    assert (shards[0].stat().st_ino, shards[0].stat().st_mtime_ns) == before
    repaired = cache_contents(cache)
    assert repaired[0] == ids and (repaired[1] == labels).all()
    # The saved (random) extractor was reused: the same percepts again.
    assert (repaired[2]["pool2"] == percepts["pool2"]).all()


@pytest.mark.large
def test_extract_with_the_direct_runner_then_train_on_it(videos, tmp_path):
    cache = tmp_path / "cache"
    status = _extract(
        videos,
        cache,
        "--runner",
        "direct",
        "--beam-option",
        "direct_num_workers=2",
        "--percept-dtype",
        "uint8",
    )
    assert status == 0
    info = read_cache_info(cache)
    assert info["dtype"] == "uint8" and info["num_examples"] == 8
    assert "--runner direct" in info["command"]
    assert (cache / "failures.jsonl").read_text() == ""
    extraction = json.loads((cache / "extraction.json").read_text())
    assert extraction["class_names"] == ["down", "left", "right", "up"]
    workdir = tmp_path / "run"
    status = main(
        ["train", "--model", "grurcn", "--train-cache", str(cache)]
        + ["--val-cache", str(cache), "--workdir", str(workdir)]
        + ["--epochs", "1", "--batch-size", "4"]
    )
    assert status == 0
    # The trained model keeps the cache's preprocessor and class names.
    assert (workdir / "final.keras").exists()
    trained = Task.from_preset(str(workdir / "preset"))
    assert trained.class_names == ["down", "left", "right", "up"]


def test_bad_runner_options_are_one_line_errors(videos, tmp_path, capsys):
    assert (
        _extract(videos, tmp_path / "a", "--beam-option", "direct_num_workers=2") == 2
    )
    assert "--beam-option needs a Beam --runner" in capsys.readouterr().err
    status = _extract(
        videos, tmp_path / "b", "--runner", "direct", "--beam-option", "bogus_flag=3"
    )
    assert status == 2
    error = capsys.readouterr().err
    assert "bogus_flag" in error and "Traceback" not in error


def test_without_beam_the_error_names_the_extra(videos, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "apache_beam", None)  # `import` now fails.
    with pytest.raises(ImportError, match=r"keras-grurcn\[beam\]"):
        write_percept_cache_beam([], "extractor.keras", tmp_path)
    assert _extract(videos, tmp_path / "c", "--runner", "direct") == 2
    assert "keras-grurcn[beam]" in capsys.readouterr().err
