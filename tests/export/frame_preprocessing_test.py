import keras
import numpy as np
import pytest

from keras_grurcn.data import sample_frame_indices
from keras_grurcn.export import model_clip_spec
from keras_grurcn.export import preprocess_frames
from keras_grurcn.export import uniform_frame_indices


def frames_numbered_by_time(num_frames, height=6, width=8):
    frames = np.zeros((1, num_frames, height, width, 3), "uint8")
    frames += np.arange(num_frames, dtype="uint8")[None, :, None, None, None]
    return frames


def test_fixed_clip_length_takes_segment_centres():
    sampled = np.asarray(preprocess_frames(frames_numbered_by_time(10), num_frames=4))
    assert sampled.dtype == np.float32
    assert sampled[0, :, 0, 0, 0].tolist() == [1, 3, 6, 8]
    looped = np.asarray(preprocess_frames(frames_numbered_by_time(3), num_frames=5))
    assert looped[0, :, 0, 0, 0].tolist() == [0, 1, 2, 0, 1]


@pytest.mark.parametrize("num_available", [1, 2, 3, 7, 8, 10, 31, 100, 301])
@pytest.mark.parametrize("num_frames", [1, 4, 8, 10])
def test_serving_samples_the_frames_training_takes(num_available, num_frames):
    served = np.asarray(uniform_frame_indices(num_available, num_frames))
    trained = sample_frame_indices(num_available, num_frames)
    np.testing.assert_array_equal(served, trained)


def test_frames_are_resized_to_the_model_size_and_keep_their_range():
    frames = np.full((2, 3, 48, 64, 3), 200, "uint8")
    resized = np.asarray(preprocess_frames(frames, image_size=(32, 32)))
    assert resized.shape == (2, 3, 32, 32, 3)
    np.testing.assert_allclose(resized, 200.0, rtol=1e-6)


def test_no_sampling_or_resizing_when_the_model_accepts_any():
    frames = frames_numbered_by_time(5)
    np.testing.assert_array_equal(preprocess_frames(frames), frames.astype("float32"))


def test_model_clip_spec_reads_the_model_input():
    frames = keras.Input((10, 24, 32, 3))
    model = keras.Model(frames, keras.layers.GlobalAveragePooling3D()(frames))
    assert model_clip_spec(model) == (10, 24, 32)
    vectors = keras.Input((10, 4))
    with pytest.raises(ValueError, match="one input of RGB frames"):
        model_clip_spec(keras.Model(vectors, vectors))
