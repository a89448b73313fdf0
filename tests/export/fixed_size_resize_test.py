"""The preprocessor's resize as two matrix products equals the layer."""

import numpy as np
import pytest
import tensorflow as tf

import keras_grurcn
from keras_grurcn.export.fixed_size_resize import check_frame_size
from keras_grurcn.export.fixed_size_resize import fixed_size_resizer
from keras_grurcn.export.fixed_size_resize import resize_matrices


@pytest.fixture(scope="module")
def preprocessor():
    return keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool1"], backbone_weights=None, num_frames=2, image_size=32
    )


# Larger and wider (a centred crop), taller, smaller (upsampling), the same.
@pytest.mark.parametrize("frame_size", [(48, 64), (70, 40), (20, 24), (32, 32)])
def test_matrices_resize_as_the_layer_does(preprocessor, frame_size):
    frames = np.random.default_rng(0).integers(0, 256, (3, *frame_size, 3))
    expected = np.asarray(preprocessor.resizing(frames.astype("float32")))
    resized = fixed_size_resizer(preprocessor, frame_size)(
        tf.constant(frames, tf.uint8)
    )
    assert resized.shape == (3, 32, 32, 3)
    # Float rounding only, on the 0-255 scale.
    np.testing.assert_allclose(resized.numpy(), expected, atol=2e-3)


def test_matrices_are_the_crop_and_a_normalised_kernel(preprocessor):
    rows, cols = resize_matrices(preprocessor, (48, 64))
    assert rows.shape == (32, 48) and cols.shape == (32, 64)
    np.testing.assert_allclose(rows.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(cols.sum(axis=1), 1.0, atol=1e-5)
    # The centred 48x48 window of a 48x64 frame: 8 columns cut on each side.
    assert not cols[:, :8].any() and not cols[:, -8:].any()


def test_clips_are_resized_frame_by_frame(preprocessor):
    clips = np.random.default_rng(1).integers(0, 256, (2, 3, 48, 64, 3))
    resized = fixed_size_resizer(preprocessor, (48, 64))(tf.constant(clips, tf.uint8))
    expected = preprocessor.resize_frames(clips.astype("float32"))
    np.testing.assert_allclose(resized.numpy(), np.asarray(expected), atol=2e-3)


@pytest.mark.parametrize("frame_size", [0, (10,), (10, -1), "big"])
def test_a_bad_frame_size_names_the_argument(frame_size):
    with pytest.raises(ValueError, match="`frame_size` must be"):
        check_frame_size(frame_size)
