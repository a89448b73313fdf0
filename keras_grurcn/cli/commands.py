"""What each `grurcn` subcommand does, given its parsed arguments.

Every function here is a thin adapter from `argparse.Namespace` to the
library (`keras_grurcn.data`, `.models`, `.training`, `.export`), so the work
itself stays importable and tested.
"""

import os

from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.reporting import print_table
from keras_grurcn.cli.video_sources import video_entries

CAPTION_LENGTH = 30  # Yao et al.'s longest caption, <bos> and <eos> included.


def run_demo(args):
    from keras_grurcn.cli.demo import DemoConfig
    from keras_grurcn.cli.demo import run_demo as demo

    config = DemoConfig(
        num_clips=args.clips,
        epochs=args.epochs,
        seed=args.seed,
        backbone_weights=args.backbone_weights,
    )
    demo(args.workdir, config)


def run_prepare(args):
    from keras_grurcn import data

    if args.prepare_command == "synthetic":
        data.write_motion_videos(
            args.out,
            args.clips,
            num_frames=args.frames,
            image_size=args.image_size,
            layout=args.layout,
            seed=args.seed,
        )
        print(
            f"Wrote {args.clips} synthetic motion clips ({args.layout} layout) to {args.out}"
        )
        return
    entries, _ = video_entries(
        args.videos,
        args.layout,
        split=args.split,
        subset=args.subset,
        msvd_split_sizes=args.msvd_split_sizes,
    )
    report = data.check_videos(entries)
    print(report.summary())
    if report.num_skipped:
        return 1
    print(f"All {len(entries)} videos decode.")
    return 0


def run_extract(args):
    from keras_grurcn.cli.percept_extraction import extract
    from keras_grurcn.cli.percept_extraction import input_modality
    from keras_grurcn.preprocessing import VideoPreprocessor

    entries, class_names = video_entries(
        args.videos,
        args.layout,
        split=args.split,
        subset=args.subset,
        msvd_split_sizes=args.msvd_split_sizes,
    )
    if not entries:
        raise CommandError(
            f"--videos {args.videos!r}: no videos found for {args.subset}."
        )

    def build_preprocessor():
        # Saved with the cache: models trained on it are built around it
        # (same CNN weights, sampling and resizing, modality).
        return VideoPreprocessor(
            args.backbone,
            levels=args.levels.split(",") if args.levels else None,
            backbone_weights=args.backbone_weights,
            num_frames=args.frames,
            image_size=args.image_size,
            **input_modality(args),
            name="preprocessor",
        )

    info = extract(args, entries, build_preprocessor, class_names)
    failed = (
        f", {info['num_failures']} failed (failures.jsonl)"
        if info["num_failures"]
        else ""
    )
    kind = (
        f"{info['flow']['method']} optical-flow images of "
        if info["modality"] == "flow"
        else ""
    )
    print(
        f"Cached percepts of {kind}{info['num_examples']} clips in {args.out}{failed}"
    )


def _caches_in(data_dir, flag="--data-dir"):
    train = os.path.join(data_dir, "train")
    val = next(
        (
            os.path.join(data_dir, name)
            for name in ("val", "test")
            if os.path.isdir(os.path.join(data_dir, name))
        ),
        None,
    )
    if not os.path.isdir(train) or val is None:
        raise CommandError(
            f"{flag} {data_dir!r} must hold the caches train/ and val/ (or test/)."
        )
    return train, val


def _cache_pair(args):
    if args.data_dir:
        return _caches_in(args.data_dir)
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
    if args.preset:
        preset = get_preset(args.preset)
        name, build, defaults = preset["model"], preset["build"], preset["train"]
    else:
        name, build, defaults = args.model, {}, {}
    two_stream = name == "two_stream"
    if two_stream != bool(args.flow_data_dir):
        raise CommandError(
            "--model two_stream trains on RGB and flow percepts: give --data-dir "
            "RGB_CACHES and --flow-data-dir FLOW_CACHES (grurcn extract "
            "--modality flow)"
            if two_stream
            else "--flow-data-dir is for the two-stream model (--model two_stream)."
        )
    train_cache, val_cache = _cache_pair(args)
    class_names = data.read_cache_class_names(train_cache)
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

    if two_stream:
        _train_two_stream(args, config, build, (train_cache, val_cache))
        return

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
        if captioning:
            return lambda: training.caption_training_pairs(
                cache,
                vocabulary(),
                max_length=CAPTION_LENGTH,
                shuffle=shuffle,
                seed=config.seed,
            )
        return training.percept_examples(cache)

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


def _train_two_stream(args, config, build, rgb_caches):
    from keras_grurcn import training

    _, metrics = training.train_two_stream(
        config,
        args.workdir,
        rgb_caches,
        _caches_in(args.flow_data_dir, "--flow-data-dir"),
        build=build,
    )
    print_table(
        ("validation videos", "top-1"),
        [
            (f"{name} stream", f"{metrics[f'{name}_accuracy']:.4f}")
            for name in ("rgb", "flow")
        ]
        + [
            (
                f"fused (flow weight {metrics['flow_weight']:g})",
                f"{metrics['fused_accuracy']:.4f}",
            )
        ],
    )
    print(f"Streams in {args.workdir}/rgb and /flow; metrics.json in {args.workdir}")
    print(
        "Model (RGB frames and flow images, or both caches' percepts, in) for "
        f"`grurcn export`, `predict`: {os.path.join(args.workdir, 'preset')}"
    )


def _load_task(path):
    from keras_grurcn import models

    return models.load_task(path)


