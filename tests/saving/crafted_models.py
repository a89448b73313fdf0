"""`.keras` files carrying code, as a hostile download would."""

import os
import warnings

import keras


def lambda_model_file(folder, marker, *, frames_shape=(2, 8, 8, 3)):
    """A frames classifier whose Lambda layer creates `marker` when it runs.

    The lambda runs whenever the model is built (here, and in any loader
    that lets it through), so the marker is removed before the file is
    handed over.
    """
    function = eval(  # A real lambda, which Keras stores as bytecode.
        f"lambda x: (open({str(marker)!r}, 'w').close(), x)[1]"
    )
    frames = keras.Input(frames_shape, name="frames")
    x = keras.layers.Lambda(function, name="payload")(frames)
    x = keras.layers.GlobalAveragePooling3D()(x)
    model = keras.Model(frames, keras.layers.Dense(3, activation="softmax")(x))
    path = os.path.join(str(folder), "lambda.keras")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras warns that lambdas are unsafe.
        model.save(path)
    os.remove(marker)
    return path
