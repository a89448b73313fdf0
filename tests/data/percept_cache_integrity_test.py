"""Broken shards are found when a cache is opened, and a rerun repairs them."""

import os

import pytest

from keras_grurcn.data import PerceptCacheError
from keras_grurcn.data import make_captioned_motion_clips
from keras_grurcn.data import percept_dataset
from keras_grurcn.data import write_percept_cache
from tests.data.percept_cache_helpers import assert_same_cache
from tests.data.percept_cache_helpers import tiny_extractor

COMMAND = "grurcn extract --videos clips --out cache"


@pytest.fixture(scope="module")
def clips():
    return make_captioned_motion_clips(10, num_frames=4, image_size=32)


@pytest.fixture(scope="module")
def extractor():
    return tiny_extractor()


def _write(clips, extractor, folder, **options):
    return write_percept_cache(
        clips, extractor, folder, examples_per_shard=4, progress=False, **options
    )


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_truncated_shard_is_named_with_the_command_that_rewrites_it(
    clips, extractor, tmp_path
):
    _write(clips, extractor, tmp_path, command=COMMAND)
    _truncate(tmp_path / "percepts-00001.tfrecord")
    with pytest.raises(PerceptCacheError, match="truncated") as error:
        percept_dataset(tmp_path, 2)
    assert error.value.path == str(tmp_path / "percepts-00001.tfrecord")
    assert COMMAND in str(error.value)


def test_a_missing_or_reframed_shard_is_found(clips, extractor, tmp_path):
    _write(clips, extractor, tmp_path)
    os.remove(tmp_path / "percepts-00002.tfrecord")
    with pytest.raises(PerceptCacheError, match="00002.tfrecord.*missing"):
        percept_dataset(tmp_path, 2)
    # Same size, other framing: only the record walk sees it.
    shard = tmp_path / "percepts-00000.tfrecord"
    data = bytearray(shard.read_bytes())
    data[0] ^= 0x01  # The first record's length.
    shard.write_bytes(bytes(data))
    with pytest.raises(PerceptCacheError, match="00000.tfrecord.*records"):
        percept_dataset(tmp_path, 2, verify="records")
    # A size check alone lets that shard pass and stops at the missing one.
    with pytest.raises(PerceptCacheError, match="00002.tfrecord.*missing"):
        percept_dataset(tmp_path, 2, verify="size")


def test_a_rerun_rewrites_broken_and_missing_shards_and_keeps_the_good_ones(
    clips, extractor, tmp_path
):
    reference = tmp_path / "reference"
    _write(clips, extractor, reference)
    cache = tmp_path / "cache"
    _write(clips, extractor, cache)
    _truncate(cache / "percepts-00001.tfrecord")
    os.remove(cache / "percepts-00002.tfrecord")
    good = cache / "percepts-00000.tfrecord"
    before = (good.stat().st_ino, good.stat().st_mtime_ns)

    info = _write(clips, extractor, cache)

    assert (good.stat().st_ino, good.stat().st_mtime_ns) == before
    assert info["num_examples"] == 10
    assert_same_cache(cache, reference, atol=0)
