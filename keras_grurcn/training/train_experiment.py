"""Training an `ExperimentConfig` on percept caches: what `grurcn train` runs."""

import dataclasses
import functools
import os

from keras_grurcn.training.config_overrides import ConfigError
from keras_grurcn.training.experiment_config import TWO_STREAM
from keras_grurcn.training.experiment_config import PreprocessorSection
from keras_grurcn.training.multi_view_clips import cache_view_protocol
from keras_grurcn.training.train_and_evaluate import train_and_evaluate

EXPERIMENT_FILE = "experiment.yaml"


def resolve_caches(experiment):
    """The experiment with what its caches decide filled in and checked.

    The caches' paths (from `data.data_dir`), the preprocessor the training
    cache was extracted with (a `preprocessor` value that differs is an
    error naming the key), and the class count. For the two-stream model,
    also the flow caches' paths (`data.flow_data_dir`), checked to be flow
    caches of the same videos (`check_stream_caches`), and the flow images
    they hold (`preprocessor.flow_method`, `flow_bound`).

    Args:
        experiment: an `ExperimentConfig`.

    Returns:
        `(experiment, class_names)`: the resolved experiment (what
        `train_experiment` writes to `WORKDIR/experiment.yaml`) and the
        training cache's class names (`None` for captions).

    Raises:
        ConfigError: naming the key that disagrees with the cache.
        FileNotFoundError: naming a missing cache file.
    """
    from keras_grurcn.data.cache_extraction import read_cache_class_names
    from keras_grurcn.data.cache_extraction import read_cache_preprocessor_config

    two_stream = experiment.model_name == TWO_STREAM
    # The flow caches first: a two-stream run without them is told so.
    flow_caches = experiment.data.flow_cache_pair() if two_stream else (None, None)
    train_cache, val_cache = experiment.data.cache_pair()
    class_names = read_cache_class_names(train_cache)
    saved = read_cache_preprocessor_config(train_cache)
    actual = PreprocessorSection(
        backbone=saved.get("backbone"),
        num_frames=saved.get("num_frames"),
        image_size=list(saved["image_size"]) if saved.get("image_size") else None,
        **(_flow_settings(train_cache, val_cache, *flow_caches) if two_stream else {}),
    )
    wanted = experiment.preprocessor
    for key in ("backbone", "num_frames", "image_size", "flow_method", "flow_bound"):
        expected, found = getattr(wanted, key), getattr(actual, key)
        if key == "image_size":
            expected = wanted.image_size_pair()
        if expected is not None and expected != found:
            raise ConfigError(
                f"preprocessor.{key}: the experiment expects {expected!r}, but "
                f"{train_cache} was extracted with {found!r}; extract the "
                f"caches again, or --set preprocessor.{key}=null to train on them."
            )
    num_classes = experiment.model.get("num_classes")
    if class_names and num_classes is not None and num_classes != len(class_names):
        raise ConfigError(
            f"model.num_classes: the experiment is for {num_classes} classes; "
            f"{train_cache} has {len(class_names)} "
            f"({', '.join(class_names[:5])}{', ...' if len(class_names) > 5 else ''})."
        )
    resolved = dataclasses.replace(
        experiment,
        preprocessor=actual,
        data=dataclasses.replace(
            experiment.data,
            train_cache=train_cache,
            val_cache=val_cache,
            flow_train_cache=flow_caches[0],
            flow_val_cache=flow_caches[1],
        ),
    )
    return resolved, class_names


def _flow_settings(train_cache, val_cache, flow_train_cache, flow_val_cache):
    """The flow images the flow caches hold, once both pairs are checked."""
    from keras_grurcn.training.two_stream_training import check_stream_caches

    flow = check_stream_caches(train_cache, flow_train_cache)[1]["flow"]
    check_stream_caches(val_cache, flow_val_cache)
    return {"flow_method": flow["method"], "flow_bound": flow["bound"]}


