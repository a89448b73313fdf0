import keras
import numpy as np
import pytest

from keras_grurcn.captioning import TemporalAttention


def test_weights_are_a_softmax_and_context_their_weighted_sum():
    layer = TemporalAttention(units=8)
    query = np.random.rand(2, 6).astype("float32")
    values = np.random.rand(2, 5, 12).astype("float32")
    context, weights = layer(query, values)
    weights, context = np.asarray(weights), np.asarray(context)
    assert weights.shape == (2, 5) and context.shape == (2, 12)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-6)
    np.testing.assert_allclose(
        context, np.einsum("bt,btd->bd", weights, values), rtol=1e-5
    )
    # Precomputed projections give the same result.
    projected = layer.project_values(values)
    np.testing.assert_allclose(layer(query, values, projected)[1], weights, rtol=1e-6)


def test_scores_follow_the_additive_formula():
    layer = TemporalAttention(units=3)
    query = np.random.rand(1, 2).astype("float32")
    values = np.random.rand(1, 4, 5).astype("float32")
    _, weights = layer(query, values)
    w_q, b_q = (np.asarray(w) for w in layer.query_dense.weights)
    (w_v,) = (np.asarray(w) for w in layer.values_dense.weights)
    (w_s,) = (np.asarray(w) for w in layer.score_dense.weights)
    scores = (np.tanh(values @ w_v + (query @ w_q + b_q)[:, None]) @ w_s)[..., 0]
    expected = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, expected, rtol=1e-5)


def test_config_round_trip_and_bad_shapes():
    layer = TemporalAttention(units=4, name="att")
    clone = TemporalAttention.from_config(layer.get_config())
    assert clone.units == 4 and clone.name == "att"
    with pytest.raises(ValueError, match="units"):
        TemporalAttention(units=0)
    with pytest.raises(ValueError, match=r"\[batch, time, feature_dim\]"):
        layer(np.ones((2, 3)), np.ones((2, 3)))
    assert keras.saving.get_registered_object("keras_grurcn>TemporalAttention")
