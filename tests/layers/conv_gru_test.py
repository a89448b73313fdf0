"""ConvGRU against a NumPy reference and Keras' own layer-test harness.

Every case runs with each time loop (`implementation="autodiff"` and
`"bptt"`), on whichever backend the tests run under.
"""

import itertools

import keras
import numpy as np
import pytest
from absl.testing import parameterized

from keras_grurcn import compat
from keras_grurcn import layers
from tests.layers import numpy_conv_gru

LAYERS = {1: layers.ConvGRU1D, 2: layers.ConvGRU2D, 3: layers.ConvGRU3D}
CELLS = {1: layers.ConvGRU1DCell, 2: layers.ConvGRU2DCell, 3: layers.ConvGRU3DCell}
IMPLEMENTATIONS = ("autodiff", "bptt")


def with_implementations(*cases):
    """Named parameters: every case once per implementation."""
    return parameterized.named_parameters(
        (f"{case[0]}_{implementation}", *case[1:], implementation)
        for case, implementation in itertools.product(cases, IMPLEMENTATIONS)
    )


def random_weights(layer, seed=0):
    """Gives the built layer non-trivial weights and returns them as NumPy."""
    rng = np.random.default_rng(seed)
    values = [rng.normal(0, 0.3, w.shape) for w in layer.weights]
    layer.set_weights(values)
    return values


