"""`AttentionLSTMDecoder`: the soft-attention LSTM caption decoder of Yao et al."""

import keras
from keras import ops

from keras_grurcn import compat
from keras_grurcn.captioning.caption_vocabulary import CaptionVocabulary
from keras_grurcn.captioning.temporal_attention import TemporalAttention


def _as_vocabulary(vocabulary):
    if isinstance(vocabulary, CaptionVocabulary):
        return vocabulary
    if isinstance(vocabulary, dict):
        return keras.saving.deserialize_keras_object(vocabulary)
    raise TypeError(
        "AttentionLSTMDecoder `vocabulary` must be a CaptionVocabulary (or its "
        f"serialized config); got {type(vocabulary).__name__}."
    )


@keras.saving.register_keras_serializable(package="keras_grurcn")
class AttentionLSTMDecoder(keras.layers.Layer):
    """An LSTM caption decoder that attends over temporal video features.

    At every step `t` the decoder attends with its previous hidden state over
    the encoder's features (`TemporalAttention`, additive), feeds the word
    embedding of token `t` and the attended context to an LSTM cell, and
    predicts token `t + 1` from a deep output layer
    `tanh(W [h_t; context_t; embedding_t])` followed by a projection onto the
    vocabulary, tied to the word embedding or not. The initial state is a
    `tanh` layer of the time-averaged features (Yao et al. 2015).

    Called on `(features, tokens)` it runs teacher-forced over the whole
    caption (the loop is `keras.ops.scan`, so it traces on every backend);
    `step()` advances one token at a time for `greedy_decode` and
    `beam_search`. Dropout applies to the word embeddings and to the deep
    output, outside the time loop. The vocabulary is part of the config, so
    it is saved with the model.

    Args:
        vocabulary: a `CaptionVocabulary`.
        embedding_dim: size of the word embedding (and of the deep output).
        units: size of the LSTM state.
        attention_units: size of the attention's hidden layer.
        dropout: dropout rate on the embeddings and the deep output.
        tie_embeddings: whether the output projection reuses the word
            embedding matrix (transposed) instead of its own weights.
        **kwargs: base `keras.layers.Layer` arguments.

    Call arguments:
        features: `[batch, time, feature_dim]` encoder features.
        tokens: int `[batch, length]` input tokens, starting with `<bos>`.
        training: whether dropout is active.
        return_attention: also return the attention weights.

    Returns:
        Float32 logits `[batch, length, vocabulary_size]` predicting each next token,
        and with `return_attention=True` also the attention weights
        `[batch, length, time]`.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import AttentionLSTMDecoder, CaptionVocabulary

    vocabulary = CaptionVocabulary.build(["a man is cooking", "a cat sleeps"])
    decoder = AttentionLSTMDecoder(vocabulary, embedding_dim=8, units=16)
    tokens = vocabulary.encode(["a man sleeps", "a cat is cooking"])[:, :-1]
    logits, attention = decoder(
        np.random.rand(2, 4, 32), tokens, return_attention=True
    )
    logits.shape, attention.shape  # (2, 5, 10), (2, 5, 4)
    ```

    References:
        - [Yao et al., 2015](https://arxiv.org/abs/1502.08029)
        - [Xu et al., 2015](https://arxiv.org/abs/1502.03044)
    """

    def __init__(
        self,
        vocabulary,
        embedding_dim=256,
        units=512,
        attention_units=256,
        dropout=0.5,
        tie_embeddings=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.vocabulary = _as_vocabulary(vocabulary)
        self.embedding_dim = int(embedding_dim)
        self.units = int(units)
        self.attention_units = int(attention_units)
        self.dropout = float(dropout)
        self.tie_embeddings = bool(tie_embeddings)
        if min(self.embedding_dim, self.units, self.attention_units) < 1:
            raise ValueError(
                "AttentionLSTMDecoder `embedding_dim`, `units` and `attention_units` "
                f"must be >= 1; got {embedding_dim}, {units}, {attention_units}."
            )
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"`dropout` must be in [0, 1); got {dropout}.")
        vocabulary_size = self.vocabulary.vocabulary_size

        # === Layers ===
        policy = self.dtype_policy
        self.token_embedding = keras.layers.Embedding(
            vocabulary_size, self.embedding_dim, dtype=policy, name="token_embedding"
        )
        self.initial_state_dense = keras.layers.Dense(
            2 * self.units, activation="tanh", dtype=policy, name="initial_state"
        )
        self.attention = TemporalAttention(
            self.attention_units, dtype=policy, name="attention"
        )
        self.lstm_cell = keras.layers.LSTMCell(self.units, dtype=policy, name="lstm")
        self.embedding_dropout = keras.layers.Dropout(self.dropout, dtype=policy)
        self.output_dropout = keras.layers.Dropout(self.dropout, dtype=policy)
        self.deep_output = keras.layers.Dense(
            self.embedding_dim, activation="tanh", dtype=policy, name="deep_output"
        )
        if not self.tie_embeddings:
            self.output_projection = keras.layers.Dense(
                vocabulary_size, dtype=policy, name="output_projection"
            )

    @property
    def vocabulary_size(self):
        return self.vocabulary.vocabulary_size

    def build(self, features_shape, tokens_shape=None):
        if len(features_shape) != 3 or features_shape[-1] is None:
            raise ValueError(
                "AttentionLSTMDecoder expects `features` [batch, time, feature_dim] "
                f"with a known feature_dim; got shape {features_shape}."
            )
        feature_dim = features_shape[-1]
        self.token_embedding.build((None, None))
        self.initial_state_dense.build((None, feature_dim))
        self.attention.build((None, self.units), features_shape)
        self.lstm_cell.build((None, self.embedding_dim + feature_dim))
        self.deep_output.build((None, self.units + feature_dim + self.embedding_dim))
        if self.tie_embeddings:
            self.output_bias = self.add_weight(
                shape=(self.vocabulary_size,), initializer="zeros", name="output_bias"
            )
        else:
            self.output_projection.build((None, self.embedding_dim))

    def _build_for(self, features):
        # Decoding calls `step` inside a loop, where no variable may be
        # created, so an unbuilt decoder is built before the loop.
        if not self.built:
            self.build(tuple(features.shape), (None, None))

    def project_features(self, features):
        """The query-independent half of the attention scores, once per video."""
        self._build_for(features)
        return self.attention.project_values(features)

    def initial_state(self, features):
        """The LSTM state `(h, c)` a caption starts from, from the mean feature."""
        self._build_for(features)
        state = self.initial_state_dense(ops.mean(features, axis=1))
        return state[:, : self.units], state[:, self.units :]

    def _recurrent_step(self, embedded, state, features, projected_features):
        hidden, cell = state
        context, weights = self.attention(hidden, features, projected_features)
        inputs = ops.concatenate([embedded, context], axis=-1)
        hidden, (hidden, cell) = self.lstm_cell(inputs, [hidden, cell])
        return (hidden, cell), context, weights

    def _logits(self, hidden, context, embedded, training=None):
        deep = self.deep_output(ops.concatenate([hidden, context, embedded], axis=-1))
        deep = self.output_dropout(deep, training=training)
        if self.tie_embeddings:
            embeddings = ops.cast(self.token_embedding.embeddings, deep.dtype)
            return ops.matmul(deep, ops.transpose(embeddings)) + ops.cast(
                self.output_bias, deep.dtype
            )
        return self.output_projection(deep)

    def step(self, tokens, state, features, projected_features=None):
        """Decodes one token (inference: no dropout).

        Args:
            tokens: int `[batch]`, the previous token of each caption.
            state: `(h, c)`, each `[batch, units]`; `initial_state(features)`
                for the first step.
            features: `[batch, time, feature_dim]`.
            projected_features: optional `project_features(features)`.

        Returns:
            A tuple `(logits [batch, vocabulary_size], state, attention
            [batch, time])`.
        """
        self._build_for(features)
        if projected_features is None:
            projected_features = self.project_features(features)
        embedded = self.token_embedding(tokens)
        state, context, weights = self._recurrent_step(
            embedded, state, features, projected_features
        )
        return self._logits(state[0], context, embedded, training=False), state, weights

    def call(self, features, tokens, training=None, return_attention=False):
        embedded = self.embedding_dropout(
            self.token_embedding(tokens), training=training
        )
        projected_features = self.project_features(features)

        feature_dim = features.shape[-1]

        # Keras' RNN loop (as keras.layers.LSTM uses) rather than `ops.scan`:
        # it bounds the TensorFlow while-loop, which XLA (`jit_compile`) needs
        # for the gradient. Each step's output packs [h, context, weights].
        def step(embedded_t, states):
            state, context, weights = self._recurrent_step(
                embedded_t, states, features, projected_features
            )
            output = ops.concatenate(
                [state[0], context, ops.cast(weights, state[0].dtype)], axis=-1
            )
            return output, list(state)

        _, outputs, _ = compat.rnn(
            step,
            embedded,
            list(self.initial_state(features)),
            input_length=embedded.shape[1],
        )
        hidden = outputs[..., : self.units]
        context = outputs[..., self.units : self.units + feature_dim]
        weights = outputs[..., self.units + feature_dim :]
        # Float32 logits keep the softmax cross-entropy exact under mixed precision.
        logits = ops.cast(
            self._logits(hidden, context, embedded, training=training), "float32"
        )
        if return_attention:
            return logits, weights
        return logits

    def compute_output_spec(
        self, features, tokens, training=None, return_attention=False
    ):
        batch, length = tokens.shape[0], tokens.shape[1]
        logits = keras.KerasTensor(
            (batch, length, self.vocabulary_size), dtype="float32"
        )
        if return_attention:
            weights = keras.KerasTensor(
                (batch, length, features.shape[1]), dtype=self.compute_dtype
            )
            return logits, weights
        return logits

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
            }
        )
        return config
