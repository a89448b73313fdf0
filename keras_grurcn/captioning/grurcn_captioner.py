"""`build_grurcn_captioner`: GRU-RCN encoder + soft-attention LSTM decoder."""

import keras

from keras_grurcn.captioning.attention_lstm_decoder import AttentionLSTMDecoder
from keras_grurcn.captioning.caption_model import DECODER_NAME
from keras_grurcn.captioning.caption_vocabulary import CaptionVocabulary
from keras_grurcn.models.grurcn_encoder import grurcn_encoder
from keras_grurcn.models.model_arguments import check_image_size
from keras_grurcn.models.model_arguments import check_positive_int
from keras_grurcn.models.model_arguments import check_rate
from keras_grurcn.models.model_arguments import resolve_hidden_maps
from keras_grurcn.models.model_arguments import resolve_levels
from keras_grurcn.models.model_inputs import model_inputs
from keras_grurcn.models.percept_normalization import (
    percept_normalization as percept_normalization_layers,
)

# The layer whose output is the encoder's `[batch, time, feature_dim]`.
FEATURES_NAME = "temporal_features"
TOKENS_NAME = "tokens"


def build_grurcn_captioner(
    *,
    vocabulary=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    inputs="frames",
    levels=None,
    hidden_maps=None,
    kernel_size=3,
    embedding_dim=256,
    units=512,
    attention_units=256,
    dropout=0.5,
    tie_embeddings=False,
    caption_length=None,
    trainable_backbone=False,
    percept_normalization=None,
    name="grurcn_captioner",
):
    """GRU-RCN video captioner: temporal GRU-RCN features, attention decoder.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 4.2 (YouTube2Text / MSVD): a
          GRU-RCN encoder over K = 10 equally spaced frames and the
          soft-attention LSTM decoder of Yao et al. (2015); BLEU-4 about
          0.49, METEOR 0.31 as reported (unverified here).
        - Architecture: frames -> frozen backbone percepts per level
          (`keras_grurcn.models.model_inputs`) -> per level a GRU-RCN
          returning every hidden state (`"{level}_grurcn"`) -> each state
          average-pooled over space (`"{level}_spatial_pooling"`) -> the
          levels concatenated along features (`"temporal_features"`,
          `[batch, time, feature_dim]`) -> `AttentionLSTMDecoder`
          (`"caption_decoder"`): word embedding, an LSTM whose every step
          attends (additive soft attention) over the time steps, dropout,
          tied or untied output projection.
        - Trained teacher-forced with `model.fit` and the masked
          cross-entropy (`compile_caption_model`, `teacher_forcing_pairs`);
          decoded with `caption_videos` (greedy or beam search), exported
          with `keras_grurcn.captioning.caption_serving_function`.

    The model's inputs are the video inputs (`"frames"`, or one input per
    percept level named after it) plus `"tokens"` (int `[batch, length]`,
    starting with `<bos>`); its output is the next-token logits `[batch,
    length, vocabulary_size]`. The vocabulary lives in the decoder's config,
    so it is saved in the `.keras` file.

    Args:
        vocabulary: a `CaptionVocabulary` (required).
        backbone, backbone_weights, num_frames, image_size, inputs, levels,
            hidden_maps, kernel_size, trainable_backbone,
            percept_normalization: as for `keras_grurcn.models.build_grurcn`
            (the encoder is the same; `num_frames=10` is the paper's K).
        embedding_dim, units, attention_units, dropout, tie_embeddings: see
            `AttentionLSTMDecoder` (dropout on the embeddings and the deep
            output).
        caption_length: optional fixed length of the `"tokens"` input (set
            it to train with `jit_compile=True`).
        name: the model's name.

    Returns:
        A functional `keras.Model`.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import CaptionVocabulary, caption_videos
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1", "pool2"],
        hidden_maps=[4, 4], embedding_dim=8, units=16, attention_units=8,
    )
    frames = np.zeros((2, 4, 32, 32, 3), "float32")
    result = caption_videos(model, frames, beam_width=2, max_length=6)
    result["captions"]  # two strings
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Yao et al., 2015](https://arxiv.org/abs/1502.08029)
    """
    if not isinstance(vocabulary, CaptionVocabulary):
        raise ValueError(
            "`vocabulary` is required for the captioner and must be a "
            "CaptionVocabulary (e.g. CaptionVocabulary.build(train_captions)); "
            f"got {type(vocabulary).__name__}."
        )
    image_size = check_image_size(image_size)
    num_frames = check_positive_int("num_frames", num_frames, allow_none=True)
    kernel_size = check_positive_int("kernel_size", kernel_size)
    dropout = check_rate("dropout", dropout)
    caption_length = check_positive_int(
        "caption_length", caption_length, allow_none=True
    )
    levels = resolve_levels(backbone, levels)
    hidden_maps = resolve_hidden_maps(backbone, levels, hidden_maps)

    # === Layers ===
    video_inputs, percepts = model_inputs(
        inputs,
        backbone=backbone,
        levels=levels,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable_backbone=trainable_backbone,
    )
    percepts = percept_normalization_layers(percepts, percept_normalization)
    sequences = grurcn_encoder(
        percepts,
        hidden_maps,
        backbone=backbone,
        kernel_size=kernel_size,
        return_sequences=True,
    )
    per_level = [
        _spatial_pooling(level, sequence) for level, sequence in sequences.items()
    ]
    if len(per_level) == 1:
        features = keras.layers.Identity(name=FEATURES_NAME)(per_level[0])
    else:
        features = keras.layers.Concatenate(axis=-1, name=FEATURES_NAME)(per_level)
    decoder = AttentionLSTMDecoder(
        vocabulary,
        embedding_dim=embedding_dim,
        units=units,
        attention_units=attention_units,
        dropout=dropout,
        tie_embeddings=tie_embeddings,
        name=DECODER_NAME,
    )
    tokens = keras.Input((caption_length,), dtype="int32", name=TOKENS_NAME)
    logits = decoder(features, tokens)

    # === Functional Model ===
    if isinstance(video_inputs, dict):
        model_input = {**video_inputs, TOKENS_NAME: tokens}
    else:
        model_input = {video_inputs.name: video_inputs, TOKENS_NAME: tokens}
    return keras.Model(model_input, logits, name=name)


