import os

import numpy as np
import pytest

from keras_grurcn.data import (
    MOTION_CLASSES,
    VideoEntry,
    compute_optical_flow,
    flow_to_image,
    make_motion_clips,
    read_video,
    tvl1_available,
    video_dataset,
    write_flow_videos,
)

# Expected sign of the median (x, y) flow on the square, per class.
_SIGNS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}


def test_farneback_flow_follows_the_motion():
    frames, labels = make_motion_clips(8, num_frames=3, image_size=32)
    for clip, label in zip(frames, labels):
        flow = compute_optical_flow(clip)
        assert flow.shape == (2, 32, 32, 2) and flow.dtype == np.float32
        on_square = clip[:-1].max(axis=-1) > 100
        median = np.median(flow[on_square], axis=0)
        expected = np.array(_SIGNS[MOTION_CLASSES[label]])
        moving = expected != 0
        assert np.all(np.sign(median[moving]) == expected[moving])
        assert np.all(np.abs(median[moving]) > 0.5)
        assert np.all(np.abs(median[~moving]) < 0.5)


def test_flow_image_encoding():
    flow = np.array([[0.0, 0.0], [20.0, -20.0], [40.0, 3.0]], np.float32)
    image = flow_to_image(flow, bound=20.0)
    np.testing.assert_array_equal(image[0], [128, 128, 0])
    np.testing.assert_array_equal(image[1], [255, 0, 255])  # |(20,-20)| > bound.
    np.testing.assert_array_equal(image[2, :2], [255, 147])  # (3 + 20) * 255 / 40
    with pytest.raises(ValueError, match=r"\[\.\.\., 2\]"):
        flow_to_image(np.zeros((2, 3)))


def test_tvl1_is_used_when_available_and_named_when_not():
    frames, _ = make_motion_clips(1, num_frames=2, image_size=32)
    if tvl1_available():
        assert compute_optical_flow(frames[0], method="tvl1").shape == (1, 32, 32, 2)
    else:
        with pytest.raises(ImportError, match="opencv-contrib-python-headless"):
            compute_optical_flow(frames[0], method="tvl1")
    with pytest.raises(ValueError, match="method"):
        compute_optical_flow(frames[0], method="lucas")


def test_flow_cache_is_lossless_resumable_and_readable(
    folder_tree, bad_videos, tmp_path
):
    _, entries = folder_tree
    flow_entries = write_flow_videos(entries[:3], tmp_path, progress=False)
    assert [e.label for e in flow_entries] == [e.label for e in entries[:3]]
    cached = read_video(flow_entries[0].path)
    expected = flow_to_image(compute_optical_flow(read_video(entries[0].path)))
    np.testing.assert_array_equal(cached, expected)  # 7 flow frames, lossless.
    stamp = os.path.getmtime(flow_entries[0].path)
    again = write_flow_videos(entries[:4], tmp_path, progress=False)
    assert os.path.getmtime(again[0].path) == stamp  # Kept, not recomputed.
    assert len(again) == 4
    frames, labels = next(
        iter(video_dataset(again, num_frames=4, image_size=32, batch_size=4))
    )
    assert frames.shape == (4, 4, 32, 32, 3)
    skipped = write_flow_videos(
        [VideoEntry(bad_videos["truncated"], 0)] + entries[:1],
        tmp_path / "b",
        progress=False,
    )
    assert len(skipped) == 1
