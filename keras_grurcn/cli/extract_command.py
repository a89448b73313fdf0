"""`grurcn extract`: cache the percepts of a frozen CNN (`cli/percept_extraction.py`)."""

from keras_grurcn.cli.argument_types import add_video_arguments
from keras_grurcn.cli.argument_types import none_or_text
from keras_grurcn.cli.argument_types import positive_float
from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.percept_extraction import RUNNERS
from keras_grurcn.cli.video_sources import video_entries


def add_parser(commands, formatter):
    extract = commands.add_parser(
        "extract",
        help="cache percepts of a frozen backbone as TFRecord",
        formatter_class=formatter,
    )
    add_video_arguments(extract)
    extract.add_argument("--out", required=True, help="cache folder (resumable)")
    extract.add_argument(
        "--backbone",
        type=none_or_text,
        default="vgg16",
        help="the CNN whose percepts are cached ('none': the clips themselves, for c3d)",
    )
    extract.add_argument(
        "--levels", default=None, help="comma-separated, default: backbone's"
    )
    extract.add_argument("--backbone-weights", type=none_or_text, default="imagenet")
    extract.add_argument(
        "--frames", type=positive_int, default=10, help="frames per clip"
    )
    extract.add_argument("--image-size", type=positive_int, default=224)
    extract.add_argument(
        "--modality",
        choices=("rgb", "flow"),
        default="rgb",
        help="percepts of the frames, or of optical-flow images (a two-stream "
        "model's flow stream: one per sampled frame, the flow to the next frame)",
    )
    extract.add_argument(
        "--flow-method",
        choices=("auto", "farneback", "tvl1"),
        default="auto",
        help="with --modality flow: auto is TV-L1 where OpenCV's contrib "
        "modules are installed, Farneback otherwise",
    )
    extract.add_argument(
        "--flow-bound",
        type=positive_float,
        default=20.0,
        help="with --modality flow: displacement (pixels at --image-size) "
        "mapped to the ends of 0..255",
    )
    extract.add_argument("--batch-size", type=positive_int, default=8)
    extract.add_argument(
        "--examples-per-shard", type=positive_int, default=256, help="clips per shard"
    )
    extract.add_argument(
        "--percept-dtype",
        choices=("float16", "bfloat16", "uint8"),
        default="float16",
        help="storage; uint8 uses a per-level scale and offset (half the bytes)",
    )
    extract.add_argument(
        "--runner",
        choices=RUNNERS,
        default="inprocess",
        help="inprocess (one process), or an Apache Beam runner (pip install "
        "'keras-grurcn[beam]'); a rerun skips the shards already complete",
    )
    extract.add_argument(
        "--beam-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="Beam pipeline option, repeatable (e.g. direct_num_workers=2)",
    )
    extract.set_defaults(handler=run_extract)
    return extract


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
