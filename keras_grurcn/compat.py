"""The one place keras_grurcn reaches into private Keras (`keras.src`).

Each entry says what it is for and the Keras version it was checked
against; when Keras moves one, only this file changes.
"""

# Checked against Keras 3.15.1. `SafeModeScope(True)` forces safe-mode
# deserialization for everything built inside it, even after a user called
# `keras.config.enable_unsafe_deserialization()`; Keras has no public
# equivalent (`deserialize_keras_object(safe_mode=True)` yields to that
# global switch).
from keras.src.saving.serialization_lib import SafeModeScope  # noqa: F401


def nested_layers(layer):
    """Every layer inside `layer` (models, wrappers' inner layers), once each.

    Checked against Keras 3.15.1: `Layer._flatten_layers` walks the layers
    a layer tracks, including the copies `Bidirectional` makes, which the
    public `Model.layers` (direct children only) does not reach.
    """
    return list(layer._flatten_layers(include_self=False, recursive=True))
