"""End to end: the synthetic motion task needs a model of motion.

Clips are written as real video files, read back through the public
readers and the tf.data pipeline, then a ConvGRU2D and a frame-averaging
model of the same size are trained on them: the first learns the task,
the second stays near chance because single frames carry no class
information.
"""

import keras
import numpy as np
import pytest

from keras_grurcn.data import MOTION_CLASSES
from keras_grurcn.data import folder_entries
from keras_grurcn.data import video_dataset
from keras_grurcn.data import write_motion_videos
from keras_grurcn.layers import ConvGRU2D

SHAPE = (6, 16, 16, 3)


def _read(root):
    entries = folder_entries(root, class_names=MOTION_CLASSES)
    dataset = video_dataset(
        entries, num_frames=6, image_size=16, resize_scale=1.0, batch_size=64
    )
    frames, labels = zip(*dataset.as_numpy_iterator())
    return np.concatenate(frames).astype("float32") / 255.0, np.concatenate(labels)


def _convgru():
    clips = keras.Input(SHAPE)
    hidden = ConvGRU2D(16, 3, padding="same")(clips)
    pooled = keras.layers.GlobalAveragePooling2D()(hidden)
    return keras.Model(clips, keras.layers.Dense(4)(pooled))


def _frame_average():
    clips = keras.Input(SHAPE)
    features = keras.layers.TimeDistributed(
        keras.layers.Conv2D(16, 3, padding="same", activation="relu")
    )(clips)
    features = keras.layers.TimeDistributed(keras.layers.GlobalAveragePooling2D())(
        features
    )
    pooled = keras.layers.GlobalAveragePooling1D()(features)
    return keras.Model(clips, keras.layers.Dense(4)(pooled))


@pytest.mark.large
def test_motion_is_learnable_only_from_the_sequence(tmp_path):
    kwargs = dict(num_frames=6, image_size=16, patch_size=4, speed=1)
    write_motion_videos(tmp_path / "train", 480, seed=0, **kwargs)
    write_motion_videos(tmp_path / "test", 160, seed=1, **kwargs)
    x, y = _read(tmp_path / "train")
    x_test, y_test = _read(tmp_path / "test")
    assert x.shape == (480,) + SHAPE
    accuracy = {}
    for name, build in [("convgru", _convgru), ("frame_average", _frame_average)]:
        keras.utils.set_random_seed(0)
        model = build()
        model.compile(
            keras.optimizers.Adam(3e-3),
            keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        model.fit(x, y, batch_size=32, epochs=20, verbose=0)
        accuracy[name] = model.evaluate(x_test, y_test, verbose=0)[1]
    assert accuracy["convgru"] > 0.7, accuracy
    assert accuracy["frame_average"] < 0.4, accuracy
