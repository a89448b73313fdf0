"""`grurcn evaluate`: score a trained task on a percept cache, or on videos over views."""

import json
import os
import sys

from keras_grurcn.cli.argument_types import add_video_arguments
from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.model_files import MODEL_HELP
from keras_grurcn.cli.model_files import load_task
from keras_grurcn.cli.reporting import print_table
from keras_grurcn.cli.video_sources import video_entries

# Mirrors keras_grurcn.training.multi_view_clips (not imported: it would
# start TensorFlow while the parser is built).
CROP_COUNTS = (1, 3, 10)
SAMPLINGS = ("uniform", "multi_clip")
TEN_CROP_SCALE = 0.875
TOP_K = ("top1_accuracy", "top5_accuracy")


def add_parser(commands, formatter):
    evaluate = commands.add_parser(
        "evaluate",
        help="score a trained task on a percept cache, or on videos over "
        "clips x crops views",
        description="On a percept cache (--cache): one view per video, as "
        "cached. On the videos themselves (--videos, --layout, --subset): each "
        "video is cut into --clips clips x --crops crops, the class "
        "probabilities are averaged, and top-1 (top-5 with more than 5 "
        "classes) is reported for 1x1, CLIPSx1, 1xCROPS and CLIPSxCROPS views; "
        "the protocol is stored with the scores in --output/evaluation.json.",
        formatter_class=formatter,
    )
    evaluate.add_argument("--model", required=True, help=MODEL_HELP)
    source = evaluate.add_mutually_exclusive_group(required=True)
    source.add_argument("--cache", help="percept cache to score on")
    source.add_argument(
        "--videos", help="dataset root (or manifest) to score on, multi-view"
    )
    add_video_arguments(evaluate, videos=False)
    evaluate.set_defaults(subset="test")
    evaluate.add_argument(
        "--clips", type=positive_int, default=None, help="clips per video (default 10)"
    )
    evaluate.add_argument(
        "--crops",
        type=int,
        choices=CROP_COUNTS,
        default=None,
        help="crops per clip: 1 (the whole frame), 3 (along the longer side), "
        "10 (corners, centre, flipped); default 3",
    )
    evaluate.add_argument(
        "--sampling",
        choices=SAMPLINGS,
        default="uniform",
        help="clips spanning the whole video as cached (uniform), or of "
        "consecutive frames (multi_clip)",
    )
    evaluate.add_argument(
        "--stride", type=positive_int, default=1, help="frame step, multi_clip"
    )
    evaluate.add_argument(
        "--batch-size", type=positive_int, default=8, help="views per forward pass"
    )
    evaluate.add_argument(
        "--output", default=None, help="folder for the report and plots"
    )
    evaluate.add_argument(
        "--beam-width", type=positive_int, default=5, help="captioners"
    )
    evaluate.set_defaults(handler=run_evaluate)
    return evaluate


def run_evaluate(args):
    from keras_grurcn.models import TwoStreamVideoClassifier

    model = load_task(args.model)
    if isinstance(model, TwoStreamVideoClassifier):
        raise CommandError(
            f"--model {args.model} is a two-stream model: it reads an RGB and a "
            "flow cache at once; `grurcn train --model two_stream` writes its "
            "per-stream and fused accuracy to WORKDIR/metrics.json, and each "
            "stream (WORKDIR/rgb/preset, WORKDIR/flow/preset) evaluates on its "
            "own cache or videos."
        )
    if args.videos:
        return _evaluate_views(model, args)
    if args.clips is not None or args.crops is not None:
        raise CommandError(
            "--clips and --crops need --videos: a percept cache holds one view "
            "(1 clip x 1 crop) per video."
        )
    from keras_grurcn import data
    from keras_grurcn.captioning import VideoCaptioner
    from keras_grurcn.training.multi_view_clips import cache_view_protocol

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
        num_frames = getattr(model.preprocessor, "num_frames", None)
        os.makedirs(args.output, exist_ok=True)
        with open(os.path.join(args.output, "evaluation.json"), "w") as file:
            json.dump(
                {
                    **{k: float(v) for k, v in scores.items()},
                    "protocol": cache_view_protocol(num_frames),
                },
                file,
                indent=2,
            )


def _evaluate_views(model, args):
    from keras_grurcn import data
    from keras_grurcn.models import VideoClassifier
    from keras_grurcn.training import evaluate_multi_clip
    from keras_grurcn.training import video_views

    # (Two-stream models are refused by run_evaluate.)
    if not isinstance(model, VideoClassifier) or model.preprocessor is None:
        raise CommandError(
            f"--model {args.model}: --videos evaluation takes a single-stream "
            f"classifier that reads frames; this is a {type(model).__name__}."
        )
    num_frames = model.preprocessor.num_frames
    if num_frames is None:
        raise CommandError(
            f"--model {args.model}: its preprocessor takes clips of any length; "
            "multi-view evaluation needs a clip length."
        )
    entries, class_names = video_entries(
        args.videos,
        args.layout,
        split=args.split,
        subset=args.subset,
        msvd_split_sizes=args.msvd_split_sizes,
    )
    if not entries:
        raise CommandError(f"--videos {args.videos!r}: no videos for {args.subset}.")
    if class_names and list(class_names) != model.labels:
        raise CommandError(
            f"--videos {args.videos!r}: its classes ({', '.join(class_names[:5])}"
            f"...) are not the model's ({', '.join(model.labels[:5])}...)."
        )
    height, width = model.preprocessor.image_size
    clips = 10 if args.clips is None else args.clips
    crops = 3 if args.crops is None else args.crops
    skipped = []  # Filled while the views are read, written with the report.
    protocol = {
        "frames": num_frames,
        "sampling": args.sampling,
        "stride": args.stride if args.sampling == "multi_clip" else None,
        "crop_scale": TEN_CROP_SCALE if crops == 10 else 1.0,
        "source": f"videos ({args.layout} layout, {args.subset})",
        "skipped_videos": skipped,
    }

    def views():
        for entry in entries:
            try:
                video = video_views(
                    entry.path,
                    num_clips=clips,
                    num_crops=crops,
                    num_frames=num_frames,
                    aspect_ratio=width / height,
                    sampling=args.sampling,
                    stride=args.stride,
                )
            except data.VideoDecodeError as error:
                print(f"grurcn evaluate: {error}", file=sys.stderr, flush=True)
                skipped.append({"video": entry.path, "error": error.reason})
                continue
            yield video, entry.label

    report = evaluate_multi_clip(
        model,
        views(),
        num_crops=crops,
        class_names=model.labels,
        batch_size=args.batch_size,
        output_dir=args.output,
        protocol=protocol,
    )
    rows = [
        (views_name, *(f"{scores[k]:.4f}" if k in scores else "-" for k in TOP_K))
        for views_name, scores in report["views"].items()
    ]
    print_table(("views", *TOP_K), rows)
    print(
        f"{report['num_videos']} videos, {clips} clips x {crops} crops of "
        f"{num_frames} frames ({args.sampling} sampling)"
        + (f"; {len(skipped)} could not be read" if skipped else "")
    )
    if args.output:
        print(f"Report, protocol and confusion matrix in {args.output}")
    return 1 if skipped else 0


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
