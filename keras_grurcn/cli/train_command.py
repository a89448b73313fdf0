"""`grurcn train`: a zoo model or a paper preset on percept caches."""

import os

from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.reporting import print_table
from keras_grurcn.presets import PRESETS

CAPTION_LENGTH = 30  # Yao et al.'s longest caption, <bos> and <eos> included.


def add_parser(commands, formatter):
    train = commands.add_parser(
        "train",
        help="train a zoo model on cached percepts (writes WORKDIR/preset)",
        formatter_class=formatter,
    )
    which = train.add_mutually_exclusive_group(required=True)
    which.add_argument("--model", help="a name from keras_grurcn.list_models()")
    which.add_argument("--preset", choices=list(PRESETS), help="a paper preset")
    train.add_argument(
        "--data-dir",
        default=None,
        help="folder with the caches train/ and val/ (or test/)",
    )
    train.add_argument("--train-cache", default=None, help="percept cache for training")
    train.add_argument("--val-cache", default=None, help="percept cache for validation")
    train.add_argument(
        "--workdir", required=True, help="checkpoints, logs, final model"
    )
    train.add_argument("--epochs", type=positive_int, default=None)
    train.add_argument("--batch-size", type=positive_int, default=None)
    train.add_argument("--learning-rate", type=float, default=None)
    train.add_argument("--strategy", default="auto")
    train.add_argument("--mixed-precision", default=None)
    train.add_argument("--jit-compile", action="store_true")
    train.add_argument("--seed", type=int, default=0)
    train.set_defaults(handler=run_train)
    return train


def _cache_pair(args):
    if args.data_dir:
        train = os.path.join(args.data_dir, "train")
        val = next(
            (
                os.path.join(args.data_dir, name)
                for name in ("val", "test")
                if os.path.isdir(os.path.join(args.data_dir, name))
            ),
            None,
        )
        if not os.path.isdir(train) or val is None:
            raise CommandError(
                f"--data-dir {args.data_dir!r} must hold the caches train/ and val/ (or test/)."
            )
        return train, val
    if not (args.train_cache and args.val_cache):
        raise CommandError("give --data-dir, or both --train-cache and --val-cache.")
    return args.train_cache, args.val_cache


def run_train(args):
    import functools

    from keras_grurcn import data
    from keras_grurcn import models
    from keras_grurcn import training
    from keras_grurcn.presets import get_preset

    # Nothing here may start TensorFlow before `train_and_evaluate` creates
    # the strategy (multi-worker training needs that order): the model, the
    # vocabulary and the datasets are built by the functions it calls.
    train_cache, val_cache = _cache_pair(args)
    class_names = data.read_cache_class_names(train_cache)
    if args.preset:
        preset = get_preset(args.preset)
        name, build, defaults = preset["model"], preset["build"], preset["train"]
    else:
        name, build, defaults = args.model, {}, {}
    captioning = models.model_task(name) == "captioning"
    config = training.TrainingConfig(
        strategy=args.strategy,
        batch_size=args.batch_size or defaults.get("batch_size", 64),
        epochs=args.epochs or defaults.get("epochs", 100),
        learning_rate=args.learning_rate or 1e-4,
        mixed_precision=args.mixed_precision,
        jit_compile=args.jit_compile,
        seed=args.seed,
    )
    min_count = build.pop("min_count", 1)

    @functools.cache
    def vocabulary():
        from keras_grurcn.captioning import CaptionVocabulary
        from keras_grurcn.training.caption_pairs import caption_texts

        texts = caption_texts(train_cache)
        if not texts:
            raise CommandError(
                f"{train_cache} holds no captions; captioners need them."
            )
        return CaptionVocabulary.build(texts, min_count=min_count)

    if captioning:
        build["caption_length"] = CAPTION_LENGTH - 1
    elif class_names:
        build.setdefault("class_names", class_names)
        if "num_classes" in build and build["num_classes"] != len(class_names):
            raise CommandError(
                f"--preset {args.preset} is for {build['num_classes']} classes; "
                f"{train_cache} has {len(class_names)}."
            )
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

    def examples(cache, shuffle):
        import tensorflow as tf

        if captioning:
            return lambda: training.caption_training_pairs(
                cache,
                vocabulary(),
                max_length=CAPTION_LENGTH,
                shuffle=shuffle,
                seed=config.seed,
            )
        # train_and_evaluate batches per replica itself; the clip count
        # (lost by unbatch) lets it size epochs.
        clips = data.read_cache_info(cache)["num_examples"]
        return lambda: (
            data.percept_dataset(cache, config.batch_size)
            .unbatch()
            .apply(tf.data.experimental.assert_cardinality(clips))
        )

    _, metrics = training.train_and_evaluate(
        config,
        args.workdir,
        model_fn,
        examples(train_cache, shuffle=True),
        examples(val_cache, shuffle=False),
    )
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in metrics.items()])
    print(f"Checkpoints and logs in {args.workdir}")
    print(
        "Model (frames or percepts in) for `grurcn evaluate`, `export`, `predict`: "
        f"{os.path.join(args.workdir, 'preset')}"
    )
