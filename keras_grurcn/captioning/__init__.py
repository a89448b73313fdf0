"""Video captioning: the `VideoCaptioner` task, its decoder and decoding.

The decoder sees only temporal features `[batch, time, feature_dim]`, so any
video encoder (GRU-RCN in this package) can feed it; `build_caption_model`
trains it over precomputed features.
"""

from keras_grurcn.captioning.attention_lstm_decoder import AttentionLSTMDecoder
from keras_grurcn.captioning.beam_search import beam_search
from keras_grurcn.captioning.caption_evaluation import evaluate_captioner
from keras_grurcn.captioning.caption_model import build_caption_model
from keras_grurcn.captioning.caption_model import compile_caption_model
from keras_grurcn.captioning.caption_model import teacher_forcing_pairs
from keras_grurcn.captioning.caption_vocabulary import CaptionVocabulary
from keras_grurcn.captioning.greedy_decode import greedy_decode
from keras_grurcn.captioning.grurcn_captioner import build_grurcn_captioner
from keras_grurcn.captioning.masked_sparse_categorical_accuracy import (
    MaskedSparseCategoricalAccuracy,
)
from keras_grurcn.captioning.masked_sparse_categorical_crossentropy import (
    MaskedSparseCategoricalCrossentropy,
)
from keras_grurcn.captioning.temporal_attention import TemporalAttention
from keras_grurcn.captioning.video_captioner import VideoCaptioner

__all__ = [
    "AttentionLSTMDecoder",
    "CaptionVocabulary",
    "MaskedSparseCategoricalAccuracy",
    "MaskedSparseCategoricalCrossentropy",
    "TemporalAttention",
    "VideoCaptioner",
    "beam_search",
    "build_caption_model",
    "build_grurcn_captioner",
    "compile_caption_model",
    "evaluate_captioner",
    "greedy_decode",
    "teacher_forcing_pairs",
]
