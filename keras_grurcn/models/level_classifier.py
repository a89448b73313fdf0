import keras

from keras_grurcn.models.model_arguments import check_rate


def level_classifier(states, num_classes, *, dropout=0.7, prefix=""):
    """The GRU-RCN head: one classifier per level, predictions averaged.

    As in Ballas et al. (2016, Sec. 4.1): each level's last hidden state is
    average-pooled over space (`"{level}_pool"`), dropped out
    (`"{level}_dropout"`, 0.7 in the paper) and classified by a linear
    softmax layer (`"{level}_classifier"`); the levels' class probabilities
    are averaged (`"level_average"`). The classifiers and the average run
    in float32, so the outputs are float32 probabilities under mixed
    precision too.

    Args:
        states: dict `{level: (batch, rows, cols, maps)}` or
            `(batch, units)`, e.g. from `grurcn_encoder`.
        num_classes: int, the number of classes.
        dropout: the dropout rate before each classifier.
        prefix: prepended to the layer names (`"rgb_"`).

    Returns:
        Class probabilities `(batch, num_classes)`, float32.

    Examples:

    ```python
    states = {"pool2": keras.Input((8, 8, 4)), "fc7": keras.Input((6,))}
    probabilities = keras_grurcn.models.level_classifier(states, 5)
    probabilities.shape  # (None, 5)
    ```
    """
    dropout = check_rate("dropout", dropout)
    predictions = []
    for level, state in states.items():
        if len(state.shape) == 4:
            state = keras.layers.GlobalAveragePooling2D(name=f"{prefix}{level}_pool")(
                state
            )
        state = keras.layers.Dropout(dropout, name=f"{prefix}{level}_dropout")(state)
        predictions.append(
            keras.layers.Dense(
                num_classes,
                activation="softmax",
                dtype="float32",
                name=f"{prefix}{level}_classifier",
            )(state)
        )
    if len(predictions) == 1:
        return predictions[0]
    return keras.layers.Average(name=f"{prefix}level_average", dtype="float32")(
        predictions
    )
