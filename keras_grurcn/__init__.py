"""keras_grurcn: GRU-RCN video models (Ballas et al., ICLR 2016) for Keras 3.

Layers, preprocessors, backbones and tasks use `keras.ops` only and run on
any Keras backend; the data, training and export subpackages use TensorFlow
and are imported on demand (`import keras_grurcn.data`).
"""

from keras_grurcn import captioning
from keras_grurcn import layers
from keras_grurcn import metrics
from keras_grurcn import models
from keras_grurcn import percepts
from keras_grurcn import preprocessing
from keras_grurcn import saving
from keras_grurcn.captioning import VideoCaptioner
from keras_grurcn.layers import ConvGRU1D
from keras_grurcn.layers import ConvGRU2D
from keras_grurcn.layers import ConvGRU3D
from keras_grurcn.models import GRURCNBackbone
from keras_grurcn.models import VideoClassifier
from keras_grurcn.models import build_model
from keras_grurcn.models import list_models
from keras_grurcn.preprocessing import VideoPreprocessor
from keras_grurcn.presets import list_presets
from keras_grurcn.version import __version__

__all__ = [
    "ConvGRU1D",
    "ConvGRU2D",
    "ConvGRU3D",
    "GRURCNBackbone",
    "VideoCaptioner",
    "VideoClassifier",
    "VideoPreprocessor",
    "__version__",
    "build_model",
    "captioning",
    "export_saved_model",
    "layers",
    "list_models",
    "list_presets",
    "metrics",
    "models",
    "percepts",
    "preprocessing",
    "saving",
]

# TensorFlow-only entry points, imported on first use so that
# `import keras_grurcn` stays TensorFlow-free (JAX users).
_LAZY_EXPORTS = {"export_saved_model": "keras_grurcn.export"}


def __getattr__(name):
    if name in _LAZY_EXPORTS:
        import importlib

        return getattr(importlib.import_module(_LAZY_EXPORTS[name]), name)
    raise AttributeError(f"module 'keras_grurcn' has no attribute {name!r}")
