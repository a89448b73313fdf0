"""`caption_serving_function`, `caption_outputs`: frames -> caption strings in a graph.

TensorFlow-only (it is export code): the function resizes and samples the
frames in the graph, runs the captioner's encoder, beam search and the
id-to-word lookup, so a SavedModel signature answers with strings.
"""

from keras_grurcn.captioning.caption_videos import captioner_decoder
from keras_grurcn.captioning.caption_videos import decode_features
from keras_grurcn.captioning.grurcn_captioner import captioner_encoder
from keras_grurcn.captioning.grurcn_captioner import video_input_names
from keras_grurcn.export.frame_preprocessing import preprocess_frames


def _join_words(tf, words, token_ids, vocabulary):
    """Id rows `[..., L]` -> captions `[...]` as `CaptionVocabulary.decode` does."""
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
    """The serving outputs of a captioner, for an export's `endpoints` hook.

    Args:
        beam_width: beams kept (1: greedy decoding).
        max_length: the most tokens per caption, `<eos>` included.
        length_penalty: see `beam_search`.

    Returns:
        A function `outputs_fn(model, frames)` taking a captioner (built
        with `inputs="frames"`) and float32 frames already at its clip shape
        `[B, T, H, W, 3]` in 0..255, and returning, as TensorFlow tensors,
        `{"caption": string [B], "beams": string [B, beam_width] (best
        first), "scores": float32 [B, beam_width], "attention": float32
        [B, max_length, T]}` (the best caption's weights over the frames).
        It fits `keras_grurcn.export.export_saved_model(..., endpoints=
        {"serving_default": caption_outputs()})`.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import CaptionVocabulary, caption_outputs
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    outputs_fn = caption_outputs(beam_width=2, max_length=6)
    outputs = outputs_fn(model, np.zeros((1, 4, 32, 32, 3), "float32"))
    outputs["beams"].shape  # [1, 2]
    ```
    """
    import tensorflow as tf

    def outputs_fn(model, frames):
        _check_frames_model(model)
        decoder = captioner_decoder(model)
        vocabulary = decoder.vocabulary
        features = captioner_encoder(model)(frames, training=False)
        decoded = decode_features(
            decoder,
            features,
            beam_width=beam_width,
            max_length=max_length,
            length_penalty=length_penalty,
        )
        words = tf.constant(vocabulary.words)
        beams = _join_words(tf, words, decoded["token_ids"], vocabulary)
        return {
            "caption": beams[:, 0],
            "beams": beams,
            "scores": tf.cast(decoded["scores"], tf.float32),
            "attention": tf.cast(decoded["attention"], tf.float32),
        }

    return outputs_fn


def _check_frames_model(model):
    if video_input_names(model) != ["frames"]:
        raise ValueError(
            "Serving captions needs a captioner built with inputs='frames'; "
            f"model {model.name!r} takes {video_input_names(model)}. Rebuild it "
            "with inputs='frames' and load the trained weights (the layer "
            "names are the same)."
        )


def caption_serving_function(model, beam_width=5, max_length=30, length_penalty=0.0):
    """A `tf.function` captioning raw uint8 videos with a GRU-RCN captioner.

    Frames of any size and count go through the classifiers' serving
    preprocessing, `keras_grurcn.export.preprocess_frames`: `T` of them
    taken by uniform sampling (the centre of each of `T` equal segments, as
    `keras_grurcn.data.sample_frame_indices` does for training clips; short
    videos loop) and resized (bilinear, antialiased) to the model's image
    size, all in the graph; then `caption_outputs` runs. Save it on a `tf.Module` that holds the model
    (or add it to a `keras.export.ExportArchive` that tracks the model).

    Args:
        model: a captioner from `build_grurcn_captioner` with
            `inputs="frames"` (a percepts model has no backbone to run).
        beam_width: beams kept (1: greedy decoding).
        max_length: the most tokens per caption, `<eos>` included.
        length_penalty: see `beam_search`.

    Returns:
        A `tf.function` with input signature uint8 `[B, N, H, W, 3]`
        (named `"frames"`) returning the dict of `caption_outputs`.

    Examples:

    ```python
    import tensorflow as tf
    from keras_grurcn.captioning import (
        CaptionVocabulary, caption_serving_function,
    )
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    serve = caption_serving_function(model, beam_width=2, max_length=6)
    outputs = serve(tf.zeros((1, 40, 120, 160, 3), tf.uint8))
    outputs["caption"].shape, outputs["attention"].shape  # [1], [1, 6, 4]
    # Export: a tf.Module holding the model and the function.
    module = tf.Module()
    module.model, module.caption = model, serve
    tf.saved_model.save(module, "/tmp/captioner", signatures={"serving_default": serve})
    ```
    """
    import tensorflow as tf

    _check_frames_model(model)
    _, num_frames, height, width, _ = captioner_encoder(model).input.shape
    outputs_fn = caption_outputs(beam_width, max_length, length_penalty)

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, None, None, None, 3], tf.uint8, name="frames")
        ]
    )
    def caption(frames):
        clips = preprocess_frames(frames, num_frames, (height, width))
        return outputs_fn(model, clips)

    return caption
