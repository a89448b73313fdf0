import keras
import numpy as np
from keras import ops

from keras_grurcn.argument_checks import check_positive_int
from keras_grurcn.argument_checks import check_rate
from keras_grurcn.captioning.attention_lstm_decoder import AttentionLSTMDecoder
from keras_grurcn.captioning.caption_decoding import decode_features
from keras_grurcn.captioning.caption_model import DECODER_NAME
from keras_grurcn.captioning.caption_vocabulary import CaptionVocabulary
from keras_grurcn.captioning.masked_sparse_categorical_accuracy import (
    MaskedSparseCategoricalAccuracy,
)
from keras_grurcn.captioning.masked_sparse_categorical_crossentropy import (
    MaskedSparseCategoricalCrossentropy,
)
from keras_grurcn.models.grurcn_backbone import GRURCNBackbone
from keras_grurcn.models.task import Task

# The captioner's inputs besides the video, and its temporal features.
TOKENS = "tokens"
FEATURES_NAME = "temporal_features"


def temporal_features(sequence_shapes, name=FEATURES_NAME):
    """Every level's hidden states pooled over space and concatenated.

    `{level: (time, rows, cols, maps) or (time, units)}` ->
    `(batch, time, feature_dim)`: each map average-pooled per step
    (`"{level}_spatial_pooling"`), vectors as they are, concatenated along
    features, what the attention decoder attends over.
    """
    inputs = {
        level: keras.Input(tuple(shape), name=level)
        for level, shape in sequence_shapes.items()
    }
    per_level = []
    for level, sequence in inputs.items():
        if len(sequence.shape) == 5:
            sequence = keras.layers.TimeDistributed(
                keras.layers.GlobalAveragePooling2D(), name=f"{level}_spatial_pooling"
            )(sequence)
        per_level.append(sequence)
    if len(per_level) == 1:
        features = keras.layers.Identity(name="concatenate")(per_level[0])
    else:
        features = keras.layers.Concatenate(axis=-1, name="concatenate")(per_level)
    return keras.Model(inputs, features, name=name)


