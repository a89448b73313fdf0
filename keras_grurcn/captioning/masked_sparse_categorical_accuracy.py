"""`MaskedSparseCategoricalAccuracy`: next-word accuracy that ignores padding."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_grurcn")
class MaskedSparseCategoricalAccuracy(keras.metrics.Metric):
    """Fraction of non-padding caption tokens whose arg-max prediction is right.

    Args:
        padding_id: the target id to ignore (`CaptionVocabulary.pad_id`).
        name: name of the metric.
        **kwargs: base `keras.metrics.Metric` arguments.

    Examples:

    ```python
    import numpy as np
    from keras_grurcn.captioning import MaskedSparseCategoricalAccuracy

    metric = MaskedSparseCategoricalAccuracy()
    targets = np.array([[1, 2, 0]])
    metric.update_state(targets, np.eye(3)[[[1, 0, 0]]])
    metric.result()  # 0.5: one of the two real tokens is right
    ```
    """

    def __init__(self, padding_id=0, name="masked_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.padding_id = int(padding_id)
        self.correct = self.add_variable(shape=(), initializer="zeros", name="correct")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(y_true, "int32")
        predicted = ops.cast(ops.argmax(y_pred, axis=-1), "int32")
        weights = ops.cast(ops.not_equal(y_true, self.padding_id), self.dtype)
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, self.dtype)
            if len(sample_weight.shape) == 1:  # one weight per caption
                sample_weight = sample_weight[:, None]
            weights = weights * sample_weight
        hits = ops.cast(ops.equal(y_true, predicted), self.dtype) * weights
        self.correct.assign_add(ops.sum(hits))
        self.count.assign_add(ops.sum(weights))

    def result(self):
        return self.correct / ops.maximum(self.count, 1e-12)

    def reset_state(self):
        self.correct.assign(0.0)
        self.count.assign(0.0)

    def get_config(self):
        config = super().get_config()
        config.update({"padding_id": self.padding_id})
        return config
