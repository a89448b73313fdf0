"""The ConvGRU time loop differentiated by the backend (Keras' RNN loop).

Each iteration runs the whole step, input convolution included: on a CPU
the step's frame stays in cache, and TensorFlow differentiates the loop with
its own convolution-gradient kernels, which `keras.ops` cannot call. This is
the fastest loop on TensorFlow (docs/benchmarks.md), and the one that runs
any activation and `unroll=True`.
"""

from keras import ops

from keras_grurcn import compat
from keras_grurcn.layers.conv_gru_step import conv_gru_step


def conv_gru_autodiff(
    cell,
    inputs,
    initial_state,
    step_mask=None,
    recurrent_mask=None,
    go_backwards=False,
    unroll=False,
    return_sequences=False,
    zero_output_for_mask=False,
):
    """Runs `cell`'s recurrence over batch-major, channels_last inputs.

    Args:
        cell: the `ConvGRUCell` whose weights and activations to use.
        inputs: `(batch, time, *spatial, channels)`, input dropout applied.
        initial_state: `(batch, *state_spatial, filters)`, or `None` for a
            zero state (the first step then skips its recurrent convolutions).
        step_mask: optional `(batch, time)` 0/1 tensor; a masked step keeps
            the state.
        recurrent_mask: optional dropout mask of the state.
        go_backwards, unroll: as in `keras.layers.RNN`.
        return_sequences: whether to return every step's output.
        zero_output_for_mask: whether a masked step outputs zeros (rather
            than the state it keeps).

    Returns:
        `(last_output, outputs, last_state)`, outputs in the order the steps
        ran, like Keras' RNN loop.
    """
    convolutions = cell.step_convolutions()
    masked = step_mask is not None
    if masked:
        # Read per step by index, carried as a second state: the backend
        # loop's own masking broadcasts as if states were vectors on some
        # backends (JAX), and Keras' TF loop cannot scan several tensors of
        # unknown length.
        rank = len(inputs.shape) - 3
        step_mask = ops.cast(step_mask, inputs.dtype)
        step_mask = ops.reshape(step_mask, (*ops.shape(step_mask), *(1,) * (rank + 1)))
        if go_backwards:  # index the steps in the order they run
            step_mask = ops.flip(step_mask, axis=1)

    def step(inputs_t, states):
        keep = ops.take(step_mask, states[1], axis=1) if masked else None
        h, _, _, _ = conv_gru_step(
            inputs_t,
            states[0],
            convolutions,
            cell.activation,
            cell.recurrent_activation,
            recurrent_mask,
            keep,
        )
        output = h * keep if masked and zero_output_for_mask else h
        return output, [h, states[1] + 1] if masked else [h]

    # Batch-major: Keras 3.15's TF loop with `time_major=True` runs `batch`
    # steps when the clip length is unknown (`input_length or shape[1]`).
    index = ops.convert_to_tensor(0, "int32")
    first_output = None
    if initial_state is None:
        first = inputs[:, -1] if go_backwards else inputs[:, 0]
        inputs = inputs[:, :-1] if go_backwards else inputs[:, 1:]
        first_output, (initial_state, *_) = step(first, [None, index])
        index = index + 1
    last_output, outputs, states = compat.rnn(
        step,
        inputs,
        [initial_state, index] if masked else [initial_state],
        go_backwards=go_backwards,
        unroll=unroll,
        input_length=inputs.shape[1],
        return_all_outputs=return_sequences,
    )
    if return_sequences and first_output is not None:
        outputs = ops.concatenate([ops.expand_dims(first_output, 1), outputs], axis=1)
    return last_output, outputs, states[0]
