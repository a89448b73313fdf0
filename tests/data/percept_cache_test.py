import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.data import VideoEntry
from keras_grurcn.data import make_captioned_motion_clips
from keras_grurcn.data import percept_dataset
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import write_percept_cache
from keras_grurcn.layers import ConvGRU2D


def _tiny_extractor():
    """Two 'levels' of a frozen per-frame CNN, the way FramePercepts is shaped."""
    frames = keras.Input((None, 32, 32, 3))
    low = keras.layers.TimeDistributed(
        keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")
    )(frames / 255.0)
    high = keras.layers.TimeDistributed(keras.layers.AveragePooling2D(2))(low)
    return keras.Model(frames, {"low": low, "high": high})


class _Interrupted(Exception):
    pass


class _CountingExtractor:
    def __init__(self, model, fail_on_call=None):
        self.model, self.fail_on_call, self.calls, self.clips = (
            model,
            fail_on_call,
            0,
            0,
        )

    def __call__(self, frames):
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise _Interrupted
        self.clips += len(frames)
        return self.model(frames)


@pytest.fixture(scope="module")
def clips():
    return make_captioned_motion_clips(
        10, num_frames=4, image_size=32, captions_per_clip=2
    )


def test_round_trip_of_percepts_and_targets(clips, tmp_path):
    frames, labels, captions = clips
    extractor = _tiny_extractor()
    info = write_percept_cache(
        clips, extractor, tmp_path, batch_size=3, examples_per_shard=4, progress=False
    )
    assert info["levels"] == {"low": [4, 16, 16, 4], "high": [4, 8, 8, 4]}
    assert [s["num_examples"] for s in info["shards"]] == [4, 4, 2]
    assert read_cache_info(tmp_path) == info
    percepts, read_labels = next(iter(percept_dataset(tmp_path, batch_size=10)))
    expected = extractor(frames.astype("float32"))
    for level in ("low", "high"):
        assert percepts[level].shape == (10,) + tuple(info["levels"][level])
        np.testing.assert_allclose(
            percepts[level].numpy(), expected[level], rtol=1e-3, atol=1e-3
        )  # float16 storage.
    np.testing.assert_array_equal(read_labels, labels)
    pairs = list(percept_dataset(tmp_path, batch_size=20, target="caption"))
    assert pairs[0][1].numpy().tolist() == [c.encode() for cs in captions for c in cs]
    _, ragged = next(
        iter(percept_dataset(tmp_path, 2, target="captions", levels=["high"]))
    )
    assert ragged.to_list()[1] == [c.encode() for c in captions[1]]
    with pytest.raises(ValueError, match="middle"):
        percept_dataset(tmp_path, 2, levels=["middle"])


def test_an_interrupted_cache_resumes_without_redoing_finished_shards(clips, tmp_path):
    model = _tiny_extractor()
    interrupted = _CountingExtractor(model, fail_on_call=3)
    with pytest.raises(_Interrupted):
        write_percept_cache(
            clips,
            interrupted,
            tmp_path,
            batch_size=3,
            examples_per_shard=4,
            progress=False,
        )
    # Shard 0 (clips 0-3) is done; the failed shard 1 left nothing behind.
    assert sorted(os.listdir(tmp_path)) == [
        "percepts-00000.summary.json",
        "percepts-00000.tfrecord",
        "progress.json",
    ]
    with pytest.raises(FileNotFoundError, match="incomplete"):
        percept_dataset(tmp_path, 2)
    finished = os.path.getmtime(tmp_path / "percepts-00000.tfrecord")
    resumed = _CountingExtractor(model)
    info = write_percept_cache(
        clips, resumed, tmp_path, batch_size=3, examples_per_shard=4, progress=False
    )
    assert resumed.clips == 6  # Clips 4-9 only: the partial shard is redone.
    assert os.path.getmtime(tmp_path / "percepts-00000.tfrecord") == finished
    assert info["num_examples"] == 10
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".partial")]
    reference = tmp_path / "reference"
    write_percept_cache(clips, model, reference, examples_per_shard=4, progress=False)
    for (a, la), (b, lb) in zip(
        percept_dataset(tmp_path, 5), percept_dataset(reference, 5)
    ):
        np.testing.assert_array_equal(a["low"], b["low"])
        np.testing.assert_array_equal(la, lb)
    with pytest.raises(ValueError, match="examples_per_shard"):
        write_percept_cache(
            clips, model, tmp_path, examples_per_shard=5, progress=False
        )


def test_cache_from_video_files_and_from_a_dataset(folder_tree, bad_videos, tmp_path):
    _, entries = folder_tree
    videos = list(entries[:3]) + [VideoEntry(bad_videos["truncated"], 1)]
    info = write_percept_cache(
        videos,
        _tiny_extractor(),
        tmp_path / "files",
        num_frames=4,
        image_size=32,
        progress=False,
    )
    assert info["num_examples"] == 3  # The truncated file is skipped.
    _, ids = next(iter(percept_dataset(tmp_path / "files", 3, target="video_id")))
    assert [i.decode() for i in ids.numpy()] == [e.video_id for e in entries[:3]]
    frames, labels, _ = make_captioned_motion_clips(4, num_frames=2, image_size=32)
    dataset = tf.data.Dataset.from_tensor_slices((frames, labels))
    info = write_percept_cache(
        dataset, _tiny_extractor(), tmp_path / "ds", progress=False
    )
    assert info["num_examples"] == 4
    with pytest.raises(TypeError, match="dict"):
        write_percept_cache(
            (frames, labels), lambda x: x, tmp_path / "bad", progress=False
        )


def test_cached_percepts_feed_model_fit(clips, tmp_path):
    write_percept_cache(clips, _tiny_extractor(), tmp_path, progress=False)
    inputs = {
        "low": keras.Input((4, 16, 16, 4), name="low"),
        "high": keras.Input((4, 8, 8, 4), name="high"),
    }
    pooled = [
        keras.layers.GlobalAveragePooling2D()(ConvGRU2D(2, 3, padding="same")(x))
        for x in inputs.values()
    ]
    outputs = keras.layers.Dense(4)(keras.layers.Concatenate()(pooled))
    model = keras.Model(inputs, outputs)
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(
        percept_dataset(tmp_path, 4, shuffle=True), epochs=1, shuffle=False, verbose=0
    )
    assert np.isfinite(history.history["loss"][0])
    assert percept_dataset(tmp_path, 4).cardinality() == 3  # 10 clips.
    assert percept_dataset(tmp_path, 4, target="caption").cardinality() == 5
