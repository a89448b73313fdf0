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


def _first_kernel(preprocessor):
    extractor = preprocessor.percepts.extractor
    return keras.ops.convert_to_numpy(
        extractor.get_layer("vgg16").get_layer("block1_conv1").kernel
    )


def test_a_flow_preprocessor_starts_from_imagenet_filters_averaged(
    monkeypatch, tmp_path
):
    # ImageNet's weights are downloaded by keras.applications' get_file: here
    # it hands over a local file of VGG-16 weights instead of the network's.
    from keras.src.utils import file_utils

    keras.utils.set_random_seed(3)
    source = keras.applications.VGG16(
        include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    weights_file = str(tmp_path / "vgg16_imagenet_stand_in.weights.h5")
    source.save_weights(weights_file)
    monkeypatch.setattr(file_utils, "get_file", lambda *args, **kw: weights_file)
    rgb_kernel = keras.ops.convert_to_numpy(source.get_layer("block1_conv1").kernel)

    def stream(modality, weights="imagenet"):
        return VideoPreprocessor(
            "vgg16",
            ["pool1"],
            backbone_weights=weights,
            num_frames=2,
            image_size=32,
            modality=modality,
        )

    np.testing.assert_array_equal(_first_kernel(stream("rgb")), rgb_kernel)
    flow = _first_kernel(stream("flow"))
    np.testing.assert_allclose(
        flow, np.repeat(rgb_kernel.mean(axis=2, keepdims=True), 3, axis=2), atol=1e-7
    )
    # A local file is the flow stream's own weights (e.g. a flow-trained CNN).
    np.testing.assert_array_equal(
        _first_kernel(stream("flow", weights_file)), rgb_kernel
    )


def test_flow_preprocessors_record_how_their_images_are_made(tmp_path):
    flow = VideoPreprocessor(
        "vgg16",
        ["pool2"],
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        modality="flow",
        flow_method="tvl1",
        flow_bound=8,
    )
    assert flow.flow_image_options == {
        "num_frames": 4,
        "image_size": (32, 32),
        "method": "tvl1",
        "bound": 8.0,
    }
    flow.save_to_preset(tmp_path / "flow")
    restored = keras_grurcn.preprocessing.Preprocessor.from_preset(
        str(tmp_path / "flow")
    )
    assert restored.flow_image_options == flow.flow_image_options
    rgb = pixels()
    assert (rgb.modality, rgb.flow_image_options) == ("rgb", None)
    assert VideoPreprocessor(None, modality="flow").flow_method == "farneback"
    with pytest.raises(ValueError, match="modality"):
        VideoPreprocessor(None, modality="depth")
    with pytest.raises(ValueError, match="flow_method"):
        VideoPreprocessor(None, modality="flow", flow_method="lucas")
    with pytest.raises(ValueError, match="flow_bound"):
        VideoPreprocessor(None, modality="flow", flow_bound=0)
    with pytest.raises(ValueError, match="modality='flow'"):
        VideoPreprocessor(None, flow_bound=20)
    with pytest.raises(ValueError, match="swapped"):
        keras_grurcn.preprocessing.TwoStreamPreprocessor(flow, flow)
