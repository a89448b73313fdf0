"""The `grurcn` command line (also `python -m keras_grurcn`).

Each subcommand only parses its arguments and calls library functions
(`keras_grurcn.cli.commands`, `keras_grurcn.cli.demo`), which the tests
import and run directly.
"""

import argparse
import sys

from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.percept_extraction import RUNNERS
from keras_grurcn.cli.video_sources import LAYOUTS
from keras_grurcn.presets import PRESETS


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def _positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive number, got {text!r}"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def _none_or_text(text):
    """`none` means random initialisation (no download)."""
    return None if text.lower() == "none" else text


def _split_sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if len(sizes) != 3 or min(sizes) < 0:
        raise argparse.ArgumentTypeError(
            f"expected three counts like 1200,100,670, got {text!r}"
        )
    return sizes


def _add_video_arguments(parser, required=True):
    parser.add_argument(
        "--videos", required=required, help="dataset root (or manifest file)"
    )
    parser.add_argument(
        "--layout", choices=LAYOUTS, default="folder", help="dataset layout"
    )
    parser.add_argument(
        "--split", type=int, choices=(1, 2, 3), default=1, help="UCF-101 split"
    )
    parser.add_argument("--subset", default="train", help="train, val (MSVD) or test")
    parser.add_argument(
        "--msvd-split-sizes",
        type=_split_sizes,
        default=None,
        help="MSVD train,val,test clip counts (default: the standard 1200,100,670)",
    )


def build_parser():
    formatter = argparse.ArgumentDefaultsHelpFormatter
    parser = argparse.ArgumentParser(
        prog="grurcn",
        description="GRU-RCN video models (Ballas et al., ICLR 2016) for Keras 3.",
        formatter_class=formatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = commands.add_parser(
        "demo",
        help="synthetic motion videos -> percepts -> GRU-RCN vs frame average -> SavedModel",
        formatter_class=formatter,
    )
    demo.add_argument(
        "--workdir", default="grurcn_runs/demo", help="where artifacts go"
    )
    demo.add_argument(
        "--clips", type=_positive_int, default=320, help="synthetic clips"
    )
    demo.add_argument(
        "--epochs", type=_positive_int, default=12, help="epochs per model"
    )
    demo.add_argument("--seed", type=int, default=0, help="data and training seed")
    demo.add_argument(
        "--backbone-weights",
        type=_none_or_text,
        default=None,
        help="'none' (fixed random VGG-16, no download), 'imagenet' or a .weights.h5 file",
    )

    prepare = commands.add_parser(
        "prepare",
        help="write synthetic datasets as video files, or check a dataset's videos",
        formatter_class=formatter,
    )
    prepare_kind = prepare.add_subparsers(
        dest="prepare_command", metavar="KIND", required=True
    )
    synthetic = prepare_kind.add_parser(
        "synthetic", help="synthetic motion clips as videos", formatter_class=formatter
    )
    synthetic.add_argument("--out", required=True, help="dataset root to write")
    synthetic.add_argument("--clips", type=_positive_int, default=200)
    synthetic.add_argument(
        "--layout", choices=("folder", "ucf101", "msvd"), default="folder"
    )
    synthetic.add_argument("--frames", type=_positive_int, default=8)
    synthetic.add_argument("--image-size", type=_positive_int, default=32)
    synthetic.add_argument("--seed", type=int, default=0)
    check = prepare_kind.add_parser(
        "check",
        help="decode every video once and report the bad ones",
        formatter_class=formatter,
    )
    _add_video_arguments(check)

    extract = commands.add_parser(
        "extract",
        help="cache percepts of a frozen backbone as TFRecord",
        formatter_class=formatter,
    )
    _add_video_arguments(extract)
    extract.add_argument("--out", required=True, help="cache folder (resumable)")
    extract.add_argument(
        "--backbone",
        type=_none_or_text,
        default="vgg16",
        help="the CNN whose percepts are cached ('none': the clips themselves, for c3d)",
    )
    extract.add_argument(
        "--levels", default=None, help="comma-separated, default: backbone's"
    )
    extract.add_argument("--backbone-weights", type=_none_or_text, default="imagenet")
    extract.add_argument(
        "--frames", type=_positive_int, default=10, help="frames per clip"
    )
    extract.add_argument("--image-size", type=_positive_int, default=224)
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
        type=_positive_float,
        default=20.0,
        help="with --modality flow: displacement (pixels at --image-size) "
        "mapped to the ends of 0..255",
    )
    extract.add_argument("--batch-size", type=_positive_int, default=8)
    extract.add_argument(
        "--examples-per-shard", type=_positive_int, default=256, help="clips per shard"
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
    train.add_argument(
        "--flow-data-dir",
        default=None,
        help="--model two_stream: folder with the flow caches train/ and val/ "
        "(or test/) of the same videos (grurcn extract --modality flow)",
    )
    train.add_argument("--train-cache", default=None, help="percept cache for training")
    train.add_argument("--val-cache", default=None, help="percept cache for validation")
    train.add_argument(
        "--workdir", required=True, help="checkpoints, logs, final model"
    )
    train.add_argument("--epochs", type=_positive_int, default=None)
    train.add_argument("--batch-size", type=_positive_int, default=None)
    train.add_argument("--learning-rate", type=float, default=None)
    train.add_argument("--strategy", default="auto")
    train.add_argument("--mixed-precision", default=None)
    train.add_argument("--jit-compile", action="store_true")
    train.add_argument("--seed", type=int, default=0)

    evaluate = commands.add_parser(
        "evaluate",
        help="score a trained .keras model on a percept cache",
        formatter_class=formatter,
    )
    evaluate.add_argument(
        "--model", required=True, help="a preset folder (WORKDIR/preset) or .keras file"
    )
    evaluate.add_argument("--cache", required=True, help="percept cache to score on")
    evaluate.add_argument(
        "--output", default=None, help="folder for the report and plots"
    )
    evaluate.add_argument(
        "--beam-width", type=_positive_int, default=5, help="captioners"
    )

    export = commands.add_parser(
        "export",
        help="write a TF Serving SavedModel (uint8 frames in)",
        formatter_class=formatter,
    )
    export.add_argument(
        "--model", required=True, help="a preset folder (WORKDIR/preset) or .keras file"
    )
    export.add_argument(
        "--out", required=True, help="version folder, e.g. models/grurcn/1"
    )
    export.add_argument("--overwrite", action="store_true")

    for name, help_text in (
        ("predict", "classify video files with a .keras model or a SavedModel"),
        ("caption", "caption video files with a captioner (.keras or SavedModel)"),
    ):
        command = commands.add_parser(name, help=help_text, formatter_class=formatter)
        command.add_argument(
            "--model",
            required=True,
            help="a preset folder (WORKDIR/preset), .keras file or SavedModel folder",
        )
        command.add_argument("videos", nargs="+", help="video files")
        command.add_argument(
            "--top", type=_positive_int, default=3, help="answers per video"
        )
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    from keras_grurcn.cli import commands

    handler = getattr(commands, f"run_{args.command}")
    try:
        return handler(args) or 0
    except (CommandError, OSError, ValueError) as error:
        print(f"grurcn {args.command}: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
