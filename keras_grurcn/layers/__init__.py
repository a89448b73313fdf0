"""Keras layers of GRU-RCN: the convolutional GRU family."""

from keras_grurcn.layers.conv_gru import ConvGRU
from keras_grurcn.layers.conv_gru1d import ConvGRU1D
from keras_grurcn.layers.conv_gru1d_cell import ConvGRU1DCell
from keras_grurcn.layers.conv_gru2d import ConvGRU2D
from keras_grurcn.layers.conv_gru2d_cell import ConvGRU2DCell
from keras_grurcn.layers.conv_gru3d import ConvGRU3D
from keras_grurcn.layers.conv_gru3d_cell import ConvGRU3DCell
from keras_grurcn.layers.conv_gru_cell import ConvGRUCell

__all__ = [
    "ConvGRU",
    "ConvGRU1D",
    "ConvGRU1DCell",
    "ConvGRU2D",
    "ConvGRU2DCell",
    "ConvGRU3D",
    "ConvGRU3DCell",
    "ConvGRUCell",
]
