"""`caption_videos`: captions, scores and attention from a GRU-RCN captioner."""

import numpy as np
from keras import ops

from keras_grurcn.captioning.beam_search import beam_search
from keras_grurcn.captioning.caption_model import DECODER_NAME
from keras_grurcn.captioning.greedy_decode import greedy_decode
from keras_grurcn.captioning.grurcn_captioner import captioner_encoder
from keras_grurcn.captioning.grurcn_captioner import video_input_names


def captioner_decoder(model):
    """The `AttentionLSTMDecoder` of a captioner (`"caption_decoder"`).

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary, captioner_decoder
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    decoder = captioner_decoder(model)  # what beam_search and greedy_decode take
    ```
    """
    try:
        return model.get_layer(DECODER_NAME)
    except ValueError:
        raise ValueError(
            f"Model {model.name!r} has no {DECODER_NAME!r} layer: not a captioner "
            "built by build_grurcn_captioner or build_caption_model."
        ) from None


def decode_features(decoder, features, beam_width=5, max_length=30, length_penalty=0.0):
    """Beam search (greedy for `beam_width=1`) in the layout `caption_videos` returns.

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


def caption_videos(
    model,
    video_inputs,
    vocabulary=None,
    beam_width=5,
    max_length=30,
    length_penalty=0.0,
    batch_size=32,
):
    """Captions videos with a GRU-RCN captioner.

    Encodes the videos once (`captioner_encoder(model)`), then decodes the
    features with beam search (`beam_width > 1`) or greedily
    (`beam_width=1`).

    Args:
        model: a model from `build_grurcn_captioner`.
        video_inputs: the model's video inputs: frames `[B, T, H, W, 3]`
            (raw RGB in 0..255) or a dict `{level: percepts}`.
        vocabulary: the `CaptionVocabulary` to turn ids into words; defaults
            to (and must equal) the one saved in the decoder.
        beam_width: captions kept per video (1: greedy decoding).
        max_length: the most tokens generated per caption, `<eos>` included.
        length_penalty: exponent of the final ranking's length
            normalisation (0: by log-probability, 1: per word).
        batch_size: videos encoded and decoded at once.

    Returns:
        A dict: `"captions"` (list of `B` str, the best caption of each
        video), `"beams"` (list of `B` lists of `beam_width` str, best
        first), `"scores"` (float32 numpy `[B, beam_width]`, the ranking
        score of each beam), `"attention"` (float32 numpy `[B, max_length,
        T]`: for each word of the best caption, its weights over the time
        steps; zero after `<eos>`) and `"token_ids"` (int32 numpy `[B,
        beam_width, max_length]`).

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import CaptionVocabulary, caption_videos
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    frames = np.zeros((2, 4, 32, 32, 3), "float32")
    result = caption_videos(model, frames, beam_width=2, max_length=6)
    result["captions"], result["attention"].shape  # 2 strings, (2, 6, 4)
    ```
    """
    decoder = captioner_decoder(model)
    if vocabulary is None:
        vocabulary = decoder.vocabulary
    elif vocabulary != decoder.vocabulary:
        raise ValueError(
            "caption_videos: `vocabulary` differs from the one saved in the "
            "model's decoder; leave it None to use the model's."
        )
    encoder = captioner_encoder(model)
    features = encoder.predict(video_inputs, batch_size=batch_size, verbose=0)
    parts = []
    for start in range(0, len(features), batch_size):
        decoded = decode_features(
            decoder,
            features[start : start + batch_size],
            beam_width=beam_width,
            max_length=max_length,
            length_penalty=length_penalty,
        )
        parts.append({key: ops.convert_to_numpy(v) for key, v in decoded.items()})
    token_ids = np.concatenate([part["token_ids"] for part in parts])
    beams = [vocabulary.decode(rows) for rows in token_ids]
    return {
        "captions": [video_beams[0] for video_beams in beams],
        "beams": beams,
        "scores": np.concatenate([part["scores"] for part in parts]),
        "attention": np.concatenate([part["attention"] for part in parts]),
        "token_ids": token_ids,
    }


def caption_frames(
    model, frames, beam_width=5, max_length=30, length_penalty=0.0, batch_size=32
):
    """Captions raw clips of any size and length, as the exported model does.

    Takes `T` frames by uniform sampling (`sample_frame_indices`, the
    centre of each of `T` equal segments; short clips loop) and resizes
    them bilinearly, with antialiasing, to the model's image size (as
    `keras_grurcn.export.preprocess_frames` does), then calls
    `caption_videos`. `caption_serving_function` does the same in the
    graph, so both give the same captions.

    Args:
        model: a captioner built with `inputs="frames"`.
        frames: RGB clips `[B, N, H, W, 3]` in 0..255 (uint8 or float),
            any `N`, `H`, `W`.
        beam_width, max_length, length_penalty, batch_size: see
            `caption_videos`.

    Returns:
        The dict of `caption_videos`.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary, caption_frames
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    video = np.zeros((1, 30, 48, 64, 3), "uint8")  # any length and size
    caption_frames(model, video, beam_width=2, max_length=6)["captions"]
    ```
    """
    from keras_grurcn.data.frame_sampling import sample_frame_indices

    if video_input_names(model) != ["frames"]:
        raise ValueError(
            f"caption_frames needs a captioner built with inputs='frames'; model "
            f"{model.name!r} takes {video_input_names(model)}: use caption_videos."
        )
    frames = np.asarray(frames)
    if frames.ndim != 5 or frames.shape[-1] != 3 or 0 in frames.shape:
        raise ValueError(
            "caption_frames expects RGB clips [batch, frames, height, width, 3]; "
            f"got shape {frames.shape}."
        )
    _, num_frames, height, width, _ = captioner_encoder(model).input.shape
    if num_frames is not None:
        frames = frames[:, sample_frame_indices(frames.shape[1], num_frames)]
    frames = frames.astype("float32")
    if frames.shape[2:4] != (height, width):
        batch, steps = frames.shape[:2]
        flat = frames.reshape((-1,) + frames.shape[2:])
        flat = ops.image.resize(
            flat, (height, width), interpolation="bilinear", antialias=True
        )
        frames = ops.convert_to_numpy(flat).reshape(batch, steps, height, width, 3)
    return caption_videos(
        model,
        frames,
        beam_width=beam_width,
        max_length=max_length,
        length_penalty=length_penalty,
        batch_size=batch_size,
    )
