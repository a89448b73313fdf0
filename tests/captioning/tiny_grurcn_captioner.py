"""A tiny GRU-RCN captioner and synthetic captioned clips for the captioning tests."""

import keras
import numpy as np

from keras_grurcn.captioning import CaptionVocabulary
from keras_grurcn.data import make_captioned_motion_clips
from keras_grurcn.models import build_model

NUM_FRAMES, IMAGE_SIZE = 4, 32
LEVELS = ["pool1", "pool2"]


def tiny_clips(num_clips=4, seed=0):
    frames, _, captions = make_captioned_motion_clips(
        num_clips, num_frames=NUM_FRAMES, image_size=IMAGE_SIZE, seed=seed
    )
    return frames.astype("float32"), captions


def tiny_captioner(seed=0, **overrides):
    """A tiny captioner: it takes frames, and the percepts of its levels."""
    keras.utils.set_random_seed(seed)
    _, captions = tiny_clips()
    vocabulary = CaptionVocabulary.build([c for cs in captions for c in cs])
    options = dict(
        vocabulary=vocabulary,
        backbone_weights=None,
        num_frames=NUM_FRAMES,
        image_size=IMAGE_SIZE,
        levels=LEVELS,
        hidden_maps=[4, 4],
        embedding_dim=8,
        units=16,
        attention_units=8,
        dropout=0.0,
    )
    options.update(overrides)
    return build_model("grurcn_captioner", **options)


def random_percepts(batch_size=2, seed=0):
    rng = np.random.default_rng(seed)
    shapes = {"pool1": (16, 16, 64), "pool2": (8, 8, 128)}
    return {
        level: rng.uniform(0, 5, size=(batch_size, NUM_FRAMES, *shape)).astype(
            "float32"
        )
        for level, shape in shapes.items()
    }
