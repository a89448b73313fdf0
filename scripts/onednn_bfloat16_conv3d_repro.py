"""Minimal repro: TF's oneDNN bfloat16 Conv3D filter gradient returns NaN/inf.

Measured on TensorFlow 2.21 CPU (oneDNN on, the default): a 3x3x3 "same"
`Conv3DBackpropFilterV2` in bfloat16 over inputs of exactly 2 frames gives
non-finite values in most calls (197 of 300 for (4, 2, 8, 8, 4)); inputs of
1, 3 or 8 frames do not, nor does float32, nor `TF_ENABLE_ONEDNN_OPTS=0`
(0 of 300). `keras_grurcn.models.build_c3d` computes such layers in float32
under mixed_bfloat16 because of it.

Usage:
    python scripts/onednn_bfloat16_conv3d_repro.py
    TF_ENABLE_ONEDNN_OPTS=0 python scripts/onednn_bfloat16_conv3d_repro.py
"""

import numpy as np
import tensorflow as tf


def non_finite_calls(input_shape, calls, dtype=tf.bfloat16, filters=8):
    rng = np.random.default_rng(0)
    bad = 0
    for _ in range(calls):
        inputs = tf.cast(rng.normal(size=input_shape), dtype)
        output_gradient = tf.cast(
            rng.normal(size=(*input_shape[:-1], filters)) * 0.01, dtype
        )
        kernel_gradient = tf.raw_ops.Conv3DBackpropFilterV2(
            input=inputs,
            filter_sizes=[3, 3, 3, input_shape[-1], filters],
            out_backprop=output_gradient,
            strides=[1] * 5,
            padding="SAME",
        )
        bad += not np.all(np.isfinite(tf.cast(kernel_gradient, tf.float32).numpy()))
    return bad


def main():
    print(f"TensorFlow {tf.__version__}")
    for shape in [(4, 1, 8, 8, 4), (4, 2, 8, 8, 4), (4, 3, 8, 8, 4), (2, 2, 7, 7, 64)]:
        for dtype in (tf.bfloat16, tf.float32):
            bad = non_finite_calls(shape, 100, dtype)
            print(f"  {str(shape):18s} {dtype.name:9s} non-finite in {bad:3d} of 100")


if __name__ == "__main__":
    main()
