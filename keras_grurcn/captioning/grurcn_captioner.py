"""`build_grurcn_captioner`: GRU-RCN encoder + soft-attention LSTM decoder."""

from keras_grurcn.captioning.video_captioner import VideoCaptioner
from keras_grurcn.models.grurcn_parts import grurcn_parts


def build_grurcn_captioner(
    *,
    vocabulary=None,
    preprocessor=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
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
        - Architecture: frames -> frozen CNN percepts per level
          (`VideoPreprocessor`) -> per level a GRU-RCN returning every
          hidden state (`"{level}_grurcn"`, a `GRURCNBackbone` with
          `return_sequences=True`) -> each state average-pooled over space
          (`"{level}_spatial_pooling"`) -> the levels concatenated along
          features (`model.features`, `[batch, time, feature_dim]`) ->
          `AttentionLSTMDecoder` (`model.decoder`): word embedding, an
          LSTM whose every step attends (additive soft attention) over the
          time steps, dropout, tied or untied output projection.
        - Trained teacher-forced with `model.fit` (`model.compile()` sets
          the masked cross-entropy); decoded with `model.generate` (greedy
          or beam search); exported with
          `keras_grurcn.export_saved_model` (frames -> caption strings).

    The model's inputs are the video inputs (`"frames"`, or the cached
    percepts, one entry per level) plus `"tokens"` (int `[batch, length]`,
    starting with `<bos>`); its output is the next-token logits `[batch,
    length, vocabulary_size]`. The vocabulary is part of its config, so it
    is saved with the model.

    Args:
        vocabulary: a `CaptionVocabulary` (required).
        preprocessor: a `VideoPreprocessor` to use instead of building one
            (e.g. a percept cache's, see `build_grurcn`).
        backbone, backbone_weights, num_frames, image_size, levels,
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
        A `keras_grurcn.VideoCaptioner`.

    Examples:

    ```python
    from keras_grurcn.captioning import CaptionVocabulary

    vocabulary = CaptionVocabulary.build(["a red square moves left"])
    model = keras_grurcn.build_model(
        "grurcn_captioner", vocabulary=vocabulary, backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool1", "pool2"],
        hidden_maps=[4, 4], embedding_dim=8, units=16, attention_units=8,
    )
    frames = np.zeros((2, 4, 32, 32, 3), "uint8")
    model.generate(frames, beam_width=2, max_length=6)["captions"]  # 2 strings
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Yao et al., 2015](https://arxiv.org/abs/1502.08029)
    """
    preprocessor, body = grurcn_parts(
        "independent",
        preprocessor=preprocessor,
        backbone=backbone,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        levels=levels,
        hidden_maps=hidden_maps,
        kernel_size=kernel_size,
        trainable_backbone=trainable_backbone,
        percept_normalization=percept_normalization,
        return_sequences=True,
    )
    return VideoCaptioner(
        body,
        preprocessor,
        vocabulary=vocabulary,
        embedding_dim=embedding_dim,
        units=units,
        attention_units=attention_units,
        dropout=dropout,
        tie_embeddings=tie_embeddings,
        caption_length=caption_length,
        name=name,
    )
