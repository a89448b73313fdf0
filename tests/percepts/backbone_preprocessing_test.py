import keras
import numpy as np
import pytest

from keras_grurcn.percepts import BackbonePreprocessing


@pytest.fixture
def rgb_images():
    return np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")


def test_caffe_matches_vgg16_preprocess_input(rgb_images):
    expected = keras.applications.vgg16.preprocess_input(rgb_images.copy())
    actual = BackbonePreprocessing("caffe")(rgb_images)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(actual), expected, 1e-6)


def test_uint8_images_are_cast(rgb_images):
    images = rgb_images.astype("uint8")
    expected = keras.applications.resnet50.preprocess_input(images.astype("float32"))
    actual = BackbonePreprocessing("caffe")(images)
    assert keras.backend.standardize_dtype(actual.dtype) == "float32"
    np.testing.assert_allclose(keras.ops.convert_to_numpy(actual), expected, 1e-6)


@pytest.mark.parametrize("mode", ["tf", "torch"])
def test_other_modes_match_imagenet_utils(rgb_images, mode):
    expected = keras.applications.imagenet_utils.preprocess_input(
        rgb_images.copy(), mode=mode
    )
    actual = BackbonePreprocessing(mode)(rgb_images)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(actual), expected, rtol=1e-5, atol=1e-6
    )


def test_none_mode_only_casts(rgb_images):
    actual = BackbonePreprocessing("none")(rgb_images.astype("uint8"))
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(actual), rgb_images.astype("uint8")
    )


def test_config_round_trip():
    layer = BackbonePreprocessing("torch", name="prep")
    clone = BackbonePreprocessing.from_config(layer.get_config())
    assert clone.mode == "torch" and clone.name == "prep"


def test_unknown_mode_lists_the_valid_ones():
    with pytest.raises(ValueError, match="caffe, tf, torch, none"):
        BackbonePreprocessing("bgr")
