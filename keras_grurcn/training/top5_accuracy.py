import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_grurcn")
def sparse_top5_accuracy(y_true, y_pred):
    """Whether the true class is among the 5 most probable, per example.

    `keras.metrics.SparseTopKCategoricalAccuracy` fails on bfloat16/float16
    predictions (TensorFlow's `in_top_k` takes float32 only, measured with
    Keras 3.15), which a model built under a mixed precision policy
    returns; this casts first. With fewer than 5 classes it is always 1.

    Args:
        y_true: integer class indices `(batch,)` or `(batch, 1)`.
        y_pred: class probabilities `(batch, classes)`.

    Returns:
        float32 `(batch,)`, 1 where the true class is in the top 5.
    """
    return keras.metrics.sparse_top_k_categorical_accuracy(
        y_true, ops.cast(y_pred, "float32"), k=5
    )