def run_against_reference(rank, layer_kwargs, *, spatial=6, steps=4, mask=None, **ref):
    """Compares the layer (float64, every state) with `numpy_conv_gru`."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, steps, *(spatial,) * rank, 3))
    layer = LAYERS[rank](
        filters=4, kernel_size=3, return_sequences=True, dtype="float64", **layer_kwargs
    )
    call_kwargs = {} if mask is None else {"mask": mask}
    layer.build(x.shape)
    kernel, recurrent_kernel, bias = random_weights(layer)
    got = keras.ops.convert_to_numpy(layer(x, **call_kwargs))
    want = numpy_conv_gru.conv_gru(
        x,
        kernel,
        recurrent_kernel,
        bias,
        strides=layer_kwargs.get("strides", 1),
        padding=layer_kwargs.get("padding", "valid"),
        dilation=layer_kwargs.get("dilation_rate", 1),
        go_backwards=layer_kwargs.get("go_backwards", False),
        mask=mask,
        **ref,
    )
    # JAX CPU convolutions accumulate in float32 even for float64 inputs.
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    return layer, x


class ConvGRUReferenceTest(compat.TestCase):
    @with_implementations(
        ("same", 2, {"padding": "same"}),
        ("valid", 2, {"padding": "valid"}),
        ("strides", 2, {"padding": "same", "strides": 2}),
        ("valid_strides", 2, {"padding": "valid", "strides": (2, 1)}),
        ("dilation", 2, {"padding": "same", "dilation_rate": 2}),
        ("valid_dilation", 2, {"padding": "valid", "dilation_rate": (1, 2)}),
        ("go_backwards", 2, {"padding": "same", "go_backwards": True}),
        ("rank1", 1, {"padding": "same"}),
        ("rank3", 3, {"padding": "valid"}),
    )
    def test_matches_numpy_reference(self, rank, kwargs, implementation):
        run_against_reference(rank, {**kwargs, "implementation": implementation})

    @with_implementations(("forward", False), ("go_backwards", True))
    def test_mask_carries_state_forward(self, go_backwards, implementation):
        mask = np.array([[True, False, True, False], [False, True, True, True]])
        kwargs = {"padding": "same", "go_backwards": go_backwards}
        run_against_reference(
            2, {**kwargs, "implementation": implementation}, mask=mask
        )

    @with_implementations(("one_step", 1), ("two_steps", 2))
    def test_short_clips(self, steps, implementation):
        kwargs = {"padding": "same", "implementation": implementation}
        run_against_reference(2, kwargs, steps=steps)

    @with_implementations(("default", None))
    def test_last_output_equals_last_step(self, _, implementation):
        kwargs = {"padding": "same", "implementation": implementation}
        layer, x = run_against_reference(2, kwargs)
        last = layers.ConvGRU2D(4, 3, dtype="float64", **kwargs)
        last.build(x.shape)
        last.set_weights(layer.get_weights())
        sequences = keras.ops.convert_to_numpy(layer(x))
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(last(x)), sequences[:, -1]
        )

    @with_implementations(("default", None))
    def test_channels_first(self, _, implementation):
        rng = np.random.default_rng(2)
        x_last = rng.normal(size=(2, 3, 5, 5, 3))
        kwargs = dict(
            filters=4,
            kernel_size=3,
            padding="same",
            return_sequences=True,
            implementation=implementation,
        )
        layer_last = layers.ConvGRU2D(**kwargs, dtype="float64")
        layer_first = layers.ConvGRU2D(
            **kwargs, dtype="float64", data_format="channels_first"
        )
        layer_last.build(x_last.shape)
        x_first = x_last.transpose(0, 1, 4, 2, 3)
        layer_first.build(x_first.shape)
        weights = random_weights(layer_last)
        layer_first.set_weights(weights)
        got = keras.ops.convert_to_numpy(layer_first(x_first))
        want = numpy_conv_gru.conv_gru(x_last, *weights)
        np.testing.assert_allclose(got.transpose(0, 1, 3, 4, 2), want, atol=1e-6)

    @with_implementations(("default", None))
    def test_initial_state(self, _, implementation):
        rng = np.random.default_rng(3)
        x = rng.normal(size=(2, 3, 5, 5, 3))
        h0 = rng.normal(size=(2, 5, 5, 4))
        layer = layers.ConvGRU2D(
            4,
            3,
            padding="same",
            return_sequences=True,
            dtype="float64",
            implementation=implementation,
        )
        layer.build(x.shape)
        weights = random_weights(layer)
        got = keras.ops.convert_to_numpy(layer(x, initial_state=[h0]))
        want = numpy_conv_gru.conv_gru(x, *weights, initial_state=h0)
        np.testing.assert_allclose(got, want, atol=1e-6)

    def test_update_gate_convention(self):
        # With z forced to 0 (huge negative bias) the state never changes;
        # keras.layers.GRU's convention would instead copy the candidate.
        layer = layers.ConvGRU2D(2, 1, padding="same", dtype="float64")
        x = np.ones((1, 3, 2, 2, 1))
        layer.build(x.shape)
        bias = np.zeros(6)
        bias[:2] = -1e4
        layer.set_weights([np.ones((1, 1, 1, 6)), np.ones((1, 1, 2, 6)), bias])
        h0 = np.full((1, 2, 2, 2), 0.25)
        out = keras.ops.convert_to_numpy(layer(x, initial_state=[h0]))
        np.testing.assert_allclose(out, h0)

    def test_cell_in_keras_rnn_matches_layer(self):
        layer, x = run_against_reference(2, {"padding": "same", "strides": 2})
        cell = layers.ConvGRU2DCell(4, 3, padding="same", strides=2, dtype="float64")
        rnn = keras.layers.RNN(cell, return_sequences=True, dtype="float64")
        rnn.build(x.shape)
        rnn.set_weights(layer.get_weights())
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(rnn(x)),
            keras.ops.convert_to_numpy(layer(x)),
            atol=1e-6,
        )


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "case",
    ["zero_state", "initial_state", "masked", "strides_go_backwards"],
)
def test_gradients_match_finite_differences(case, implementation):
    """Gradients w.r.t. weights, inputs and the initial state, against
    central differences of the NumPy reference."""
    rng = np.random.default_rng(4)
    x = rng.normal(size=(1, 3, 4, 4, 2))
    kwargs = {"padding": "same", "implementation": implementation}
    reference = {}
    call_kwargs = {}
    if case == "strides_go_backwards":
        kwargs.update(strides=2, go_backwards=True)
        reference.update(strides=2, go_backwards=True)
    layer = layers.ConvGRU2D(2, 3, dtype="float64", **kwargs)
    layer.build(x.shape)
    weights = random_weights(layer)
    variables = [*layer.trainable_variables, keras.Variable(x, dtype="float64")]
    values = [*weights, x]
    if case == "initial_state":
        state = rng.normal(size=(1, 4, 4, 2))
        variables.append(keras.Variable(state, dtype="float64"))
        values.append(state)
    if case == "masked":
        call_kwargs["mask"] = np.array([[True, False, True]])
        reference["mask"] = call_kwargs["mask"]
    probe = rng.normal(size=keras.ops.shape(layer(x, **call_kwargs)))

    def loss_of(values):
        kernel, recurrent_kernel, bias, x, *state = values
        states = numpy_conv_gru.conv_gru(
            x,
            kernel,
            recurrent_kernel,
            bias,
            initial_state=state[0] if state else None,
            **reference,
        )
        return float(np.sum(states[:, -1] * probe))

    def layer_loss():
        kwargs = dict(call_kwargs)
        if case == "initial_state":
            kwargs["initial_state"] = [variables[4]]
        return keras.ops.sum(layer(variables[3], **kwargs) * probe)

    analytic = gradients(layer_loss, variables)
    eps = 1e-6
    for index, (value, grad) in enumerate(zip(values, analytic)):
        flat_positions = rng.choice(value.size, size=min(8, value.size), replace=False)
        for position in flat_positions:
            plus = [w.copy() for w in values]
            minus = [w.copy() for w in values]
            plus[index].flat[position] += eps
            minus[index].flat[position] -= eps
            numeric = (loss_of(plus) - loss_of(minus)) / (2 * eps)
            # JAX CPU convolutions accumulate in float32 even for float64.
            assert np.isclose(grad.flat[position], numeric, rtol=1e-4, atol=1e-6), (
                index,
                position,
            )


def gradients(loss_fn, variables):
    """Autodiff gradients of `loss_fn()` w.r.t. variables, on any backend."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = loss_fn()
        return [g.numpy() for g in tape.gradient(loss, variables)]
    if backend == "jax":
        import jax

        values = [v.value for v in variables]

        def stateless(vals):
            mapping = list(zip(variables, vals))
            with keras.StatelessScope(state_mapping=mapping):
                return loss_fn()

        return [np.asarray(g) for g in jax.grad(stateless)(values)]
    raise NotImplementedError(backend)


