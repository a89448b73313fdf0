"""Video data for GRU-RCN: decoding, datasets, optical flow and cached percepts.

Everything here reads files already on disk (or on object storage through
`tf.io.gfile`); nothing downloads. Video decoding uses PyAV and OpenCV
(`pip install keras-grurcn[video]`), the pipelines use `tf.data`, and
`write_percept_cache_beam` Apache Beam (`pip install keras-grurcn[beam]`).
"""

from keras_grurcn.data.cache_extraction import load_cache_preprocessor
from keras_grurcn.data.cache_extraction import load_preprocessor_preset
from keras_grurcn.data.cache_extraction import read_cache_class_names
from keras_grurcn.data.cache_extraction import save_extraction
from keras_grurcn.data.check_videos import check_videos
from keras_grurcn.data.clip_transforms import PAPER_CROP_SCALES
from keras_grurcn.data.clip_transforms import random_crop_clip
from keras_grurcn.data.clip_transforms import random_flip_clip
from keras_grurcn.data.decode_report import DecodeReport
from keras_grurcn.data.folder import VIDEO_EXTENSIONS
from keras_grurcn.data.folder import folder_class_names
from keras_grurcn.data.folder import folder_entries
from keras_grurcn.data.frame_sampling import flow_pair_indices
from keras_grurcn.data.frame_sampling import sample_frame_indices
from keras_grurcn.data.manifest import manifest_entries
from keras_grurcn.data.msvd import STANDARD_SPLIT_SIZES
from keras_grurcn.data.msvd import msvd_entries
from keras_grurcn.data.msvd import read_msvd_captions
from keras_grurcn.data.optical_flow import FLOW_METHODS
from keras_grurcn.data.optical_flow import compute_optical_flow
from keras_grurcn.data.optical_flow import flow_images
from keras_grurcn.data.optical_flow import flow_to_image
from keras_grurcn.data.optical_flow import resolve_flow_method
from keras_grurcn.data.optical_flow import tvl1_available
from keras_grurcn.data.optical_flow import video_flow_images
from keras_grurcn.data.percept_cache_beam import BEAM_RUNNERS
from keras_grurcn.data.percept_cache_beam import beam_pipeline_options
from keras_grurcn.data.percept_cache_beam import write_percept_cache_beam
from keras_grurcn.data.percept_cache_format import read_cache_info
from keras_grurcn.data.percept_cache_metadata import PerceptCacheError
from keras_grurcn.data.percept_cache_storage import PERCEPT_DTYPES
from keras_grurcn.data.percept_cache_writer import write_percept_cache
from keras_grurcn.data.percept_dataset import percept_dataset
from keras_grurcn.data.synthetic import APPEARANCES
from keras_grurcn.data.synthetic import COLOUR_NAMES
from keras_grurcn.data.synthetic import MOTION_CLASSES
from keras_grurcn.data.synthetic import caption_for
from keras_grurcn.data.synthetic import make_captioned_motion_clips
from keras_grurcn.data.synthetic import make_motion_clips
from keras_grurcn.data.synthetic import write_motion_videos
from keras_grurcn.data.ucf101 import ucf101_class_names
from keras_grurcn.data.ucf101 import ucf101_entries
from keras_grurcn.data.video_dataset import video_dataset
from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_frames import iter_video_frames
from keras_grurcn.data.video_reader import VideoInfo
from keras_grurcn.data.video_reader import probe_video
from keras_grurcn.data.video_reader import read_video
from keras_grurcn.data.video_writer import write_video

__all__ = [
    "APPEARANCES",
    "BEAM_RUNNERS",
    "COLOUR_NAMES",
    "FLOW_METHODS",
    "MOTION_CLASSES",
    "PERCEPT_DTYPES",
    "PAPER_CROP_SCALES",
    "STANDARD_SPLIT_SIZES",
    "VIDEO_EXTENSIONS",
    "DecodeReport",
    "PerceptCacheError",
    "VideoDecodeError",
    "VideoEntry",
    "VideoInfo",
    "beam_pipeline_options",
    "check_videos",
    "compute_optical_flow",
    "flow_images",
    "flow_pair_indices",
    "flow_to_image",
    "folder_class_names",
    "folder_entries",
    "iter_video_frames",
    "load_cache_preprocessor",
    "load_preprocessor_preset",
    "manifest_entries",
    "msvd_entries",
    "percept_dataset",
    "read_cache_class_names",
    "read_cache_info",
    "probe_video",
    "random_crop_clip",
    "random_flip_clip",
    "read_msvd_captions",
    "read_video",
    "resolve_flow_method",
    "sample_frame_indices",
    "save_extraction",
    "ucf101_class_names",
    "tvl1_available",
    "ucf101_entries",
    "video_dataset",
    "video_flow_images",
    "caption_for",
    "make_captioned_motion_clips",
    "make_motion_clips",
    "write_motion_videos",
    "write_percept_cache",
    "write_percept_cache_beam",
    "write_video",
]
