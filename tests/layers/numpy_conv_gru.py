"""A slow, obvious NumPy implementation of the GRU-RCN equations.

Written from the paper's equations, independently of the layer, so the
tests can compare the two (float64, channels_last, any rank).
"""

import itertools

import numpy as np


def conv_nd(x, kernel, strides, padding, dilation):
    """N-D cross-correlation like `tf.nn.convolution` (channels_last).

    x: (batch, *spatial, c_in); kernel: (*k, c_in, c_out).
    """
    rank = x.ndim - 2
    spatial = x.shape[1:-1]
    ksize = kernel.shape[:rank]
    if padding == "same":
        out = [-(-n // s) for n, s in zip(spatial, strides)]
        pads = []
        for n, o, k, s, d in zip(spatial, out, ksize, strides, dilation):
            total = max((o - 1) * s + (k - 1) * d + 1 - n, 0)
            pads.append((total // 2, total - total // 2))
        x = np.pad(x, [(0, 0), *pads, (0, 0)])
        spatial = x.shape[1:-1]
    out = [
        (n - ((k - 1) * d + 1)) // s + 1
        for n, k, s, d in zip(spatial, ksize, strides, dilation)
    ]
    result = np.zeros((x.shape[0], *out, kernel.shape[-1]))
    for offset in itertools.product(*[range(k) for k in ksize]):
        window = tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, d, n, s in zip(offset, dilation, out, strides)
        )
        patch = x[(slice(None), *window, slice(None))]
        result += patch @ kernel[offset]
    return result


def sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def conv_gru(
    sequence,
    kernel,
    recurrent_kernel,
    bias,
    *,
    strides=1,
    padding="same",
    dilation=1,
    go_backwards=False,
    mask=None,
    initial_state=None,
):
    """Runs the recurrence; returns all states, shape (batch, time, ...)."""
    rank = sequence.ndim - 3
    strides = (strides,) * rank if isinstance(strides, int) else strides
    dilation = (dilation,) * rank if isinstance(dilation, int) else dilation
    filters = recurrent_kernel.shape[-2]
    ones = (1,) * rank
    steps = range(sequence.shape[1])
    if go_backwards:
        steps = reversed(steps)
    h = initial_state
    outputs = []
    for t in steps:
        x_proj = conv_nd(sequence[:, t], kernel, strides, padding, dilation) + bias
        if h is None:
            h = np.zeros(x_proj.shape[:-1] + (filters,))
        u = recurrent_kernel
        h_proj = conv_nd(h, u[..., : 2 * filters], ones, "same", ones)
        z = sigmoid(x_proj[..., :filters] + h_proj[..., :filters])
        r = sigmoid(x_proj[..., filters : 2 * filters] + h_proj[..., filters:])
        candidate = np.tanh(
            x_proj[..., 2 * filters :]
            + conv_nd(r * h, u[..., 2 * filters :], ones, "same", ones)
        )
        new_h = (1 - z) * h + z * candidate
        if mask is not None:
            keep = mask[:, t].reshape((-1,) + (1,) * (rank + 1))
            new_h = np.where(keep, new_h, h)
        h = new_h
        outputs.append(h)
    return np.stack(outputs, axis=1)
