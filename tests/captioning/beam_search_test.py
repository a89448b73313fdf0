import numpy as np
import pytest
import tensorflow as tf

from keras_grurcn.captioning import beam_search
from keras_grurcn.captioning import greedy_decode
from tests.captioning.tiny_captioner import FEATURE_DIM
from tests.captioning.tiny_captioner import teacher_forced_log_prob
from tests.captioning.tiny_captioner import tiny_decoder
from tests.captioning.tiny_captioner import tiny_features

BATCH, MAX_LENGTH = 6, 8


def _numpy(result):
    return {key: np.asarray(value) for key, value in result.items()}


def test_beam_width_one_is_greedy():
    decoder, features = tiny_decoder(seed=1), tiny_features(BATCH, seed=1)
    greedy = _numpy(greedy_decode(decoder, features, MAX_LENGTH))
    beam = _numpy(beam_search(decoder, features, beam_width=1, max_length=MAX_LENGTH))
    np.testing.assert_array_equal(beam["token_ids"][:, 0], greedy["token_ids"])
    np.testing.assert_array_equal(beam["lengths"][:, 0], greedy["lengths"])
    np.testing.assert_allclose(beam["log_probs"][:, 0], greedy["scores"], rtol=1e-5)
    np.testing.assert_allclose(beam["attention"][:, 0], greedy["attention"], atol=1e-6)


def test_beams_are_distinct_sorted_at_least_as_likely_as_greedy_and_scored_truly():
    decoder, features = tiny_decoder(seed=2), tiny_features(BATCH, seed=2)
    greedy = _numpy(greedy_decode(decoder, features, MAX_LENGTH))
    beam = _numpy(beam_search(decoder, features, beam_width=4, max_length=MAX_LENGTH))
    assert beam["token_ids"].shape == (BATCH, 4, MAX_LENGTH)
    assert beam["attention"].shape == (BATCH, 4, MAX_LENGTH, 4)
    assert np.all(beam["log_probs"][:, 0] >= greedy["scores"] - 1e-4)
    assert np.all(np.diff(beam["scores"], axis=1) <= 1e-6)  # best first
    for video in range(BATCH):
        captions = {
            tuple(row[:n])
            for row, n in zip(beam["token_ids"][video], beam["lengths"][video])
        }
        assert len(captions) == 4
    # The reported log-probs are the model's own, scored teacher-forced.
    flat_ids = beam["token_ids"].reshape(BATCH * 4, MAX_LENGTH)
    rescored = teacher_forced_log_prob(
        decoder, np.repeat(features, 4, axis=0), flat_ids, beam["lengths"].reshape(-1)
    )
    np.testing.assert_allclose(
        rescored.reshape(BATCH, 4), beam["log_probs"], rtol=1e-4, atol=1e-4
    )


def test_length_penalty_ranks_by_mean_log_prob():
    decoder, features = tiny_decoder(seed=3), tiny_features(BATCH, seed=3)
    beam = _numpy(
        beam_search(
            decoder, features, beam_width=3, max_length=MAX_LENGTH, length_penalty=1.0
        )
    )
    np.testing.assert_allclose(
        beam["scores"], beam["log_probs"] / beam["lengths"], rtol=1e-6
    )
    assert np.all(np.diff(beam["scores"], axis=1) <= 1e-6)


def test_runs_inside_tf_function_with_unknown_batch_and_time():
    decoder, features = tiny_decoder(seed=4), tiny_features(2, seed=4)
    signature = [tf.TensorSpec([None, None, FEATURE_DIM], tf.float32)]
    graph_search = tf.function(
        lambda x: beam_search(decoder, x, beam_width=3, max_length=6),
        input_signature=signature,
    )
    eager = _numpy(beam_search(decoder, features, beam_width=3, max_length=6))
    graph = _numpy(graph_search(features))
    np.testing.assert_array_equal(graph["token_ids"], eager["token_ids"])
    np.testing.assert_allclose(graph["log_probs"], eager["log_probs"], rtol=1e-5)
    np.testing.assert_allclose(graph["attention"], eager["attention"], atol=1e-6)
    # The same function serves another batch size and clip length.
    assert graph_search(tiny_features(5)[:, :3])["token_ids"].shape == (5, 3, 6)


def test_bad_arguments_are_named():
    decoder = tiny_decoder()
    with pytest.raises(ValueError, match="beam_width"):
        beam_search(decoder, tiny_features(), beam_width=decoder.vocabulary_size)
    with pytest.raises(ValueError, match="length_penalty"):
        beam_search(decoder, tiny_features(), length_penalty=-1.0)


class _CaptionExport(tf.Module):
    """Features -> caption strings, the way a serving signature would do it."""

    def __init__(self, decoder):
        super().__init__()
        self.decoder = decoder
        self.words = tf.constant(decoder.vocabulary.words)

    @tf.function(input_signature=[tf.TensorSpec([None, None, FEATURE_DIM], tf.float32)])
    def caption(self, features):
        result = beam_search(self.decoder, features, beam_width=3, max_length=6)
        ids, lengths = result["token_ids"], result["lengths"]
        positions = tf.range(tf.shape(ids)[-1])
        keep = (positions < lengths[..., None]) & (
            ids != self.decoder.vocabulary.eos_id
        )
        words = tf.where(keep, tf.gather(self.words, ids), "")
        captions = tf.strings.strip(
            tf.strings.reduce_join(words, axis=-1, separator=" ")
        )
        return {
            "captions": captions,
            "scores": result["scores"],
            "attention": result["attention"],
        }


def test_exports_to_a_saved_model_signature_that_returns_strings(tmp_path):
    decoder, features = tiny_decoder(seed=5), tiny_features(3, seed=5)
    eager = _numpy(beam_search(decoder, features, beam_width=3, max_length=6))
    path = str(tmp_path / "captioner")
    tf.saved_model.save(_CaptionExport(decoder), path)
    loaded = tf.saved_model.load(path)  # keep it: it owns the variables
    served = loaded.caption(tf.constant(features))
    captions = [[c.decode() for c in row] for row in served["captions"].numpy()]
    expected = [decoder.vocabulary.decode(row) for row in eager["token_ids"]]
    assert captions == expected
    np.testing.assert_allclose(served["scores"], eager["scores"], rtol=1e-5)
    assert served["attention"].shape == (3, 3, 6, 4)
