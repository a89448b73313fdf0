import csv
import importlib.util
import math
import os

import keras


def is_chief(strategy):
    """Whether this process writes the shared outputs (checkpoints, logs).

    True except for the non-chief workers of a multi-worker strategy: the
    chief is the `"chief"` task, or worker 0 when the cluster has no chief.

    Examples:

    ```python
    strategy = keras_grurcn.training.get_strategy("default")
    keras_grurcn.training.training_callbacks.is_chief(strategy)  # True
    ```
    """
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return True
    if resolver.task_type == "chief":
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return resolver.task_type == "worker" and resolver.task_id == 0 and not has_chief


def is_multi_worker(strategy):
    """Whether `strategy` spans several worker processes."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.task_type:
        return False
    return sum(len(tasks) for tasks in resolver.cluster_spec().as_dict().values()) > 1


def workdir_paths(workdir):
    """The files and folders `train_and_evaluate` writes under `workdir`."""
    return {
        "config": os.path.join(workdir, "config.json"),
        "backup": os.path.join(workdir, "backup"),
        "best_model": os.path.join(workdir, "checkpoints", "best.keras"),
        "tensorboard": os.path.join(workdir, "tensorboard"),
        "history": os.path.join(workdir, "history.csv"),
        "final_model": os.path.join(workdir, "final.keras"),
        "preset": os.path.join(workdir, "preset"),
        "metrics": os.path.join(workdir, "metrics.json"),
    }


def build_callbacks(config, workdir, strategy):
    """The paper's training loop as Keras callbacks.

    - `BackupAndRestore` (every epoch): a killed run restarts from the last
      finished epoch, weights and optimizer state included. Each worker of
      a multi-worker job keeps its own backup (`backup-worker-1`, ...).
    - `ModelCheckpoint` of the best model by `config.monitor` (chief only);
      on a resumed run its threshold is the best value in the CSV history,
      so a worse epoch after the restart does not overwrite it.
    - `CSVLogger` (appending, so a resumed run continues the file) and
      `TensorBoard` (chief only).
    - `ReduceLROnPlateau` for `lr_schedule="plateau"`, `EarlyStopping` with
      the best weights restored when `early_stopping_patience` is set.

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(
        strategy="default", monitor="val_accuracy"
    )
    strategy = keras_grurcn.training.get_strategy("default")
    callbacks = keras_grurcn.training.training_callbacks.build_callbacks(
        config, "/tmp/run", strategy
    )
    ```
    """
    paths = workdir_paths(workdir)
    chief = is_chief(strategy)
    backup_dir = paths["backup"]
    if not chief:
        # Beside the chief's backup, not inside it: each worker deletes its
        # backup when training ends, and the chief's rmtree of a folder
        # holding another worker's backup races that worker's own rmtree.
        task = strategy.cluster_resolver
        backup_dir = f"{backup_dir}-{task.task_type}-{task.task_id}"
    if config.monitor == "auto":
        raise ValueError(
            "build_callbacks: resolve TrainingConfig.monitor='auto' for the "
            "model first (`fit_with_callbacks` does)."
        )
    mode = "max" if config.monitor == "val_accuracy" else "min"
    callbacks = [keras.callbacks.BackupAndRestore(backup_dir, save_freq="epoch")]
    # Before the loggers: ReduceLROnPlateau adds `learning_rate` to the logs.
    if config.lr_schedule == "plateau":
        callbacks.append(
            keras.callbacks.ReduceLROnPlateau(
                monitor="val_loss",
                factor=config.lr_decay_factor,
                patience=config.lr_patience,
            )
        )
    if config.early_stopping_patience is not None:
        callbacks.append(
            keras.callbacks.EarlyStopping(
                monitor=config.monitor,
                mode=mode,
                patience=config.early_stopping_patience,
                restore_best_weights=True,
            )
        )
    if chief:
        _check_tensorboard_installed()
        os.makedirs(os.path.dirname(paths["best_model"]), exist_ok=True)
        callbacks += [
            keras.callbacks.ModelCheckpoint(
                paths["best_model"],
                monitor=config.monitor,
                mode=mode,
                save_best_only=True,
                initial_value_threshold=_best_logged_value(
                    paths["history"], config.monitor, mode
                ),
            ),
            keras.callbacks.CSVLogger(paths["history"], append=True),
            keras.callbacks.TensorBoard(paths["tensorboard"]),
        ]
    return callbacks


def _check_tensorboard_installed():
    # TensorFlow 2.21 no longer depends on tensorboard; without it
    # tf.summary fails at the end of the first epoch, deep inside fit.
    if importlib.util.find_spec("tensorboard") is None:
        raise ImportError(
            "Training writes TensorBoard logs, which needs the tensorboard "
            "package: pip install 'keras-grurcn[cpu]' (or [gpu], [tf])."
        )


def _best_logged_value(history_path, monitor, mode):
    if not os.path.exists(history_path):
        return None
    with open(history_path, newline="") as file:
        values = [
            float(row[monitor])
            for row in csv.DictReader(file)
            if row.get(monitor) not in (None, "")
        ]
    values = [value for value in values if math.isfinite(value)]
    if not values:
        return None
    return max(values) if mode == "max" else min(values)
