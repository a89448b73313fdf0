"""Video captioning: vocabulary, soft-attention LSTM decoder, greedy and beam search.

The decoder sees only temporal features `[batch, time, feature_dim]`, so any
video encoder (GRU-RCN in this package) can feed it.
"""

from keras_grurcn.captioning.attention_lstm_decoder import AttentionLSTMDecoder
from keras_grurcn.captioning.beam_search import beam_search
from keras_grurcn.captioning.caption_evaluation import evaluate_captioner
from keras_grurcn.captioning.caption_export import caption_outputs
from keras_grurcn.captioning.caption_export import caption_serving_function
from keras_grurcn.captioning.caption_model import build_caption_model
from keras_grurcn.captioning.caption_model import compile_caption_model
from keras_grurcn.captioning.caption_model import teacher_forcing_pairs
from keras_grurcn.captioning.caption_videos import caption_frames
from keras_grurcn.captioning.caption_videos import caption_videos
from keras_grurcn.captioning.caption_videos import captioner_decoder
from keras_grurcn.captioning.caption_vocabulary import CaptionVocabulary
from keras_grurcn.captioning.greedy_decode import greedy_decode
from keras_grurcn.captioning.grurcn_captioner import build_grurcn_captioner
from keras_grurcn.captioning.grurcn_captioner import captioner_encoder
from keras_grurcn.captioning.masked_sparse_categorical_accuracy import (
    MaskedSparseCategoricalAccuracy,
)
from keras_grurcn.captioning.masked_sparse_categorical_crossentropy import (
    MaskedSparseCategoricalCrossentropy,
)
from keras_grurcn.captioning.temporal_attention import TemporalAttention

__all__ = [
    "AttentionLSTMDecoder",
    "CaptionVocabulary",
    "MaskedSparseCategoricalAccuracy",
    "MaskedSparseCategoricalCrossentropy",
    "TemporalAttention",
    "beam_search",
    "build_caption_model",
    "build_grurcn_captioner",
    "caption_frames",
    "caption_outputs",
    "caption_serving_function",
    "caption_videos",
    "captioner_decoder",
    "captioner_encoder",
    "compile_caption_model",
    "evaluate_captioner",
    "greedy_decode",
    "teacher_forcing_pairs",
]
