import math

import keras
import numpy as np
import pytest

from keras_grurcn.captioning import MaskedSparseCategoricalAccuracy
from keras_grurcn.captioning import MaskedSparseCategoricalCrossentropy


def test_loss_averages_over_real_tokens_only():
    loss = MaskedSparseCategoricalCrossentropy()
    targets = np.array([[4, 5, 2, 0, 0]])
    # Uniform logits over 6 words: log(6) per real token; pads contribute 0.
    assert float(loss(targets, np.zeros((1, 5, 6)))) == pytest.approx(math.log(6))
    logits = np.random.default_rng(0).normal(size=(2, 3, 6)).astype("float32")
    short = np.array([[4, 2, 0], [3, 5, 2]])
    padded_logits = np.concatenate([logits, np.zeros((2, 4, 6), "float32")], axis=1)
    padded = np.pad(short, ((0, 0), (0, 4)))
    # Extra padding changes nothing.
    assert float(loss(padded, padded_logits)) == pytest.approx(
        float(loss(short, logits))
    )
    per_token = keras.losses.sparse_categorical_crossentropy(
        short, logits, from_logits=True
    )
    expected = np.asarray(per_token)[short != 0].mean()
    assert float(loss(short, logits)) == pytest.approx(expected, rel=1e-6)


def test_accuracy_ignores_padding():
    metric = MaskedSparseCategoricalAccuracy()
    targets = np.array([[1, 2, 0, 0]])
    predictions = np.eye(3)[[[1, 0, 0, 0]]]  # right, wrong, then two pads
    metric.update_state(targets, predictions)
    assert float(metric.result()) == pytest.approx(0.5)
    metric.update_state(np.array([[2, 0]]), np.eye(3)[[[2, 1]]])
    assert float(metric.result()) == pytest.approx(2 / 3)
    metric.reset_state()
    metric.update_state(targets, predictions, sample_weight=np.array([0.0]))
    assert float(metric.result()) == 0.0


def test_configs_round_trip():
    loss = MaskedSparseCategoricalCrossentropy(padding_id=3, from_logits=False)
    clone = MaskedSparseCategoricalCrossentropy.from_config(loss.get_config())
    assert (clone.padding_id, clone.from_logits) == (3, False)
    metric = MaskedSparseCategoricalAccuracy(padding_id=3)
    assert (
        MaskedSparseCategoricalAccuracy.from_config(metric.get_config()).padding_id == 3
    )
