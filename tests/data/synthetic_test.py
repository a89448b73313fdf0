import numpy as np
import pytest

from keras_grurcn.data import synthetic


def _step_of(clip, speed):
    """The (dy, dx) roll that maps the patch mask of frame 0 onto frame 1."""
    masks = clip.max(axis=-1) > 100  # Background <= 70, patch channel >= 126.
    candidates = {
        label: np.roll(masks[0], (dy * speed, dx * speed), axis=(0, 1))
        for label, (dy, dx) in enumerate(synthetic._MOTION_STEPS)
    }
    return [label for label, m in candidates.items() if np.array_equal(m, masks[1])]


def test_shapes_dtypes_balance_and_determinism():
    frames, labels = synthetic.make_motion_clips(12, num_frames=4, image_size=16)
    assert frames.shape == (12, 4, 16, 16, 3) and frames.dtype == np.uint8
    assert labels.dtype == np.int32
    np.testing.assert_array_equal(np.bincount(labels), [3, 3, 3, 3])
    again, again_labels = synthetic.make_motion_clips(12, num_frames=4, image_size=16)
    np.testing.assert_array_equal(frames, again)
    np.testing.assert_array_equal(labels, again_labels)
    other, _ = synthetic.make_motion_clips(12, num_frames=4, image_size=16, seed=1)
    assert not np.array_equal(frames, other)


def test_the_patch_moves_in_the_labelled_direction():
    frames, labels = synthetic.make_motion_clips(16, num_frames=3, image_size=32)
    for clip, label in zip(frames, labels):
        assert _step_of(clip, speed=2) == [label]


def test_single_frames_carry_no_class_information():
    # Start positions and colours are drawn independently of the class and
    # the square wraps around, so the per-class frame statistics agree.
    frames, labels = synthetic.make_motion_clips(400, num_frames=2, image_size=16)
    bright = frames.max(axis=-1) > 100
    occupancy = np.stack([bright[labels == c, 0].mean(axis=0) for c in range(4)])
    # Each pixel is covered with probability (8/16)^2 = 0.25 in every class.
    np.testing.assert_allclose(occupancy.mean(axis=(1, 2)), 0.25, atol=0.03)


def test_captions_name_colour_and_direction():
    frames, labels, captions = synthetic.make_captioned_motion_clips(
        4, num_frames=2, image_size=16, captions_per_clip=2
    )
    plain, plain_labels = synthetic.make_motion_clips(4, num_frames=2, image_size=16)
    np.testing.assert_array_equal(frames, plain)
    for label, clip_captions in zip(labels, captions):
        assert len(clip_captions) == 2
        assert clip_captions[0].endswith(synthetic.MOTION_CLASSES[label])
    assert synthetic.caption_for(0, "red") == "a red square moves left"
    with pytest.raises(ValueError, match="label"):
        synthetic.caption_for(7, "red")


def test_invalid_sizes_are_rejected():
    with pytest.raises(ValueError, match="patch_size"):
        synthetic.make_motion_clips(2, image_size=8, patch_size=8)


def test_flickering_clips_keep_the_grey_levels_and_redraw_the_colours():
    import cv2

    from keras_grurcn.data import compute_optical_flow

    frames, labels = synthetic.make_motion_clips(
        8, num_frames=3, image_size=32, patch_size=12, appearance="flicker"
    )
    assert frames.shape == (8, 3, 32, 32, 3) and np.bincount(labels).tolist() == [2] * 4
    for clip, label in zip(frames, labels):
        rgb = clip.astype(float)
        grey = np.stack([cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in clip]).astype(
            float
        )
        # Every pixel's colour changes from frame to frame...
        assert np.mean(np.abs(np.diff(rgb, axis=0)).max(axis=-1) > 3) > 0.9
        # ...while the grey image changes only where the square moves (12x12,
        # 2 pixels a frame: at most 14 x 12 of the 32 x 32 pixels).
        assert np.mean(np.abs(np.diff(grey, axis=0)) > 3) < 14 * 12 / 32**2
        dx, dy = synthetic._MOTION_STEPS[label][::-1]
        flow = compute_optical_flow(clip)[0]
        magnitude = np.linalg.norm(flow, axis=-1)
        fast = magnitude >= np.percentile(magnitude, 90)  # On the square.
        median = np.median(flow[fast], axis=0)
        along = median @ np.array([dx, dy])  # The labelled direction...
        across = median @ np.array([-dy, dx])
        assert along > 0.2 and abs(across) < along, (label, median)  # ...leads.
    _, _, captions = synthetic.make_captioned_motion_clips(
        1, num_frames=2, appearance="flicker", captions_per_clip=1
    )
    assert captions[0][0].startswith("a flickering square moves")
    with pytest.raises(ValueError, match="appearance"):
        synthetic.make_motion_clips(1, appearance="strobe")
