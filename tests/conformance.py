"""One table of tiny instances of every layer and model (Sonnet-style).

Each row is a name and a factory returning a `Case`: `build()` makes a
fresh, uncompiled `keras.Model` (called inside a distribution scope or
dtype policy by the checks), `inputs` is a NumPy batch (array or dict),
`targets` matching labels and `loss` what a training step minimises.
`tests/conformance_test.py` runs every cross-cutting check on every row:
adding a part to the package means adding a row here.
"""

import dataclasses
from collections.abc import Callable
from typing import Any

import keras
import numpy as np

from keras_grurcn import captioning
from keras_grurcn import layers
from keras_grurcn import percepts

RNG = np.random.default_rng(0)
BATCH = 4  # divisible by the 2 replicas of the MirroredStrategy check


@dataclasses.dataclass
class Case:
    build: Callable[[], keras.Model]
    inputs: Any
    targets: Any
    # None: the model is a keras_grurcn task, compiled with its own loss.
    loss: Any = "sparse_categorical_crossentropy"


def classifier_over(layer_fn, input_shape, pool):
    """A functional classifier around a sequence layer (2 classes)."""

    def build():
        inputs = keras.Input(input_shape, name="inputs")
        hidden = layer_fn()(inputs)
        pooled = pool()(hidden)
        outputs = keras.layers.Dense(2, activation="softmax", dtype="float32")(pooled)
        return keras.Model(inputs, outputs)

    inputs = RNG.normal(size=(BATCH, *input_shape)).astype("float32")
    return Case(build, inputs, np.arange(BATCH) % 2)


def conv_gru(rank):
    spatial = {1: (8,), 2: (6, 6), 3: (4, 4, 4)}[rank]
    layer = {1: layers.ConvGRU1D, 2: layers.ConvGRU2D, 3: layers.ConvGRU3D}[rank]
    pool = {
        1: keras.layers.GlobalAveragePooling1D,
        2: keras.layers.GlobalAveragePooling2D,
        3: keras.layers.GlobalAveragePooling3D,
    }[rank]
    return classifier_over(
        lambda: layer(3, 3, padding="same", dropout=0.1, recurrent_dropout=0.1),
        (3, *spatial, 2),
        pool,
    )


def frame_percepts():
    def build():
        frames = keras.Input((2, 32, 32, 3), name="frames")
        levels = percepts.FramePercepts(
            "vgg16", ["pool2"], backbone_weights=None, image_size=(32, 32)
        )(frames)
        hidden = layers.ConvGRU2D(4, 3, padding="same")(levels["pool2"])
        pooled = keras.layers.GlobalAveragePooling2D()(hidden)
        outputs = keras.layers.Dense(2, activation="softmax", dtype="float32")(pooled)
        return keras.Model(frames, outputs)

    frames = RNG.uniform(0, 255, size=(BATCH, 2, 32, 32, 3)).astype("float32")
    return Case(build, frames, np.arange(BATCH) % 2)


def caption_model():
    vocabulary = captioning.CaptionVocabulary.build(
        ["a square moves left", "a circle moves right"]
    )

    ids = vocabulary.encode(["a square moves left", "a circle moves right"] * 2)

    def build():
        return captioning.build_caption_model(
            (3, 8),
            vocabulary,
            embedding_dim=4,
            units=8,
            attention_units=4,
            caption_length=ids.shape[1] - 1,
        )

    inputs, targets = captioning.teacher_forcing_pairs(
        RNG.normal(size=(BATCH, 3, 8)).astype("float32"), ids
    )
    return Case(
        build, inputs, targets, captioning.MaskedSparseCategoricalCrossentropy()
    )


def zoo_model(row):
    """A row of the zoo's table (tests/models), as a conformance case."""
    from tests.models import model_conformance_test as zoo

    def build():
        return zoo.build(row)

    # Frames at the model's size: TensorFlow's XLA (the jit_compile check)
    # has no antialiased resize, and video_dataset gives clips at that size.
    inputs = zoo.row_inputs(row, build(), batch_size=BATCH, frame_size=(32, 32))
    return Case(build, inputs, np.arange(BATCH) % zoo.NUM_CLASSES, loss=None)


# Zoo rows: percept inputs where the model has them (fast), frames otherwise.
ZOO_ROWS = (
    "grurcn",
    "grurcn_percepts",
    "grurcn_stacked_percepts",
    "grurcn_bidirectional_percepts",
    "frame_average_percepts",
    "frame_rnn_lstm_percepts",
    "c3d",
    "two_stream_percepts",
)

CASES = {
    **{f"zoo_{row}": (lambda row=row: zoo_model(row)) for row in ZOO_ROWS},
    "conv_gru1d": lambda: conv_gru(1),
    "conv_gru2d": lambda: conv_gru(2),
    "conv_gru3d": lambda: conv_gru(3),
    "frame_percepts": frame_percepts,
    "caption_model": caption_model,
}
