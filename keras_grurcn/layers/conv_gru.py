import keras
from keras import ops

from keras_grurcn.layers.conv_gru_autodiff_loop import conv_gru_autodiff
from keras_grurcn.layers.conv_gru_bptt_loop import conv_gru_bptt
from keras_grurcn.layers.conv_gru_bptt_loop import supports_bptt
from keras_grurcn.layers.conv_gru_cell import ConvGRUCell

# The time loops `implementation` can name, and the one "auto" picks per
# backend: the fastest in benchmarks/convgru_vs_convlstm.py on a CPU (see
# docs/benchmarks.md). Backends not measured get the generic loop.
IMPLEMENTATIONS = ("autodiff", "bptt")
FASTEST_IMPLEMENTATION = {"tensorflow": "autodiff", "jax": "bptt"}

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

    Every step runs `conv_gru_step`: one input convolution for the three
    gates, one recurrent convolution for both gates (`U_zr`) and one on
    `r ⊙ h` (`U_h`), or the same multiply-adds as two joint convolutions
    in the `"bptt"` loop, against ConvLSTM's eight. When the sequence starts
    from the default zero state, the first step skips its two recurrent
    convolutions (they would convolve zeros). Two time loops run that step,
    chosen by `implementation`:

    - `"autodiff"`: Keras' RNN loop, differentiated by the backend. On
      TensorFlow it uses TensorFlow's own convolution-gradient kernels and
      is the fastest; it also runs any activation and `unroll=True`.
    - `"bptt"`: a `keras.ops.scan` loop with a hand-written backward pass
      (backpropagation through time) whose kernel gradients are one batched
      reduction over all steps (`conv_gru_bptt`). Its steps join the input
      and recurrent convolutions into two over `[x_t, h]` and `[x_t, r ⊙ h]`
      where the input convolution is stride 1 and "same" (the same
      multiply-adds; see `StepConvolutions`). On JAX it is the fastest
      (30x faster to train than `"autodiff"` on a CPU). It needs the
      default `tanh` and `sigmoid` activations and `unroll=False`.
    - `"auto"` (default): the fastest measured for the backend, `"bptt"` on
      JAX and `"autodiff"` on TensorFlow and other backends; `"autodiff"`
      wherever `"bptt"` does not apply. Measured by
      `benchmarks/convgru_vs_convlstm.py` on a 2-core CPU (batch 4, 10
      steps, 28x28x128 -> 64 filters, 3x3; docs/benchmarks.md), against the
      ConvGRU cell a user would write on `keras.layers.RNN`:
      TensorFlow, `"autodiff"` trains in 0.73x its time and runs forward
      in 0.95x (`"bptt"`: 1.16x, 0.99x); JAX, `"bptt"` trains in 0.030x
      and runs forward in 0.96x (`"autodiff"`: 0.90x, 1.00x).

    Both give the same values and gradients for masks, `go_backwards`,
    `stateful`, dropout and recurrent dropout.

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
        implementation: `"auto"`, `"autodiff"` or `"bptt"`, the time loop
            (see above).
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
        implementation="auto",
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
        if implementation not in ("auto", *IMPLEMENTATIONS):
            raise ValueError(
                "`implementation` must be 'auto', 'autodiff' or 'bptt'. "
                f"Received: implementation={implementation!r}"
            )
        if implementation == "bptt" and not (supports_bptt(cell) and not unroll):
            raise ValueError(
                "`implementation='bptt'` needs activation='tanh', "
                "recurrent_activation='sigmoid' and unroll=False; use "
                "implementation='autodiff' or 'auto'. Received: "
                f"activation={activation!r}, recurrent_activation="
                f"{recurrent_activation!r}, unroll={unroll!r}"
            )
        self.rank = rank
        self.implementation = implementation
        self.input_spec = keras.InputSpec(ndim=rank + 3)
        self._starts_from_zero_state = False

    @property
    def loop_implementation(self):
        """The time loop this layer runs: `"autodiff"` or `"bptt"`."""
        if self.implementation != "auto":
            return self.implementation
        fastest = FASTEST_IMPLEMENTATION.get(keras.backend.backend(), "autodiff")
        if fastest == "bptt" and (self.unroll or not supports_bptt(self.cell)):
            return "autodiff"
        return fastest

    def build(self, sequences_shape, initial_state_shape=None):
        if len(sequences_shape) != self.rank + 3:
            raise ValueError(
                f"{type(self).__name__} expects inputs of rank {self.rank + 3} "
                f"(batch, time, {self.rank} spatial dims, channels). "
                f"Received input shape: {tuple(sequences_shape)}"
            )
        super().build(sequences_shape, initial_state_shape)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        # `RNN.call` fills in a zero state when none is given (and the layer
        # is not stateful); `inner_loop` then skips the first step's
        # recurrent convolutions, which would only convolve zeros.
        self._starts_from_zero_state = initial_state is None and not self.stateful
        return super().call(
            sequences, initial_state=initial_state, mask=mask, training=training
        )

    def inner_loop(self, sequences, initial_state, mask, training=False):
        cell = self.cell
        inputs = cell.to_channels_last(sequences)
        if training and cell.dropout > 0:
            # One mask per sequence, broadcast over time: (batch, 1, ...).
            dropout_mask = cell.to_channels_last(cell.get_dropout_mask(sequences[:, 0]))
            inputs = inputs * ops.expand_dims(dropout_mask, 1)
        recurrent_mask = None
        if training and cell.recurrent_dropout > 0:
            recurrent_mask = cell.to_channels_last(
                cell.get_recurrent_dropout_mask(initial_state[0])
            )
        if mask is not None:
            mask = ops.cast(mask, inputs.dtype)
            if len(mask.shape) > 2:  # e.g. keras.layers.Masking: per position
                mask = ops.max(mask, axis=tuple(range(2, len(mask.shape))))
        steps = sequences.shape[1]
        zero_state = self._starts_from_zero_state and steps is not None and steps > 1
        state = None if zero_state else cell.to_channels_last(initial_state[0])
        if self.loop_implementation == "bptt":
            last_output, outputs, last_state = self.bptt_loop(
                inputs, state, mask, recurrent_mask
            )
        else:
            last_output, outputs, last_state = conv_gru_autodiff(
                cell,
                inputs,
                state,
                step_mask=mask,
                recurrent_mask=recurrent_mask,
                go_backwards=self.go_backwards,
                unroll=self.unroll,
                return_sequences=self.return_sequences,
                zero_output_for_mask=self.zero_output_for_mask,
            )
        return (
            cell.to_data_format(last_output),
            cell.to_data_format(outputs),
            [cell.to_data_format(last_state)],
        )

    def bptt_loop(self, inputs, initial_state, mask, recurrent_mask):
        """`conv_gru_bptt` over batch-major inputs, returned like `inner_loop`."""
        cell = self.cell
        steps = ops.moveaxis(inputs, 1, 0)  # time-major
        if mask is not None:
            mask = ops.moveaxis(mask, 1, 0)
        if self.go_backwards:
            steps = ops.flip(steps, axis=0)
            mask = None if mask is None else ops.flip(mask, axis=0)
        states = conv_gru_bptt(
            steps,
            cell.kernel,
            cell.bias,
            cell.recurrent_kernel,
            initial_state,
            cell.conv_arguments,
            step_mask=mask,
            recurrent_mask=recurrent_mask,
        )
        outputs = states
        if mask is not None and self.zero_output_for_mask:
            rank = len(states.shape) - 3
            outputs = states * ops.reshape(
                ops.cast(mask, states.dtype), (*ops.shape(mask), *(1,) * (rank + 1))
            )
        last_output = outputs[-1]
        outputs = ops.moveaxis(outputs, 0, 1) if self.return_sequences else last_output
        return last_output, outputs, states[-1]

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
        config["implementation"] = self.implementation
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
