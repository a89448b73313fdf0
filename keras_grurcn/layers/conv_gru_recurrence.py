"""The ConvGRU time loop with a hand-written backward pass (BPTT).

Automatic differentiation of the time loop computes, at every step, the
gradient of each recurrent convolution with respect to its kernel: small
per-step filter-gradient convolutions, plus bookkeeping to accumulate them
across iterations. This module writes backpropagation through time out
instead:

- the forward loop keeps only what the backward needs (`h_{t-1}`, the gates
  `z, r` and the candidate `h̃`) rather than every intermediate;
- the backward loop runs only what is truly sequential: two transposed
  convolutions per step that carry the gradient from `h_t` to `h_{t-1}`;
- the recurrent kernel's gradient is then one batched reduction over every
  timestep at once.

It covers the standard GRU-RCN setting: `tanh` candidate, `sigmoid` gates,
no mask and no recurrent dropout. `ConvGRU` falls back to its generic
per-step loop (automatic differentiation) for everything else.
"""

import itertools

import keras
from keras import ops


def conv_kernel_gradient(inputs, output_gradient, kernel_size):
    """Gradient of a stride-1 "same" convolution with respect to its kernel.

    For `outputs = ops.conv(inputs, kernel, padding="same")` (channels_last,
    any rank), returns `d loss / d kernel` given `d loss / d outputs`. Every
    batch element contributes, so a whole sequence folded into the batch is
    one reduction per kernel tap (a matrix product over batch×positions)
    rather than one small convolution per timestep.

    Args:
        inputs: `(batch, *spatial, in_channels)`.
        output_gradient: `(batch, *spatial, out_channels)`.
        kernel_size: tuple of ints, one per spatial axis.

    Returns:
        A tensor of shape `(*kernel_size, in_channels, out_channels)`.
    """
    spatial = inputs.shape[1:-1]
    # "same" pads (k - 1) per axis, the smaller half before (as TF and XLA do).
    padding = [[0, 0]]
    padding += [[(k - 1) // 2, k - 1 - (k - 1) // 2] for k in kernel_size]
    padding += [[0, 0]]
    padded = ops.pad(inputs, padding)
    in_channels = inputs.shape[-1]
    out_channels = output_gradient.shape[-1]
    output_gradient = ops.reshape(output_gradient, (-1, out_channels))
    taps = []
    for offset in itertools.product(*(range(k) for k in kernel_size)):
        window = padded[
            (slice(None),)
            + tuple(slice(o, o + n) for o, n in zip(offset, spatial))
            + (slice(None),)
        ]
        window = ops.reshape(window, (-1, in_channels))
        taps.append(ops.matmul(ops.transpose(window), output_gradient))
    return ops.reshape(ops.stack(taps), (*kernel_size, in_channels, out_channels))


def recurrent_conv(inputs, kernel):
    """The recurrent convolution: stride 1, "same" padding, channels_last.

    Cast back to the inputs' dtype: JAX's CPU convolutions return float32
    for float64 inputs, and the loop carries must keep one dtype.
    """
    outputs = ops.conv(inputs, kernel, padding="same", data_format="channels_last")
    return ops.cast(outputs, inputs.dtype)


def conv_input_gradient(output_gradient, kernel):
    """Gradient of `recurrent_conv(inputs, kernel)` with respect to `inputs`."""
    inputs_gradient = ops.conv_transpose(
        output_gradient, kernel, strides=1, padding="same", data_format="channels_last"
    )
    return ops.cast(inputs_gradient, output_gradient.dtype)


def conv_gru_recurrence(projected, recurrent_kernel, initial_state):
    """Runs the ConvGRU recurrence over time-major, projected inputs.

    Computes, for every step t (channels_last, `*` a stride-1 "same"
    convolution, `[z, r, h]` the gate order of `projected` and the kernel):

    ```
    z, r = sigmoid(p_zr + U_zr * h_{t-1})
    h̃ = tanh(p_h + U_h * (r ⊙ h_{t-1}))
    h_t = h_{t-1} + z ⊙ (h̃ - h_{t-1})
    ```

    with a custom gradient (see the module docstring).

    Args:
        projected: `(time, batch, *spatial, 3 * filters)`, the input
            convolution and bias of every step, `W * x_t + b`.
        recurrent_kernel: `(*kernel_size, filters, 3 * filters)` tensor.
        initial_state: `(batch, *spatial, filters)`.

    Returns:
        Every state `h_1 ... h_T`, `(time, batch, *spatial, filters)`.
    """
    filters = recurrent_kernel.shape[-2]
    kernel_size = tuple(recurrent_kernel.shape[:-2])

    @ops.custom_gradient
    def recurrence(projected, recurrent_kernel, initial_state):
        kernel_zr = recurrent_kernel[..., : 2 * filters]
        kernel_h = recurrent_kernel[..., 2 * filters :]
        dtype = projected.dtype

        def forward_step(carry, projected_t):
            h_tm1 = carry[0]
            zr = ops.sigmoid(
                projected_t[..., : 2 * filters] + recurrent_conv(h_tm1, kernel_zr)
            )
            r = zr[..., filters:]
            candidate = ops.tanh(
                projected_t[..., 2 * filters :] + recurrent_conv(r * h_tm1, kernel_h)
            )
            # Keras' JAX `tanh` returns float32 for float64 inputs.
            candidate = ops.cast(candidate, h_tm1.dtype)
            h = h_tm1 + zr[..., :filters] * (candidate - h_tm1)
            # `ops.scan` stacks outputs shaped like its carry: carry the
            # gates and the candidate along so that they are kept per step.
            step = (h, zr, candidate)
            return step, step

        zeros = ops.zeros_like(projected[0])
        _, (states, gates, candidates) = ops.scan(
            forward_step,
            (initial_state, zeros[..., : 2 * filters], zeros[..., 2 * filters :]),
            projected,
        )

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            # Built here, not in the forward: inference never needs it.
            previous_states = ops.concatenate(
                [ops.expand_dims(initial_state, 0), states[:-1]], axis=0
            )

            def backward_step(carry, inputs):
                d_h = inputs[..., :filters] + carry[0]
                z = inputs[..., filters : 2 * filters]
                r = inputs[..., 2 * filters : 3 * filters]
                candidate = inputs[..., 3 * filters : 4 * filters]
                h_tm1 = inputs[..., 4 * filters :]
                d_candidate = d_h * z * (1.0 - candidate * candidate)
                d_reset_state = conv_input_gradient(d_candidate, kernel_h)
                d_zr = ops.concatenate(
                    [
                        d_h * (candidate - h_tm1) * z * (1.0 - z),
                        d_reset_state * h_tm1 * r * (1.0 - r),
                    ],
                    axis=-1,
                )
                d_h_tm1 = (
                    d_h * (1.0 - z)
                    + d_reset_state * r
                    + conv_input_gradient(d_zr, kernel_zr)
                )
                step = (d_h_tm1, ops.concatenate([d_zr, d_candidate], axis=-1))
                return step, step

            # One tensor of inputs: Keras' TF `scan` fails on several when
            # the clip length is unknown (it asserts on a `None` length).
            backward_inputs = ops.concatenate(
                [ops.cast(upstream, dtype), gates, candidates, previous_states],
                axis=-1,
            )
            _, (d_previous_states, d_projected) = ops.scan(
                backward_step,
                (ops.zeros_like(initial_state), zeros),
                backward_inputs,
                reverse=True,
            )
            # Fold time into the batch: one kernel reduction for all steps.
            batch_shape = (-1, *previous_states.shape[2:])
            flat_previous = ops.reshape(previous_states, batch_shape)
            flat_reset = ops.reshape(gates[..., filters:], batch_shape)
            flat_d = ops.reshape(d_projected, (-1, *d_projected.shape[2:]))
            d_kernel = ops.concatenate(
                [
                    conv_kernel_gradient(
                        flat_previous, flat_d[..., : 2 * filters], kernel_size
                    ),
                    conv_kernel_gradient(
                        flat_reset * flat_previous,
                        flat_d[..., 2 * filters :],
                        kernel_size,
                    ),
                ],
                axis=-1,
            )
            return d_projected, d_kernel, d_previous_states[0]

        return states, grad

    # Cast (which also reads variables into tensors): TF's custom gradient
    # would otherwise expect gradients for the variables it sees read inside.
    dtype = projected.dtype
    return recurrence(
        projected,
        ops.cast(recurrent_kernel, dtype),
        ops.cast(initial_state, dtype),
    )


def has_handwritten_backward(cell):
    """Whether `conv_gru_recurrence` computes exactly what `cell` would."""
    return (
        cell.activation is keras.activations.tanh
        and cell.recurrent_activation is keras.activations.sigmoid
    )
