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
