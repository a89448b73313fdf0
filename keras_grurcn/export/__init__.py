"""SavedModel export for TensorFlow Serving (TensorFlow only).

`export_saved_model(task, dir)` writes a SavedModel whose `serving_default`
takes uint8 frames of any size and length (the task's preprocessor runs in
the graph) and returns class probabilities and the task's class names, or
captions. See docs/serving.md for TF Serving.
"""

from keras_grurcn.export.saved_model_export import export_saved_model

__all__ = ["export_saved_model"]
