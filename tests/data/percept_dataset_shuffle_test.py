"""Training reads a cache in a new order each epoch, the same in every process."""

import numpy as np

from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import percept_dataset
from keras_grurcn.data import write_percept_cache
from tests.data.percept_cache_helpers import tiny_extractor


def _ids(dataset):
    return [i.decode() for _, ids in dataset for i in ids.numpy()]


def test_seeded_shard_shuffle_is_reproducible_and_changes_every_epoch(tmp_path):
    clips = make_motion_clips(24, num_frames=2, image_size=32)
    write_percept_cache(
        clips, tiny_extractor(), tmp_path, examples_per_shard=3, progress=False
    )

    def epochs(count):
        dataset = percept_dataset(
            tmp_path, 4, target="video_id", shuffle=True, shuffle_buffer=1, seed=5
        )
        return [_ids(dataset) for _ in range(count)]

    first, second, third = epochs(3)
    in_order = _ids(percept_dataset(tmp_path, 4, target="video_id"))
    assert sorted(first) == sorted(in_order)  # every clip, once
    assert first != in_order
    assert len({tuple(first), tuple(second), tuple(third)}) == 3
    # Another process (worker) with the same seed reads the same order, so
    # sharding the stream by element splits the clips exactly.
    assert epochs(3) == [first, second, third]
    assert np.array_equal(sorted(first), sorted(second))
