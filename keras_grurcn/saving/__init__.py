"""Loading users' `.keras` files as data (see docs/security.md).

`load_model` is the one way keras_grurcn loads a `.keras` file it did not
write itself: Keras' safe mode, plus a check of the archive's config that
refuses Lambda layers, serialized lambdas, TFSMLayers and unregistered
classes before anything is built.
"""

from keras_grurcn.saving.model_loading import load_model

__all__ = ["load_model"]
