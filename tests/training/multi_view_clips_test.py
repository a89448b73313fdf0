"""Clips x crops test views, and their scores per view count."""

import json

import numpy as np
import pytest

from keras_grurcn import data
from keras_grurcn.preprocessing import uniform_frame_indices
from keras_grurcn.training import evaluate_multi_clip
from keras_grurcn.training import spatial_crops
from keras_grurcn.training import video_views


def positions(height, width):
    """A frame whose pixel (r, c) holds (r, c): crops show where they were cut."""
    rows, cols = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    return np.stack([rows, cols, np.zeros_like(rows)], axis=-1)


def corner(crop):
    return tuple(crop[0, 0, :2].tolist()), crop.shape[:2]


def test_one_crop_is_the_whole_frame():
    frames = positions(24, 40)[None]
    assert np.array_equal(spatial_crops(frames, 1)[0], frames)


def test_three_crops_run_along_the_longer_side_centre_first():
    landscape = spatial_crops(positions(24, 40), 3)
    assert [corner(crop) for crop in landscape] == [
        ((0, 8), (24, 24)),
        ((0, 0), (24, 24)),
        ((0, 16), (24, 24)),
    ]
    portrait = spatial_crops(positions(40, 24), 3)
    assert [corner(crop)[0] for crop in portrait] == [(8, 0), (0, 0), (16, 0)]
    # The model's aspect ratio sets the window: 4:3 frames for a 2:1 model.
    wide = spatial_crops(positions(30, 40), 3, aspect_ratio=2.0)
    assert [corner(crop) for crop in wide] == [
        ((5, 0), (20, 40)),
        ((0, 0), (20, 40)),
        ((10, 0), (20, 40)),
    ]


def test_ten_crops_are_corners_and_centre_then_their_mirror_images():
    crops = spatial_crops(positions(32, 48), 10)
    size = (28, 28)  # 0.875 of the 32-pixel square window
    assert [corner(crop) for crop in crops[:5]] == [
        ((2, 10), size),
        ((0, 0), size),
        ((0, 20), size),
        ((4, 0), size),
        ((4, 20), size),
    ]
    for crop, flipped in zip(crops[:5], crops[5:]):
        assert np.array_equal(flipped, crop[:, ::-1])
    with pytest.raises(ValueError, match="one of"):
        spatial_crops(positions(8, 8), 5)


def test_uniform_clips_interleave_the_segments_and_the_middle_one_is_the_cache_view():
    one = uniform_frame_indices(90, 6, xp=np)
    three = uniform_frame_indices(90, 6, num_clips=3, xp=np)
    assert three.shape == (3, 6)
    assert np.array_equal(three[1], one)  # odd count: the middle clip
    # Each clip spans the whole video, one frame per segment of 15 frames.
    assert three[0].tolist() == [2, 17, 32, 47, 62, 77]
    assert three[2].tolist() == [12, 27, 42, 57, 72, 87]
    assert np.all(np.diff(three, axis=0) > 0)
    # A video shorter than a clip gives the one-clip (looped) clip each time.
    assert (
        uniform_frame_indices(4, 6, num_clips=2, xp=np).tolist()
        == [[0, 1, 2, 3, 0, 1]] * 2
    )
    assert np.array_equal(
        data.sample_frame_indices(90, 6, num_clips=3), three
    )  # the data pipeline's sampler too


@pytest.fixture(scope="module")
def numbered_video(tmp_path_factory):
    """60 frames of 32x48, frame i a flat grey of 4 * i (survives compression)."""
    frames = np.repeat(np.arange(60, dtype=np.uint8)[:, None, None, None] * 4, 3, -1)
    frames = np.broadcast_to(frames, (60, 32, 48, 3)).copy()
    path = tmp_path_factory.mktemp("numbered") / "numbered.mp4"
    return str(data.write_video(path, frames))


def frame_numbers(views):
    return np.round(views.reshape(views.shape[:2] + (-1,)).mean(-1) / 4).astype(int)


