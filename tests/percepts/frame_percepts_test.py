import keras
import numpy as np
import pytest

from keras_grurcn.percepts import FramePercepts
from keras_grurcn.percepts import build_percept_extractor

IMAGE_SIZE = (32, 32)
LEVELS = ["pool2", "pool5", "fc7"]


def random_frames(batch_size=2, num_frames=3, seed=0):
    rng = np.random.default_rng(seed)
    shape = (batch_size, num_frames, *IMAGE_SIZE, 3)
    return rng.integers(0, 256, shape).astype("uint8")


def to_numpy(percepts):
    return {level: keras.ops.convert_to_numpy(x) for level, x in percepts.items()}


@pytest.fixture(scope="module")
def vgg_frame_percepts():
    return FramePercepts("vgg16", LEVELS, backbone_weights=None, image_size=IMAGE_SIZE)


@pytest.fixture(scope="module")
def vgg_model(vgg_frame_percepts):
    frames = keras.Input((None, *IMAGE_SIZE, 3), dtype="uint8", name="frames")
    return keras.Model(frames, vgg_frame_percepts(frames))


def test_time_folding_equals_a_loop_over_frames(vgg_frame_percepts):
    frames = random_frames()
    percepts = to_numpy(vgg_frame_percepts(frames))
    assert {level: x.shape for level, x in percepts.items()} == {
        "pool2": (2, 3, 8, 8, 128),
        "pool5": (2, 3, 1, 1, 512),
        "fc7": (2, 3, 4096),
    }
    extractor = vgg_frame_percepts.extractor
    for t in range(frames.shape[1]):
        per_frame = to_numpy(extractor(frames[:, t].astype("float32")))
        for level in LEVELS:
            np.testing.assert_allclose(
                percepts[level][:, t], per_frame[level], rtol=1e-5, atol=1e-4
            )


def test_uint8_and_float_frames_agree(vgg_frame_percepts):
    frames = random_frames()
    from_uint8 = to_numpy(vgg_frame_percepts(frames))
    from_float = to_numpy(vgg_frame_percepts(frames.astype("float32")))
    for level in LEVELS:
        np.testing.assert_array_equal(from_uint8[level], from_float[level])


def test_functional_model_shapes_and_variable_clip_length(vgg_model):
    assert {level: x.shape for level, x in vgg_model.output.items()} == {
        "pool2": (None, None, 8, 8, 128),
        "pool5": (None, None, 1, 1, 512),
        "fc7": (None, None, 4096),
    }
    for num_frames in (2, 4):
        percepts = vgg_model.predict(random_frames(num_frames=num_frames), verbose=0)
        assert percepts["pool5"].shape == (2, num_frames, 1, 1, 512)


def test_keras_round_trip_in_safe_mode(vgg_model, tmp_path):
    frames = random_frames()
    expected = vgg_model.predict(frames, verbose=0)
    path = tmp_path / "frame_percepts.keras"
    vgg_model.save(path)
    restored = keras.saving.load_model(path)  # safe_mode, no custom_objects
    actual = restored.predict(frames, verbose=0)
    for level in LEVELS:
        np.testing.assert_array_equal(actual[level], expected[level])
    layer = next(x for x in restored.layers if isinstance(x, FramePercepts))
    assert layer.trainable_weights == []


@pytest.mark.parametrize(
    "backbone, levels",
    [
        ("resnet50", ["conv2"]),
        ("efficientnetv2b0", ["block2"]),
        # The whole network, squeeze-and-excitation blocks included (~15 s).
        pytest.param(
            "efficientnetv2b0", ["block2", "avg_pool"], marks=pytest.mark.large
        ),
    ],
)
def test_keras_round_trip_of_batch_norm_backbones(backbone, levels, tmp_path):
    frames = keras.Input((2, *IMAGE_SIZE, 3), dtype="uint8")
    model = keras.Model(
        frames, FramePercepts(backbone, levels, None, IMAGE_SIZE)(frames)
    )
    clip = random_frames(num_frames=2)
    expected = model.predict(clip, verbose=0)
    model.save(tmp_path / "model.keras")
    actual = keras.saving.load_model(tmp_path / "model.keras").predict(clip, verbose=0)
    for level in levels:
        np.testing.assert_array_equal(actual[level], expected[level])


def test_reloading_does_not_read_the_weights_source_again(tmp_path):
    source = keras.applications.VGG16(
        include_top=False, weights=None, input_shape=(*IMAGE_SIZE, 3)
    )
    weights_file = tmp_path / "vgg16.weights.h5"
    source.save_weights(weights_file)
    layer = FramePercepts("vgg16", ["pool2"], str(weights_file), IMAGE_SIZE)
    frames = keras.Input((2, *IMAGE_SIZE, 3))
    model = keras.Model(frames, layer(frames))
    model.save(tmp_path / "model.keras")
    weights_file.unlink()
    restored = keras.saving.load_model(tmp_path / "model.keras")
    np.testing.assert_array_equal(
        restored.predict(random_frames(num_frames=2), verbose=0)["pool2"],
        model.predict(random_frames(num_frames=2), verbose=0)["pool2"],
    )


