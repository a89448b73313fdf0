"""Preprocessing: raw videos -> what a backbone takes.

`VideoPreprocessor` samples frames, resizes them and computes the frozen
ImageNet CNN's percepts; it is the one implementation of frame sampling
(`uniform_frame_indices`) and resizing (`frame_resizer`) that the models,
the SavedModel, captioning and the `tf.data` pipeline share. Its frames are
RGB video or, for a two-stream model's flow stream, optical-flow images
(`modality="flow"`, made by `keras_grurcn.data.flow_images`).
"""

from keras_grurcn.preprocessing.frame_resizing import frame_resizer
from keras_grurcn.preprocessing.frame_sampling import uniform_frame_indices
from keras_grurcn.preprocessing.input_modality import DEFAULT_FLOW_BOUND
from keras_grurcn.preprocessing.input_modality import FLOW_METHODS
from keras_grurcn.preprocessing.input_modality import MODALITIES
from keras_grurcn.preprocessing.input_modality import check_input_modality
from keras_grurcn.preprocessing.preprocessor import Preprocessor
from keras_grurcn.preprocessing.two_stream_preprocessor import TwoStreamPreprocessor
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor

__all__ = [
    "DEFAULT_FLOW_BOUND",
    "FLOW_METHODS",
    "MODALITIES",
    "Preprocessor",
    "TwoStreamPreprocessor",
    "VideoPreprocessor",
    "check_input_modality",
    "frame_resizer",
    "uniform_frame_indices",
]
