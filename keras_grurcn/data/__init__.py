"""Video data for GRU-RCN: decoding, datasets, optical flow and cached percepts.

Everything here reads files already on disk; nothing downloads. Video
decoding uses PyAV and OpenCV (`pip install keras-grurcn[video]`), the
pipelines use `tf.data`.
"""

from keras_grurcn.data.synthetic import (
    COLOUR_NAMES,
    MOTION_CLASSES,
    caption_for,
    make_captioned_motion_clips,
    make_motion_clips,
    write_motion_videos,
)
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_writer import write_video

__all__ = [
    "COLOUR_NAMES",
    "MOTION_CLASSES",
    "VideoEntry",
    "caption_for",
    "make_captioned_motion_clips",
    "make_motion_clips",
    "write_motion_videos",
    "write_video",
]