def _spatial_pooling(level, sequence):
    """`[B, T, rows, cols, maps]` -> `[B, T, maps]`; vectors pass through."""
    if len(sequence.shape) == 3:
        return sequence
    return keras.layers.TimeDistributed(
        keras.layers.GlobalAveragePooling2D(), name=f"{level}_spatial_pooling"
    )(sequence)


def video_input_names(model):
    """The names of a captioner's video inputs (all but `"tokens"`)."""
    names = [tensor.name for tensor in _model_inputs(model)]
    if TOKENS_NAME not in names:
        raise ValueError(
            f"Model {model.name!r} has no {TOKENS_NAME!r} input: not a captioner "
            f"built by build_grurcn_captioner (inputs: {names})."
        )
    return [name for name in names if name != TOKENS_NAME]


def _model_inputs(model):
    inputs = model.input
    if isinstance(inputs, dict):
        return list(inputs.values())
    if isinstance(inputs, (list, tuple)):
        return list(inputs)
    return [inputs]


def captioner_encoder(model):
    """The encoder half of a captioner: video inputs -> `[B, T, D]` features.

    Args:
        model: a model from `build_grurcn_captioner` (also after reloading
            it from a `.keras` file).

    Returns:
        A `keras.Model` sharing the captioner's layers and weights, taking
        the same video inputs (a tensor for frames, a dict for percepts)
        and returning the `"temporal_features"` the decoder attends over.
        The decoder is `model.get_layer("caption_decoder")`.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary, captioner_encoder
    from keras_grurcn.models import build_model

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1"], hidden_maps=4,
        embedding_dim=8, units=16, attention_units=8,
    )
    features = captioner_encoder(model)(np.zeros((2, 4, 32, 32, 3)))
    features.shape  # (2, 4, 4): per frame, the pooled hidden maps
    ```
    """
    try:
        features = model.get_layer(FEATURES_NAME).output
    except ValueError:
        raise ValueError(
            f"Model {model.name!r} has no {FEATURES_NAME!r} layer: not a "
            "captioner built by build_grurcn_captioner."
        ) from None
    names = video_input_names(model)
    by_name = {tensor.name: tensor for tensor in _model_inputs(model)}
    if names == ["frames"]:
        inputs = by_name["frames"]
    else:
        inputs = {name: by_name[name] for name in names}
    return keras.Model(inputs, features, name=f"{model.name}_encoder")
