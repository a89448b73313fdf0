"""`decode_features`: beam search or greedy decoding in one output layout."""

from keras_grurcn.captioning.beam_search import beam_search
from keras_grurcn.captioning.greedy_decode import greedy_decode


def decode_features(decoder, features, beam_width=5, max_length=30, length_penalty=0.0):
    """Beam search (greedy for `beam_width=1`) in `VideoCaptioner.generate`'s layout.

    Works on tensors in `keras.ops`, so it also runs inside a `tf.function`
    (the export uses it).

    Returns:
        A dict of tensors: `"token_ids"` `[B, k, L]`, `"scores"` `[B, k]`
        (best first), `"attention"` `[B, L, T]` of the best caption.
    """
    if int(beam_width) == 1:
        result = greedy_decode(decoder, features, max_length=max_length)
        return {
            "token_ids": result["token_ids"][:, None, :],
            "scores": result["scores"][:, None],
            "attention": result["attention"],
        }
    result = beam_search(
        decoder,
        features,
        beam_width=beam_width,
        max_length=max_length,
        length_penalty=length_penalty,
    )
    return {
        "token_ids": result["token_ids"],
        "scores": result["scores"],
        "attention": result["attention"][:, 0],
    }
