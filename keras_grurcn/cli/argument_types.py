"""Argument types and argument groups that several `grurcn` commands share."""

import argparse

from keras_grurcn.cli.video_sources import LAYOUTS


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


def positive_float(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive number, got {text!r}"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def none_or_text(text):
    """`none` means random initialisation (no download)."""
    return None if text.lower() == "none" else text


def split_sizes(text):
    try:
        sizes = tuple(int(part) for part in text.split(","))
    except ValueError:
        sizes = ()
    if len(sizes) != 3 or min(sizes) < 0:
        raise argparse.ArgumentTypeError(
            f"expected three counts like 1200,100,670, got {text!r}"
        )
    return sizes


def add_video_arguments(parser, required=True, videos=True):
    """`--videos` (unless `videos=False`: the caller adds it) and its layout."""
    if videos:
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
        type=split_sizes,
        default=None,
        help="MSVD train,val,test clip counts (default: the standard 1200,100,670)",
    )


def frame_size(text):
    """`HEIGHTxWIDTH` (or one number for a square) as `(height, width)`."""
    try:
        size = tuple(int(part) for part in text.lower().split("x"))
    except ValueError:
        size = ()
    if len(size) == 1:
        size = size * 2
    if len(size) != 2 or min(size) < 1:
        raise argparse.ArgumentTypeError(
            f"expected HEIGHTxWIDTH like 240x320, got {text!r}"
        )
    return size