def train_experiment(experiment, workdir, *, extra_callbacks=()):
    """Trains the experiment's model on its percept caches.

    The model is built around the training cache's own preprocessor (the
    CNN weights that made the percepts, so the trained model predicts from
    frames), with its class names; a captioner gets a vocabulary of the
    training captions. The training cache is read in a new shard order
    every epoch and shuffled with `train.shuffle_buffer_size`.
    `WORKDIR/experiment.yaml` receives the resolved experiment (see
    `resolve_caches`) before training starts; the rest of the workdir is
    `train_and_evaluate`'s, its `metrics.json` with the view protocol of
    the validation scores (the cache's one view per video). The two-stream
    model (`model.name: two_stream`) is trained by `train_two_stream` on
    the RGB and the flow caches: each stream apart, the flow weight chosen
    on validation (`model.flow_weight`: a weight, a grid, or null for the
    default grid).

    Args:
        experiment: an `ExperimentConfig`.
        workdir: the run's folder (reuse it to resume).
        extra_callbacks: more Keras callbacks for `fit`.

    Returns:
        `(model, metrics)`, as `train_and_evaluate`.

    Examples:

    ```python
    caches = "/tmp/caches"
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", ["pool1"], backbone_weights=None, num_frames=2, image_size=32
    )
    for split in ("train", "val"):
        keras_grurcn.data.write_percept_cache(
            (np.zeros((4, 2, 32, 32, 3), "uint8"), [0, 1, 0, 1]),
            preprocessor, f"{caches}/{split}", progress=False,
        )
        keras_grurcn.data.save_extraction(f"{caches}/{split}", preprocessor, ["a", "b"])
    experiment = keras_grurcn.training.ExperimentConfig.resolve(
        overrides=[
            "model.name=grurcn", "model.levels=[pool1]", "model.hidden_maps=2",
            f"data.data_dir={caches}", "train.epochs=1", "train.batch_size=2",
            "train.verbose=0",
        ]
    )
    model, metrics = keras_grurcn.training.train_experiment(experiment, "/tmp/run")
    model.class_names  # ['a', 'b']
    ```
    """
    from keras_grurcn import data
    from keras_grurcn import models
    from keras_grurcn.training.caption_pairs import caption_training_pairs
    from keras_grurcn.training.percept_examples import percept_examples

    # Nothing here may start TensorFlow before `train_and_evaluate` creates
    # the strategy (multi-worker training needs that order): the model, the
    # vocabulary and the datasets are built by the functions it calls.
    experiment, class_names = resolve_caches(experiment)
    experiment.save(os.path.join(workdir, EXPERIMENT_FILE))
    config = experiment.train
    name = experiment.model_name
    # The validation scores are of the cache's one view per video;
    # `grurcn evaluate --videos` scores clips x crops.
    protocol = cache_view_protocol(experiment.preprocessor.num_frames)
    if name == TWO_STREAM:
        return _train_two_stream(
            experiment, workdir, class_names, protocol, extra_callbacks
        )
    train_cache, val_cache = experiment.data.train_cache, experiment.data.val_cache
    captioning = models.model_task(name) == "captioning"
    build = experiment.build_arguments()
    max_length = experiment.data.max_caption_length

    @functools.cache
    def vocabulary():
        from keras_grurcn.captioning import CaptionVocabulary
        from keras_grurcn.training.caption_pairs import caption_texts

        texts = caption_texts(train_cache)
        if not texts:
            raise ConfigError(f"{train_cache} holds no captions; captioners need them.")
        return CaptionVocabulary.build(
            texts, min_count=experiment.data.vocabulary_min_count
        )

    if captioning:
        build["caption_length"] = max_length - 1
    elif class_names:
        build["class_names"] = class_names
        build.pop("num_classes", None)

    def model_fn():
        # Built in the strategy's scope, around the cache's own
        # preprocessor: the model reads these percepts, and predicts from
        # frames with the CNN weights that made them.
        preprocessor = data.load_cache_preprocessor(train_cache)
        if captioning:
            return models.build_model(
                name, preprocessor=preprocessor, vocabulary=vocabulary(), **build
            )
        return models.build_model(name, preprocessor=preprocessor, **build)

    # The shard order changes every epoch (the same on every worker: the
    # shuffle is seeded); train_and_evaluate's buffer mixes the clips.
    shuffle_shards = config.shuffle_buffer_size > 0

    def examples(cache, shuffle):
        if captioning:
            return lambda: caption_training_pairs(
                cache,
                vocabulary(),
                max_length=max_length,
                shuffle=shuffle,
                seed=config.seed,
            )
        return percept_examples(
            cache, read_batch_size=config.batch_size, shuffle=shuffle, seed=config.seed
        )

    return train_and_evaluate(
        config,
        workdir,
        model_fn,
        examples(train_cache, shuffle=shuffle_shards),
        examples(val_cache, shuffle=False),
        extra_callbacks=extra_callbacks,
        evaluation_protocol=protocol,
    )


def _train_two_stream(experiment, workdir, class_names, protocol, extra_callbacks):
    from keras_grurcn.training.two_stream_training import train_two_stream

    build = experiment.build_arguments()
    if class_names:
        build["class_names"] = class_names
        build.pop("num_classes", None)
    flow_weights = None
    if isinstance(build.get("flow_weight"), list):
        flow_weights = build.pop("flow_weight")  # A grid to choose from.
    data = experiment.data
    return train_two_stream(
        experiment.train,
        workdir,
        (data.train_cache, data.val_cache),
        (data.flow_train_cache, data.flow_val_cache),
        build=build,
        flow_weights=flow_weights,
        extra_callbacks=extra_callbacks,
        evaluation_protocol=protocol,
    )
