"""The preprocessor's resize, for one fixed input size, as two matrix products.

TensorFlow's antialiased resize (`ScaleAndTranslate`) has no LiteRT builtin
operator and no ONNX equivalent. For frames of one known size it is a linear
map that acts on rows and columns separately (crop the centred window, then
a normalised triangle kernel per axis), so it equals `rows @ frame @ cols.T`
per channel. The two matrices are not derived from a formula: they are read
off the preprocessor's own `frame_resizing` layer by resizing one-hot images,
so they are that layer, whatever its options.
"""

import numpy as np

from keras_grurcn.argument_checks import check_image_size

# One-hot probe images resized per call (bounded memory for large frames).
PROBE_BATCH = 32


def _probe(resizing, count, one_hot_images):
    outputs = []
    for start in range(0, count, PROBE_BATCH):
        indices = np.arange(start, min(count, start + PROBE_BATCH))
        outputs.append(np.asarray(resizing(one_hot_images(indices))))
    return np.concatenate(outputs)


def check_frame_size(frame_size):
    """`(height, width)` of the frames an export takes, validated."""
    try:
        return check_image_size(frame_size)
    except ValueError:
        raise ValueError(
            "`frame_size` must be an int or (height, width) of positive ints, "
            f"the size of the frames clients send; got {frame_size!r}."
        ) from None


def resize_matrices(preprocessor, frame_size):
    """`(rows, cols)`: `(out_height, height)` and `(out_width, width)` float32.

    `resize(frame)[y, x] == sum(rows[y, i] * frame[i, j] * cols[x, j])` for
    every frame of `frame_size`, where `resize` is the preprocessor's
    `resizing` layer (to float rounding: ~1e-4 on the 0-255 scale).
    """
    height, width = check_frame_size(frame_size)
    rows_index = np.arange(height)[None, :, None, None]
    cols_index = np.arange(width)[None, None, :, None]

    def one_hot_rows(indices):
        rows = (rows_index == indices[:, None, None, None]).astype("float32")
        return np.broadcast_to(rows, (len(indices), height, width, 1))

    def one_hot_cols(indices):
        cols = (cols_index == indices[:, None, None, None]).astype("float32")
        return np.broadcast_to(cols, (len(indices), height, width, 1))

    # Row k of the frame set to one: the output's every column is rows[:, k].
    rows = _probe(preprocessor.resizing, height, one_hot_rows)[:, :, 0, 0].T
    cols = _probe(preprocessor.resizing, width, one_hot_cols)[:, 0, :, 0].T
    return np.ascontiguousarray(rows), np.ascontiguousarray(cols)


def fixed_size_resizer(preprocessor, frame_size):
    """A TensorFlow function: uint8 frames `(..., height, width, 3)` at
    `frame_size` -> float32 frames at the preprocessor's `image_size`, with
    builtin matrix products only (see `resize_matrices`)."""
    import tensorflow as tf

    rows, cols = resize_matrices(preprocessor, frame_size)

    def resize(frames):
        # Constants made while tracing are part of the graph; eager ones
        # captured from outside would be graph inputs to tf2onnx.
        frames = tf.cast(frames, tf.float32)
        # Leading axes spelled out: tf2onnx's einsum optimiser rejects "...".
        leading = "abdefg"[: len(frames.shape) - 3]
        equation = f"yi,{leading}ijc,xj->{leading}yxc"
        return tf.einsum(equation, tf.constant(rows), frames, tf.constant(cols))

    return resize
