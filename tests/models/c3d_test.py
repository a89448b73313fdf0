import keras
import numpy as np

from keras_grurcn.models import build_c3d


def conv_dtypes(model):
    return {
        layer.name: (layer.dtype_policy.compute_dtype, layer.input.shape[1])
        for layer in model.backbone.layers
        if isinstance(layer, keras.layers.Conv3D)
    }


def test_two_frame_convolutions_compute_in_float32_under_bfloat16():
    # 8 frames: conv1/conv2 see 8, conv3 4, conv4 2, conv5 1. TF's oneDNN
    # bfloat16 filter gradient is non-finite at exactly 2 frames
    # (scripts/onednn_bfloat16_conv3d_repro.py).
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        model = build_c3d(
            num_classes=3, num_frames=8, image_size=16, width=2, fc_units=4
        )
    finally:
        keras.config.set_dtype_policy(previous)
    for name, (dtype, depth) in conv_dtypes(model).items():
        assert dtype == ("float32" if depth == 2 else "bfloat16"), name
    assert {depth for _, depth in conv_dtypes(model).values()} >= {1, 2, 4, 8}
    clips = np.random.default_rng(0).uniform(0, 255, (4, 8, 16, 16, 3))
    model.compile(keras.optimizers.Adam(1e-2))
    model.fit(clips, np.arange(4) % 3, batch_size=4, epochs=2, verbose=0)
    assert all(np.all(np.isfinite(w.numpy())) for w in model.weights)


def test_float32_policy_is_untouched():
    model = build_c3d(num_classes=3, num_frames=8, image_size=16, width=2, fc_units=4)
    assert {dtype for dtype, _ in conv_dtypes(model).values()} == {"float32"}
