import keras
import numpy as np
import pytest

from keras_grurcn.percepts import build_percept_extractor
from keras_grurcn.percepts import get_backbone
from keras_grurcn.percepts import list_backbones
from keras_grurcn.percepts import percept_shapes


def random_images(image_size, batch_size=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 255, (batch_size, *image_size, 3)).astype("float32")


def output_shapes(outputs):
    return {level: tuple(tensor.shape[1:]) for level, tensor in outputs.items()}


@pytest.mark.parametrize("backbone", list_backbones())
def test_default_levels_have_the_predicted_shapes(backbone):
    # A non-square odd size checks each backbone's rounding, too.
    image_size = (33, 50)
    extractor = build_percept_extractor(backbone, weights=None, image_size=image_size)
    percepts = extractor(random_images(image_size))
    expected = percept_shapes(backbone, None, image_size)
    assert set(percepts) == set(get_backbone(backbone).default_levels)
    assert output_shapes(percepts) == expected
    assert output_shapes(extractor.output) == expected
    for tensor in percepts.values():
        assert np.all(np.isfinite(keras.ops.convert_to_numpy(tensor)))


def test_backbone_is_cut_after_the_deepest_level():
    extractor = build_percept_extractor(
        "vgg16", ["pool2", "pool3"], weights=None, image_size=(32, 32)
    )
    trunk_layers = [layer.name for layer in extractor.get_layer("vgg16").layers]
    assert trunk_layers[-1] == "block3_pool"
    assert "block4_conv1" not in trunk_layers
    # Blocks 1-3 of VGG-16: 7 convolutions, kernel and bias each.
    assert len(extractor.weights) == 14


def test_resnet50_is_cut_after_the_deepest_level():
    extractor = build_percept_extractor(
        "resnet50", ["conv3"], weights=None, image_size=(32, 32)
    )
    trunk_layers = [layer.name for layer in extractor.get_layer("resnet50").layers]
    assert trunk_layers[-1] == "conv3_block4_out"
    assert not any(name.startswith("conv4") for name in trunk_layers)


def test_fully_connected_levels_at_small_sizes():
    extractor = build_percept_extractor(
        "vgg16", ["fc6", "fc7"], weights=None, image_size=(64, 32)
    )
    trunk = extractor.get_layer("vgg16")
    assert trunk.get_layer("fc1").kernel.shape == (2 * 1 * 512, 4096)
    assert trunk.layers[-1].name == "fc2"
    percepts = extractor(random_images((64, 32)))
    assert output_shapes(percepts) == {"fc6": (4096,), "fc7": (4096,)}
    assert keras.ops.min(percepts["fc7"]) >= 0  # ReLU, as in Keras' fc2


def test_imagenet_fully_connected_levels_need_224():
    with pytest.raises(ValueError, match=r"224x224.*weights=None"):
        build_percept_extractor("vgg16", ["pool5", "fc7"], image_size=(64, 64))


def test_frozen_by_default_and_trainable_on_request():
    frozen = build_percept_extractor("vgg16", ["pool2"], None, (32, 32))
    assert frozen.trainable_weights == []
    assert len(frozen.non_trainable_weights) == 8
    trainable = build_percept_extractor("vgg16", ["pool2"], None, (32, 32), True)
    assert len(trainable.trainable_weights) == 8
    frozen.trainable = True
    assert len(frozen.trainable_weights) == 8


@pytest.mark.parametrize("as_path", [str, lambda path: path])
def test_local_weights_file(tmp_path, as_path):
    image_size = (32, 32)
    source = keras.applications.VGG16(
        include_top=False, weights=None, input_shape=(*image_size, 3)
    )
    weights_file = tmp_path / "vgg16_notop.weights.h5"
    source.save_weights(weights_file)

    extractor = build_percept_extractor(
        "vgg16", ["pool3"], weights=as_path(weights_file), image_size=image_size
    )
    images = random_images(image_size)
    expected = keras.Model(source.input, source.get_layer("block3_pool").output)(
        keras.applications.vgg16.preprocess_input(images.copy())
    )
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(extractor(images)["pool3"]),
        keras.ops.convert_to_numpy(expected),
        rtol=1e-5,
        atol=1e-4,
    )


def test_missing_weights_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="existing weights file"):
        build_percept_extractor(
            "vgg16", ["pool2"], weights=str(tmp_path / "none.h5"), image_size=(32, 32)
        )


@pytest.mark.parametrize(
    "download_error",
    [
        # What Keras' get_file raises for a URLError (no network, no DNS).
        Exception(
            "URL fetch failure on https://storage.googleapis.com/x.h5: None "
            "-- [Errno -3] Temporary failure in name resolution"
        ),
        ConnectionRefusedError(111, "Connection refused"),
    ],
)
def test_no_network_error_says_how_to_go_on(monkeypatch, download_error):
    # keras.applications download through keras.src.utils.file_utils.get_file
    # (`keras.utils.get_file` is the same function under a public name, but
    # patching that name would not reach the applications' module).
    from keras.src.utils import file_utils

    def fail_to_download(*args, **kwargs):
        raise download_error

    monkeypatch.setattr(file_utils, "get_file", fail_to_download)
    with pytest.raises(OSError) as raised:
        build_percept_extractor("resnet50", ["conv2"], image_size=(32, 32))
    message = str(raised.value)
    assert "backbone_weights=None" in message
    assert "local weights file" in message
    assert "keras.applications.ResNet50(include_top=False, weights=None" in message
    assert raised.value.__cause__ is download_error


def test_other_errors_while_loading_imagenet_weights_pass_through(monkeypatch):
    from keras.src.utils import file_utils

    def corrupted_download(*args, **kwargs):
        raise ValueError("Incomplete or corrupted file detected.")

    monkeypatch.setattr(file_utils, "get_file", corrupted_download)
    with pytest.raises(ValueError, match="corrupted"):
        build_percept_extractor("vgg16", ["pool2"], image_size=(32, 32))


@pytest.mark.parametrize("backbone", ["vgg16", "resnet50", "efficientnetv2b0"])
def test_cross_modality_averages_the_first_convolution_over_the_channels(
    backbone, tmp_path
):
    spec = get_backbone(backbone)
    source = getattr(keras.applications, spec.application)(
        include_top=False, weights=None, input_shape=(32, 32, 3)
    )
    weights_file = tmp_path / f"{backbone}.weights.h5"
    source.save_weights(weights_file)
    extractor = build_percept_extractor(
        backbone,
        [spec.default_levels[0]],
        weights=weights_file,
        image_size=(32, 32),
        cross_modality=True,
    )
    trunk = extractor.get_layer(source.name)
    first = next(
        layer for layer in trunk.layers if isinstance(layer, keras.layers.Conv2D)
    )
    original = keras.ops.convert_to_numpy(source.get_layer(first.name).kernel)
    averaged = keras.ops.convert_to_numpy(first.kernel)
    for channel in range(3):
        np.testing.assert_allclose(
            averaged[:, :, channel], original.mean(axis=2), rtol=1e-6, atol=1e-7
        )
    # Only the first convolution changes.
    later = [layer for layer in trunk.layers if layer.weights][1]
    for mine, theirs in zip(later.weights, source.get_layer(later.name).weights):
        np.testing.assert_array_equal(
            keras.ops.convert_to_numpy(mine), keras.ops.convert_to_numpy(theirs)
        )
