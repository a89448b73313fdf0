"""Preprocessing: raw videos -> what a backbone takes.

`VideoPreprocessor` samples frames, resizes them and computes the frozen
ImageNet CNN's percepts; it is the one implementation of frame sampling
(`uniform_frame_indices`) and resizing (`frame_resizer`) that the models,
the SavedModel, captioning and the `tf.data` pipeline share.
"""

from keras_grurcn.preprocessing.frame_resizing import frame_resizer
from keras_grurcn.preprocessing.frame_sampling import uniform_frame_indices
from keras_grurcn.preprocessing.preprocessor import Preprocessor
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor

__all__ = [
    "Preprocessor",
    "VideoPreprocessor",
    "frame_resizer",
    "uniform_frame_indices",
]
