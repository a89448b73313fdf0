"""How percepts are stored in a cache: float16, bfloat16 or uint8 with a scale.

float16 keeps ~3 significant digits and ranges to 65504; bfloat16 keeps the
float32 range with ~2 digits; uint8 halves the bytes again with a per-level
affine code, `value = code * scale + offset`, whose scale and offset are
calibrated on the first clips of the input and recorded in the cache (values
outside the calibrated range are clipped and counted).
"""

import math

import numpy as np

PERCEPT_DTYPES = ("float16", "bfloat16", "uint8")
BYTES_PER_VALUE = {"float16": 2, "bfloat16": 2, "uint8": 1}
UINT8_LEVELS = 255


def check_percept_dtype(percept_dtype):
    if percept_dtype not in PERCEPT_DTYPES:
        raise ValueError(
            f"percept_dtype must be one of {', '.join(PERCEPT_DTYPES)}; "
            f"got {percept_dtype!r}."
        )
    return percept_dtype


def calibrate_uint8(percept_batches):
    """Per-level `{"scale", "offset"}` spanning the values of some percepts.

    Args:
        percept_batches: an iterable of `{level: array}` dicts (the first
            clips of the input).

    Returns:
        `{level: {"scale": float, "offset": float}}` with `offset` the
        minimum and `scale * 255 + offset` the maximum seen.
    """
    low, high = {}, {}
    for percepts in percept_batches:
        for level, values in percepts.items():
            values = np.asarray(values, np.float32)
            finite = values[np.isfinite(values)]
            if not finite.size:
                continue
            low[level] = min(low.get(level, math.inf), float(finite.min()))
            high[level] = max(high.get(level, -math.inf), float(finite.max()))
    if not low:
        raise ValueError("uint8 calibration saw no finite percept value.")
    quantization = {}
    for level in low:
        span = high[level] - low[level]
        quantization[level] = {
            "scale": span / UINT8_LEVELS if span > 0 else 1.0,
            "offset": low[level],
        }
    return quantization


def encode_percepts(values, percept_dtype, quantization=None):
    """`(bytes, clipped)`: one clip's level in C order, and the values clipped."""
    values = np.asarray(values)
    if percept_dtype == "float16":
        return np.ascontiguousarray(values, "<f2").tobytes(), 0
    if percept_dtype == "bfloat16":
        import ml_dtypes  # A TensorFlow dependency: always there with `data/`.

        # Rounded to nearest even, as TensorFlow's own cast; little-endian
        # like every platform TensorFlow ships for.
        coded = np.asarray(values, np.float32).astype(ml_dtypes.bfloat16)
        return np.ascontiguousarray(coded).tobytes(), 0
    scale, offset = quantization["scale"], quantization["offset"]
    codes = np.rint((values.astype(np.float32) - offset) / scale)
    clipped = int(np.count_nonzero((codes < 0) | (codes > UINT8_LEVELS)))
    codes = np.clip(np.nan_to_num(codes), 0, UINT8_LEVELS).astype(np.uint8)
    return np.ascontiguousarray(codes).tobytes(), clipped


def decode_percepts(raw, percept_dtype, quantization, shape, dtype):
    """TensorFlow: the bytes of `encode_percepts` back to `shape` of `dtype`."""
    import tensorflow as tf

    if percept_dtype == "uint8":
        codes = tf.cast(tf.io.decode_raw(raw, tf.uint8), tf.float32)
        values = codes * quantization["scale"] + quantization["offset"]
    else:
        values = tf.io.decode_raw(raw, getattr(tf, percept_dtype))
    return tf.cast(tf.reshape(values, shape), dtype)
