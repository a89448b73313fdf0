"""Percepts: per-frame features from ImageNet backbones at several levels.

GRU-RCN reads "percepts" at several depths of a pretrained CNN (VGG-16's
pool2-pool5 and fc7 in the paper). `FramePercepts` computes them for every
frame of a clip in one backbone call; `build_percept_extractor` builds the
image-level model; `percept_shapes` gives their shapes without building a
backbone; `BACKBONES` lists what is supported.
"""

from keras_grurcn.percepts.backbone_preprocessing import BackbonePreprocessing
from keras_grurcn.percepts.backbone_spec import BackboneSpec
from keras_grurcn.percepts.backbones import BACKBONES
from keras_grurcn.percepts.backbones import get_backbone
from keras_grurcn.percepts.backbones import list_backbones
from keras_grurcn.percepts.frame_percepts import FramePercepts
from keras_grurcn.percepts.percept_extractor import average_input_filters
from keras_grurcn.percepts.percept_extractor import build_percept_extractor
from keras_grurcn.percepts.percept_level import PerceptLevel
from keras_grurcn.percepts.percept_shapes import percept_shapes

__all__ = [
    "BACKBONES",
    "BackbonePreprocessing",
    "BackboneSpec",
    "FramePercepts",
    "PerceptLevel",
    "average_input_filters",
    "build_percept_extractor",
    "get_backbone",
    "list_backbones",
    "percept_shapes",
]
