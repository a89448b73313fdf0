"""`grurcn prepare`: write synthetic datasets as videos, or check a dataset's videos."""

from keras_grurcn.cli.argument_types import add_video_arguments
from keras_grurcn.cli.argument_types import positive_int
from keras_grurcn.cli.video_sources import video_entries


def add_parser(commands, formatter):
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
    synthetic.add_argument("--clips", type=positive_int, default=200)
    synthetic.add_argument(
        "--layout", choices=("folder", "ucf101", "msvd"), default="folder"
    )
    synthetic.add_argument("--frames", type=positive_int, default=8)
    synthetic.add_argument("--image-size", type=positive_int, default=32)
    synthetic.add_argument("--seed", type=int, default=0)
    check = prepare_kind.add_parser(
        "check",
        help="decode every video once and report the bad ones",
        formatter_class=formatter,
    )
    add_video_arguments(check)
    prepare.set_defaults(handler=run_prepare)
    return prepare


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
