"""Distributed training and evaluation of GRU-RCN classifiers (TensorFlow).

`train_and_evaluate(config, workdir, model_fn, train_ds, val_ds)` is the
entry point: it picks the `tf.distribute` strategy named by
`TrainingConfig.strategy`, builds and compiles the model in its scope,
shards and batches the data per worker and replica, and trains with
BackupAndRestore, best-model checkpoints, CSV and TensorBoard logs, the
learning-rate schedule and early stopping. `evaluate_multi_clip` is the
paper's test protocol (class probabilities averaged over several clips per
video).
"""

from keras_grurcn.training.confusion_matrix_plot import plot_confusion_matrix
from keras_grurcn.training.distribute_dataset import (
    count_steps,
    distribute_dataset,
    global_batch_size,
    worker_dataset,
)
from keras_grurcn.training.multi_clip_evaluation import (
    evaluate_multi_clip,
    evenly_spaced_clips,
)
from keras_grurcn.training.strategy import STRATEGIES, get_strategy
from keras_grurcn.training.train_and_evaluate import (
    build_and_compile,
    fit_with_callbacks,
    set_reproducible_seeds,
    train_and_evaluate,
)
from keras_grurcn.training.training_callbacks import build_callbacks, is_chief
from keras_grurcn.training.training_config import TrainingConfig

__all__ = [
    "STRATEGIES",
    "TrainingConfig",
    "build_and_compile",
    "build_callbacks",
    "count_steps",
    "distribute_dataset",
    "evaluate_multi_clip",
    "evenly_spaced_clips",
    "fit_with_callbacks",
    "get_strategy",
    "global_batch_size",
    "is_chief",
    "plot_confusion_matrix",
    "set_reproducible_seeds",
    "train_and_evaluate",
    "worker_dataset",
]