@keras.saving.register_keras_serializable(package="keras_grurcn")
class VideoCaptioner(Task):
    """Video captioning: GRU-RCN temporal features and a soft-attention LSTM.

    The captioner of Ballas et al. (2016, Sec. 4.2, YouTube2Text / MSVD):
    a `GRURCNBackbone` with `return_sequences=True` over `K = 10` equally
    spaced frames, each level's hidden states average-pooled over space and
    concatenated into temporal features `[batch, time, feature_dim]`
    (`self.features`), and the soft-attention LSTM decoder of Yao et al.
    (2015) (`self.decoder`, an `AttentionLSTMDecoder`) attending over them
    while it writes words. The vocabulary is part of the config.

    Trained teacher-forced with `fit` on `({video inputs..., "tokens":
    ids[:, :-1]}, ids[:, 1:])`; `compile()` defaults to Adam (1e-4), the
    masked cross-entropy and the masked accuracy (padding ignored).
    Captions come from `generate` (beam search, greedy for `beam_width=1`).
    The video inputs are raw frames (`"frames"`, with a preprocessor) or
    the cached percepts, one entry per level; the model's output is the
    next-token logits `[batch, length, vocabulary_size]`.

    Args:
        backbone: a `GRURCNBackbone` built with `return_sequences=True`.
        preprocessor: a `VideoPreprocessor` feeding it, or `None`.
        vocabulary: a `CaptionVocabulary` (or its config).
        embedding_dim, units, attention_units, dropout, tie_embeddings: see
            `AttentionLSTMDecoder`.
        caption_length: optional fixed length of the `"tokens"` input (set
            it to train with `jit_compile=True`).
        **kwargs: base model arguments (`name`, `dtype`).

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    captioner = keras_grurcn.build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1", "pool2"],
        hidden_maps=[4, 4], embedding_dim=8, units=16, attention_units=8,
    )
    video = np.zeros((2, 30, 48, 64, 3), "uint8")  # any length and size
    result = captioner.generate(video, beam_width=2, max_length=6)
    result["captions"], result["attention"].shape  # two strings, (2, 6, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Yao et al., 2015](https://arxiv.org/abs/1502.08029)
    """

    head_arguments = (
        "vocabulary",
        "embedding_dim",
        "units",
        "attention_units",
        "tie_embeddings",
    )

    def __init__(
        self,
        backbone,
        preprocessor=None,
        vocabulary=None,
        embedding_dim=256,
        units=512,
        attention_units=256,
        dropout=0.5,
        tie_embeddings=False,
        caption_length=None,
        **kwargs,
    ):
        super().__init__(backbone, preprocessor, **kwargs)
        if isinstance(vocabulary, dict):
            vocabulary = keras.saving.deserialize_keras_object(vocabulary)
        if not isinstance(vocabulary, CaptionVocabulary):
            raise ValueError(
                "`vocabulary` is required for the captioner and must be a "
                "CaptionVocabulary (e.g. CaptionVocabulary.build(train_captions)); "
                f"got {type(vocabulary).__name__}."
            )
        if not (isinstance(backbone, GRURCNBackbone) and backbone.return_sequences):
            raise ValueError(
                "VideoCaptioner: `backbone` must be a GRURCNBackbone with "
                "return_sequences=True (the decoder attends over every step)."
            )
        self.vocabulary = vocabulary
        self.embedding_dim = check_positive_int("embedding_dim", embedding_dim)
        self.units = check_positive_int("units", units)
        self.attention_units = check_positive_int("attention_units", attention_units)
        self.dropout = check_rate("dropout", dropout)
        self.tie_embeddings = bool(tie_embeddings)
        self.caption_length = check_positive_int(
            "caption_length", caption_length, allow_none=True
        )

        # === Layers ===
        self.features = temporal_features(
            {name: tensor.shape[1:] for name, tensor in backbone.output.items()}
        )
        self.decoder = AttentionLSTMDecoder(
            vocabulary,
            embedding_dim=self.embedding_dim,
            units=self.units,
            attention_units=self.attention_units,
            dropout=self.dropout,
            tie_embeddings=self.tie_embeddings,
            name=DECODER_NAME,
        )
        self.decoder.build(tuple(self.features.output.shape), (None, caption_length))
        self.built = True

    def video_inputs(self, inputs):
        if not isinstance(inputs, dict) or TOKENS not in inputs:
            given = (
                sorted(inputs) if isinstance(inputs, dict) else type(inputs).__name__
            )
            raise ValueError(
                f"VideoCaptioner {self.name!r} takes a dict with the video inputs "
                f"and {TOKENS!r} (the caption so far, from <bos>); got {given}. "
                "Use `generate` to caption videos."
            )
        return {name: value for name, value in inputs.items() if name != TOKENS}

    def encode(self, videos, training=None):
        """Temporal features `[batch, time, feature_dim]` of raw frames or percepts."""
        sequences = self.backbone(
            self.backbone_inputs(videos, training=training), training=training
        )
        return self.features(sequences, training=training)

    def call(self, inputs, training=None):
        features = self.encode(self.video_inputs(inputs), training=training)
        return self.decoder(features, inputs[TOKENS], training=training)

    def default_loss(self):
        return MaskedSparseCategoricalCrossentropy(padding_id=self.vocabulary.pad_id)

    def default_metrics(self):
        return [MaskedSparseCategoricalAccuracy(padding_id=self.vocabulary.pad_id)]

    def generate(
        self, videos, beam_width=5, max_length=30, length_penalty=0.0, batch_size=32
    ):
        """Captions videos: encodes them once, then beam search.

        Args:
            videos: raw RGB frames `[B, N, H, W, 3]` in 0..255 of any
                length and size (with a preprocessor: sampled and resized
                as in training), or a dict of cached percepts.
            beam_width: captions kept per video (1: greedy decoding; Yao et
                al. used 5).
            max_length: the most tokens generated per caption, `<eos>`
                included (30 in Yao et al.).
            length_penalty: exponent of the final ranking's length
                normalisation (0: by log-probability, 1: per word).
            batch_size: videos encoded and decoded at once.

        Returns:
            A dict: `"captions"` (list of `B` str, the best caption of each
            video), `"beams"` (list of `B` lists of `beam_width` str, best
            first), `"scores"` (float32 numpy `[B, beam_width]`),
            `"attention"` (float32 numpy `[B, max_length, T]`: for each word
            of the best caption its weights over the time steps; zero after
            `<eos>`) and `"token_ids"` (int32 numpy `[B, beam_width,
            max_length]`).
        """
        count = len(next(iter(videos.values())) if isinstance(videos, dict) else videos)
        parts = []
        for start in range(0, count, batch_size):
            rows = slice(start, start + batch_size)
            chunk = keras.tree.map_structure(
                lambda value, rows=rows: value[rows], videos
            )
            features = self.encode(chunk, training=False)
            decoded = decode_features(
                self.decoder,
                features,
                beam_width=beam_width,
                max_length=max_length,
                length_penalty=length_penalty,
            )
            parts.append({key: ops.convert_to_numpy(v) for key, v in decoded.items()})
        token_ids = np.concatenate([part["token_ids"] for part in parts])
        beams = [self.vocabulary.decode(rows) for rows in token_ids]
        return {
            "captions": [video_beams[0] for video_beams in beams],
            "beams": beams,
            "scores": np.concatenate([part["scores"] for part in parts]),
            "attention": np.concatenate([part["attention"] for part in parts]),
            "token_ids": token_ids,
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "vocabulary": keras.saving.serialize_keras_object(self.vocabulary),
                "embedding_dim": self.embedding_dim,
                "units": self.units,
                "attention_units": self.attention_units,
                "dropout": self.dropout,
                "tie_embeddings": self.tie_embeddings,
                "caption_length": self.caption_length,
            }
        )
        return config
