"""Every zoo model, tiny: builds, names its levels, trains, saves and reloads.

One table enrols a model in all the checks; adding a model is adding a row.
Frames are 32x32, clips 4 frames, backbones random (`backbone_weights=None`).
"""

import keras
import numpy as np
import pytest

import keras_grurcn

NUM_CLASSES = 3
COMMON = dict(
    num_classes=NUM_CLASSES, backbone_weights=None, num_frames=4, image_size=32
)

# id -> (model name, overrides, layer names the summary must show)
CONFORMANCE_TABLE = {
    "grurcn": (
        "grurcn",
        dict(levels=["pool2", "pool3"], hidden_maps=[2, 3]),
        ["pool2_grurcn", "pool3_grurcn", "pool3_classifier", "level_average"],
    ),
    "grurcn_stacked": (
        "grurcn_stacked",
        dict(levels=["pool3", "pool5"], hidden_maps=2),
        ["pool5_bottom_up", "pool5_stacked_inputs", "pool5_grurcn"],
    ),
    "grurcn_bidirectional": (
        "grurcn_bidirectional",
        dict(levels=["pool3"], hidden_maps=2),
        ["pool3_grurcn", "pool3_classifier"],
    ),
    "frame_average": (
        "frame_average",
        dict(level="pool5"),
        ["pool5_frame_pool", "pool5_frame_classifier", "frame_average"],
    ),
    "frame_rnn": (
        "frame_rnn",
        dict(level="pool5", units=4),
        ["pool5_flatten", "pool5_gru", "pool5_classifier"],
    ),
    "c3d": (
        "c3d",
        dict(width=2, fc_units=8),
        ["conv1a", "conv5b", "pool5", "fc7", "predictions"],
    ),
    "two_stream": (
        "two_stream",
        dict(levels=["pool3"], hidden_maps=2, flow_weight=0.6),
        ["rgb_pool3_grurcn", "flow_pool3_grurcn", "two_stream_fusion"],
    ),
    # Cached percepts: one input per level, and the vector level (fc7),
    # which is too big to compute from frames in a fast test.
    "grurcn_percepts": (
        "grurcn",
        dict(inputs="percepts", levels=["pool3", "fc7"], hidden_maps=[2, 3]),
        ["pool3_grurcn", "fc7_grurcn", "fc7_classifier"],
    ),
    "grurcn_stacked_percepts": (
        "grurcn_stacked",
        dict(inputs="percepts", levels=["pool4", "pool5", "fc7"], hidden_maps=2),
        ["pool5_bottom_up", "fc7_bottom_up", "fc7_stacked_inputs"],
    ),
    "grurcn_bidirectional_percepts": (
        "grurcn_bidirectional",
        dict(
            inputs="percepts",
            levels=["pool5", "fc7"],
            hidden_maps=2,
            percept_normalization="instance",
        ),
        ["pool5_normalization", "pool5_grurcn", "fc7_grurcn"],
    ),
    "frame_average_percepts": (
        "frame_average",
        dict(inputs="percepts", percept_normalization="batch"),
        ["fc7_normalization", "fc7_frame_classifier", "frame_average"],
    ),
    "frame_rnn_lstm_percepts": (
        "frame_rnn",
        dict(inputs="percepts", rnn="lstm", units=4),
        ["fc7_lstm", "fc7_classifier"],
    ),
    "two_stream_percepts": (
        "two_stream",
        dict(
            inputs="percepts",
            levels=["pool5"],
            hidden_maps=2,
            encoder="bidirectional",
            percept_normalization="layer",
        ),
        ["rgb_pool5_grurcn", "flow_pool5_grurcn", "flow_fusion_weight"],
    ),
}


def build(row):
    name, overrides, _ = CONFORMANCE_TABLE[row]
    keras.utils.set_random_seed(0)
    return keras_grurcn.build_model(name, **COMMON, **overrides)


FRAME_INPUTS = ("frames", "rgb", "flow")


def example_inputs(model, batch_size=2, seed=0):
    """Random inputs with the structure and shapes of `model`'s.

    Frames are in [0, 255]; percepts in [0, 2], the order of magnitude of
    (ReLU) CNN activations.
    """
    rng = np.random.default_rng(seed)

    def example(tensor):
        high = 255.0 if tensor.name in FRAME_INPUTS else 2.0
        shape = (batch_size, *tensor.shape[1:])
        return rng.uniform(0, high, shape).astype("float32")

    return keras.tree.map_structure(example, model.input)


@pytest.fixture(params=list(CONFORMANCE_TABLE), scope="module")
def row_and_model(request):
    return request.param, build(request.param)


def test_outputs_class_probabilities(row_and_model):
    _, model = row_and_model
    probabilities = keras.ops.convert_to_numpy(model(example_inputs(model)))
    assert probabilities.shape == (2, NUM_CLASSES)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)


def test_summary_names_the_levels(row_and_model, capsys):
    row, model = row_and_model
    model.summary(line_length=200)
    summary = capsys.readouterr().out
    for layer_name in CONFORMANCE_TABLE[row][2]:
        assert layer_name in summary


def test_fit_trains_every_weight(row_and_model):
    _, model = row_and_model
    inputs = example_inputs(model, batch_size=4, seed=1)
    labels = np.array([0, 1, 2, 0])
    model.compile(
        keras.optimizers.Adam(1e-3),
        "sparse_categorical_crossentropy",
        jit_compile=False,
    )
    before = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    history = model.fit(inputs, labels, epochs=2, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    after = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    # Every trainable weight gets a gradient: no level is cut off the loss.
    unchanged = [
        weight.path
        for weight, old, new in zip(model.trainable_weights, before, after)
        if np.array_equal(old, new)
    ]
    assert not unchanged


def test_keras_file_round_trip_in_safe_mode(row_and_model, tmp_path):
    _, model = row_and_model
    inputs = example_inputs(model, seed=2)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(inputs)),
        keras.ops.convert_to_numpy(model(inputs)),
        rtol=1e-5,
        atol=1e-6,
    )
    assert [layer.name for layer in loaded.layers] == [
        layer.name for layer in model.layers
    ]


def test_every_listed_classifier_has_a_row():
    rows = {name for name, _, _ in CONFORMANCE_TABLE.values()}
    classifiers = {
        name
        for name, entry in keras_grurcn.models.MODELS.items()
        if entry.task == "classification"
    }
    assert classifiers <= rows


@pytest.mark.parametrize("row", ["grurcn_percepts", "two_stream_percepts"])
def test_mixed_precision_outputs_float32_probabilities(row):
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = build(row)
        assert model.get_layer(CONFORMANCE_TABLE[row][2][0]).compute_dtype == "float16"
        probabilities = model(example_inputs(model))
    finally:
        keras.config.set_dtype_policy(policy)
    assert keras.backend.standardize_dtype(probabilities.dtype) == "float32"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(probabilities).sum(-1), 1.0, rtol=1e-3
    )
