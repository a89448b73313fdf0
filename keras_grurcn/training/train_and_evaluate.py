import contextlib
import dataclasses
import json
import os

import keras

from keras_grurcn.models.task import Task
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.models.video_classifier import classification_metrics
from keras_grurcn.training.distribute_dataset import count_steps
from keras_grurcn.training.distribute_dataset import distribute_dataset
from keras_grurcn.training.strategy import get_strategy
from keras_grurcn.training.training_callbacks import build_callbacks
from keras_grurcn.training.training_callbacks import is_chief
from keras_grurcn.training.training_callbacks import is_multi_worker
from keras_grurcn.training.training_callbacks import workdir_paths


def set_reproducible_seeds(config):
    """Seeds Python, NumPy and TensorFlow; optionally deterministic ops.

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(seed=0)
    keras_grurcn.training.set_reproducible_seeds(config)
    ```
    """
    import tensorflow as tf

    keras.utils.set_random_seed(config.seed)
    if config.deterministic:
        tf.config.experimental.enable_op_determinism()


def build_and_compile(config, model_fn, strategy, steps_per_epoch=None):
    """Builds `model_fn()` and compiles it inside `strategy.scope()`.

    The model is built under `config.mixed_precision` (the global Keras
    dtype policy is restored afterwards; Keras wraps the optimizer in a
    `LossScaleOptimizer` for `"mixed_float16"`) and compiled with the
    configured optimizer, `jit_compile=config.jit_compile` (XLA) and the
    loss and metrics of its task (a `keras_grurcn` task's own: e.g. a
    `VideoCaptioner`'s masked cross-entropy); another Keras classifier gets
    sparse categorical cross-entropy on its probabilities, accuracy and,
    with more than 5 classes, top-5 accuracy.

    Args:
        config: a `TrainingConfig`.
        model_fn: a function without arguments returning an uncompiled
            keras_grurcn task (`build_model(...)`), or a Keras classifier
            whose output is class probabilities.
        strategy: the `tf.distribute.Strategy` to build under.
        steps_per_epoch: steps in one epoch; needed by
            `lr_schedule="cosine"`, which decays over all the epochs' steps.

    Returns:
        The compiled model.

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(strategy="default")
    strategy = keras_grurcn.training.get_strategy("default")
    model = keras_grurcn.training.build_and_compile(config, model_fn, strategy)
    ```
    """
    with strategy.scope(), _dtype_policy(config.mixed_precision):
        model = model_fn()
        if not isinstance(model, keras.Model):
            raise TypeError(
                "build_and_compile: `model_fn()` must return a keras.Model; "
                f"got {type(model).__name__}."
            )
        optimizer = _build_optimizer(config, strategy, steps_per_epoch)
        if isinstance(model, Task):
            model.compile(optimizer, jit_compile=config.jit_compile)
        else:
            model.compile(
                optimizer=optimizer,
                loss=keras.losses.SparseCategoricalCrossentropy(),
                metrics=classification_metrics(model.output_shape[-1]),
                jit_compile=config.jit_compile,
            )
    return model


def resolve_monitor(config, model):
    """`config` with `monitor="auto"` made concrete for `model`.

    Classifiers keep the best validation accuracy; other tasks (a
    captioner, whose accuracy is per word) the lowest validation loss.
    """
    if config.monitor != "auto":
        return config
    classifier = isinstance(model, VideoClassifier) or not isinstance(model, Task)
    return dataclasses.replace(
        config, monitor="val_accuracy" if classifier else "val_loss"
    )


def fit_with_callbacks(
    config, workdir, model, train_ds, val_ds, strategy, extra_callbacks=()
):
    """Trains a compiled model with the checkpoint and logging callbacks.

    Shards and batches both datasets for `strategy` (`distribute_dataset`),
    and runs `model.fit` with `build_callbacks`: a run killed at any point
    and started again with the same `workdir` resumes after the last
    finished epoch.

    Args:
        config: a `TrainingConfig`.
        workdir: the run's folder (see `train_and_evaluate`).
        model: a model compiled under `strategy` (`build_and_compile`).
        train_ds: a `tf.data.Dataset` of unbatched `(frames, label)` clips.
        val_ds: the same for validation.
        strategy: the `tf.distribute.Strategy` the model was built under.
        extra_callbacks: more Keras callbacks (progress reporting, ...).

    Returns:
        The `keras.callbacks.History` of this run (the epochs of earlier,
        interrupted runs are in `history.csv`).

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(
        strategy="default", batch_size=2, epochs=1, verbose=0
    )
    strategy = keras_grurcn.training.get_strategy("default")
    model = keras_grurcn.training.build_and_compile(config, model_fn, strategy)
    history = keras_grurcn.training.fit_with_callbacks(
        config, "/tmp/run", model, train_ds, val_ds, strategy
    )
    ```
    """
    config = resolve_monitor(config, model)
    steps = _steps_per_epoch(config, train_ds, strategy)
    train_batches = distribute_dataset(
        train_ds,
        strategy,
        config.batch_size,
        shuffle_buffer_size=config.shuffle_buffer_size,
        seed=config.seed,
        full_batches_only=True,
        repeat=True,
    )
    val_batches, val_steps = _validation_batches(val_ds, strategy, config)
    with _multi_worker_build_workaround(model, strategy, train_ds, config):
        return model.fit(
            train_batches,
            validation_data=val_batches,
            validation_steps=val_steps,
            epochs=config.epochs,
            steps_per_epoch=steps,
            # distribute_dataset shuffles each worker's shard itself.
            shuffle=False,
            callbacks=[*build_callbacks(config, workdir, strategy), *extra_callbacks],
            verbose=config.verbose,
        )


