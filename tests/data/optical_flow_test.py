import numpy as np
import pytest

from keras_grurcn.data import MOTION_CLASSES
from keras_grurcn.data import DecodeReport
from keras_grurcn.data import VideoEntry
from keras_grurcn.data import compute_optical_flow
from keras_grurcn.data import flow_images
from keras_grurcn.data import flow_pair_indices
from keras_grurcn.data import flow_to_image
from keras_grurcn.data import make_motion_clips
from keras_grurcn.data import read_video
from keras_grurcn.data import resolve_flow_method
from keras_grurcn.data import tvl1_available
from keras_grurcn.data import video_dataset
from keras_grurcn.data import video_flow_images
from keras_grurcn.data import write_video

# Expected sign of the median (x, y) flow on the square, per class.
_SIGNS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}
METHODS = ["farneback"] + (["tvl1"] if tvl1_available() else [])


def _smooth_texture(size, seed=0):
    """Blurred noise: texture at every scale the flow pyramids look at."""
    rng = np.random.default_rng(seed)
    texture = rng.uniform(0, 255, (size, size))
    for _ in range(3):  # A separable box blur, wrapping like np.roll.
        texture = sum(np.roll(texture, shift, axis=0) for shift in (-1, 0, 1)) / 3
        texture = sum(np.roll(texture, shift, axis=1) for shift in (-1, 0, 1)) / 3
    texture = (texture - texture.min()) / np.ptp(texture) * 255
    return np.repeat(texture[..., None], 3, axis=-1).astype(np.uint8)


@pytest.mark.parametrize("method", METHODS)
def test_flow_of_a_known_translation_has_its_direction_and_size(method):
    image = _smooth_texture(64)
    dx, dy = 3, -2  # 3 px right, 2 px up
    moved = np.roll(image, (dy, dx), axis=(0, 1))
    flow = compute_optical_flow(np.stack([image, moved]), method=method)
    inner = flow[0, 8:-8, 8:-8].reshape(-1, 2)  # Away from the wrapped edges.
    np.testing.assert_allclose(np.median(inner, axis=0), [dx, dy], atol=0.3)
    # Encoded as the flow stream sees it: x and y around 127.5, then |flow|.
    bound = 8.0
    encoded = flow_images(np.stack([image, moved])[None], method=method, bound=bound)
    centre = np.median(encoded[0, 8:-8, 8:-8].reshape(-1, 3), axis=0)
    expected = [
        (dx + bound) * 255 / (2 * bound),
        (dy + bound) * 255 / (2 * bound),
        np.hypot(dx, dy) * 255 / bound,
    ]
    np.testing.assert_allclose(centre, expected, atol=0.3 * 255 / bound)


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
    with pytest.raises(ValueError, match=r"\[\.\.\., 2, H, W, 3\]"):
        flow_images(np.zeros((3, 32, 32, 3), np.uint8))


def test_tvl1_is_used_when_available_and_named_when_not():
    frames, _ = make_motion_clips(1, num_frames=2, image_size=32)
    if tvl1_available():
        assert compute_optical_flow(frames[0], method="tvl1").shape == (1, 32, 32, 2)
        assert resolve_flow_method("auto") == "tvl1"
    else:
        with pytest.raises(ImportError, match="opencv-contrib-python-headless"):
            compute_optical_flow(frames[0], method="tvl1")
        assert resolve_flow_method("auto") == "farneback"
    with pytest.raises(ValueError, match="method"):
        compute_optical_flow(frames[0], method="lucas")
    with pytest.raises(ValueError, match="method"):
        resolve_flow_method("lucas")


def test_each_sampled_frame_is_paired_with_the_next_one():
    np.testing.assert_array_equal(
        flow_pair_indices(np.array([0, 4, 9]), 10), [[0, 1], [4, 5], [8, 9]]
    )
    # Looped short videos: every pair is still one frame interval.
    np.testing.assert_array_equal(
        flow_pair_indices(np.array([0, 1, 2, 0]), 3), [[0, 1], [1, 2], [1, 2], [0, 1]]
    )
    with pytest.raises(ValueError, match="at least 2 frames"):
        flow_pair_indices(np.array([0]), 1)


def test_flow_clips_are_what_clients_compute_from_the_decoded_video(folder_tree):
    _, entries = folder_tree  # 8-frame videos of the motion task, 32x32
    report = DecodeReport()
    dataset = video_dataset(
        entries[:4],
        num_frames=4,
        image_size=32,
        batch_size=4,
        modality="flow",
        flow_method="farneback",
        flow_bound=4.0,
        error_report=report,
    )
    flow, labels = next(iter(dataset))
    assert flow.shape == (4, 4, 32, 32, 3) and flow.dtype == np.uint8
    for clip, entry in zip(flow.numpy(), entries[:4]):
        served = video_flow_images(
            read_video(entry.path),
            num_frames=4,
            image_size=32,
            method="farneback",
            bound=4.0,
        )
        np.testing.assert_array_equal(clip, served)
        # The square moves `speed` = 2 px per frame: |flow| = 2 of bound 4.
        magnitude = clip[..., 2].astype(float) * 4.0 / 255
        assert 1.5 < np.percentile(magnitude, 99) < 2.8
        # Its direction is the class's.
        moving = clip[..., 2] > 255 * 1.0 / 4.0
        x, y = (np.median(clip[..., c][moving]) - 127.5 for c in (0, 1))
        expected = _SIGNS[MOTION_CLASSES[entry.label]]
        assert (np.sign(round(x / 20)), np.sign(round(y / 20))) == expected
    assert report.num_skipped == 0


def test_flow_of_bad_and_one_frame_videos_is_skipped(folder_tree, bad_videos, tmp_path):
    _, entries = folder_tree
    one_frame = write_video(tmp_path / "still.avi", np.zeros((1, 32, 32, 3), "uint8"))
    report = DecodeReport()
    dataset = video_dataset(
        [VideoEntry(bad_videos["truncated"], 0), VideoEntry(one_frame, 1), entries[0]],
        num_frames=4,
        image_size=32,
        modality="flow",
        error_report=report,
    )
    clips = list(dataset)
    assert len(clips) == 1
    reasons = dict(report.failures)
    assert "at least 2 frames" in reasons[one_frame]
    assert bad_videos["truncated"] in reasons


def test_training_crops_and_flips_apply_to_the_frames_before_the_flow(folder_tree):
    _, entries = folder_tree
    dataset = video_dataset(
        entries[:2],
        num_frames=3,
        image_size=24,
        training=True,
        batch_size=2,
        seed=1,
        modality="flow",
        dtype="float32",
    )
    flow, _ = next(iter(dataset))
    assert flow.shape == (2, 3, 24, 24, 3) and flow.dtype == np.float32
    assert 0 <= float(np.min(flow)) and float(np.max(flow)) <= 255
