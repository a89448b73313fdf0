"""`greedy_decode`: the most likely next word at every step, in keras.ops."""

from keras import ops

# Log-probability given to tokens a decoder must never emit (<pad>, <bos>).
# Finite rather than -inf so that sums and top-k never produce NaN.
NEVER = -1e9


def _check_decoder_inputs(decoder, features, max_length):
    if not hasattr(decoder, "step") or not hasattr(decoder, "vocabulary"):
        raise TypeError(
            "Decoding needs an AttentionLSTMDecoder (e.g. "
            "`model.get_layer('caption_decoder')`); got "
            f"{type(decoder).__name__}."
        )
    if len(features.shape) != 3:
        raise ValueError(
            "Decoding expects `features` [batch, time, feature_dim]; got shape "
            f"{tuple(features.shape)}."
        )
    if int(max_length) < 1:
        raise ValueError(f"`max_length` must be >= 1; got {max_length}.")


def word_log_probs(decoder, logits):
    """Log-softmax of the logits with `<pad>` and `<bos>` made unreachable."""
    log_probs = ops.log_softmax(ops.cast(logits, "float32"), axis=-1)
    vocabulary = decoder.vocabulary
    token_ids = ops.arange(vocabulary.vocabulary_size)
    forbidden = ops.logical_or(
        ops.equal(token_ids, vocabulary.pad_id), ops.equal(token_ids, vocabulary.bos_id)
    )
    return ops.where(forbidden, NEVER, log_probs)


def greedy_decode(decoder, features, max_length=30):
    """Captions videos by taking the most likely word at every step.

    Written with `keras.ops` and a fixed-length `keras.ops.fori_loop`, so it
    runs eagerly, inside `tf.function` (and so in an exported SavedModel) and
    under `jax.jit`. A caption ends at its first `<eos>`; positions after it
    hold `<pad>`. `<pad>` and `<bos>` are never generated.

    Args:
        decoder: an `AttentionLSTMDecoder`.
        features: `[batch, time, feature_dim]` encoder features.
        max_length: the most tokens generated per caption, `<eos>` included.

    Returns:
        A dict with `"token_ids"` (int32 `[batch, max_length]`, words then
        `<eos>` then `<pad>`), `"scores"` (`[batch]`, the model's
        log-probability of the generated tokens, `<eos>` included),
        `"lengths"` (int32 `[batch]`, tokens generated, `<eos>` included) and
        `"attention"` (`[batch, max_length, time]`, the weights each
        generated token put on each time step; zero after `<eos>`).

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import (
        AttentionLSTMDecoder, CaptionVocabulary, greedy_decode,
    )

    vocabulary = CaptionVocabulary.build(["a man is cooking"])
    decoder = AttentionLSTMDecoder(vocabulary, embedding_dim=8, units=16)
    result = greedy_decode(decoder, np.random.rand(2, 4, 32), max_length=6)
    vocabulary.decode(result["token_ids"])  # two strings
    ```
    """
    features = ops.convert_to_tensor(features)
    _check_decoder_inputs(decoder, features, max_length)
    vocabulary = decoder.vocabulary
    batch_size, time_steps = ops.shape(features)[0], ops.shape(features)[1]
    projected_features = decoder.project_features(features)
    positions = ops.arange(max_length)

    def body(index, carry):
        tokens, state, token_ids, attention, scores, lengths, finished = carry
        logits, state, weights = decoder.step(
            tokens, state, features, projected_features
        )
        log_probs = word_log_probs(decoder, logits)
        next_tokens = ops.cast(ops.argmax(log_probs, axis=-1), "int32")
        next_tokens = ops.where(finished, vocabulary.pad_id, next_tokens)
        chosen = ops.take_along_axis(log_probs, next_tokens[:, None], axis=-1)[:, 0]
        scores = scores + ops.where(finished, 0.0, chosen)
        lengths = lengths + ops.cast(ops.logical_not(finished), "int32")
        weights = ops.where(finished[:, None], 0.0, ops.cast(weights, "float32"))
        at_index = ops.equal(positions, index)
        token_ids = ops.where(at_index[None, :], next_tokens[:, None], token_ids)
        attention = ops.where(at_index[None, :, None], weights[:, None, :], attention)
        finished = ops.logical_or(finished, ops.equal(next_tokens, vocabulary.eos_id))
        return next_tokens, state, token_ids, attention, scores, lengths, finished

    carry = (
        ops.full((batch_size,), vocabulary.bos_id, dtype="int32"),
        decoder.initial_state(features),
        ops.zeros((batch_size, max_length), dtype="int32"),
        ops.zeros((batch_size, max_length, time_steps), dtype="float32"),
        ops.zeros((batch_size,), dtype="float32"),
        ops.zeros((batch_size,), dtype="int32"),
        ops.zeros((batch_size,), dtype="bool"),
    )
    _, _, token_ids, attention, scores, lengths, _ = ops.fori_loop(
        0, max_length, body, carry
    )
    return {
        "token_ids": token_ids,
        "scores": scores,
        "lengths": lengths,
        "attention": attention,
    }
