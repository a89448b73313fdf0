"""Tiny frame classifiers and clip datasets for the training and export tests.

A plain Keras classifier (any model whose input is frames `(batch, time,
height, width, 3)` in [0, 255] and whose output is class probabilities) and
a tiny task of the zoo, which `train_and_evaluate` compiles with its own
loss and metrics.
"""

import keras
import numpy as np

NUM_CLASSES = 3
CLIP_SHAPE = (4, 16, 16, 3)


def conv3d_classifier(num_classes=NUM_CLASSES, clip_shape=CLIP_SHAPE, seed=0):
    """A Conv3D classifier small enough for multi-process tests on 2 cores."""
    initializer = keras.initializers.GlorotUniform(seed=seed)
    frames = keras.Input(clip_shape, name="frames")
    x = keras.layers.Rescaling(1 / 255.0)(frames)
    x = keras.layers.Conv3D(4, 3, activation="relu", kernel_initializer=initializer)(x)
    x = keras.layers.GlobalAveragePooling3D()(x)
    probabilities = keras.layers.Dense(
        num_classes, activation="softmax", kernel_initializer=initializer
    )(x)
    return keras.Model(frames, probabilities, name="tiny_conv3d")


def grurcn_classifier(num_classes=NUM_CLASSES, num_frames=4, image_size=(32, 32)):
    """A one-level GRU-RCN task of the zoo: VGG-16 pool2, 4 hidden maps."""
    import keras_grurcn

    return keras_grurcn.build_model(
        "grurcn",
        class_names=[f"class_{index}" for index in range(num_classes)],
        backbone_weights=None,
        num_frames=num_frames,
        image_size=image_size,
        levels=["pool2"],
        hidden_maps=4,
    )


def clips_and_labels(num_clips, clip_shape=CLIP_SHAPE, num_classes=NUM_CLASSES, seed=0):
    """Random uint8 clips whose class is visible in their brightness."""
    rng = np.random.default_rng(seed)
    labels = np.arange(num_clips) % num_classes
    clips = rng.integers(0, 64, (num_clips, *clip_shape))
    clips = clips + (labels * 80)[:, None, None, None, None]
    return clips.astype("uint8"), labels.astype("int32")


def clip_dataset(num_clips, clip_shape=CLIP_SHAPE, seed=0):
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices(
        clips_and_labels(num_clips, clip_shape, seed=seed)
    )
