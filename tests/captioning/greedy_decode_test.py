import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.captioning import AttentionLSTMDecoder
from keras_grurcn.captioning import greedy_decode
from tests.captioning.tiny_captioner import FEATURE_DIM
from tests.captioning.tiny_captioner import teacher_forced_log_prob
from tests.captioning.tiny_captioner import tiny_decoder
from tests.captioning.tiny_captioner import tiny_features
from tests.captioning.tiny_captioner import tiny_vocabulary


def test_greedy_takes_the_argmax_and_reports_its_log_prob_and_attention():
    decoder, features = tiny_decoder(), tiny_features(batch_size=3)
    result = {k: np.asarray(v) for k, v in greedy_decode(decoder, features, 7).items()}
    token_ids, lengths = result["token_ids"], result["lengths"]
    assert token_ids.shape == (3, 7) and result["attention"].shape == (3, 7, 4)
    vocabulary = decoder.vocabulary
    for row, length in zip(token_ids, lengths):
        ended = np.flatnonzero(row == vocabulary.eos_id)
        assert length == (ended[0] + 1 if ended.size else 7)
        assert np.all(row[length:] == vocabulary.pad_id)
        assert not np.isin(row[:length], [vocabulary.pad_id, vocabulary.bos_id]).any()
    np.testing.assert_allclose(
        result["scores"],
        teacher_forced_log_prob(decoder, features, token_ids, lengths),
        rtol=1e-4,
    )
    # Each generated word's attention is a distribution; after <eos>, zeros.
    positions = np.arange(7)[None, :]
    sums = result["attention"].sum(-1)
    np.testing.assert_allclose(sums[positions < lengths[:, None]], 1.0, rtol=1e-5)
    assert np.all(sums[positions >= lengths[:, None]] == 0.0)
    # Each step's token is the argmax of the teacher-forced logits.
    bos = np.full((3, 1), vocabulary.bos_id)
    logits = np.array(decoder(features, np.concatenate([bos, token_ids[:, :-1]], 1)))
    logits[..., [vocabulary.pad_id, vocabulary.bos_id]] = -np.inf
    generated = positions < lengths[:, None]
    np.testing.assert_array_equal(token_ids[generated], logits.argmax(-1)[generated])


def test_runs_inside_tf_function_with_unknown_batch_and_time():
    decoder, features = tiny_decoder(), tiny_features(batch_size=2)
    signature = [tf.TensorSpec([None, None, FEATURE_DIM], tf.float32)]
    graph_decode = tf.function(
        lambda x: greedy_decode(decoder, x, max_length=6), input_signature=signature
    )
    eager, graph = (
        greedy_decode(decoder, features, max_length=6),
        graph_decode(features),
    )
    np.testing.assert_array_equal(graph["token_ids"], eager["token_ids"])
    np.testing.assert_allclose(graph["scores"], eager["scores"], rtol=1e-5)
    np.testing.assert_allclose(graph["attention"], eager["attention"], atol=1e-6)


def test_decodes_with_a_decoder_that_was_never_called():
    # Decoding builds the decoder before its loop, where no variable may be made.
    decoder = AttentionLSTMDecoder(tiny_vocabulary(), embedding_dim=4, units=4)
    assert greedy_decode(decoder, tiny_features(), max_length=3)["token_ids"].shape == (
        2,
        3,
    )
    assert decoder.built


def test_bad_arguments_are_named():
    decoder = tiny_decoder()
    with pytest.raises(ValueError, match=r"\[batch, time, feature_dim\]"):
        greedy_decode(decoder, np.zeros((4, 16)))
    with pytest.raises(ValueError, match="max_length"):
        greedy_decode(decoder, tiny_features(), max_length=0)
    with pytest.raises(TypeError, match="AttentionLSTMDecoder"):
        greedy_decode(object(), tiny_features())
