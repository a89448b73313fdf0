"""What each `grurcn` subcommand does, given its parsed arguments.

Every function here is a thin adapter from `argparse.Namespace` to the
library (`keras_grurcn.data`, `.models`, `.training`, `.export`,
`.captioning`), so the work itself stays importable and tested.
"""

import json
import os

from keras_grurcn.cli.main import CommandError
from keras_grurcn.cli.percept_extraction import EXTRACTION_INFO
from keras_grurcn.cli.percept_extraction import EXTRACTOR
from keras_grurcn.cli.reporting import print_table
from keras_grurcn.cli.video_sources import video_entries


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
    import keras

    from keras_grurcn.cli.percept_extraction import extract
    from keras_grurcn.percepts import FramePercepts

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
    size = (args.image_size, args.image_size)
    levels = args.levels.split(",") if args.levels else None

    def build_extractor():
        frames = keras.Input((args.frames, *size, 3), name="frames")
        # Named as the zoo names its percepts layer, so `train` can move these
        # exact backbone weights into the end-to-end model it exports.
        percepts = FramePercepts(
            args.backbone,
            levels,
            args.backbone_weights,
            size,
            name=f"{args.backbone}_percepts",
        )
        return keras.Model(frames, percepts(frames))

    # What `grurcn train` needs to rebuild the matching percepts inputs.
    extraction = {
        "backbone": args.backbone,
        "image_size": args.image_size,
        "num_frames": args.frames,
        "class_names": list(class_names) if class_names else None,
        "levels": levels,
        "backbone_weights": args.backbone_weights,
    }
    info = extract(args, entries, build_extractor, extraction)
    failed = (
        f", {info['num_failures']} failed (failures.jsonl)"
        if info["num_failures"]
        else ""
    )
    print(f"Cached percepts of {info['num_examples']} clips in {args.out}{failed}")


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
    from keras_grurcn import data
    from keras_grurcn import models
    from keras_grurcn import training
    from keras_grurcn.presets import get_preset

    train_cache, val_cache = _cache_pair(args)
    cached_levels = data.read_cache_info(train_cache)["levels"]
    extraction_path = os.path.join(train_cache, EXTRACTION_INFO)
    if not os.path.exists(extraction_path):
        raise CommandError(
            f"{extraction_path} is missing: train reads caches written by `grurcn extract`."
        )
    with open(extraction_path) as file:
        extraction = json.load(file)
    if args.preset:
        preset = get_preset(args.preset)
        name, build, defaults = preset["model"], preset["build"], preset["train"]
    else:
        name, build, defaults = args.model, {}, {}
    task = models.MODELS[name].task if name in models.MODELS else None
    if (
        task != "captioning"
        and "num_classes" not in build
        and extraction["class_names"]
    ):
        build["num_classes"] = len(extraction["class_names"])
    build.setdefault("levels", list(cached_levels))
    missing = [level for level in build["levels"] if level not in cached_levels]
    if missing:
        raise CommandError(
            f"{train_cache} holds levels {list(cached_levels)}; {name} needs {missing}."
        )
    config = training.TrainingConfig(
        strategy=args.strategy,
        batch_size=args.batch_size or defaults.get("batch_size", 64),
        epochs=args.epochs or defaults.get("epochs", 100),
        learning_rate=args.learning_rate or 1e-4,
        mixed_precision=args.mixed_precision,
        jit_compile=args.jit_compile,
        seed=args.seed,
    )

    if task == "captioning":
        from keras_grurcn.cli.caption_training import train_captioner

        _, metrics = train_captioner(
            name, build, config, extraction, train_cache, val_cache, args.workdir
        )
        print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in metrics.items()])
        print(f"Captioner, checkpoints and logs in {args.workdir}")
        return

    def model_fn():
        return models.build_model(
            name,
            inputs="percepts",
            backbone=extraction["backbone"],
            backbone_weights=None,
            num_frames=extraction["num_frames"],
            image_size=(extraction["image_size"],) * 2,
            **build,
        )

    def unbatched(cache):
        # train_and_evaluate batches per replica itself; the clip count
        # (lost by unbatch) lets it size epochs.
        import tensorflow as tf

        clips = data.read_cache_info(cache)["num_examples"]
        return lambda: (
            data.percept_dataset(cache, config.batch_size, levels=build["levels"])
            .unbatch()
            .apply(tf.data.experimental.assert_cardinality(clips))
        )

    model, metrics = training.train_and_evaluate(
        config, args.workdir, model_fn, unbatched(train_cache), unbatched(val_cache)
    )
    # The end-to-end model (frames in): the cache's backbone + trained layers.
    from keras_grurcn.saving import load_model

    end_to_end = models.build_model(
        name,
        inputs="frames",
        backbone=extraction["backbone"],
        backbone_weights=None,
        num_frames=extraction["num_frames"],
        image_size=(extraction["image_size"],) * 2,
        **build,
    )
    extractor = load_model(os.path.join(train_cache, EXTRACTOR))
    models.transfer_weights(extractor, end_to_end)
    models.transfer_weights(model, end_to_end)
    frames_model_path = os.path.join(args.workdir, "final_frames.keras")
    end_to_end.save(frames_model_path)
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in metrics.items()])
    print(f"Model, checkpoints and logs in {args.workdir}")
    print(f"End-to-end model for `grurcn export` / `predict`: {frames_model_path}")