def train_and_evaluate(
    config,
    workdir,
    model_fn,
    train_ds,
    val_ds,
    *,
    extra_callbacks=(),
    evaluation_protocol=None,
):
    """Trains a video model (a classifier, or a captioner) and evaluates it.

    The library entry point the CLI calls after parsing its arguments
    (Flax-style): validates `config`, seeds everything, picks the strategy,
    builds and compiles `model_fn()` in its scope, trains with
    `fit_with_callbacks` and evaluates the best weights on `val_ds`.

    `workdir` receives `config.json`, `backup/` (BackupAndRestore),
    `checkpoints/best.keras`, `history.csv`, `tensorboard/`,
    `final.keras` (the best weights), for a keras_grurcn task `preset/`
    (`save_to_preset`: what `Task.from_preset`, `grurcn export` and
    `grurcn predict` load) and `metrics.json`; in multi-worker training only
    the chief writes the shared files.

    Args:
        config: a `TrainingConfig`.
        workdir: the run's folder; reuse it to resume a killed run.
        model_fn: a function without arguments returning an uncompiled
            keras_grurcn task (`build_model(...)`; it is compiled with its
            own loss and metrics) or a Keras classifier whose output is
            class probabilities.
        train_ds: a `tf.data.Dataset` of unbatched `(inputs, target)`
            examples (frames or cached percepts and an integer label; for a
            captioner `({..., "tokens": ids[:-1]}, ids[1:])`), or a function
            without arguments returning one
            (called after the strategy exists: multi-worker training needs
            functions, or `get_strategy` called before the datasets are
            built).
        val_ds: the same for validation.
        extra_callbacks: more Keras callbacks for `fit`.
        evaluation_protocol: how `val_ds` views each video (clips, crops,
            frames, sampling), written beside the scores in `metrics.json`
            as `"protocol"`.

    Returns:
        `(model, metrics)`: the trained model (best weights when early
        stopping is on) and its validation metrics (`loss`, `accuracy`,
        `top5_accuracy` with more than 5 classes; a captioner's
        `masked_accuracy`).

    Examples:

    ```python
    config = keras_grurcn.training.TrainingConfig(
        strategy="default", batch_size=2, epochs=1, verbose=0
    )
    model, metrics = keras_grurcn.training.train_and_evaluate(
        config, "/tmp/run", model_fn, train_ds, val_ds
    )
    ```
    """
    config.validate()
    # The strategy first: MultiWorkerMirroredStrategy must configure the
    # collective ops before anything (seeding, datasets) starts TensorFlow.
    strategy = get_strategy(config.strategy, config.tpu_address)
    set_reproducible_seeds(config)
    train_ds, val_ds = _dataset(train_ds, "train_ds"), _dataset(val_ds, "val_ds")
    paths = workdir_paths(workdir)
    chief = is_chief(strategy)
    if chief:
        os.makedirs(workdir, exist_ok=True)
        with open(paths["config"], "w") as file:
            json.dump(config.to_dict(), file, indent=2)
    model = build_and_compile(
        config, model_fn, strategy, _steps_per_epoch(config, train_ds, strategy)
    )
    fit_with_callbacks(
        config, workdir, model, train_ds, val_ds, strategy, extra_callbacks
    )
    val_batches, val_steps = _validation_batches(val_ds, strategy, config)
    with _multi_worker_build_workaround(model, strategy, val_ds, config):
        metrics = model.evaluate(
            val_batches, steps=val_steps, return_dict=True, verbose=0
        )
    metrics = {name: float(value) for name, value in metrics.items()}
    if chief:
        model.save(paths["final_model"])
        if isinstance(model, Task):
            model.save_to_preset(paths["preset"])
        with open(paths["metrics"], "w") as file:
            record = dict(metrics)
            if evaluation_protocol is not None:
                record["protocol"] = evaluation_protocol
            json.dump(record, file, indent=2)
    return model, metrics


