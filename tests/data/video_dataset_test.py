import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.data import (
    DecodeReport,
    VideoEntry,
    make_motion_clips,
    video_dataset,
)


def _collect(dataset):
    frames, targets = zip(*[(f.numpy(), t.numpy()) for f, t in dataset])
    return np.concatenate(frames), np.concatenate(targets)


def test_eval_pipeline_returns_the_encoded_clips_in_order(folder_tree):
    _, entries = folder_tree
    dataset = video_dataset(
        entries, num_frames=8, image_size=32, batch_size=3, resize_scale=1.0
    )
    frames, labels = _collect(dataset)
    original, original_labels = make_motion_clips(8, num_frames=8, image_size=32)
    assert frames.shape == (8, 8, 32, 32, 3) and frames.dtype == np.uint8
    np.testing.assert_array_equal(labels, original_labels)
    assert np.abs(frames.astype(int) - original.astype(int)).mean() < 10


def test_training_pipeline_augments_reproducibly(folder_tree):
    _, entries = folder_tree
    kwargs = dict(
        num_frames=4,
        image_size=24,
        sampling="random",
        stride=2,
        training=True,
        batch_size=8,
        seed=3,
        dtype="float32",
    )
    first, labels = next(iter(video_dataset(entries, **kwargs)))
    again, _ = next(iter(video_dataset(entries, **kwargs)))
    assert first.shape == (8, 4, 24, 24, 3) and first.dtype == tf.float32
    assert 0.0 <= float(tf.reduce_min(first)) and float(tf.reduce_max(first)) <= 255
    assert sorted(labels.numpy().tolist()) == sorted(e.label for e in entries)
    # Same seed, same element order once sorted by label: same pixels.
    np.testing.assert_allclose(
        np.sort(first.numpy().ravel()), np.sort(again.numpy().ravel())
    )
    other, _ = next(iter(video_dataset(entries, **dict(kwargs, seed=4))))
    assert not np.allclose(
        np.sort(first.numpy().ravel()), np.sort(other.numpy().ravel())
    )


def test_multi_clip_and_caption_targets(folder_tree):
    _, entries = folder_tree
    dataset = video_dataset(
        entries[:4],
        num_frames=2,
        image_size=16,
        sampling="multi_clip",
        num_clips=3,
        batch_size=2,
        target="captions",
    )
    frames, captions = next(iter(dataset))
    assert frames.shape == (2, 3, 2, 16, 16, 3)
    assert captions.to_list()[0][0].decode() == entries[0].captions[0]


def test_bad_files_are_skipped_counted_and_reported(folder_tree, bad_videos, caplog):
    _, entries = folder_tree
    bad = [bad_videos[k] for k in ("truncated", "not_a_video", "zero_frames")]
    report = DecodeReport()
    dataset = video_dataset(
        list(entries) + [VideoEntry(p, 0) for p in bad],
        num_frames=4,
        image_size=32,
        batch_size=4,
        error_report=report,
    )
    with caplog.at_level("WARNING", logger="keras_grurcn.data"):
        frames, _ = _collect(dataset)
    assert frames.shape[0] == len(entries)
    assert report.num_skipped == 3
    assert sorted(path for path, _ in report.failures) == sorted(bad)
    assert "3 of the videos were skipped" in report.summary()
    assert bad_videos["truncated"] in caplog.text


def test_on_error_raise_stops_with_the_file_name(bad_videos):
    dataset = video_dataset(
        [bad_videos["not_a_video"]], num_frames=2, image_size=16, on_error="raise"
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="notes.mp4"):
        next(iter(dataset))


def test_short_videos_are_looped(folder_tree):
    _, entries = folder_tree
    dataset = video_dataset(entries[:1], num_frames=12, image_size=32, resize_scale=1)
    frames, _ = next(iter(dataset))
    np.testing.assert_array_equal(frames[8:], frames[:4])


def test_bad_arguments_name_the_argument(folder_tree):
    _, entries = folder_tree
    for name, value in [
        ("sampling", "dense"),
        ("on_error", "ignore"),
        ("target", "boxes"),
        ("dtype", "float16"),
        ("resize_scale", 0.5),
    ]:
        with pytest.raises(ValueError, match=name):
            video_dataset(entries, num_frames=2, image_size=16, **{name: value})
    with pytest.raises(ValueError, match="empty"):
        video_dataset([], num_frames=2, image_size=16)
