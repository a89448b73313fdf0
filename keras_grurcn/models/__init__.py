"""The model zoo: GRU-RCN variants and the paper's baselines.

`build_model(name, num_classes=..., ...)` builds any model of
`list_models()`; each model is a small builder (`build_grurcn`,
`build_c3d`, ...) over shared parts: `model_inputs` (frames through a
backbone, or cached percepts), `grurcn_encoder` (a GRU-RCN per level) and
`level_classifier` (the paper's per-level head).
"""

from keras_grurcn.models.c3d import build_c3d
from keras_grurcn.models.frame_average import build_frame_average
from keras_grurcn.models.frame_rnn import build_frame_rnn
from keras_grurcn.models.grurcn import build_grurcn
from keras_grurcn.models.grurcn_bidirectional import build_grurcn_bidirectional
from keras_grurcn.models.grurcn_encoder import grurcn_encoder
from keras_grurcn.models.grurcn_stacked import build_grurcn_stacked
from keras_grurcn.models.level_classifier import level_classifier
from keras_grurcn.models.model_inputs import model_inputs
from keras_grurcn.models.model_inputs import single_level_inputs
from keras_grurcn.models.model_registry import MODELS
from keras_grurcn.models.model_registry import build_model
from keras_grurcn.models.model_registry import describe_models
from keras_grurcn.models.model_registry import list_models
from keras_grurcn.models.model_registry import register_model
from keras_grurcn.models.percept_normalization import percept_normalization
from keras_grurcn.models.transfer_weights import transfer_weights
from keras_grurcn.models.two_stream import build_two_stream

__all__ = [
    "MODELS",
    "build_c3d",
    "build_frame_average",
    "build_frame_rnn",
    "build_grurcn",
    "build_grurcn_bidirectional",
    "build_grurcn_stacked",
    "build_model",
    "build_two_stream",
    "describe_models",
    "grurcn_encoder",
    "level_classifier",
    "list_models",
    "model_inputs",
    "percept_normalization",
    "register_model",
    "single_level_inputs",
    "transfer_weights",
]
