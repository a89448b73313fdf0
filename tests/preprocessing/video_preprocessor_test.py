"""VideoPreprocessor: the one frame sampling and resizing, and the frozen CNN."""

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.data import sample_frame_indices
from keras_grurcn.preprocessing import VideoPreprocessor
from keras_grurcn.preprocessing import uniform_frame_indices


def frames_numbered_by_time(num_frames, height=32, width=32):
    frames = np.zeros((1, num_frames, height, width, 3), "uint8")
    frames += np.arange(num_frames, dtype="uint8")[None, :, None, None, None]
    return frames


def pixels(num_frames=4, image_size=32):
    return VideoPreprocessor(None, num_frames=num_frames, image_size=image_size)


def test_fixed_clip_length_takes_segment_centres():
    sampled = keras.ops.convert_to_numpy(
        pixels().preprocess_frames(frames_numbered_by_time(10))
    )
    assert sampled.dtype == np.float32
    assert sampled[0, :, 0, 0, 0].tolist() == [1, 3, 6, 8]
    looped = keras.ops.convert_to_numpy(
        pixels(5).preprocess_frames(frames_numbered_by_time(3))
    )
    assert looped[0, :, 0, 0, 0].tolist() == [0, 1, 2, 0, 1]


@pytest.mark.parametrize("num_available", [1, 2, 3, 7, 8, 10, 31, 100, 301])
@pytest.mark.parametrize("num_frames", [1, 4, 8, 10])
def test_the_model_samples_the_frames_the_data_pipeline_takes(
    num_available, num_frames
):
    in_model = keras.ops.convert_to_numpy(
        uniform_frame_indices(num_available, num_frames)
    )
    in_pipeline = sample_frame_indices(num_available, num_frames)
    np.testing.assert_array_equal(in_model, in_pipeline)


def test_frames_are_cropped_to_the_aspect_ratio_not_stretched():
    # A 32x64 frame: the left and right quarters are cut, the centre kept.
    frames = np.zeros((1, 4, 32, 64, 3), "uint8")
    frames[..., 16:48, :] = 200
    resized = keras.ops.convert_to_numpy(pixels().preprocess_frames(frames))
    assert resized.shape == (1, 4, 32, 32, 3)
    np.testing.assert_allclose(resized, 200.0, rtol=1e-6)


def test_a_clip_already_sampled_and_resized_is_unchanged():
    clip = np.random.default_rng(0).integers(0, 256, (2, 4, 32, 32, 3), "uint8")
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(pixels().preprocess_frames(clip)),
        clip.astype("float32"),
    )
    assert pixels().resizing(clip[0]).shape == (4, 32, 32, 3)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(pixels().resizing(clip[0])), clip[0]
    )


def test_no_sampling_when_the_clip_length_is_free():
    frames = frames_numbered_by_time(5)
    kept = pixels(num_frames=None).preprocess_frames(frames)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(kept), frames)


def test_percepts_of_any_video_have_the_backbone_shapes():
    preprocessor = VideoPreprocessor(
        "vgg16", ["pool2", "pool3"], backbone_weights=None, num_frames=4, image_size=32
    )
    assert preprocessor.output_shapes == {"pool2": (8, 8, 128), "pool3": (4, 4, 256)}
    percepts = preprocessor(np.zeros((2, 9, 45, 60, 3), "uint8"))
    assert {name: tuple(value.shape) for name, value in percepts.items()} == {
        "pool2": (2, 4, 8, 8, 128),
        "pool3": (2, 4, 4, 4, 256),
    }
    assert not preprocessor.trainable_weights


def test_bad_inputs_and_arguments_are_clear_errors():
    with pytest.raises(ValueError, match=r"\(batch, time, height, width, 3\)"):
        pixels()(np.zeros((4, 32, 32, 3)))
    with pytest.raises(ValueError, match="no frames"):
        pixels()(np.zeros((1, 0, 32, 32, 3)))
    with pytest.raises(ValueError, match="num_frames"):
        VideoPreprocessor(None, num_frames=0)
    with pytest.raises(ValueError, match="image_size"):
        VideoPreprocessor(None, image_size=10**6)
    with pytest.raises(ValueError, match="Unknown backbone"):
        VideoPreprocessor("vgg19")


def test_config_and_preset_round_trip_keep_the_cnn_weights(tmp_path):
    keras.utils.set_random_seed(1)
    preprocessor = VideoPreprocessor(
        "vgg16", ["pool2"], backbone_weights=None, num_frames=4, image_size=32
    )
    config = preprocessor.get_config()
    assert VideoPreprocessor.from_config(config).get_config() == config
    preprocessor.save_to_preset(tmp_path / "preset")
    restored = keras_grurcn.preprocessing.Preprocessor.from_preset(
        str(tmp_path / "preset")
    )
    assert type(restored) is VideoPreprocessor
    video = np.random.default_rng(2).integers(0, 256, (1, 6, 40, 40, 3), "uint8")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(restored(video)["pool2"]),
        keras.ops.convert_to_numpy(preprocessor(video)["pool2"]),
        rtol=1e-6,
    )


def test_builtin_preset_builds_the_paper_preprocessor():
    preprocessor = VideoPreprocessor.from_preset(
        "ucf101_grurcn", backbone_weights=None, image_size=32, levels=["pool2"]
    )
    assert (preprocessor.backbone, preprocessor.num_frames) == ("vgg16", 10)
    assert preprocessor.levels == ["pool2"]