def _validation_batches(val_ds, strategy, config):
    # One replica evaluates every clip; with several, the clips of a last
    # partial global batch are left out (see `distribute_dataset`).
    if strategy.num_replicas_in_sync == 1 and not is_multi_worker(strategy):
        return val_ds.batch(config.batch_size).prefetch(-1), None
    steps = count_steps(val_ds, config.batch_size, strategy)
    if steps is None:
        raise ValueError(
            "train_and_evaluate: with several replicas the validation "
            "dataset needs a known length (e.g. `dataset.apply("
            "tf.data.experimental.assert_cardinality(n))`)."
        )
    batches = distribute_dataset(
        val_ds, strategy, config.batch_size, full_batches_only=True, repeat=True
    )
    return batches, steps


def _dataset(dataset_or_fn, argument):
    import tensorflow as tf

    dataset = dataset_or_fn() if callable(dataset_or_fn) else dataset_or_fn
    if not isinstance(dataset, tf.data.Dataset):
        raise TypeError(
            f"train_and_evaluate: `{argument}` must be a tf.data.Dataset or a "
            f"function returning one; got {type(dataset).__name__}."
        )
    return dataset


def _steps_per_epoch(config, train_ds, strategy):
    steps = config.steps_per_epoch or count_steps(train_ds, config.batch_size, strategy)
    if steps is None:
        raise ValueError(
            "TrainingConfig.steps_per_epoch: the training dataset's size is "
            "unknown; set steps_per_epoch (or give the dataset a known "
            "cardinality, e.g. with `dataset.apply("
            "tf.data.experimental.assert_cardinality(n))`)."
        )
    return steps


def _build_optimizer(config, strategy, steps_per_epoch):
    learning_rate = config.learning_rate
    if config.scale_learning_rate:
        learning_rate *= strategy.num_replicas_in_sync
    if config.lr_schedule == "cosine":
        if steps_per_epoch is None:
            raise ValueError(
                "build_and_compile: lr_schedule='cosine' needs steps_per_epoch."
            )
        # The schedule counts optimizer steps, which BackupAndRestore
        # restores, so a resumed run continues on the same curve.
        learning_rate = keras.optimizers.schedules.CosineDecay(
            learning_rate, config.epochs * steps_per_epoch
        )
    options = {
        "learning_rate": learning_rate,
        "weight_decay": config.weight_decay,
        "clipnorm": config.clipnorm,
    }
    if config.optimizer == "adam":
        if config.weight_decay is not None:
            return keras.optimizers.AdamW(**options)
        return keras.optimizers.Adam(**options)
    if config.optimizer == "sgd":
        return keras.optimizers.SGD(momentum=config.momentum, **options)
    return keras.optimizers.RMSprop(**options)


@contextlib.contextmanager
def _multi_worker_build_workaround(model, strategy, dataset, config):
    """Lets Keras 3 `fit`/`evaluate` run under MultiWorkerMirroredStrategy.

    Two Keras 3 bugs (3.15 here) stop `fit` under this strategy
    (keras-team/keras#20585, tensorflow/tensorflow#72388, both open):

    1. Before the first step Keras reduces the first distributed batch with
       `strategy.reduce` to build the metrics and optimizer
       (`_maybe_symbolic_build`), which this strategy cannot do for a tuple
       of per-replica values ("Attempt to convert a value (PerReplica...)").
       Here the model is built from one local batch of the worker's data
       instead (same shapes, no cross-worker reduce).
    2. Keras averages the logged metrics with `strategy.reduce("MEAN", v,
       axis=0)`, which fails for scalars ("Invalid reduction dimension 0").
       The steps return each metric as a vector of one, so that same
       reduce averages it over all replicas of all workers: every worker
       logs the same values, and early stopping and plateau decay decide
       alike everywhere.
    """
    if not is_multi_worker(strategy):
        yield
        return
    import tensorflow as tf

    sample_batch = next(iter(dataset.batch(config.batch_size).take(1)))
    sample_batch = tf.nest.map_structure(
        lambda x: tf.cast(x, tf.float32) if x.dtype.is_integer else x,
        sample_batch,
    )
    with strategy.scope():
        model._symbolic_build(data_batch=sample_batch)
    train_step, test_step = model.train_step, model.test_step

    def as_vectors(logs):
        return {name: tf.reshape(value, [1]) for name, value in logs.items()}

    model._maybe_symbolic_build = lambda *args, **kwargs: None
    model.train_step = lambda data: as_vectors(train_step(data))
    model.test_step = lambda data: as_vectors(test_step(data))
    try:
        yield
    finally:
        del model._maybe_symbolic_build, model.train_step, model.test_step


@contextlib.contextmanager
def _dtype_policy(policy):
    if policy is None:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)
