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