def run_evaluate(args):
    import keras

    from keras_grurcn import data
    from keras_grurcn.saving import load_model

    model = load_model(args.model)
    levels = [tensor.name for tensor in model.inputs if tensor.name != "tokens"]
    if "tokens" in [tensor.name for tensor in model.inputs]:
        _evaluate_captioner(model, levels, args)
        return
    dataset = data.percept_dataset(args.cache, 8, levels=levels)
    model.compile(metrics=["accuracy", keras.metrics.SparseTopKCategoricalAccuracy(5)])
    scores = model.evaluate(dataset, return_dict=True, verbose=0)
    print_table(("metric", "value"), [(k, f"{v:.4f}") for k, v in scores.items()])
    if args.output:
        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, "evaluation.json"), "w") as file:
            json.dump({k: float(v) for k, v in scores.items()}, file, indent=2)


def _evaluate_captioner(model, levels, args):
    from keras_grurcn import data
    from keras_grurcn.captioning.caption_evaluation import evaluate_captioner

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
    from keras_grurcn.saving import load_model

    model = load_model(args.model)
    class_names = args.class_names.split(",") if args.class_names else None
    path = export.export_saved_model(
        model, args.out, class_names=class_names, overwrite=args.overwrite
    )
    print(f"SavedModel written to {path} (serving_default takes uint8 frames)")


def _classifier(path):
    """A function from uint8 frames to `{"probabilities", ["labels"]}` arrays."""
    import tensorflow as tf

    if os.path.isdir(path):
        signature = tf.saved_model.load(path).signatures["serving_default"]
        return lambda frames: {
            key: value.numpy()
            for key, value in signature(frames=tf.constant(frames)).items()
        }
    from keras_grurcn import export
    from keras_grurcn.saving import load_model

    model = load_model(path)
    return lambda frames: {"probabilities": export.predict_frames(model, frames)}


def run_predict(args):
    from keras_grurcn import data

    classify = _classifier(args.model)
    rows = []
    for video in args.videos:
        outputs = classify(data.read_video(video)[None])
        probabilities = outputs["probabilities"][0]
        best = probabilities.argsort()[::-1][: args.top]
        if "labels" in outputs:
            names = [label.decode() for label in outputs["labels"][0][: args.top]]
        else:
            names = [str(index) for index in best]
        answers = ", ".join(
            f"{name} {probabilities[index]:.2f}" for name, index in zip(names, best)
        )
        rows.append((os.path.basename(video), answers))
    print_table(("video", f"top-{args.top}"), rows)


def run_caption(args):
    import tensorflow as tf

    from keras_grurcn import data

    rows = []
    if os.path.isdir(args.model):
        serve = tf.saved_model.load(args.model).signatures["serving_default"]
        for video in args.videos:
            outputs = serve(frames=tf.constant(data.read_video(video)[None]))
            rows.append(
                (os.path.basename(video), outputs["caption"].numpy()[0].decode())
            )
    else:
        from keras_grurcn.captioning import caption_frames
        from keras_grurcn.saving import load_model

        model = load_model(args.model)
        for video in args.videos:
            result = caption_frames(model, data.read_video(video)[None])
            rows.append((os.path.basename(video), result["captions"][0]))
    print_table(("video", "caption"), rows)
