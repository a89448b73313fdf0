"""SavedModel export for TensorFlow Serving (TensorFlow only).

`export_saved_model` writes a SavedModel whose `serving_default` takes uint8
frames of any size and length and returns class probabilities and labels;
`predict_frames` applies the same preprocessing in Python. See
docs/serving.md for TF Serving.
"""

from keras_grurcn.export.frame_preprocessing import model_clip_spec
from keras_grurcn.export.frame_preprocessing import preprocess_frames
from keras_grurcn.export.frame_preprocessing import uniform_frame_indices
from keras_grurcn.export.predict_frames import predict_frames
from keras_grurcn.export.saved_model_export import SERVING_INPUT
from keras_grurcn.export.saved_model_export import classification_outputs
from keras_grurcn.export.saved_model_export import export_saved_model

__all__ = [
    "SERVING_INPUT",
    "classification_outputs",
    "export_saved_model",
    "model_clip_spec",
    "predict_frames",
    "preprocess_frames",
    "uniform_frame_indices",
]
