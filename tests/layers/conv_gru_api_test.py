"""The ConvLSTM2D-like API: arguments, errors, state, saving, precision."""

import os

import keras
import numpy as np
import pytest

from keras_grurcn import layers


def test_parameter_count_formula():
    k, cin, f = 3, 7, 5
    layer = layers.ConvGRU2D(f, k, padding="same")
    layer.build((None, 4, 10, 10, cin))
    assert layer.count_params() == 3 * (k * k * cin * f + k * k * f * f + f)
    shapes = {w.path.split("/")[-1]: tuple(w.shape) for w in layer.weights}
    assert shapes == {
        "kernel": (k, k, cin, 3 * f),
        "recurrent_kernel": (k, k, f, 3 * f),
        "bias": (3 * f,),
    }


def test_no_bias():
    layer = layers.ConvGRU1D(4, 3, use_bias=False)
    layer.build((None, 2, 8, 3))
    assert len(layer.trainable_weights) == 2


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"padding": "causal"}, "padding"),
        ({"padding": "full"}, "padding"),
        ({"strides": 2, "dilation_rate": 2}, "dilation_rate"),
        ({"kernel_size": (3, 3, 3)}, "kernel_size"),
        ({"strides": 0}, "strides"),
        ({"data_format": "NHWC"}, "data_format"),
        ({"dropout": 1.5}, "dropout"),
        ({"filters": 0}, "filters"),
    ],
)
def test_invalid_arguments_name_the_argument(kwargs, argument):
    arguments = {"filters": 4, "kernel_size": 3, **kwargs}
    with pytest.raises(ValueError, match=argument):
        layers.ConvGRU2D(**arguments)


def test_wrong_input_rank_is_a_clear_error():
    layer = layers.ConvGRU2D(4, 3)
    with pytest.raises(ValueError, match="ndim=6|rank 5|expected ndim=5"):
        layer(np.zeros((2, 8, 8, 3), "float32"))


def test_dynamic_spatial_dims_are_rejected():
    with pytest.raises(ValueError, match="static spatial"):
        layers.ConvGRU2D(4, 3)(keras.Input((5, None, None, 3)))


def test_layer_config_rebuilds_the_layer():
    layer = layers.ConvGRU2D(
        4,
        (3, 1),
        strides=(2, 1),
        padding="same",
        activation="relu",
        recurrent_activation="hard_sigmoid",
        kernel_regularizer="l2",
        dropout=0.25,
        recurrent_dropout=0.1,
        seed=3,
        return_sequences=True,
        return_state=True,
        go_backwards=True,
        unroll=True,
        implementation="autodiff",
    )
    config = layer.get_config()
    assert "cell" not in config and "rank" not in config
    assert config["implementation"] == "autodiff"
    clone = layers.ConvGRU2D(**config)
    assert clone.get_config() == config
    assert clone.kernel_size == (3, 1) and clone.strides == (2, 1)


def test_configs_saved_before_implementation_existed_still_load():
    config = layers.ConvGRU2D(4, 3, implementation="bptt").get_config()
    del config["implementation"]
    layer = keras.saving.deserialize_keras_object(
        {
            "module": "keras_grurcn.layers.conv_gru2d",
            "class_name": "ConvGRU2D",
            "registered_name": "keras_grurcn>ConvGRU2D",
            "config": config,
        }
    )
    assert layer.implementation == "auto"


