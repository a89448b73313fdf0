"""Tiny extractors, preprocessors and cache readers shared by the percept cache tests."""

import keras
import numpy as np

from keras_grurcn.data import percept_dataset


def tiny_extractor(image_size=32):
    """Two 'levels' of a frozen per-frame CNN, the way FramePercepts is shaped.

    Built from stock Keras layers only, so a saved copy loads in safe mode
    in any process (Beam workers included).
    """
    frames = keras.Input((None, image_size, image_size, 3))
    low = keras.layers.TimeDistributed(
        keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")
    )(frames / 255.0)
    high = keras.layers.TimeDistributed(keras.layers.AveragePooling2D(2))(low)
    return keras.Model(frames, {"low": low, "high": high})


def tiny_preprocessor(image_size=32):
    """A `VideoPreprocessor` cut at VGG-16's pool1 (random, fixed weights).

    Its preset folder is what Beam workers load; clips of any length pass.
    """
    from keras_grurcn.preprocessing import VideoPreprocessor

    return VideoPreprocessor(
        "vgg16",
        ["pool1"],
        backbone_weights=None,
        num_frames=None,
        image_size=image_size,
    )


def saved_tiny_preprocessor(folder):
    """Saves a `tiny_preprocessor` preset into `folder`; returns its path."""
    tiny_preprocessor().save_to_preset(folder)
    return str(folder)


def cache_contents(cache_dir, **options):
    """`(video ids, labels, {level: percepts})` of a whole cache, in order."""
    ids = np.concatenate(
        [t.numpy() for _, t in percept_dataset(cache_dir, 64, target="video_id")]
    )
    batches = list(percept_dataset(cache_dir, 64, **options))
    labels = np.concatenate([t.numpy() for _, t in batches])
    levels = batches[0][0].keys()
    percepts = {
        level: np.concatenate([p[level].numpy() for p, _ in batches])
        for level in levels
    }
    return [i.decode() for i in ids], labels, percepts


def assert_same_cache(actual_dir, expected_dir, atol=1e-3):
    actual, expected = cache_contents(actual_dir), cache_contents(expected_dir)
    assert actual[0] == expected[0]
    np.testing.assert_array_equal(actual[1], expected[1])
    assert actual[2].keys() == expected[2].keys()
    for level in expected[2]:
        np.testing.assert_allclose(actual[2][level], expected[2][level], atol=atol)
