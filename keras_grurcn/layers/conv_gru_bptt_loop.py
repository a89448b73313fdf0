"""The ConvGRU time loop with a hand-written backward pass (BPTT).

Differentiating a time loop automatically computes, at every step, the
gradient of each convolution with respect to its kernel: small per-step
filter-gradient convolutions, plus bookkeeping to accumulate them across
iterations. On XLA's CPU backend (JAX) that is ~18x slower than this
module, which writes backpropagation through time out instead:

- the forward loop runs `conv_gru_step`, its convolutions joint (two per
  step rather than three, see `StepConvolutions`), and keeps what the
  backward needs: the states and the gates `z, r` and the candidate `h̃` of
  every step;
- the backward loop runs only what is truly sequential: two transposed
  convolutions per step that carry the gradient from `h_t` to `h_{t-1}`;
- the kernels' gradients (and the inputs', when asked for) are then one
  batched reduction over every timestep at once (`conv_gradients`).

It covers `tanh` candidates and `sigmoid` gates, with masks, recurrent
dropout, an initial state or a zero one (whose first step skips the
recurrent convolutions).
"""

import keras
from keras import ops

from keras_grurcn.layers.conv_gradients import conv_input_gradient
from keras_grurcn.layers.conv_gradients import conv_kernel_gradient
from keras_grurcn.layers.conv_gru_step import StepConvolutions
from keras_grurcn.layers.conv_gru_step import conv_gru_step


def supports_bptt(cell):
    """Whether `conv_gru_bptt` computes exactly what `cell` would."""
    return (
        cell.activation is keras.activations.tanh
        and cell.recurrent_activation is keras.activations.sigmoid
    )


def _recurrent_input_gradient(output_gradient, kernel):
    return conv_input_gradient(output_gradient, kernel, output_gradient.shape[1:-1])


