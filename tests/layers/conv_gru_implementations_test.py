"""The two time loops (`autodiff`, `bptt`) give the same values and gradients."""

import itertools

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from keras_grurcn import compat
from keras_grurcn import layers
from keras_grurcn.layers.conv_gradients import conv_input_gradient
from keras_grurcn.layers.conv_gradients import conv_kernel_gradient
from tests.layers.conv_gru_test import LAYERS
from tests.layers.conv_gru_test import gradients
from tests.layers.conv_gru_test import random_weights


def outputs_and_gradients(layer, x, initial_state=None, mask=None, training=False):
    """The layer's outputs and the gradients of a random projection of them
    w.r.t. its weights, its input and its initial state."""
    x = keras.Variable(x, dtype="float64")
    variables = [*layer.trainable_variables, x]
    kwargs = {"training": training}
    if mask is not None:
        kwargs["mask"] = mask
    if initial_state is not None:
        state = keras.Variable(initial_state, dtype="float64")
        variables.append(state)
        kwargs["initial_state"] = [state]
    outputs = keras.tree.flatten(layer(x, **kwargs))
    probes = [np.random.default_rng(7).normal(size=tuple(o.shape)) for o in outputs]

    def loss():
        values = keras.tree.flatten(layer(x, **kwargs))
        return sum(keras.ops.sum(v * p) for v, p in zip(values, probes))

    return [keras.ops.convert_to_numpy(o) for o in outputs], gradients(loss, variables)


def both_implementations(rank, kwargs, *, initial_state=False, mask=None, **call):
    """`outputs_and_gradients` of twin layers (same weights and seed)."""
    rng = np.random.default_rng(3)
    channels_first = kwargs.get("data_format") == "channels_first"
    spatial = (5,) * rank
    x = rng.normal(size=(2, 4, 3, *spatial) if channels_first else (2, 4, *spatial, 3))
    results = []
    for implementation in ("autodiff", "bptt"):
        layer = LAYERS[rank](
            filters=4, dtype="float64", implementation=implementation, **kwargs
        )
        layer.build(x.shape)
        random_weights(layer)
        state = None
        if initial_state:
            state = np.random.default_rng(4).normal(
                size=layer.cell.state_shape(2, spatial)
            )
        results.append(outputs_and_gradients(layer, x, state, mask, **call))
    return results


