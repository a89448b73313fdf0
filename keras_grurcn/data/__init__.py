"""Video data for GRU-RCN: decoding, datasets, optical flow and cached percepts.

Everything here reads files already on disk; nothing downloads. Video
decoding uses PyAV and OpenCV (`pip install keras-grurcn[video]`), the
pipelines use `tf.data`.
"""

from keras_grurcn.data.clip_transforms import (
    PAPER_CROP_SCALES,
    center_crop_clip,
    random_crop_clip,
    random_flip_clip,
)
from keras_grurcn.data.decode_report import DecodeReport
from keras_grurcn.data.frame_sampling import sample_frame_indices
from keras_grurcn.data.synthetic import (
    COLOUR_NAMES,
    MOTION_CLASSES,
    caption_for,
    make_captioned_motion_clips,
    make_motion_clips,
    write_motion_videos,
)
from keras_grurcn.data.video_dataset import video_dataset
from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_reader import VideoInfo, probe_video, read_video
from keras_grurcn.data.video_writer import write_video

__all__ = [
    "COLOUR_NAMES",
    "MOTION_CLASSES",
    "PAPER_CROP_SCALES",
    "DecodeReport",
    "VideoDecodeError",
    "VideoEntry",
    "VideoInfo",
    "center_crop_clip",
    "probe_video",
    "random_crop_clip",
    "random_flip_clip",
    "read_video",
    "sample_frame_indices",
    "video_dataset",
    "caption_for",
    "make_captioned_motion_clips",
    "make_motion_clips",
    "write_motion_videos",
    "write_video",
]
