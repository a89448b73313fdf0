"""Tiny frame classifiers and clip datasets for the training and export tests.

The model zoo is built elsewhere; these stand in for any Keras classifier
whose input is frames `(batch, time, height, width, 3)` in [0, 255] and
whose output is class probabilities.
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
    """A one-level GRU-RCN: VGG-16 pool2 percepts, ConvGRU2D, softmax."""
    from keras_grurcn import ConvGRU2D
    from keras_grurcn.percepts import FramePercepts

    frames = keras.Input((num_frames, *image_size, 3), name="frames")
    percepts = FramePercepts(
        "vgg16", ["pool2"], backbone_weights=None, image_size=image_size
    )(frames)
    hidden = ConvGRU2D(4, 3, padding="same")(percepts["pool2"])
    pooled = keras.layers.GlobalAveragePooling2D()(hidden)
    probabilities = keras.layers.Dense(num_classes, activation="softmax")(pooled)
    return keras.Model(frames, probabilities, name="tiny_grurcn")


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
