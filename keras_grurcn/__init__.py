"""keras_grurcn: GRU-RCN video models (Ballas et al., ICLR 2016) for Keras 3.

Layers and models use `keras.ops` only and run on any Keras backend; the
data, training and export subpackages use TensorFlow and are imported on
demand (`import keras_grurcn.data`).
"""

from keras_grurcn import captioning
from keras_grurcn import layers
from keras_grurcn import metrics
from keras_grurcn import models
from keras_grurcn import percepts
from keras_grurcn.layers import ConvGRU1D
from keras_grurcn.layers import ConvGRU2D
from keras_grurcn.layers import ConvGRU3D
from keras_grurcn.models import build_model
from keras_grurcn.models import list_models
from keras_grurcn.version import __version__

__all__ = [
    "ConvGRU1D",
    "ConvGRU2D",
    "ConvGRU3D",
    "__version__",
    "build_model",
    "captioning",
    "layers",
    "list_models",
    "metrics",
    "models",
    "percepts",
]
