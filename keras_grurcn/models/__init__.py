"""The model zoo: backbones, tasks and `build_model`.

A model is a task (`VideoClassifier`, `TwoStreamVideoClassifier`, or the
captioning package's `VideoCaptioner`) made of a preprocessor (raw frames ->
percepts), a backbone (percepts -> features; `GRURCNBackbone` and the
baselines' backbones) and a head. `build_model(name, ...)` builds any model
of `list_models()` with the paper's settings; `Task.from_preset` and
`save_to_preset` load and save them.
"""

from keras_grurcn.models.backbone import Backbone
from keras_grurcn.models.c3d import build_c3d
from keras_grurcn.models.c3d_backbone import C3DBackbone
from keras_grurcn.models.classifier_stream import ClassifierStream
from keras_grurcn.models.classifier_stream import task_streaming_refusal
from keras_grurcn.models.frame_average import build_frame_average
from keras_grurcn.models.frame_pooling_backbone import FramePoolingBackbone
from keras_grurcn.models.frame_rnn import build_frame_rnn
from keras_grurcn.models.frame_rnn_backbone import FrameRNNBackbone
from keras_grurcn.models.grurcn import build_grurcn
from keras_grurcn.models.grurcn_backbone import GRURCNBackbone
from keras_grurcn.models.grurcn_bidirectional import build_grurcn_bidirectional
from keras_grurcn.models.grurcn_stacked import build_grurcn_stacked
from keras_grurcn.models.model_registry import build_model
from keras_grurcn.models.model_registry import build_preset
from keras_grurcn.models.model_registry import describe_models
from keras_grurcn.models.model_registry import list_models
from keras_grurcn.models.model_registry import model_arguments
from keras_grurcn.models.model_registry import model_task
from keras_grurcn.models.model_registry import register_model
from keras_grurcn.models.stream_fusion import StreamFusion
from keras_grurcn.models.task import Task
from keras_grurcn.models.task_loading import load_task
from keras_grurcn.models.two_stream import build_stream_classifier
from keras_grurcn.models.two_stream import build_two_stream
from keras_grurcn.models.two_stream_backbone import TwoStreamBackbone
from keras_grurcn.models.two_stream_video_classifier import TwoStreamVideoClassifier
from keras_grurcn.models.video_classifier import VideoClassifier

__all__ = [
    "Backbone",
    "C3DBackbone",
    "ClassifierStream",
    "FramePoolingBackbone",
    "FrameRNNBackbone",
    "GRURCNBackbone",
    "StreamFusion",
    "Task",
    "TwoStreamBackbone",
    "TwoStreamVideoClassifier",
    "VideoClassifier",
    "build_c3d",
    "build_frame_average",
    "build_frame_rnn",
    "build_grurcn",
    "build_grurcn_bidirectional",
    "build_grurcn_stacked",
    "build_model",
    "build_preset",
    "build_stream_classifier",
    "build_two_stream",
    "describe_models",
    "list_models",
    "load_task",
    "model_arguments",
    "model_task",
    "register_model",
    "task_streaming_refusal",
]
