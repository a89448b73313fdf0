"""One step of the ConvGRU recurrence: the gate arithmetic, written once.

`ConvGRUCell.call`, both time loops of `ConvGRU` (autodiff and BPTT) and
the first step of a sequence that starts from a zero state all call
`conv_gru_step`; the BPTT loop's backward pass differentiates exactly what
it computes. `StepConvolutions` holds the step's convolutions, written the
two ways a loop can choose between.
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


def can_join(conv_arguments):
    """Whether the input convolution has the recurrent one's geometry.

    Stride 1, "same" padding and no dilation: only then do `x_t` and `h`
    line up position by position, so one convolution can take both.
    """
    return (
        conv_arguments["padding"] == "same"
        and all(stride == 1 for stride in conv_arguments["strides"])
        and all(rate == 1 for rate in conv_arguments["dilation_rate"])
    )


class StepConvolutions:
    """The convolutions of a ConvGRU step, written one of two ways.

    Separate (three convolutions): `p = W * x_t + b` for the three gates,
    `U_zr * h` for both gates and `U_h * (r ⊙ h)` for the candidate.

    Joint (two convolutions, the same multiply-adds): `[W_zr; U_zr]` over
    the channels of `[x_t, h]` for both gates and `[W_h; U_h]` over
    `[x_t, r ⊙ h]` for the candidate; the kernels are concatenated once, here,
    not per step. Fewer, bigger convolutions: on XLA's CPU backend (JAX) the
    BPTT loop's forward pass takes 0.90x the separate form's time (0.86x the
    hand-rolled cell's), and its training step 0.90x. On TensorFlow, whose
    autodiff of the concatenations trains 1.27x slower, the autodiff loop
    keeps the separate form (docs/benchmarks.md).
    Joint needs `can_join(conv_arguments)`; otherwise the convolutions are
    separate whatever `joint` says.

    Args:
        kernel: `(*kernel_size, channels, 3 * filters)`, gate order `[z, r, h]`.
        bias: `(3 * filters,)` or `None`.
        recurrent_kernel: `(*kernel_size, filters, 3 * filters)`.
        conv_arguments: dict of the input convolution's `strides`, `padding`
            and `dilation_rate` (tuples and a string).
        joint: bool, join the input and recurrent convolutions where the
            geometry allows.

    Example:

    ```python
    same = {"strides": (1, 1), "padding": "same", "dilation_rate": (1, 1)}
    kernel = np.ones((3, 3, 8, 12), "float32")  # 8 channels -> 3 x 4 filters
    recurrent_kernel = np.ones((3, 3, 4, 12), "float32")
    convolutions = StepConvolutions(
        kernel, None, recurrent_kernel, same, joint=True
    )
    h, z, r, candidate = conv_gru_step(
        np.ones((2, 5, 5, 8), "float32"), np.zeros((2, 5, 5, 4), "float32"),
        convolutions, keras.ops.tanh, keras.ops.sigmoid,
    )
    h.shape  # (2, 5, 5, 4)
    ```
    """

    def __init__(self, kernel, bias, recurrent_kernel, conv_arguments, joint=False):
        self.filters = recurrent_kernel.shape[-2]
        self.kernel = kernel
        self.bias = bias
        self.conv_arguments = conv_arguments
        self.recurrent_kernels = split_recurrent_kernel(recurrent_kernel)
        self.joint = joint and can_join(conv_arguments)
        if self.joint:
            input_kernels = split_gates(kernel, self.filters)
            # Input channels first, then the state's: [x_t, h] below.
            self.joint_kernels = tuple(
                ops.concatenate([input_kernel, recurrent], axis=-2)
                for input_kernel, recurrent in zip(
                    input_kernels, self.recurrent_kernels
                )
            )
            self.joint_biases = (
                (None, None) if bias is None else split_gates(bias, self.filters)
            )

    def project_inputs(self, inputs_t):
        """`W * x_t + b`, all three gates: a step whose state is zeros."""
        return project_inputs(inputs_t, self.kernel, self.bias, self.conv_arguments)

    def gates(self, inputs_t, h_in):
        """The gates' pre-activations, and what `candidate` takes next."""
        if self.joint:
            joined = ops.concatenate([inputs_t, h_in], axis=-1)
            gates = recurrent_conv(joined, self.joint_kernels[0])
            bias = self.joint_biases[0]
            return (gates if bias is None else gates + bias), inputs_t
        gates, candidate_inputs = split_gates(
            self.project_inputs(inputs_t), self.filters
        )
        return gates + recurrent_conv(h_in, self.recurrent_kernels[0]), candidate_inputs

    def candidate(self, candidate_inputs, reset_state):
        """The candidate's pre-activation, given `r ⊙ h`."""
        if self.joint:
            joined = ops.concatenate([candidate_inputs, reset_state], axis=-1)
            candidate = recurrent_conv(joined, self.joint_kernels[1])
            bias = self.joint_biases[1]
            return candidate if bias is None else candidate + bias
        return candidate_inputs + recurrent_conv(reset_state, self.recurrent_kernels[1])


def conv_gru_step(
    inputs_t,
    h_tm1,
    convolutions,
    activation,
    recurrent_activation,
    recurrent_mask=None,
    step_mask=None,
):
    """One GRU-RCN update, channels_last.

    ```
    h_in = h_{t-1} ⊙ recurrent_mask
    z, r = recurrent_activation(W_zr * x_t + U_zr * h_in + b_zr)
    h̃ = activation(W_h * x_t + U_h * (r ⊙ h_in) + b_h)
    h_t = h_{t-1} + m_t z ⊙ (h̃ - h_{t-1})
    ```

    A masked step (`m_t = 0`) keeps the state: the mask scales the update
    gate, so masked and plain sequences run the same arithmetic.

    Args:
        inputs_t: the step's inputs `(batch, *spatial, channels)`, input
            dropout already applied.
        h_tm1: the previous state `(batch, *spatial, filters)`, or `None`
            for a state known to be zeros (the first step of a sequence
            with no initial state): the recurrent convolutions of zeros are
            skipped, which saves a tenth of them on a 10-step clip.
        convolutions: the step's `StepConvolutions`.
        activation: activation of the candidate state.
        recurrent_activation: activation of the gates.
        recurrent_mask: optional dropout mask of the state, like `h_tm1`.
        step_mask: optional `(batch, 1, ..., 1)` 0/1 tensor, 0 where the
            step is masked.

    Returns:
        `(h_t, z, r, h̃)`, where `z` is already multiplied by `step_mask`.
    """
    dtype = inputs_t.dtype
    if h_tm1 is None:
        gates, candidate = split_gates(
            convolutions.project_inputs(inputs_t), convolutions.filters
        )
    else:
        h_in = h_tm1 if recurrent_mask is None else h_tm1 * recurrent_mask
        gates, candidate_inputs = convolutions.gates(inputs_t, h_in)
    zr = ops.cast(recurrent_activation(gates), dtype)
    z, r = ops.split(zr, 2, axis=-1)
    if h_tm1 is not None:
        candidate = convolutions.candidate(candidate_inputs, r * h_in)
    # Keras' JAX `tanh` returns float32 for float64 inputs.
    candidate = ops.cast(activation(candidate), dtype)
    if step_mask is not None:
        z = z * step_mask
    if h_tm1 is None:
        return z * candidate, z, r, candidate
    # (1 - z) * h + z * h̃, written with one multiply.
    return h_tm1 + z * (candidate - h_tm1), z, r, candidate
