"""`caption_outputs`: a captioner's serving outputs, frames -> caption strings.

TensorFlow-only (it is export code): the graph runs the captioner's
preprocessor (frame sampling and resizing, as in training), encoder, beam
search and the id-to-word lookup, so a SavedModel signature answers with
strings.
"""

from keras_grurcn.captioning.caption_decoding import decode_features


def join_words(words, token_ids, vocabulary):
    """Id rows `[..., L]` -> captions `[...]` as `CaptionVocabulary.decode` does."""
    import tensorflow as tf

    before_eos = tf.equal(
        tf.cumsum(tf.cast(tf.equal(token_ids, vocabulary.eos_id), tf.int32), axis=-1),
        0,
    )
    spoken = tf.logical_and(
        tf.not_equal(token_ids, vocabulary.pad_id),
        tf.not_equal(token_ids, vocabulary.bos_id),
    )
    keep = tf.logical_and(before_eos, spoken)
    tokens = tf.where(keep, tf.gather(words, token_ids), "")
    joined = tf.strings.reduce_join(tokens + " ", axis=-1)
    # Dropped words left empty strings, so single spaces are rebuilt.
    return tf.strings.regex_replace(
        tf.strings.strip(joined), "  +", " ", replace_global=True
    )


def caption_outputs(beam_width=5, max_length=30, length_penalty=0.0):
    """The serving outputs of a captioner, as TensorFlow tensors.

    Args:
        beam_width: beams kept (1: greedy decoding).
        max_length: the most tokens per caption, `<eos>` included.
        length_penalty: see `keras_grurcn.captioning.beam_search`.

    Returns:
        A function `outputs_fn(captioner, videos)` taking a `VideoCaptioner`
        and uint8 frames `[B, N, H, W, 3]` (or cached percepts), returning
        `{"caption": string [B], "beams": string [B, beam_width] (best
        first), "scores": float32 [B, beam_width], "attention": float32
        [B, max_length, T]}` (the best caption's weights over the frames).
        `export_saved_model` serves it as a captioner's `serving_default`.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary
    from keras_grurcn.export.caption_serving import caption_outputs

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    captioner = keras_grurcn.build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    outputs_fn = caption_outputs(beam_width=2, max_length=6)
    outputs = outputs_fn(captioner, np.zeros((1, 9, 40, 40, 3), "uint8"))
    outputs["beams"].shape  # [1, 2]
    ```
    """
    import tensorflow as tf

    def outputs_fn(captioner, videos):
        vocabulary = captioner.vocabulary
        features = captioner.encode(videos, training=False)
        decoded = decode_features(
            captioner.decoder,
            features,
            beam_width=beam_width,
            max_length=max_length,
            length_penalty=length_penalty,
        )
        beams = join_words(
            tf.constant(vocabulary.words), decoded["token_ids"], vocabulary
        )
        return {
            "caption": beams[:, 0],
            "beams": beams,
            "scores": tf.cast(decoded["scores"], tf.float32),
            "attention": tf.cast(decoded["attention"], tf.float32),
        }

    return outputs_fn
