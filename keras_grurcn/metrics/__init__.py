"""Caption metrics that agree with the coco-caption scorer."""

from keras_grurcn.metrics.bleu_score import bleu_score
from keras_grurcn.metrics.caption_scores import caption_scores
from keras_grurcn.metrics.caption_tokenizer import tokenize_caption
from keras_grurcn.metrics.cider_d_score import cider_d_score
from keras_grurcn.metrics.coco_java_tools import java_scorers_available
from keras_grurcn.metrics.coco_java_tools import meteor_score
from keras_grurcn.metrics.coco_java_tools import ptb_tokenize
from keras_grurcn.metrics.rouge_l_score import rouge_l_score

__all__ = [
    "bleu_score",
    "caption_scores",
    "cider_d_score",
    "java_scorers_available",
    "meteor_score",
    "ptb_tokenize",
    "rouge_l_score",
    "tokenize_caption",
]