def conv_gru_bptt(
    inputs,
    kernel,
    bias,
    recurrent_kernel,
    initial_state,
    conv_arguments,
    step_mask=None,
    recurrent_mask=None,
):
    """Runs the ConvGRU over time-major inputs, with a hand-written gradient.

    Args:
        inputs: `(time, batch, *spatial, channels)`, channels_last, in the
            order the steps run (already reversed for `go_backwards`, input
            dropout already applied).
        kernel: `(*kernel_size, channels, 3 * filters)`.
        bias: `(3 * filters,)` or `None`.
        recurrent_kernel: `(*kernel_size, filters, 3 * filters)`.
        initial_state: `(batch, *state_spatial, filters)`, or `None` for a
            zero state.
        conv_arguments: dict of the input convolution's `strides`, `padding`
            and `dilation_rate` (tuples and a string).
        step_mask: optional `(time, batch)` 0/1 tensor; a masked step keeps
            the state.
        recurrent_mask: optional dropout mask of the state.

    Returns:
        Every state `h_1 ... h_T`, `(time, batch, *state_spatial, filters)`.
    """
    dtype = inputs.dtype
    rank = len(inputs.shape) - 3
    filters = recurrent_kernel.shape[-2]
    if step_mask is not None:  # (time, batch, 1, ..., 1)
        step_mask = ops.reshape(step_mask, (*ops.shape(step_mask), *(1,) * (rank + 1)))
    # Casting also reads variables into tensors: TF's custom gradient would
    # otherwise expect gradients for the variables it sees read inside.
    arguments = {
        "inputs": inputs,
        "kernel": ops.cast(kernel, dtype),
        "recurrent_kernel": ops.cast(recurrent_kernel, dtype),
    }
    optional = {
        "bias": bias,
        "initial_state": initial_state,
        "recurrent_mask": recurrent_mask,
        "step_mask": step_mask,
    }
    arguments.update(
        {
            name: ops.cast(value, dtype)
            for name, value in optional.items()
            if value is not None
        }
    )
    names = tuple(arguments)

    @ops.custom_gradient
    def recurrence(*values):
        values = dict(zip(names, values))
        inputs, kernel = values["inputs"], values["kernel"]
        bias = values.get("bias")
        initial_state = values.get("initial_state")
        recurrent_mask = values.get("recurrent_mask")
        step_mask = values.get("step_mask")
        # Joint convolutions: the faster forward pass here (see
        # `StepConvolutions`); the backward pass below needs only the
        # recurrent kernels, whichever way the forward ran.
        convolutions = StepConvolutions(
            kernel, bias, values["recurrent_kernel"], conv_arguments, joint=True
        )
        recurrent_kernels = convolutions.recurrent_kernels

        def step(inputs_t, h_tm1, t):
            return conv_gru_step(
                inputs_t,
                h_tm1,
                convolutions,
                ops.tanh,
                ops.sigmoid,
                recurrent_mask,
                None if step_mask is None else ops.take(step_mask, t, axis=0),
            )

        def forward_step(carry, inputs_t):
            t = carry[3]
            h, z, r, candidate = step(inputs_t, carry[0], t)
            # `ops.scan` stacks outputs shaped like its carry: carry the
            # gates and the candidate along so that they are kept per step,
            # and the step's index, which reads the step mask (one scanned
            # tensor: Keras' TF `scan` fails on several of unknown length).
            carried = (h, ops.concatenate([z, r], axis=-1), candidate, t + 1)
            return carried, carried

        if initial_state is None:  # the first step skips its recurrent convs
            h, z, r, candidate = step(inputs[0], None, 0)
            first = (h, ops.concatenate([z, r], axis=-1), candidate)
            scanned = inputs[1:]
        else:
            h = initial_state
            zeros = ops.zeros((*ops.shape(h)[:-1], 2 * filters), dtype)
            first, scanned = (h, zeros, zeros[..., :filters]), inputs
        index = ops.convert_to_tensor(0 if initial_state is not None else 1, "int32")
        _, (states, gates, candidates, _) = ops.scan(
            forward_step, (*first, index), scanned
        )
        if initial_state is None:
            states, gates, candidates = (
                ops.concatenate([ops.expand_dims(a, 0), b], axis=0)
                for a, b in zip(first, (states, gates, candidates))
            )

        def grad(*args, upstream=None):
            if upstream is None:
                (upstream,) = args
            upstream = ops.cast(upstream, dtype)
            kernel_zr, kernel_h = recurrent_kernels
            start = (
                ops.zeros_like(states[:1])
                if initial_state is None
                else (ops.expand_dims(initial_state, 0))
            )
            previous = ops.concatenate([start, states[:-1]], axis=0)

            def state_input(h_tm1):
                return h_tm1 if recurrent_mask is None else h_tm1 * recurrent_mask

            def backward_step(carry, step_inputs):
                d_h = step_inputs[..., :filters] + carry[0]
                z = step_inputs[..., filters : 2 * filters]
                r = step_inputs[..., 2 * filters : 3 * filters]
                candidate = step_inputs[..., 3 * filters : 4 * filters]
                h_tm1 = step_inputs[..., 4 * filters :]
                h_in = state_input(h_tm1)
                d_candidate = d_h * z * (1.0 - candidate * candidate)
                d_reset_state = _recurrent_input_gradient(d_candidate, kernel_h)
                d_zr = ops.concatenate(
                    [
                        d_h * (candidate - h_tm1) * z * (1.0 - z),
                        d_reset_state * h_in * r * (1.0 - r),
                    ],
                    axis=-1,
                )
                d_h_in = d_reset_state * r + _recurrent_input_gradient(d_zr, kernel_zr)
                d_h_tm1 = d_h * (1.0 - z) + state_input(d_h_in)
                carried = (d_h_tm1, ops.concatenate([d_zr, d_candidate], axis=-1))
                return carried, carried

            # A zero first state: step 1 is `h = z ⊙ h̃`, no convolution.
            skipped = 1 if initial_state is None else 0
            backward_inputs = ops.concatenate(
                [upstream, gates, candidates, previous], axis=-1
            )[skipped:]
            zeros = ops.zeros((*ops.shape(states)[1:-1], 3 * filters), dtype)
            (d_state, _), (_, d_projected) = ops.scan(
                backward_step,
                (ops.zeros_like(states[0]), zeros),
                backward_inputs,
                reverse=True,
            )
            if initial_state is None:
                d_h = upstream[0] + d_state
                z, candidate = gates[0, ..., :filters], candidates[0]
                d_first = ops.concatenate(
                    [
                        d_h * candidate * z * (1.0 - z),
                        ops.zeros_like(d_h),
                        d_h * z * (1.0 - candidate * candidate),
                    ],
                    axis=-1,
                )
                d_projected = ops.concatenate(
                    [ops.expand_dims(d_first, 0), d_projected], axis=0
                )

            # Fold time into the batch: one reduction per kernel for all steps.
            def fold(x, start=0):
                return ops.reshape(x[start:], (-1, *x.shape[2:]))

            kernel_size = tuple(kernel_h.shape[:-2])
            recurrent_d_projected = fold(d_projected, skipped)
            d_zr = recurrent_d_projected[..., : 2 * filters]
            d_candidate = recurrent_d_projected[..., 2 * filters :]
            flat_inputs = fold(state_input(previous), skipped)
            flat_reset = fold(gates, skipped)[..., filters:]
            gradients = {
                "recurrent_kernel": ops.concatenate(
                    [
                        conv_kernel_gradient(flat_inputs, d_zr, kernel_size),
                        conv_kernel_gradient(
                            flat_reset * flat_inputs, d_candidate, kernel_size
                        ),
                    ],
                    axis=-1,
                )
            }
            flat_d_projected = fold(d_projected)
            flat_step_inputs = fold(inputs)
            gradients["kernel"] = conv_kernel_gradient(
                flat_step_inputs,
                flat_d_projected,
                tuple(kernel.shape[:-2]),
                conv_arguments["strides"],
                conv_arguments["padding"],
                conv_arguments["dilation_rate"],
            )
            d_inputs = conv_input_gradient(
                flat_d_projected,
                kernel,
                flat_step_inputs.shape[1:-1],
                conv_arguments["strides"],
                conv_arguments["padding"],
                conv_arguments["dilation_rate"],
            )
            gradients["inputs"] = ops.reshape(d_inputs, ops.shape(inputs))
            if bias is not None:
                gradients["bias"] = ops.sum(
                    flat_d_projected, axis=tuple(range(rank + 1))
                )
            if initial_state is not None:
                gradients["initial_state"] = d_state
            for mask in ("recurrent_mask", "step_mask"):
                if mask in values:
                    gradients[mask] = ops.zeros_like(values[mask])
            return tuple(gradients[name] for name in names)

        return states, grad

    return recurrence(*arguments.values())
