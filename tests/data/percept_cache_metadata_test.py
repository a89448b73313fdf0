"""Crafted cache_info.json and progress.json files are clear errors naming the file."""

import json

import numpy as np
import pytest

from keras_grurcn.data import PerceptCacheError
from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import percept_cache_metadata
from keras_grurcn.data import percept_dataset
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import write_percept_cache


def _mean_colour(frames):
    return {"colour": np.asarray(frames).mean(axis=(2, 3), keepdims=True)}


@pytest.fixture()
def cache(tmp_path):
    write_percept_cache(
        make_motion_clips(6, num_frames=2, image_size=16),
        _mean_colour,
        tmp_path,
        examples_per_shard=4,
        progress=False,
    )
    return tmp_path


def _edit(path, change):
    content = json.loads(path.read_text())
    change(content)
    path.write_text(json.dumps(content))


def _set(*keys_and_value):
    *keys, value = keys_and_value

    def change(content):
        for key in keys[:-1]:
            content = content[key]
        content[keys[-1]] = value

    return change


@pytest.mark.parametrize(
    "change, message",
    [
        (_set("levels", "colour", [100_000, 100_000, 100_000]), r"levels\['colour'\]"),
        (_set("levels", {"../../etc": [1]}), "level name"),
        (_set("shards", 0, "file", "../../../etc/passwd"), r"shards\[0\].file"),
        (_set("shards", 1, "file", "/tmp/elsewhere.tfrecord"), r"shards\[1\].file"),
        (_set("num_examples", "6"), "num_examples must be an integer"),
        (_set("num_examples", 10**12), "num_examples must be in"),
        (_set("num_examples", 7), "sum of the shards"),
        (_set("shards", 0, "num_bytes", -1), "num_bytes"),
        (_set("shards", 0, "num_examples", True), "integer"),
        (_set("examples_per_shard", 0), "examples_per_shard"),
        (_set("dtype", "float64"), "dtype must be one of"),
        (_set("dtype", "uint8"), "quantization"),
        (_set("shards", {"file": "x"}), "shards must be a list"),
        (lambda content: content.pop("levels"), "lacks levels"),
        (_set("modality", "depth"), "modality must be one of"),
        (_set("flow", {"method": "farneback", "bound": 20}), "flow must be null"),
        (
            lambda content: content.update(modality="flow", flow={"bound": 20}),
            "flow lacks method",
        ),
        (
            lambda content: content.update(
                modality="flow", flow={"method": "lucas", "bound": 20}
            ),
            "flow.method",
        ),
        (
            lambda content: content.update(
                modality="flow", flow={"method": "tvl1", "bound": 1e9}
            ),
            "flow.bound",
        ),
    ],
)
def test_crafted_cache_info_is_an_error_naming_the_file(cache, change, message):
    _edit(cache / "cache_info.json", change)
    for read in (read_cache_info, lambda folder: percept_dataset(folder, 2)):
        with pytest.raises(PerceptCacheError, match=message) as error:
            read(cache)
        assert error.value.path == str(cache / "cache_info.json")


def test_uint8_scales_must_be_finite_and_positive(cache):
    _edit(cache / "cache_info.json", _set("dtype", "uint8"))
    for scale in (0, -1.0, float("nan")):
        _edit(
            cache / "cache_info.json",
            _set("quantization", {"colour": {"scale": scale, "offset": 0.0}}),
        )
        with pytest.raises(PerceptCacheError, match="finite number > 0"):
            read_cache_info(cache)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not valid JSON"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
        ("[1, 2]", "JSON object"),
    ],
)
def test_malformed_files_are_errors_naming_them(cache, text, message):
    (cache / "cache_info.json").write_text(text)
    with pytest.raises(PerceptCacheError, match=message):
        read_cache_info(cache)


def test_an_oversized_file_is_refused_before_it_is_read(cache, monkeypatch):
    monkeypatch.setattr(percept_cache_metadata, "MAX_METADATA_BYTES", 256)
    with pytest.raises(PerceptCacheError, match="at most 256 bytes"):
        read_cache_info(cache)


@pytest.mark.parametrize(
    "change, message",
    [
        (_set("examples_per_shard", "4"), "examples_per_shard must be an integer"),
        (_set("num_inputs", -5), "num_inputs must be in"),
        (_set("levels", "colour"), "levels must map"),
        (_set("dtype", None), "dtype must be one of"),
    ],
)
def test_crafted_progress_json_is_an_error_naming_the_file(cache, change, message):
    _edit(cache / "progress.json", change)
    with pytest.raises(PerceptCacheError, match=message) as error:
        write_percept_cache(
            make_motion_clips(6, num_frames=2, image_size=16),
            _mean_colour,
            cache,
            examples_per_shard=4,
            progress=False,
        )
    assert error.value.path == str(cache / "progress.json")


def test_a_crafted_shard_summary_gets_the_shard_rewritten(cache):
    summary = cache / "percepts-00000.summary.json"
    _edit(summary, _set("num_examples", 10**9))
    info = write_percept_cache(
        make_motion_clips(6, num_frames=2, image_size=16),
        _mean_colour,
        cache,
        examples_per_shard=4,
        progress=False,
    )
    assert info["shards"][0]["num_examples"] == 4
    assert json.loads(summary.read_text())["num_examples"] == 4