class ConvGRUKerasHarnessTest(compat.TestCase):
    """The cases Keras' own tests run for ConvLSTM1D/2D/3D."""

    @with_implementations(
        ("1d", 1, (3, 2, 8, 3), (3, 8, 5)),
        ("2d", 2, (3, 2, 4, 4, 3), (3, 4, 4, 5)),
        ("3d", 3, (3, 2, 4, 4, 4, 3), (3, 4, 4, 4, 5)),
    )
    def test_basics_same(self, rank, input_shape, output_shape, implementation):
        self.run_layer_test(
            LAYERS[rank],
            init_kwargs={
                "filters": 5,
                "kernel_size": 3,
                "padding": "same",
                "implementation": implementation,
            },
            input_shape=input_shape,
            expected_output_shape=output_shape,
            expected_num_trainable_weights=3,
            expected_num_non_trainable_weights=0,
            supports_masking=True,
        )

    @with_implementations(("default", None))
    def test_recurrent_dropout_training(self, _, implementation):
        self.run_layer_test(
            layers.ConvGRU2D,
            init_kwargs={
                "filters": 5,
                "kernel_size": 3,
                "padding": "valid",
                "recurrent_dropout": 0.5,
                "dropout": 0.5,
                "implementation": implementation,
            },
            input_shape=(3, 2, 8, 8, 3),
            call_kwargs={"training": True},
            expected_output_shape=(3, 6, 6, 5),
            expected_num_trainable_weights=3,
            expected_num_non_trainable_weights=0,
            expected_num_seed_generators=1,
            supports_masking=True,
        )

    @with_implementations(("default", None))
    def test_return_sequences_valid(self, _, implementation):
        self.run_layer_test(
            layers.ConvGRU2D,
            init_kwargs={
                "filters": 5,
                "kernel_size": 3,
                "padding": "valid",
                "return_sequences": True,
                "implementation": implementation,
            },
            input_shape=(3, 2, 8, 8, 3),
            expected_output_shape=(3, 2, 6, 6, 5),
            expected_num_trainable_weights=3,
            expected_num_non_trainable_weights=0,
            supports_masking=True,
        )

    def test_cell_config_round_trip(self):
        cell = layers.ConvGRU2DCell(5, 3, padding="same", strides=2, dropout=0.1)
        config = cell.get_config()
        self.assertNotIn("rank", config)
        clone = layers.ConvGRU2DCell.from_config(config)
        self.assertEqual(clone.get_config(), config)
        rebuilt = keras.saving.deserialize_keras_object(
            keras.saving.serialize_keras_object(cell)
        )
        self.assertIsInstance(rebuilt, layers.ConvGRU2DCell)