def test_video_views_are_clips_by_clip_with_their_crops(numbered_video):
    views = video_views(numbered_video, num_clips=3, num_crops=3, num_frames=5)
    assert views.shape == (9, 5, 32, 32, 3)
    numbers = frame_numbers(views)
    expected = uniform_frame_indices(60, 5, num_clips=3, xp=np)
    for clip in range(3):
        for crop in range(3):
            assert numbers[clip * 3 + crop].tolist() == expected[clip].tolist()
    consecutive = video_views(
        numbered_video,
        num_clips=2,
        num_crops=1,
        num_frames=4,
        sampling="multi_clip",
        stride=2,
    )
    assert frame_numbers(consecutive).tolist() == [[0, 2, 4, 6], [53, 55, 57, 59]]


class ProbabilitiesInPixels:
    """A stand-in classifier: each view's first pixel holds its probabilities."""

    def predict_on_batch(self, views):
        return views[:, 0, 0, 0, :].astype("float32")


def test_each_view_count_averages_its_own_views(tmp_path):
    # 3 clips x 3 crops of one video, 4 classes: the true class 2 is the best
    # only when every view is averaged; the middle clip's centre crop says 0,
    # the centre crops together say 1, the middle clip's crops say 3.
    views = np.zeros((9, 1, 1, 1, 4), "float32")
    votes = {
        (0, 0): 1, (0, 1): 2, (0, 2): 2,
        (1, 0): 0, (1, 1): 3, (1, 2): 3,
        (2, 0): 1, (2, 1): 2, (2, 2): 2,
    }  # fmt: skip
    for (clip, crop), label in votes.items():
        views[clip * 3 + crop, 0, 0, 0, label] = 1.0
    report = evaluate_multi_clip(
        ProbabilitiesInPixels(),
        [(views, 2)],
        num_crops=3,
        output_dir=str(tmp_path),
        protocol={"frames": 1, "sampling": "uniform"},
    )
    assert report["probabilities"][0].tolist() == pytest.approx(
        [1 / 9, 2 / 9, 4 / 9, 2 / 9]
    )
    assert report["views"] == {
        "1x1": {"top1_accuracy": 0.0},
        "1x3": {"top1_accuracy": 0.0},
        "3x1": {"top1_accuracy": 0.0},
        "3x3": {"top1_accuracy": 1.0},
    }
    assert report["top1_accuracy"] == 1.0 and "top5_accuracy" not in report
    assert report["protocol"] == {
        "clips": 3,
        "crops": 3,
        "frames": 1,
        "sampling": "uniform",
    }
    written = json.loads((tmp_path / "evaluation.json").read_text())
    assert written["views"] == report["views"]
    assert written["protocol"] == report["protocol"]
    # Videos of different clip counts: "all" clips of each.
    mixed = evaluate_multi_clip(
        ProbabilitiesInPixels(), [(views, 2), (views[3:6], 3)], num_crops=3
    )
    assert sorted(mixed["views"]) == ["1x1", "1x3", "allx1", "allx3"]
    assert mixed["protocol"]["clips"] == "varies"
    assert mixed["views"]["1x3"] == {"top1_accuracy": 0.5}  # the second: 3
    with pytest.raises(ValueError, match="whole number of clips"):
        evaluate_multi_clip(ProbabilitiesInPixels(), [(views[:4], 2)], num_crops=3)
    assert json.loads((tmp_path / "evaluation.json").read_text())["views"]


def test_one_view_of_the_video_is_what_the_cache_holds(numbered_video, tmp_path):
    import keras_grurcn

    model = keras_grurcn.build_model(
        "grurcn",
        class_names=["a", "b", "c"],
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )
    cache = tmp_path / "cache"
    entries = [data.VideoEntry(numbered_video, 1)]
    data.write_percept_cache(
        entries, model.preprocessor, cache, num_frames=4, image_size=32, progress=False
    )
    percepts, _ = next(iter(data.percept_dataset(cache, 1)))
    from_cache = model.predict(percepts, verbose=0)
    views = video_views(numbered_video, num_clips=1, num_crops=1, num_frames=4)
    report = evaluate_multi_clip(model, [(views, 1)])
    np.testing.assert_allclose(report["probabilities"], from_cache, atol=2e-3)
