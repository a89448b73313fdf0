"""Reading files users hand to keras_grurcn as data (see docs/security.md).

`load_model` is the one way keras_grurcn loads a `.keras` file it did not
write itself: Keras' safe mode, plus a check of the archive's config that
refuses Lambda layers, serialized lambdas, TFSMLayers and unregistered
classes before anything is built. `preset_io` reads and writes preset
folders (keras-hub's layout) under the same rules.
"""

from keras_grurcn.saving.model_loading import load_model

__all__ = ["load_model"]