def assert_same(bptt, autodiff):
    for got, want in zip(bptt[0], autodiff[0]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    assert len(bptt[1]) == len(autodiff[1])
    for got, want in zip(bptt[1], autodiff[1]):
        # JAX CPU convolutions accumulate in float32 even for float64.
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


MASK = np.array([[True, False, True, True], [False, True, True, False]])


class ImplementationsAgreeTest(compat.TestCase):
    @parameterized.named_parameters(
        ("same", 2, {"padding": "same"}, {}),
        ("valid_strides", 2, {"padding": "valid", "strides": (2, 1)}, {}),
        ("same_strides", 2, {"padding": "same", "strides": 2}, {}),
        ("dilation", 2, {"padding": "same", "dilation_rate": (2, 1)}, {}),
        ("even_kernel", 2, {"padding": "same", "kernel_size": (2, 4)}, {}),
        ("go_backwards", 2, {"padding": "same", "go_backwards": True}, {}),
        ("last_state_only", 2, {"padding": "same", "return_sequences": False}, {}),
        ("no_bias", 2, {"padding": "same", "use_bias": False}, {}),
        ("return_state", 2, {"padding": "same", "return_state": True}, {}),
        ("initial_state", 2, {"padding": "same"}, {"initial_state": True}),
        (
            "channels_first",
            2,
            {"padding": "same", "data_format": "channels_first"},
            {"initial_state": True},
        ),
        ("rank1", 1, {"padding": "same"}, {}),
        ("rank3", 3, {"padding": "valid", "kernel_size": 2}, {"initial_state": True}),
        ("mask", 2, {"padding": "same"}, {"mask": MASK}),
        (
            "mask_zero_output_backwards",
            2,
            {"padding": "same", "zero_output_for_mask": True, "go_backwards": True},
            {"mask": MASK},
        ),
        (
            "mask_last_state",
            2,
            {"padding": "same", "return_sequences": False},
            {"mask": MASK, "initial_state": True},
        ),
        (
            "dropout",
            2,
            {"padding": "same", "dropout": 0.5, "recurrent_dropout": 0.5, "seed": 11},
            {"training": True},
        ),
        (
            "recurrent_dropout_mask_state",
            2,
            {"padding": "valid", "recurrent_dropout": 0.3, "seed": 5},
            {"training": True, "mask": MASK, "initial_state": True},
        ),
    )
    def test_values_and_gradients(self, rank, kwargs, call):
        kwargs = {"kernel_size": 3, "return_sequences": True, **kwargs}
        autodiff, bptt = both_implementations(rank, kwargs, **call)
        assert_same(bptt, autodiff)

    def test_stateful_continues_the_same_way(self):
        x = np.random.default_rng(0).normal(size=(2, 6, 5, 5, 2))
        results = []
        for implementation in ("autodiff", "bptt"):
            layer = layers.ConvGRU2D(
                3,
                3,
                padding="same",
                stateful=True,
                return_sequences=True,
                dtype="float64",
                implementation=implementation,
            )
            layer.build(x[:, :3].shape)
            random_weights(layer)
            first = outputs_and_gradients(layer, x[:, :3])
            second = outputs_and_gradients(layer, x[:, 3:])
            results.append((first, second))
        for got, want in zip(*results):
            assert_same(got, want)


def test_auto_picks_the_fastest_loop_for_the_backend():
    auto = layers.ConvGRU2D(2, 3, padding="same")
    expected = {"tensorflow": "autodiff", "jax": "bptt"}[keras.backend.backend()]
    assert auto.loop_implementation == expected
    relu = layers.ConvGRU2D(2, 3, activation="relu")
    assert relu.loop_implementation == "autodiff"
    unrolled = layers.ConvGRU2D(2, 3, unroll=True)
    assert unrolled.loop_implementation == "autodiff"
    assert layers.ConvGRU2D(2, 3, implementation="bptt").loop_implementation == "bptt"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"activation": "relu"},
        {"recurrent_activation": "hard_sigmoid"},
        {"unroll": True},
    ],
)
def test_bptt_refuses_what_it_cannot_compute(kwargs):
    with pytest.raises(ValueError, match="implementation='bptt'"):
        layers.ConvGRU2D(2, 3, implementation="bptt", **kwargs)


def test_unknown_implementation_is_a_clear_error():
    with pytest.raises(ValueError, match="`implementation` must be"):
        layers.ConvGRU2D(2, 3, implementation="cudnn")


CONVOLUTIONS = [
    (size, kernel, stride, dilation, padding)
    for size, kernel, stride, dilation, padding in itertools.product(
        (5, 6), (1, 2, 3), (1, 2), (1, 2), ("same", "valid")
    )
    # Keras refuses strides with dilation, and kernels larger than the input.
    if not (stride > 1 and dilation > 1)
    and not (padding == "valid" and kernel * dilation + 1 > size + 1)
]


@pytest.mark.parametrize("size, kernel, stride, dilation, padding", CONVOLUTIONS)
def test_conv_gradients_match_autodiff(size, kernel, stride, dilation, padding):
    rng = np.random.default_rng(5)
    inputs = keras.Variable(rng.normal(size=(3, size, size + 1, 2)), dtype="float64")
    weights = keras.Variable(
        rng.normal(size=(kernel, kernel + 1, 2, 4)), dtype="float64"
    )
    arguments = {"strides": stride, "padding": padding, "dilation_rate": dilation}
    outputs = keras.ops.conv(inputs, weights, **arguments)
    output_gradient = rng.normal(size=tuple(outputs.shape))

    def loss():
        return keras.ops.sum(
            keras.ops.conv(inputs, weights, **arguments) * output_gradient
        )

    want_inputs, want_kernel = gradients(loss, [inputs, weights])
    as_tuple = {
        "strides": (stride,) * 2,
        "padding": padding,
        "dilation": (dilation,) * 2,
    }
    got_kernel = conv_kernel_gradient(
        keras.ops.convert_to_tensor(inputs),
        keras.ops.convert_to_tensor(output_gradient),
        (kernel, kernel + 1),
        **as_tuple,
    )
    got_inputs = conv_input_gradient(
        keras.ops.convert_to_tensor(output_gradient),
        keras.ops.convert_to_tensor(weights),
        (size, size + 1),
        **as_tuple,
    )
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got_kernel), want_kernel, rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got_inputs), want_inputs, rtol=1e-5, atol=1e-6
    )
