"""`MaskedSparseCategoricalCrossentropy`: caption loss that ignores padding."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_grurcn")
class MaskedSparseCategoricalCrossentropy(keras.losses.Loss):
    """Mean token cross-entropy over the non-padding positions of captions.

    The per-token losses of positions whose target is `padding_id` are
    dropped and the rest averaged over the number of real tokens in the
    batch, so a batch of short captions padded to a long length gets the
    same loss as the same captions unpadded.

    Args:
        padding_id: the target id to ignore (`CaptionVocabulary.pad_id`).
        from_logits: whether `y_pred` holds logits rather than probabilities.
        name: name of the loss.
        **kwargs: base `keras.losses.Loss` arguments (`reduction` applies
            to the already-averaged scalar, so it has no effect).

    Call arguments:
        y_true: int `[batch, length]` target ids.
        y_pred: `[batch, length, vocabulary_size]` logits or probabilities.

    Returns:
        A scalar.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import MaskedSparseCategoricalCrossentropy

    loss = MaskedSparseCategoricalCrossentropy()
    targets = np.array([[4, 5, 2, 0, 0]])  # 0 is <pad>
    loss(targets, np.zeros((1, 5, 6)))  # log(6) = 1.7918, over 3 tokens
    ```
    """

    def __init__(
        self,
        padding_id=0,
        from_logits=True,
        name="masked_sparse_categorical_crossentropy",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.padding_id = int(padding_id)
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, "int32")
        losses = keras.losses.sparse_categorical_crossentropy(
            y_true, y_pred, from_logits=self.from_logits
        )
        mask = ops.cast(ops.not_equal(y_true, self.padding_id), losses.dtype)
        return ops.sum(losses * mask) / ops.maximum(ops.sum(mask), 1.0)

    def get_config(self):
        config = super().get_config()
        config.update({"padding_id": self.padding_id, "from_logits": self.from_logits})
        return config
