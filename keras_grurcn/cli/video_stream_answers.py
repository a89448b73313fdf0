"""`grurcn predict --stream`: the running answer printed as each frame is read.

The conventions of `video_answers.py` hold: each file that cannot be read
is named on stderr (and, with `--json`, in an `error` record), the other
files are answered, and the exit status is then 1. A file that breaks
mid-way keeps the answers already printed for its first frames.
"""

import os
import sys

from keras_grurcn.cli.video_answers import exit_status
from keras_grurcn.cli.video_answers import print_json_record


def stream_videos(args, start):
    """Feeds each of `args.videos` frame by frame to a fresh stream.

    Args:
        args: the parsed arguments (`videos`, `every`, `top`, `json`,
            `command`).
        start: a function that starts a video and returns
            `step(frame) -> (probabilities, names)`
            (`cli.frame_streams.frame_stream_starter`).

    Returns:
        The exit status: 0, or 1 when a file could not be read.
    """
    from keras_grurcn import data

    failures = 0
    for video in args.videos:
        step = start()
        try:
            for index, frame in enumerate(
                data.iter_video_frames(video, every=args.every)
            ):
                probabilities, names = step(frame)
                _print_update(args, video, index * args.every, probabilities, names)
        except data.VideoDecodeError as error:
            failures += 1
            print(f"grurcn {args.command}: {error}", file=sys.stderr, flush=True)
            if args.json:
                print_json_record({"video": video, "error": error.reason})
    return exit_status(args, failures)


def _print_update(args, video, frame, probabilities, names):
    if args.json:
        best = probabilities.argsort()[::-1][: args.top]
        print_json_record(
            {
                "video": video,
                "frame": frame,
                "predictions": [
                    {"label": names[i], "probability": float(probabilities[i])}
                    for i in best
                ],
            }
        )
        return
    best = int(probabilities.argmax())
    print(
        f"{os.path.basename(video)} frame {frame}: {names[best]} "
        f"{probabilities[best]:.2f}",
        flush=True,
    )
