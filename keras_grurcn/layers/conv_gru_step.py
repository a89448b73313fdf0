"""One step of the ConvGRU recurrence: the gate arithmetic, written once.

`ConvGRUCell.call`, both time loops of `ConvGRU` (autodiff and BPTT) and
the first step of a sequence that starts from a zero state all call
`project_inputs` and `conv_gru_step`; the BPTT loop's backward pass
differentiates exactly what they compute.
"""

from keras import ops


def recurrent_conv(inputs, kernel):
    """The recurrent convolution: stride 1, "same" padding, channels_last.

    Cast back to the inputs' dtype: JAX's CPU convolutions return float32
    for float64 inputs, and loop carries must keep one dtype.
    """
    outputs = ops.conv(inputs, kernel, padding="same", data_format="channels_last")
    return ops.cast(outputs, inputs.dtype)


def project_inputs(inputs, kernel, bias, conv_arguments):
    """`W * x + b` for the three gates `[z, r, h]`, channels_last.

    Args:
        inputs: `(batch, *spatial, channels)`.
        kernel: `(*kernel_size, channels, 3 * filters)`.
        bias: `(3 * filters,)` or `None`.
        conv_arguments: dict of `strides`, `padding` and `dilation_rate`.
    """
    projected = ops.conv(inputs, kernel, data_format="channels_last", **conv_arguments)
    projected = ops.cast(projected, inputs.dtype)  # JAX CPU: float64 -> float32
    return projected if bias is None else projected + bias


def split_gates(tensor, filters):
    """Splits the last axis after `2 * filters` channels: `(zr, h)` parts.

    `ops.split`, not slicing: TensorFlow differentiates a split with one
    concatenation, but each slice with a zero tensor of the full size plus
    an addition (`StridedSliceGrad`, ~20% of a training step when the step
    sliced; docs/benchmarks.md).
    """
    return ops.split(tensor, [2 * filters], axis=-1)


def split_recurrent_kernel(recurrent_kernel):
    """Returns `(U_zr, U_h)`: one convolution for both gates, one for h̃."""
    return split_gates(recurrent_kernel, recurrent_kernel.shape[-2])


def conv_gru_step(
    projected,
    h_tm1,
    recurrent_kernels,
    activation,
    recurrent_activation,
    recurrent_mask=None,
    step_mask=None,
):
    """One GRU-RCN update, channels_last.

    ```
    h_in = h_{t-1} ⊙ recurrent_mask
    z, r = recurrent_activation(p_zr + U_zr * h_in)
    h̃ = activation(p_h + U_h * (r ⊙ h_in))
    h_t = h_{t-1} + m_t z ⊙ (h̃ - h_{t-1})
    ```

    A masked step (`m_t = 0`) keeps the state: the mask scales the update
    gate, so masked and plain sequences run the same arithmetic.

    Args:
        projected: `W * x_t + b`, `(batch, *spatial, 3 * filters)`, gate
            order `[z, r, h]`.
        h_tm1: the previous state `(batch, *spatial, filters)`, or `None`
            for a state known to be zeros (the first step of a sequence
            with no initial state): the recurrent convolutions of zeros are
            skipped, which saves a tenth of them on a 10-step clip.
        recurrent_kernels: `(U_zr, U_h)`, from `split_recurrent_kernel`.
        activation: activation of the candidate state.
        recurrent_activation: activation of the gates.
        recurrent_mask: optional dropout mask of the state, like `h_tm1`.
        step_mask: optional `(batch, 1, ..., 1)` 0/1 tensor, 0 where the
            step is masked.

    Returns:
        `(h_t, z, r, h̃)`, where `z` is already multiplied by `step_mask`.
    """
    kernel_zr, kernel_h = recurrent_kernels
    gates, candidate = split_gates(projected, kernel_h.shape[-1])
    if h_tm1 is not None:
        h_in = h_tm1 if recurrent_mask is None else h_tm1 * recurrent_mask
        gates = gates + recurrent_conv(h_in, kernel_zr)
    zr = ops.cast(recurrent_activation(gates), projected.dtype)
    z, r = ops.split(zr, 2, axis=-1)
    if h_tm1 is not None:
        candidate = candidate + recurrent_conv(r * h_in, kernel_h)
    # Keras' JAX `tanh` returns float32 for float64 inputs.
    candidate = ops.cast(activation(candidate), projected.dtype)
    if step_mask is not None:
        z = z * step_mask
    if h_tm1 is None:
        return z * candidate, z, r, candidate
    # (1 - z) * h + z * h̃, written with one multiply.
    return h_tm1 + z * (candidate - h_tm1), z, r, candidate