def run_evaluate(args):
    from keras_grurcn import data
    from keras_grurcn.captioning import VideoCaptioner
    from keras_grurcn.models import TwoStreamVideoClassifier

    model = _load_task(args.model)
    if isinstance(model, TwoStreamVideoClassifier):
        raise CommandError(
            f"--model {args.model} is a two-stream model: it reads an RGB and a "
            "flow cache at once; `grurcn train --model two_stream` writes its "
            "per-stream and fused accuracy to WORKDIR/metrics.json, and each "
            "stream (WORKDIR/rgb/preset, WORKDIR/flow/preset) evaluates on its "
            "own cache."
        )
    levels = model.backbone_input_names
    if isinstance(model, VideoCaptioner):
        _evaluate_captioner(model, levels, args)
        return
    model.compile()
    scores = model.evaluate(
        data.percept_dataset(args.cache, 8, levels=levels), return_dict=True, verbose=0
    )
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in scores.items()])
    if args.output:
        import json

        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, "evaluation.json"), "w") as file:
            json.dump({k: float(v) for k, v in scores.items()}, file, indent=2)


def _evaluate_captioner(model, levels, args):
    from keras_grurcn import data
    from keras_grurcn.captioning import evaluate_captioner

    # Two passes in the cache's fixed order: video ids, then references.
    with_ids = data.percept_dataset(args.cache, 8, levels=levels, target="video_id")
    with_captions = data.percept_dataset(args.cache, 8, target="captions")
    references = {}
    for (_, ids), (_, captions) in zip(with_ids, with_captions):
        for video_id, video_captions in zip(ids.numpy(), captions.to_list()):
            references[video_id.decode()] = [c.decode() for c in video_captions]
    batches = (
        (inputs, [video_id.decode() for video_id in ids.numpy()])
        for inputs, ids in with_ids
    )
    report = evaluate_captioner(
        model, batches, references, beam_width=args.beam_width, output_dir=args.output
    )
    print_table(
        ("metric", "score"), [(k, f"{v:.4f}") for k, v in report["scores"].items()]
    )
    for example in report["examples"][:3]:
        print(f"{example['id']}: {example['caption']!r}")
        for reference in example["references"][:3]:
            print(f"    reference: {reference!r}")
    if args.output:
        print(f"Scores and captions.jsonl in {args.output}")


def run_export(args):
    from keras_grurcn import export

    path = export.export_saved_model(
        _load_task(args.model), args.out, overwrite=args.overwrite
    )
    print(f"SavedModel written to {path} (serving_default takes uint8 frames)")


def _is_saved_model(path):
    return os.path.isfile(os.path.join(path, "saved_model.pb"))


def _classifier(path):
    """A function from a video file to `(probabilities, labels)`.

    A two-stream model also gets the video's flow images, made by the
    package's flow function with the settings its flow percepts were
    cached with (recorded in the preset, or in the SavedModel's
    `flow_image_options` signature).
    """
    from keras_grurcn import data

    if _is_saved_model(path):
        import tensorflow as tf

        from keras_grurcn.export.serving_signatures import saved_flow_image_options

        loaded = tf.saved_model.load(path)
        signature = loaded.signatures["serving_default"]
        flow_options = saved_flow_image_options(loaded)

        def served(video):
            frames = data.read_video(video)
            if flow_options is None:
                outputs = signature(frames=tf.constant(frames[None]))
            else:
                flow = data.video_flow_images(frames, **flow_options)
                outputs = signature(
                    rgb=tf.constant(frames[None]), flow=tf.constant(flow[None])
                )
            probabilities = outputs["probabilities"].numpy()[0]
            labels = [label.decode() for label in outputs["labels"].numpy()[0]]
            # The SavedModel sorts labels best first: map them back to indices.
            order = probabilities.argsort()[::-1]
            names = [""] * len(labels)
            for rank, index in enumerate(order):
                names[index] = labels[rank]
            return probabilities, names

        return served
    from keras_grurcn.models import TwoStreamVideoClassifier

    model = _load_task(path)

    def predicted(video):
        frames = data.read_video(video)
        inputs = frames[None]
        if isinstance(model, TwoStreamVideoClassifier):
            options = model.preprocessor.flow.flow_image_options
            flow = data.video_flow_images(frames, **options)
            inputs = {"rgb": frames[None], "flow": flow[None]}
        return model.predict(inputs, verbose=0)[0], model.labels

    return predicted


def run_predict(args):
    import sys

    classify = _classifier(args.model)
    rows, failed = [], 0
    for video in args.videos:
        try:
            probabilities, names = classify(video)
        except ValueError as error:  # A bad video: report it, go on.
            print(f"grurcn predict: error: {error}", file=sys.stderr)
            failed += 1
            continue
        best = probabilities.argsort()[::-1][: args.top]
        answers = ", ".join(
            f"{names[index]} {probabilities[index]:.2f}" for index in best
        )
        rows.append((os.path.basename(video), answers))
    if rows:
        print_table(("video", f"top-{args.top}"), rows)
    return 2 if failed else 0


def run_caption(args):
    from keras_grurcn import data

    rows = []
    if _is_saved_model(args.model):
        import tensorflow as tf

        serve = tf.saved_model.load(args.model).signatures["serving_default"]
        for video in args.videos:
            outputs = serve(frames=tf.constant(data.read_video(video)[None]))
            rows.append(
                (os.path.basename(video), outputs["caption"].numpy()[0].decode())
            )
    else:
        from keras_grurcn.captioning import VideoCaptioner

        model = _load_task(args.model)
        if not isinstance(model, VideoCaptioner):
            raise CommandError(f"--model {args.model}: not a captioner.")
        for video in args.videos:
            result = model.generate(data.read_video(video)[None])
            rows.append((os.path.basename(video), result["captions"][0]))
    print_table(("video", "caption"), rows)