def test_return_state_and_unroll():
    x = np.random.default_rng(0).normal(size=(2, 3, 6, 6, 2)).astype("float32")
    rolled = layers.ConvGRU2D(3, 3, padding="same", return_state=True)
    output, state = rolled(x)
    np.testing.assert_allclose(output, state)
    unrolled = layers.ConvGRU2D(3, 3, padding="same", unroll=True)
    unrolled.build(x.shape)
    unrolled.set_weights(rolled.get_weights())
    np.testing.assert_allclose(unrolled(x), output, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("implementation", ["autodiff", "bptt"])
def test_stateful_continues_and_resets(implementation):
    x = np.random.default_rng(0).normal(size=(2, 4, 5, 5, 2)).astype("float32")
    whole = layers.ConvGRU2D(3, 3, padding="same", implementation=implementation)
    expected = keras.ops.convert_to_numpy(whole(x))
    stateful = layers.ConvGRU2D(
        3, 3, padding="same", stateful=True, implementation=implementation
    )
    stateful.build(x[:, :2].shape)
    stateful.set_weights(whole.get_weights())
    stateful(x[:, :2])
    np.testing.assert_allclose(stateful(x[:, 2:]), expected, rtol=1e-5, atol=1e-6)
    stateful.reset_state()
    fresh = layers.ConvGRU2D(3, 3, padding="same")
    fresh.build(x[:, 2:].shape)
    fresh.set_weights(whole.get_weights())
    np.testing.assert_allclose(
        stateful(x[:, 2:]), fresh(x[:, 2:]), rtol=1e-5, atol=1e-6
    )


def test_dropout_only_in_training():
    x = np.ones((2, 3, 6, 6, 4), "float32")
    layer = layers.ConvGRU2D(
        3, 3, padding="same", dropout=0.5, recurrent_dropout=0.5, seed=1
    )
    inference = keras.ops.convert_to_numpy(layer(x, training=False))
    np.testing.assert_allclose(layer(x, training=False), inference)
    assert not np.allclose(
        keras.ops.convert_to_numpy(layer(x, training=True)), inference
    )


@pytest.mark.parametrize("implementation", ["autodiff", "bptt"])
def test_masking_layer_propagates_mask(implementation):
    inputs = keras.Input((4, 5, 5, 2))
    masked = keras.layers.Masking()(inputs)
    outputs = layers.ConvGRU2D(
        3, 3, padding="same", return_sequences=True, implementation=implementation
    )(masked)
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(0).normal(size=(1, 4, 5, 5, 2)).astype("float32")
    x[:, 2] = 0.0  # fully masked step
    y = keras.ops.convert_to_numpy(model(x))
    np.testing.assert_allclose(y[:, 2], y[:, 1])


IMPLEMENTATIONS = ("autodiff", "bptt")


def tiny_model(**layer_kwargs):
    inputs = keras.Input((3, 8, 8, 2))
    hidden = layers.ConvGRU2D(4, 3, padding="same", **layer_kwargs)(inputs)
    pooled = keras.layers.GlobalAveragePooling2D()(hidden)
    outputs = keras.layers.Dense(2, activation="softmax", dtype="float32")(pooled)
    return keras.Model(inputs, outputs)


def test_keras_file_round_trip_in_safe_mode(tmp_path):
    model = tiny_model(dropout=0.1, go_backwards=True, implementation="bptt")
    x = np.random.default_rng(0).normal(size=(2, 3, 8, 8, 2)).astype("float32")
    path = os.path.join(tmp_path, "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(
        loaded.predict(x, verbose=0), model.predict(x, verbose=0)
    )
    assert isinstance(loaded.layers[1], layers.ConvGRU2D)
    assert loaded.layers[1].implementation == "bptt"


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_with_and_without_jit(jit_compile, implementation):
    model = tiny_model(implementation=implementation)
    model.compile("adam", "sparse_categorical_crossentropy", jit_compile=jit_compile)
    x = np.random.default_rng(0).normal(size=(4, 3, 8, 8, 2)).astype("float32")
    history = model.fit(x, np.array([0, 1, 0, 1]), epochs=3, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision(policy, implementation):
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        model = tiny_model(implementation=implementation)
        gru = model.layers[1]
        assert gru.compute_dtype == policy.split("_")[1]
        assert gru.cell.kernel.dtype == "float32"
        model.compile("adam", "sparse_categorical_crossentropy")
        x = np.random.default_rng(0).normal(size=(4, 3, 8, 8, 2)).astype("float32")
        history = model.fit(x, np.array([0, 1, 0, 1]), epochs=2, verbose=0)
        assert np.all(np.isfinite(history.history["loss"]))
        assert keras.backend.standardize_dtype(gru.output.dtype) == policy.split("_")[1]
    finally:
        keras.config.set_dtype_policy(previous)


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize("masked", [False, True])
def test_clips_of_unknown_length_in_a_traced_graph(implementation, masked):
    inputs = keras.Input((None, 6, 6, 2))
    hidden = keras.layers.Masking()(inputs) if masked else inputs
    hidden = layers.ConvGRU2D(3, 3, padding="same", implementation=implementation)(
        hidden
    )
    outputs = keras.layers.Dense(2, activation="softmax")(
        keras.layers.GlobalAveragePooling2D()(hidden)
    )
    model = keras.Model(inputs, outputs)
    model.compile("adam", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    for steps in (3, 5):  # one traced train function, two lengths
        x = rng.normal(size=(4, steps, 6, 6, 2)).astype("float32")
        model.fit(x, np.array([0, 1, 0, 1]), epochs=1, verbose=0)
        eager = keras.ops.convert_to_numpy(model(x))
        np.testing.assert_allclose(
            model.predict(x, verbose=0), eager, rtol=1e-5, atol=1e-6
        )