def test_jit_compile_matches_eager(vgg_frame_percepts):
    frames = keras.Input((3, *IMAGE_SIZE, 3), dtype="uint8")
    model = keras.Model(frames, vgg_frame_percepts(frames))
    model.compile(jit_compile=True)
    clip = random_frames()
    compiled = model.predict(clip, verbose=0)
    eager = to_numpy(vgg_frame_percepts(clip))
    for level in LEVELS:
        np.testing.assert_allclose(compiled[level], eager[level], rtol=1e-4, atol=1e-3)


def test_config_round_trip_and_weights_are_not_in_it(vgg_frame_percepts):
    config = vgg_frame_percepts.get_config()
    assert config["backbone"] == "vgg16"
    assert config["levels"] == LEVELS
    assert config["image_size"] == list(IMAGE_SIZE)
    assert config["trainable"] is False
    clone = FramePercepts.from_config(config)
    assert clone.backbone_weights is None
    assert clone.compute_output_shape((2, 3, *IMAGE_SIZE, 3)) == (
        vgg_frame_percepts.compute_output_shape((2, 3, *IMAGE_SIZE, 3))
    )


def test_wrong_frame_shape_is_a_clear_error(vgg_frame_percepts):
    with pytest.raises(ValueError, match=r"\(batch, time, 32, 32, 3\)"):
        FramePercepts("vgg16", ["pool2"], None, IMAGE_SIZE)(
            np.zeros((2, 3, 64, 64, 3), "float32")
        )
    with pytest.raises(ValueError, match="expected frames of shape"):
        FramePercepts("vgg16", ["pool2"], None, IMAGE_SIZE)(
            np.zeros((2, *IMAGE_SIZE, 3), "float32")
        )


def batch_norm_layers(layer):
    return [
        x
        for x in layer.extractor._flatten_layers()
        if isinstance(x, keras.layers.BatchNormalization)
    ]


def test_frozen_backbone_keeps_batch_norm_in_inference_mode():
    layer = FramePercepts("resnet50", ["conv2"], None, IMAGE_SIZE)
    frames = random_frames()
    moving_mean = keras.ops.convert_to_numpy(batch_norm_layers(layer)[0].moving_mean)
    inference = to_numpy(layer(frames, training=False))["conv2"]
    training = to_numpy(layer(frames, training=True))["conv2"]
    np.testing.assert_array_equal(training, inference)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(batch_norm_layers(layer)[0].moving_mean),
        moving_mean,
    )


def test_trainable_switching():
    layer = FramePercepts("resnet50", ["conv2"], None, IMAGE_SIZE)
    assert layer.trainable_weights == []
    num_weights = len(layer.weights)
    layer.trainable = True
    # Every weight but the BatchNorm moving statistics trains.
    assert len(layer.trainable_weights) == num_weights - 2 * len(
        batch_norm_layers(layer)
    )
    frames = random_frames()
    training = to_numpy(layer(frames, training=True))["conv2"]
    inference = to_numpy(layer(frames, training=False))["conv2"]
    assert not np.allclose(training, inference)
    layer.trainable = False
    assert layer.trainable_weights == []


@pytest.mark.parametrize("trainable", [False, True])
def test_fit_updates_the_backbone_only_when_trainable(trainable):
    layer = FramePercepts("vgg16", ["pool2"], None, IMAGE_SIZE, trainable=trainable)
    frames = keras.Input((2, *IMAGE_SIZE, 3))
    pooled = keras.layers.GlobalAveragePooling3D()(layer(frames)["pool2"])
    model = keras.Model(frames, keras.layers.Dense(1)(pooled))
    model.compile(optimizer=keras.optimizers.SGD(1e-3), loss="mse")
    before = keras.ops.convert_to_numpy(layer.extractor.weights[0])
    model.fit(random_frames(num_frames=2), np.ones((2, 1)), epochs=1, verbose=0)
    after = keras.ops.convert_to_numpy(layer.extractor.weights[0])
    assert np.array_equal(before, after) != trainable


def test_extractor_matches_frame_percepts_backbone():
    extractor = build_percept_extractor("efficientnetv2b0", ["block2"], None, (32, 32))
    layer = FramePercepts("efficientnetv2b0", ["block2"], None, (32, 32))
    layer.extractor.set_weights(extractor.get_weights())
    frames = random_frames(num_frames=2)
    np.testing.assert_allclose(
        to_numpy(layer(frames))["block2"][:, 1],
        to_numpy(extractor(frames[:, 1]))["block2"],
        rtol=1e-5,
        atol=1e-5,
    )
