import keras
from keras import ops

# The time loop Keras' own RNN layers use (tf.while_loop, lax.scan, ...):
# it handles masks, go_backwards and unroll for every backend.
from keras.src.backend import rnn as backend_rnn  # noqa: I001

from keras_grurcn.layers.conv_gru_cell import ConvGRUCell
from keras_grurcn.layers.conv_gru_recurrence import conv_gru_recurrence
from keras_grurcn.layers.conv_gru_recurrence import has_handwritten_backward

# Constructor arguments that belong to the cell; the layer's config
# flattens them so `ConvGRU2D(**layer.get_config())` rebuilds the layer.
CELL_ARGUMENTS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


@keras.saving.register_keras_serializable(package="keras_grurcn")
class ConvGRU(keras.layers.RNN):
    """Convolutional GRU over a sequence of feature maps, any rank.

    The rank-generic base of `ConvGRU1D`, `ConvGRU2D` and `ConvGRU3D`; see
    `ConvGRUCell` for the equations, weights and arguments. Its API matches
    `keras.layers.ConvLSTM2D`.

    The input convolution `W * x_t` does not depend on the state, so it is
    computed for every timestep in one batched convolution before the
    recurrence; each step then runs two recurrent convolutions (`U_zr` for
    both gates, then `U_h` on `r ⊙ h`) instead of ConvLSTM's eight. This
    holds for every option (masks, `go_backwards`, `stateful`, `unroll`,
    dropout).

    With the default activations, no mask, no recurrent dropout and no
    unrolling, the time loop also has a hand-written backward pass (see
    `conv_gru_recurrence`): its recurrent-kernel gradient is one batched
    reduction over all steps instead of per-step filter gradients. Masked
    sequences, recurrent dropout in training and other activations use
    the per-step loop with automatic differentiation; both give the same
    values and gradients.

    Args:
        rank: int, 1, 2 or 3.
        filters, kernel_size, strides, padding, data_format, dilation_rate,
        activation, recurrent_activation, use_bias, *_initializer,
        *_regularizer, *_constraint, dropout, recurrent_dropout, seed:
            as in `ConvGRUCell`.
        return_sequences: bool, return every state rather than the last.
        return_state: bool, also return the last state.
        go_backwards: bool, process the sequence in reverse.
        stateful: bool, keep the last state of each sample as the initial
            state of the next batch (`reset_state()` clears it).
        unroll: bool, unroll the time loop (static, short sequences only).
        **kwargs: `keras.layers.RNN` and base layer arguments.

    Call arguments:
        inputs: `(batch, time, *spatial, channels)` (or channels first).
        mask: optional `(batch, time)` bool tensor; a masked step carries
            the state forward unchanged.
        training: bool, enables dropout.
        initial_state: optional list with one state tensor.

    Examples:

    ```python
    layer = keras_grurcn.layers.ConvGRU(rank=2, filters=4, kernel_size=3, padding="same")
    layer(np.zeros((2, 3, 8, 8, 1), "float32")).shape  # (2, 8, 8, 4)
    ```
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        **kwargs,
    ):
        cell = ConvGRUCell(
            rank=rank,
            filters=filters,
            kernel_size=kernel_size,
            strides=strides,
            padding=padding,
            data_format=data_format,
            dilation_rate=dilation_rate,
            activation=activation,
            recurrent_activation=recurrent_activation,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint,
            dropout=dropout,
            recurrent_dropout=recurrent_dropout,
            seed=seed,
            name="conv_gru_cell",
            dtype=kwargs.get("dtype"),
        )
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            unroll=unroll,
            **kwargs,
        )
        self.rank = rank
        self.input_spec = keras.InputSpec(ndim=rank + 3)
        # Tests switch this off to compare against the generic loop.
        self._handwritten_backward = True

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(
                f"{type(self).__name__} expects inputs of rank {self.rank + 3} "
                f"(batch, time, {self.rank} spatial dims, channels). "
                f"Received input shape: {tuple(sequences_shape)}"
            )
        super().build(sequences_shape, initial_state_shape)

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        dropout_mask = recurrent_mask = None
        if training and cell.dropout > 0:
            # One mask per sequence, broadcast over time: (batch, 1, ...).
            dropout_mask = ops.expand_dims(
                cell.to_channels_last(cell.get_dropout_mask(sequences[:, 0])), 1
            )
        if training and cell.recurrent_dropout > 0:
            recurrent_mask = cell.to_channels_last(
                cell.get_recurrent_dropout_mask(initial_state[0])
            )
        # All input convolutions at once: (batch, time, *spatial', 3 * filters).
        projected = cell.project_inputs(cell.to_channels_last(sequences), dropout_mask)
        if self.uses_handwritten_backward(mask, recurrent_mask):
            return self.loop_with_handwritten_backward(projected, initial_state[0])
        recurrent_kernels = cell.split_recurrent_kernel()
        zero_output_for_mask = self.zero_output_for_mask
        if mask is not None:
            # Masked steps carry the state forward unchanged. The mask rides
            # along as one more channel of the step input, rather than going
            # to the backend loop: its mask broadcasting assumes vector states
            # on some backends (JAX), and one tensor (not a tuple) lets
            # Keras' TF loop read a traced clip's unknown length.
            mask = ops.cast(mask, projected.dtype)
            if len(mask.shape) > 2:  # e.g. keras.layers.Masking: per position
                mask = ops.max(mask, axis=tuple(range(2, len(mask.shape))))
            mask = ops.reshape(mask, (*ops.shape(mask), *(1,) * (cell.rank + 1)))
            mask = ops.broadcast_to(mask, (*ops.shape(projected)[:-1], 1))
            projected = ops.concatenate([projected, mask], axis=-1)

        def step(projected_t, states):
            h_tm1 = states[0]
            h = cell.recurrent_step(
                projected_t, h_tm1, recurrent_kernels, recurrent_mask
            )
            if mask is None:
                return h, [h]
            keep = projected_t[..., -1:] > 0.5
            h = ops.where(keep, h, h_tm1)
            output = (
                ops.where(keep, h, ops.zeros_like(h)) if zero_output_for_mask else h
            )
            return output, [h]

        initial_state = [cell.to_channels_last(initial_state[0])]
        last_output, outputs, states = backend_rnn(
            step,
            projected,
            initial_state,
            go_backwards=self.go_backwards,
            unroll=self.unroll,
            input_length=sequences.shape[1],
            return_all_outputs=self.return_sequences,
        )
        return (
            cell.to_data_format(last_output),
            cell.to_data_format(outputs),
            [cell.to_data_format(states[0])],
        )

    def uses_handwritten_backward(self, mask, recurrent_mask):
        """Whether `loop_with_handwritten_backward` applies.

        It needs the default activations, no mask, no recurrent dropout in
        this call and no unrolling.
        """
        return (
            self._handwritten_backward
            and mask is None
            and recurrent_mask is None
            and not self.unroll
            and has_handwritten_backward(self.cell)
        )

    def loop_with_handwritten_backward(self, projected, initial_state):
        """The time loop with its hand-written backward pass.

        See `conv_gru_recurrence`: same values as the generic loop, with a
        cheaper gradient.
        """
        cell = self.cell
        steps = ops.moveaxis(projected, 1, 0)  # time-major
        if self.go_backwards:
            steps = ops.flip(steps, axis=0)
        states = conv_gru_recurrence(
            steps, cell.recurrent_kernel, cell.to_channels_last(initial_state)
        )
        last_state = states[-1]
        outputs = ops.moveaxis(states, 0, 1) if self.return_sequences else last_state
        return (
            cell.to_data_format(last_state),
            cell.to_data_format(outputs),
            [cell.to_data_format(last_state)],
        )

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch_size, steps = sequences_shape[0], sequences_shape[1]
        if self.data_format == "channels_last":
            spatial = sequences_shape[2:-1]
        else:
            spatial = sequences_shape[3:]
        state_shape = self.cell.state_shape(batch_size, spatial)
        if self.return_sequences:
            output_shape = (batch_size, steps, *state_shape[1:])
        else:
            output_shape = state_shape
        if self.return_state:
            return output_shape, state_shape
        return output_shape

    def compute_mask(self, _, mask):
        mask = keras.tree.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask, None]
        return output_mask

    def get_config(self):
        config = super().get_config()
        del config["cell"]
        cell_config = self.cell.get_config()
        config.update({name: cell_config[name] for name in CELL_ARGUMENTS})
        config["rank"] = self.rank
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _cell_argument(name):
    return property(
        lambda self: getattr(self.cell, name),
        doc=f"The cell's `{name}` (see `ConvGRUCell`).",
    )


# `layer.filters`, `layer.padding`, ... read through to the cell, like ConvLSTM.
for _name in CELL_ARGUMENTS:
    setattr(ConvGRU, _name, _cell_argument(_name))
