"""`build_caption_model`: features + caption prefix -> next-word logits."""

import keras

from keras_grurcn.captioning.attention_lstm_decoder import AttentionLSTMDecoder
from keras_grurcn.captioning.masked_sparse_categorical_accuracy import (
    MaskedSparseCategoricalAccuracy,
)
from keras_grurcn.captioning.masked_sparse_categorical_crossentropy import (
    MaskedSparseCategoricalCrossentropy,
)

DECODER_NAME = "caption_decoder"


def build_caption_model(
    feature_shape,
    vocabulary,
    embedding_dim=256,
    units=512,
    attention_units=256,
    dropout=0.5,
    tie_embeddings=False,
    caption_length=None,
    name="caption_model",
):
    """Builds the teacher-forced captioning model over precomputed features.

    The model takes `{"features": [batch, time, feature_dim], "tokens":
    [batch, length]}` and returns next-token logits `[batch, length,
    vocabulary_size]`. Its decoder layer is named `"caption_decoder"`
    (`model.get_layer("caption_decoder")`) and is what `greedy_decode` and
    `beam_search` take. To caption from frames, feed the decoder the output
    of a video encoder (e.g. GRU-RCN) instead of the `features` input; the
    decoder only sees temporal features.

    Train it with `compile_caption_model` (or the same loss and metric
    yourself) and `model.fit` on `teacher_forcing_pairs(...)`.

    Args:
        feature_shape: `(time, feature_dim)`; `time` may be None.
        vocabulary: a `CaptionVocabulary`.
        embedding_dim, units, attention_units, dropout, tie_embeddings:
            see `AttentionLSTMDecoder`.
        caption_length: optional fixed length of the `tokens` input. Leave
            `None` for captions of any length; set it (e.g. the encoder's
            `max_length - 1`) to train with `jit_compile=True`, since XLA
            needs the decoder loop's trip count at trace time.
        name: name of the model.

    Returns:
        A functional `keras.Model`.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import (
        CaptionVocabulary, build_caption_model, compile_caption_model,
        teacher_forcing_pairs,
    )

    captions = ["a man is cooking", "a cat is sleeping"]
    vocabulary = CaptionVocabulary.build(captions)
    model = build_caption_model((4, 32), vocabulary, embedding_dim=8, units=16)
    compile_caption_model(model, vocabulary)
    inputs, targets = teacher_forcing_pairs(
        np.random.rand(2, 4, 32), vocabulary.encode(captions)
    )
    model.fit(inputs, targets, epochs=1, verbose=0)
    ```
    """
    if len(tuple(feature_shape)) != 2 or feature_shape[-1] is None:
        raise ValueError(
            "`feature_shape` must be (time, feature_dim) with a known feature_dim; "
            f"got {feature_shape}."
        )
    # === Layers ===
    decoder = AttentionLSTMDecoder(
        vocabulary,
        embedding_dim=embedding_dim,
        units=units,
        attention_units=attention_units,
        dropout=dropout,
        tie_embeddings=tie_embeddings,
        name=DECODER_NAME,
    )
    # === Functional Model ===
    features = keras.Input(shape=tuple(feature_shape), name="features")
    tokens = keras.Input(shape=(caption_length,), dtype="int32", name="tokens")
    logits = decoder(features, tokens)
    return keras.Model(
        inputs={"features": features, "tokens": tokens}, outputs=logits, name=name
    )


def compile_caption_model(model, vocabulary, optimizer="adam", **kwargs):
    """Compiles a caption model with the masked loss and accuracy.

    Args:
        model: a model returning next-token logits.
        vocabulary: the `CaptionVocabulary` (for its padding id).
        optimizer: any optimizer `keras.Model.compile` accepts.
        **kwargs: further `compile` arguments (`jit_compile`, ...).

    Examples:

    ```python
    from keras_grurcn.captioning import (
        CaptionVocabulary, build_caption_model, compile_caption_model,
    )

    vocabulary = CaptionVocabulary.build(["a man is cooking"])
    model = build_caption_model((4, 8), vocabulary, embedding_dim=8, units=8)
    compile_caption_model(model, vocabulary, optimizer="adam")
    ```
    """
    model.compile(
        optimizer=optimizer,
        loss=MaskedSparseCategoricalCrossentropy(padding_id=vocabulary.pad_id),
        metrics=[MaskedSparseCategoricalAccuracy(padding_id=vocabulary.pad_id)],
        **kwargs,
    )
    return model


def teacher_forcing_pairs(features, caption_ids):
    """Splits encoded captions into teacher-forcing inputs and targets.

    Args:
        features: `[batch, time, feature_dim]` video features.
        caption_ids: int `[batch, length]` from `CaptionVocabulary.encode`.

    Returns:
        `({"features": features, "tokens": caption_ids[:, :-1]},
        caption_ids[:, 1:])`: each position predicts the next word.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary, teacher_forcing_pairs

    vocabulary = CaptionVocabulary.build(["a man is cooking"])
    ids = vocabulary.encode(["a man is cooking"])  # <bos> a man is cooking <eos>
    inputs, targets = teacher_forcing_pairs(np.zeros((1, 4, 8)), ids)
    inputs["tokens"].shape, targets.shape  # (1, 5), (1, 5)
    ```
    """
    if len(caption_ids.shape) != 2 or caption_ids.shape[1] < 2:
        raise ValueError(
            "`caption_ids` must be [batch, length >= 2] ids from "
            f"CaptionVocabulary.encode; got shape {tuple(caption_ids.shape)}."
        )
    return {"features": features, "tokens": caption_ids[:, :-1]}, caption_ids[:, 1:]
