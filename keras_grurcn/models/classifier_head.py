import keras

from keras_grurcn.argument_checks import check_rate

# The name of the average over the levels (and the head model's output).
LEVEL_AVERAGE = "level_average"


def classifier_head(feature_shapes, num_classes, *, dropout=0.7, name="head"):
    """The GRU-RCN head: one classifier per feature, predictions averaged.

    As in Ballas et al. (2016, Sec. 4.1), for each of the backbone's
    outputs: a map `(rows, cols, maps)` is average-pooled over space
    (`"{level}_pool"`), dropped out (`"{level}_dropout"`, 0.7 in the paper)
    and classified by a linear softmax layer (`"{level}_classifier"`); a
    vector `(units,)` is dropped out and classified; a sequence of
    per-frame features `(time, units)` (`FramePoolingBackbone`) is
    classified frame by frame and the probabilities averaged over time
    (`"{level}_frame_average"`; any number of frames, one for a streaming
    step). The outputs' probabilities are averaged
    (`"level_average"`). The classifiers and the averages run in float32,
    so the probabilities are float32 under mixed precision too.

    Args:
        feature_shapes: `{name: shape}` of the backbone's outputs, without
            the batch axis.
        num_classes: int, the number of classes.
        dropout: the dropout rate before each classifier.
        name: the head model's name.

    Returns:
        A functional `keras.Model` from `{name: features}` to class
        probabilities `(batch, num_classes)`.
    """
    dropout = check_rate("dropout", dropout)
    inputs = {
        level: keras.Input(_any_length(shape), name=level)
        for level, shape in feature_shapes.items()
    }
    predictions = []
    for level, features in inputs.items():
        if len(features.shape) == 4:
            features = keras.layers.GlobalAveragePooling2D(name=f"{level}_pool")(
                features
            )
        features = keras.layers.Dropout(dropout, name=f"{level}_dropout")(features)
        # Dense acts on the last axis: on a sequence, one answer per frame.
        probabilities = keras.layers.Dense(
            num_classes,
            activation="softmax",
            dtype="float32",
            name=f"{level}_classifier",
        )(features)
        if len(probabilities.shape) == 3:
            probabilities = keras.layers.GlobalAveragePooling1D(
                name=f"{level}_frame_average", dtype="float32"
            )(probabilities)
        predictions.append(probabilities)
    if len(predictions) == 1:
        probabilities = keras.layers.Identity(name=LEVEL_AVERAGE, dtype="float32")(
            predictions[0]
        )
    else:
        probabilities = keras.layers.Average(name=LEVEL_AVERAGE, dtype="float32")(
            predictions
        )
    return keras.Model(inputs, probabilities, name=name)


def _any_length(shape):
    # A sequence of per-frame features is averaged over time, whatever its
    # length: a streaming step classifies one frame at a time with it.
    shape = tuple(shape)
    return (None, *shape[1:]) if len(shape) == 2 else shape
