"""The hand-written backward pass against automatic differentiation."""

import keras
import numpy as np
from absl.testing import parameterized
from keras.src import testing

from keras_grurcn import layers
from keras_grurcn.layers.conv_gru_recurrence import conv_kernel_gradient
from tests.layers.conv_gru_test import LAYERS
from tests.layers.conv_gru_test import gradients
from tests.layers.conv_gru_test import random_weights


def outputs_and_gradients(layer, x, initial_state, handwritten):
    """The layer's outputs and the gradients of a random projection of them
    w.r.t. its weights, its input and its initial state."""
    layer._handwritten_backward = handwritten
    x = keras.Variable(x, dtype="float64")
    variables = [*layer.trainable_variables, x]
    kwargs = {}
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


class HandwrittenBackwardTest(testing.TestCase):
    @parameterized.named_parameters(
        ("same", 2, {"padding": "same"}, False),
        ("valid_strides", 2, {"padding": "valid", "strides": (2, 1)}, False),
        ("even_kernel", 2, {"padding": "same", "kernel_size": (2, 4)}, False),
        ("go_backwards", 2, {"padding": "same", "go_backwards": True}, False),
        ("last_state_only", 2, {"padding": "same", "return_sequences": False}, False),
        ("no_bias", 2, {"padding": "same", "use_bias": False}, False),
        ("return_state", 2, {"padding": "same", "return_state": True}, True),
        ("initial_state", 2, {"padding": "same"}, True),
        (
            "channels_first",
            2,
            {"padding": "same", "data_format": "channels_first"},
            True,
        ),
        ("rank1", 1, {"padding": "same"}, True),
        ("rank3", 3, {"padding": "valid", "kernel_size": 2}, True),
    )
    def test_matches_generic_loop(self, rank, kwargs, with_initial_state):
        kwargs = {"kernel_size": 3, "return_sequences": True, **kwargs}
        rng = np.random.default_rng(3)
        channels_first = kwargs.get("data_format") == "channels_first"
        spatial = (5,) * rank
        x = rng.normal(
            size=(2, 4, 3, *spatial) if channels_first else (2, 4, *spatial, 3)
        )
        layer = LAYERS[rank](filters=4, dtype="float64", **kwargs)
        layer.build(x.shape)
        random_weights(layer)
        initial_state = None
        if with_initial_state:
            state_shape = layer.cell.state_shape(2, spatial)
            initial_state = rng.normal(size=state_shape)
        handwritten = outputs_and_gradients(layer, x, initial_state, handwritten=True)
        generic = outputs_and_gradients(layer, x, initial_state, handwritten=False)
        for got, want in zip(handwritten[0], generic[0]):
            np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
        self.assertLen(handwritten[1], len(generic[1]))
        for got, want in zip(handwritten[1], generic[1]):
            # JAX CPU convolutions accumulate in float32 even for float64.
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)

    def test_input_dropout_matches_generic_loop(self):
        x = np.random.default_rng(4).normal(size=(2, 3, 5, 5, 3))
        results = []
        for handwritten in (True, False):
            # Same seed, same weights: both layers draw the same mask.
            layer = layers.ConvGRU2D(
                4, 3, padding="same", dropout=0.5, seed=11, dtype="float64"
            )
            layer.build(x.shape)
            random_weights(layer)
            layer._handwritten_backward = handwritten
            probe = np.random.default_rng(5).normal(size=(2, 5, 5, 4))

            def loss(layer=layer, probe=probe):
                return keras.ops.sum(layer(x, training=True) * probe)

            results.append(gradients(loss, layer.trainable_variables))
        for got, want in zip(*results):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)

    def test_used_by_default_and_not_for_other_activations(self):
        layer = layers.ConvGRU2D(2, 3, padding="same")
        self.assertTrue(layer.uses_handwritten_backward(None, None))
        self.assertFalse(layer.uses_handwritten_backward(np.ones((1, 2), bool), None))
        relu = layers.ConvGRU2D(2, 3, padding="same", activation="relu")
        self.assertFalse(relu.uses_handwritten_backward(None, None))
        unrolled = layers.ConvGRU2D(2, 3, padding="same", unroll=True)
        self.assertFalse(unrolled.uses_handwritten_backward(None, None))

    @parameterized.named_parameters(("k3", (3, 3)), ("k2x4", (2, 4)), ("k1", (1, 1)))
    def test_conv_kernel_gradient(self, kernel_size):
        rng = np.random.default_rng(5)
        inputs = rng.normal(size=(3, 6, 5, 2))
        output_gradient = rng.normal(size=(3, 6, 5, 4))
        kernel = keras.Variable(rng.normal(size=(*kernel_size, 2, 4)), dtype="float64")

        def loss():
            outputs = keras.ops.conv(inputs, kernel, padding="same")
            return keras.ops.sum(outputs * output_gradient)

        (want,) = gradients(loss, [kernel])
        got = conv_kernel_gradient(
            keras.ops.convert_to_tensor(inputs),
            keras.ops.convert_to_tensor(output_gradient),
            kernel_size,
        )
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(got), want, rtol=1e-5, atol=1e-6
        )
