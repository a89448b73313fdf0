"""Distributed training and evaluation of keras_grurcn tasks (TensorFlow).

`train_and_evaluate(config, workdir, model_fn, train_ds, val_ds)` is the
entry point: it picks the `tf.distribute` strategy named by
`TrainingConfig.strategy`, builds and compiles the model in its scope,
shards and batches the data per worker and replica, and trains with
BackupAndRestore, best-model checkpoints, CSV and TensorBoard logs, the
learning-rate schedule and early stopping. `ExperimentConfig` is a whole
run as one checked tree (model, extraction, caches, training; YAML files,
dotted overrides, the built-in presets) and `train_experiment` trains it on
percept caches, as `grurcn train` does. `evaluate_multi_clip` is the
paper's test protocol (class probabilities averaged over several clips per
video; `video_views` cuts clips x crops, as `grurcn evaluate --videos`).
`train_two_stream` trains the paper's RGB + Flow model: two streams on
their percept caches, fused with the flow weight best on validation.
"""

from keras_grurcn.training.caption_pairs import caption_training_pairs
from keras_grurcn.training.config_overrides import ConfigError
from keras_grurcn.training.confusion_matrix_plot import plot_confusion_matrix
from keras_grurcn.training.experiment_config import ExperimentConfig
from keras_grurcn.training.late_fusion import FLOW_WEIGHT_GRID
from keras_grurcn.training.late_fusion import choose_flow_weight
from keras_grurcn.training.multi_clip_evaluation import evaluate_multi_clip
from keras_grurcn.training.multi_clip_evaluation import evenly_spaced_clips
from keras_grurcn.training.multi_view_clips import spatial_crops
from keras_grurcn.training.multi_view_clips import video_views
from keras_grurcn.training.percept_examples import percept_examples
from keras_grurcn.training.strategy import STRATEGIES
from keras_grurcn.training.strategy import get_strategy
from keras_grurcn.training.train_and_evaluate import build_and_compile
from keras_grurcn.training.train_and_evaluate import fit_with_callbacks
from keras_grurcn.training.train_and_evaluate import set_reproducible_seeds
from keras_grurcn.training.train_and_evaluate import train_and_evaluate
from keras_grurcn.training.train_experiment import train_experiment
from keras_grurcn.training.training_config import TrainingConfig
from keras_grurcn.training.two_stream_training import train_two_stream

__all__ = [
    "FLOW_WEIGHT_GRID",
    "STRATEGIES",
    "ConfigError",
    "ExperimentConfig",
    "TrainingConfig",
    "build_and_compile",
    "caption_training_pairs",
    "choose_flow_weight",
    "evaluate_multi_clip",
    "evenly_spaced_clips",
    "fit_with_callbacks",
    "get_strategy",
    "percept_examples",
    "plot_confusion_matrix",
    "set_reproducible_seeds",
    "spatial_crops",
    "train_and_evaluate",
    "train_experiment",
    "train_two_stream",
    "video_views",
]
