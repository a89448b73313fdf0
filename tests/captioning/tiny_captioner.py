"""A tiny vocabulary, decoder and feature batch shared by the captioning tests."""

import keras
import numpy as np

from keras_grurcn.captioning import AttentionLSTMDecoder
from keras_grurcn.captioning import CaptionVocabulary

CAPTIONS = [
    "a man is cooking",
    "a cat is sleeping",
    "a man is running",
    "a dog is sleeping",
]
TIME_STEPS, FEATURE_DIM = 4, 16


def tiny_vocabulary():
    return CaptionVocabulary.build(CAPTIONS)


def tiny_decoder(seed=0, **kwargs):
    keras.utils.set_random_seed(seed)
    options = dict(embedding_dim=8, units=16, attention_units=8, dropout=0.0)
    options.update(kwargs)
    decoder = AttentionLSTMDecoder(tiny_vocabulary(), **options)
    decoder.build((None, TIME_STEPS, FEATURE_DIM), (None, None))
    return decoder


def tiny_features(batch_size=2, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(batch_size, TIME_STEPS, FEATURE_DIM)).astype("float32")


def teacher_forced_log_prob(decoder, features, token_ids, lengths):
    """The model's log-probability of generated tokens, scored teacher-forced."""
    token_ids = np.asarray(token_ids)
    bos = np.full((len(token_ids), 1), decoder.vocabulary.bos_id, "int32")
    inputs = np.concatenate([bos, token_ids[:, :-1]], axis=1)
    logits = np.asarray(decoder(features, inputs), dtype="float64")
    log_probs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    chosen = np.take_along_axis(log_probs, token_ids[..., None], axis=-1)[..., 0]
    positions = np.arange(token_ids.shape[1])[None, :]
    return (chosen * (positions < np.asarray(lengths)[:, None])).sum(-1)
