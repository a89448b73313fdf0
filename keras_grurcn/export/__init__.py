"""Exports for serving: SavedModel (TF Serving), LiteRT and ONNX (TensorFlow only).

`export_saved_model(task, dir)` writes a SavedModel whose `serving_default`
takes uint8 frames of any size and length (the task's preprocessor runs in
the graph) and returns class probabilities and the task's class names, or
captions; a classifier that can stream also gets `initial_state` and
`stream`, the video classified frame by frame. `export_litert` writes that
streaming step as a `.tflite` file (builtin ops only), `export_onnx` the
whole-clip classifier as a `.onnx` file. See docs/serving.md.
"""

from keras_grurcn.export.litert_export import export_litert
from keras_grurcn.export.onnx_export import export_onnx
from keras_grurcn.export.saved_model_export import export_saved_model

__all__ = ["export_litert", "export_onnx", "export_saved_model"]
