"""`TemporalAttention`: additive (Bahdanau) soft attention over time steps."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_grurcn")
class TemporalAttention(keras.layers.Layer):
    """Additive soft attention of a query vector over temporal features.

    The score of time step `t` is `w^T tanh(W_q q + W_v v_t + b)`; the
    weights are their softmax over time and the context is the weighted sum
    of the features (Bahdanau et al. 2015, the attention of Yao et al. 2015).
    `W_v v_t` does not depend on the query, so a decoder computes it once per
    video with `project_values` and passes it to every step.

    Args:
        units: size of the hidden layer the scores are computed in.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`, ...).

    Call arguments:
        query: `[batch, query_dim]`, e.g. the decoder's previous hidden state.
        values: `[batch, time, feature_dim]`, the encoder's temporal features.
        projected_values: optional `project_values(values)`,
            `[batch, time, units]`, to skip recomputing it.

    Returns:
        A tuple `(context [batch, feature_dim], weights [batch, time])`; the
        weights of each row sum to 1.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import TemporalAttention

    attention = TemporalAttention(units=8)
    context, weights = attention(np.ones((2, 16)), np.ones((2, 5, 32)))
    context.shape, weights.shape  # (2, 32), (2, 5)
    ```

    References:
        - [Bahdanau et al., 2015](https://arxiv.org/abs/1409.0473)
        - [Yao et al., 2015](https://arxiv.org/abs/1502.08029)
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        if int(units) < 1:
            raise ValueError(f"TemporalAttention `units` must be >= 1; got {units}.")
        self.units = int(units)
        self.query_dense = keras.layers.Dense(
            self.units, dtype=self.dtype_policy, name="query_dense"
        )
        self.values_dense = keras.layers.Dense(
            self.units, use_bias=False, dtype=self.dtype_policy, name="values_dense"
        )
        self.score_dense = keras.layers.Dense(
            1, use_bias=False, dtype=self.dtype_policy, name="score_dense"
        )

    def build(self, query_shape, values_shape, projected_values_shape=None):
        if len(query_shape) != 2 or len(values_shape) != 3:
            raise ValueError(
                "TemporalAttention expects `query` [batch, query_dim] and `values` "
                f"[batch, time, feature_dim]; got {query_shape} and {values_shape}."
            )
        # `project_values` may have built `values_dense` already.
        for layer, shape in (
            (self.query_dense, query_shape),
            (self.values_dense, values_shape),
            (self.score_dense, tuple(values_shape[:2]) + (self.units,)),
        ):
            if not layer.built:
                layer.build(shape)

    def project_values(self, values):
        return self.values_dense(values)

    def call(self, query, values, projected_values=None):
        if projected_values is None:
            projected_values = self.project_values(values)
        hidden = ops.tanh(projected_values + self.query_dense(query)[:, None, :])
        scores = ops.squeeze(self.score_dense(hidden), axis=-1)
        weights = ops.softmax(scores, axis=-1)
        context = ops.sum(weights[:, :, None] * values, axis=1)
        return context, weights

    def compute_output_shape(
        self, query_shape, values_shape, projected_values_shape=None
    ):
        return (values_shape[0], values_shape[2]), (values_shape[0], values_shape[1])

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config
