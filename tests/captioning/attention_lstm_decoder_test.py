import keras
import numpy as np
import pytest

from keras_grurcn.captioning import AttentionLSTMDecoder
from tests.captioning.tiny_captioner import tiny_decoder
from tests.captioning.tiny_captioner import tiny_features
from tests.captioning.tiny_captioner import tiny_vocabulary


@pytest.mark.parametrize("tie_embeddings", [False, True])
def test_teacher_forced_call_equals_step_by_step_decoding(tie_embeddings):
    decoder = tiny_decoder(tie_embeddings=tie_embeddings)
    features = tiny_features()
    tokens = tiny_vocabulary().encode(["a man is", "a dog is sleeping"])[:, :-1]
    logits, attention = decoder(features, tokens, return_attention=True)
    assert logits.shape == (2, tokens.shape[1], decoder.vocabulary_size)
    assert attention.shape == (2, tokens.shape[1], features.shape[1])
    np.testing.assert_allclose(np.sum(attention, axis=-1), 1.0, rtol=1e-5)
    state = decoder.initial_state(features)
    for position in range(tokens.shape[1]):
        step_logits, state, weights = decoder.step(tokens[:, position], state, features)
        np.testing.assert_allclose(step_logits, logits[:, position], atol=1e-5)
        np.testing.assert_allclose(weights, attention[:, position], atol=1e-6)


def test_tied_projection_reuses_the_embedding():
    untied, tied = tiny_decoder(), tiny_decoder(tie_embeddings=True)
    vocabulary_size = untied.vocabulary_size
    # The untied decoder has an [embedding_dim, V] kernel the tied one lacks.
    assert untied.count_params() - tied.count_params() == 8 * vocabulary_size
    features, tokens = tiny_features(), np.array([[1, 4, 5], [1, 6, 7]])
    before = np.asarray(tied(features, tokens))
    embeddings = tied.token_embedding.embeddings
    embeddings.assign(embeddings * 2.0)
    assert not np.allclose(before, tied(features, tokens))


def test_dropout_is_active_only_in_training():
    decoder = tiny_decoder(dropout=0.5)
    features, tokens = tiny_features(), np.array([[1, 4, 5], [1, 6, 7]])
    inference = np.asarray(decoder(features, tokens))
    np.testing.assert_array_equal(inference, decoder(features, tokens, training=False))
    assert not np.allclose(inference, decoder(features, tokens, training=True))


def test_config_round_trip_keeps_the_vocabulary():
    decoder = tiny_decoder(tie_embeddings=True, name="dec")
    config = decoder.get_config()
    assert config["vocabulary"]["config"]["words"] == tiny_vocabulary().words[4:]
    clone = AttentionLSTMDecoder.from_config(config)
    assert clone.vocabulary == decoder.vocabulary and clone.tie_embeddings
    clone.build((None, 4, 16), (None, None))
    clone.set_weights(decoder.get_weights())
    features, tokens = tiny_features(), np.array([[1, 4, 5], [1, 6, 7]])
    np.testing.assert_allclose(clone(features, tokens), decoder(features, tokens))
    assert keras.saving.get_registered_object("keras_grurcn>AttentionLSTMDecoder")


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="CaptionVocabulary"):
        AttentionLSTMDecoder(["a", "man"])
    with pytest.raises(ValueError, match="dropout"):
        AttentionLSTMDecoder(tiny_vocabulary(), dropout=1.0)
    with pytest.raises(ValueError, match=r"\[batch, time, feature_dim\]"):
        AttentionLSTMDecoder(tiny_vocabulary())(np.ones((2, 16)), np.ones((2, 3)))
