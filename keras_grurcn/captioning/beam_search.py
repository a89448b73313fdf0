"""`beam_search`: the `beam_width` most likely captions, in keras.ops."""

from keras import ops

from keras_grurcn.captioning.greedy_decode import NEVER
from keras_grurcn.captioning.greedy_decode import _check_decoder_inputs
from keras_grurcn.captioning.greedy_decode import word_log_probs


def _gather_beams(values, beam_indices, beam_width):
    """Picks, for every `[batch, beam]` slot, the row of its source beam."""
    batch_size = ops.shape(beam_indices)[0]
    flat = ops.reshape(values, (-1,) + tuple(ops.shape(values)[2:]))
    rows = ops.arange(batch_size, dtype="int32")[:, None] * beam_width + beam_indices
    return ops.take(flat, rows, axis=0)


def beam_search(decoder, features, beam_width=5, max_length=30, length_penalty=0.0):
    """Captions videos with beam search over an `AttentionLSTMDecoder`.

    At each step every live caption is extended by every word and the
    `beam_width` highest-scoring extensions (sum of word log-probabilities)
    are kept. A caption that emitted `<eos>` stays in the beam with its
    score frozen. After `max_length` steps the beams are ranked by
    `log_prob / length ** length_penalty`: 0 ranks by log-probability
    (favouring short captions), 1 by mean log-probability per word (as
    arctic-captions, the code of Yao et al., did). Yao et al. used
    `beam_width=5` and captions of up to 30 words.

    Written with `keras.ops` and a fixed-length `keras.ops.fori_loop`, so it
    runs eagerly, inside `tf.function` (an exported SavedModel signature) and
    under `jax.jit`. With `beam_width=1` it gives `greedy_decode`'s captions.

    Args:
        decoder: an `AttentionLSTMDecoder`.
        features: `[batch, time, feature_dim]` encoder features.
        beam_width: captions kept per video.
        max_length: the most tokens generated per caption, `<eos>` included.
        length_penalty: exponent of the length normalisation of the final
            ranking (>= 0).

    Returns:
        A dict, beams sorted best first: `"token_ids"` (int32 `[batch,
        beam_width, max_length]`, words, `<eos>`, then `<pad>`), `"scores"`
        (`[batch, beam_width]`, the ranking score), `"log_probs"` (`[batch,
        beam_width]`, the model's log-probability of each caption, `<eos>`
        included), `"lengths"` (int32 `[batch, beam_width]`, `<eos>`
        included) and `"attention"` (`[batch, beam_width, max_length, time]`,
        zero after `<eos>`).

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import (
        AttentionLSTMDecoder, CaptionVocabulary, beam_search,
    )

    vocabulary = CaptionVocabulary.build(["a man is cooking"])
    decoder = AttentionLSTMDecoder(vocabulary, embedding_dim=8, units=16)
    result = beam_search(decoder, np.random.rand(2, 4, 32), beam_width=3)
    best = vocabulary.decode(result["token_ids"][:, 0])  # two strings
    ```
    """
    features = ops.convert_to_tensor(features)
    _check_decoder_inputs(decoder, features, max_length)
    vocabulary = decoder.vocabulary
    vocabulary_size = vocabulary.vocabulary_size
    # <pad> and <bos> are never generated, so that many fewer words compete.
    if not 1 <= int(beam_width) <= vocabulary_size - 2:
        raise ValueError(
            f"`beam_width` must be in [1, {vocabulary_size - 2}] for this "
            f"vocabulary; got {beam_width}."
        )
    if float(length_penalty) < 0:
        raise ValueError(f"`length_penalty` must be >= 0; got {length_penalty}.")
    beam_width = int(beam_width)
    batch_size, time_steps = ops.shape(features)[0], ops.shape(features)[1]
    # Each video's features repeated once per beam: row b * beam_width + k.
    features = ops.repeat(features, beam_width, axis=0)
    projected_features = decoder.project_features(features)
    positions = ops.arange(max_length)
    # A finished caption continues only with <pad>, at no cost.
    finished_continuation = ops.where(
        ops.equal(ops.arange(vocabulary_size), vocabulary.pad_id), 0.0, NEVER
    )

    def body(index, carry):
        tokens, state, token_ids, attention, log_probs, lengths, finished = carry
        logits, state, weights = decoder.step(
            tokens, state, features, projected_features
        )
        word_scores = ops.reshape(
            word_log_probs(decoder, logits), (-1, beam_width, vocabulary_size)
        )
        word_scores = ops.where(
            finished[:, :, None], finished_continuation, word_scores
        )
        candidates = ops.reshape(
            log_probs[:, :, None] + word_scores, (-1, beam_width * vocabulary_size)
        )
        log_probs, best = ops.top_k(candidates, k=beam_width)
        best = ops.cast(best, "int32")
        source_beams = best // vocabulary_size
        words = best % vocabulary_size

        def gather(values):
            return _gather_beams(values, source_beams, beam_width)

        token_ids, attention, lengths, finished = (
            gather(x) for x in (token_ids, attention, lengths, finished)
        )
        state = tuple(
            ops.reshape(
                gather(ops.reshape(x, (-1, beam_width, ops.shape(x)[-1]))),
                ops.shape(x),
            )
            for x in state
        )
        weights = gather(
            ops.reshape(ops.cast(weights, "float32"), (-1, beam_width, time_steps))
        )
        weights = ops.where(finished[:, :, None], 0.0, weights)
        lengths = lengths + ops.cast(ops.logical_not(finished), "int32")
        at_index = ops.equal(positions, index)
        token_ids = ops.where(at_index[None, None, :], words[:, :, None], token_ids)
        attention = ops.where(
            at_index[None, None, :, None], weights[:, :, None, :], attention
        )
        finished = ops.logical_or(finished, ops.equal(words, vocabulary.eos_id))
        tokens = ops.reshape(words, (-1,))
        return tokens, state, token_ids, attention, log_probs, lengths, finished

    # Only the first beam is live at the start, so the first step's top-k
    # takes `beam_width` different words instead of one word `beam_width` times.
    initial_log_probs = ops.where(ops.arange(beam_width) == 0, 0.0, NEVER)
    carry = (
        ops.full((batch_size * beam_width,), vocabulary.bos_id, dtype="int32"),
        decoder.initial_state(features),
        ops.zeros((batch_size, beam_width, max_length), dtype="int32"),
        ops.zeros((batch_size, beam_width, max_length, time_steps), dtype="float32"),
        ops.tile(initial_log_probs[None, :], (batch_size, 1)),
        ops.zeros((batch_size, beam_width), dtype="int32"),
        ops.zeros((batch_size, beam_width), dtype="bool"),
    )
    _, _, token_ids, attention, log_probs, lengths, _ = ops.fori_loop(
        0, max_length, body, carry
    )
    scores = log_probs / ops.power(
        ops.cast(ops.maximum(lengths, 1), "float32"), float(length_penalty)
    )
    order = ops.cast(ops.argsort(-scores, axis=-1), "int32")
    return {
        "token_ids": ops.take_along_axis(token_ids, order[:, :, None], axis=1),
        "scores": ops.take_along_axis(scores, order, axis=1),
        "log_probs": ops.take_along_axis(log_probs, order, axis=1),
        "lengths": ops.take_along_axis(lengths, order, axis=1),
        "attention": ops.take_along_axis(attention, order[:, :, None, None], axis=1),
    }
