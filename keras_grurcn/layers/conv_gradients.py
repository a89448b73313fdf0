"""Gradients of a convolution, written in `keras.ops`, for the BPTT loop.

`ops.conv(inputs, kernel, strides, padding, dilation_rate)` (channels_last,
any rank) has two gradients: with respect to its kernel and to its inputs.
The BPTT loop computes both for all timesteps at once, after its backward
loop, with time folded into the batch.
"""

import itertools

from keras import ops


def conv_padding(spatial_shape, output_shape, kernel_size, strides, padding, dilation):
    """The `(before, after)` padding per axis that `ops.conv` applies.

    "same" pads `(out - 1) * stride + effective kernel - size` in total, the
    smaller half before (as TensorFlow and XLA do); "valid" pads nothing.
    """
    if padding == "valid":
        return [(0, 0)] * len(spatial_shape)
    pads = []
    for n, out, k, s, d in zip(
        spatial_shape, output_shape, kernel_size, strides, dilation
    ):
        total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def conv_kernel_gradient(
    inputs, output_gradient, kernel_size, strides=None, padding="same", dilation=None
):
    """Gradient of `ops.conv(inputs, kernel, ...)` with respect to `kernel`.

    Every batch element contributes, so a whole sequence folded into the
    batch is one matrix product per kernel tap (over batch × positions)
    rather than one small convolution per timestep. On XLA's CPU backend
    this is much faster than differentiating the convolution.

    Args:
        inputs: `(batch, *spatial, in_channels)`.
        output_gradient: `(batch, *output_spatial, out_channels)`.
        kernel_size: tuple of ints, one per spatial axis.
        strides, padding, dilation: those of the convolution (default:
            stride 1, "same", no dilation).

    Returns:
        A tensor of shape `(*kernel_size, in_channels, out_channels)`.
    """
    rank = len(kernel_size)
    strides = strides or (1,) * rank
    dilation = dilation or (1,) * rank
    spatial, output_spatial = inputs.shape[1:-1], output_gradient.shape[1:-1]
    pads = conv_padding(
        spatial, output_spatial, kernel_size, strides, padding, dilation
    )
    padded = ops.pad(inputs, [(0, 0), *pads, (0, 0)])
    in_channels = inputs.shape[-1]
    out_channels = output_gradient.shape[-1]
    output_gradient = ops.reshape(output_gradient, (-1, out_channels))
    taps = []
    for offset in itertools.product(*(range(k) for k in kernel_size)):
        window = padded[
            (slice(None),)
            + tuple(
                slice(o * d, o * d + (n - 1) * s + 1, s)
                for o, d, n, s in zip(offset, dilation, output_spatial, strides)
            )
            + (slice(None),)
        ]
        window = ops.reshape(window, (-1, in_channels))
        taps.append(ops.matmul(ops.transpose(window), output_gradient))
    return ops.reshape(ops.stack(taps), (*kernel_size, in_channels, out_channels))


def dilate_kernel(kernel, dilation):
    """The kernel with `dilation - 1` zeros between its taps, on each axis.

    A convolution with the dilated kernel equals the dilated convolution;
    TensorFlow's CPU transposed convolution does not take dilations.
    """
    for axis, d in enumerate(dilation):
        if d == 1:
            continue
        size = kernel.shape[axis]
        spread = ops.expand_dims(kernel, axis + 1)
        zeros_shape = list(spread.shape)
        zeros_shape[axis + 1] = d - 1
        spread = ops.concatenate(
            [spread, ops.zeros(zeros_shape, kernel.dtype)], axis=axis + 1
        )
        shape = list(kernel.shape)
        shape[axis] = size * d
        kernel = ops.reshape(spread, shape)
        kernel = ops.take(kernel, ops.arange((size - 1) * d + 1), axis=axis)
    return kernel


def conv_input_gradient(
    output_gradient, kernel, spatial_shape, strides=None, padding="same", dilation=None
):
    """Gradient of `ops.conv(inputs, kernel, ...)` with respect to `inputs`.

    Args:
        output_gradient: `(batch, *output_spatial, out_channels)`.
        kernel: `(*kernel_size, in_channels, out_channels)`.
        spatial_shape: the spatial shape of `inputs`.
        strides, padding, dilation: those of the convolution.

    Returns:
        A tensor of shape `(batch, *spatial_shape, in_channels)`.
    """
    rank = len(spatial_shape)
    strides = tuple(strides or (1,) * rank)
    dilation = tuple(dilation or (1,) * rank)
    kernel = dilate_kernel(kernel, dilation)
    # The transposed convolution's output length is ambiguous for strides > 1;
    # `output_padding` picks the forward convolution's input length.
    output_padding = []
    for n, out, k, s in zip(
        spatial_shape, output_gradient.shape[1:-1], kernel.shape[:-2], strides
    ):
        base = k if padding == "valid" else k % 2
        output_padding.append(n - ((out - 1) * s + base))
    inputs_gradient = ops.conv_transpose(
        output_gradient,
        kernel,
        strides=strides,
        padding=padding,
        output_padding=output_padding,
        data_format="channels_last",
    )
    return ops.cast(inputs_gradient, output_gradient.dtype)
