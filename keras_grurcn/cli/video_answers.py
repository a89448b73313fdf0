"""Answering a list of video files one by one: `grurcn predict` and `caption`.

A batch command reports each file it cannot read and answers every other
one: a truncated download among a thousand clips costs one line, not the
run. The exit status is 1 when any file failed.
"""

import json
import os
import sys

from keras_grurcn.cli.reporting import print_table


class UnanswerableVideo(ValueError):
    """A video that decoded but that the model cannot take (the reason says
    why, e.g. one frame, no optical flow): reported like an unreadable one."""


def answer_videos(args, answer, column):
    """Decodes each of `args.videos`, answers it, and prints the answers.

    Args:
        args: the parsed arguments (`videos`, `json`, `command`).
        answer: a function from one video's uint8 frames `(T, H, W, 3)` to a
            JSON-serializable dict (e.g. `{"caption": ...}`); it raises
            `UnanswerableVideo` for a video the model cannot take.
        column: `(header, function from an answer to its table cell)`, for
            the plain-text table.

    Returns:
        The exit status: 0, or 1 when a file could not be read.
    """
    from keras_grurcn import data

    rows, failures = [], 0
    for video in args.videos:
        try:
            result = answer(data.read_video(video))
        except (data.VideoDecodeError, UnanswerableVideo) as error:
            failures += 1
            reason = getattr(error, "reason", str(error))
            message = (
                error
                if isinstance(error, data.VideoDecodeError)
                else f"{video}: {reason}"
            )
            print(f"grurcn {args.command}: {message}", file=sys.stderr, flush=True)
            if args.json:
                print_json_record({"video": video, "error": reason})
            continue
        if args.json:
            # One line per video as soon as it is answered: a long batch
            # can be followed (and piped into jq) while it runs.
            print_json_record({"video": video, **result})
        else:
            rows.append((os.path.basename(video), column[1](result)))
    if rows:
        print_table(("video", column[0]), rows)
    return exit_status(args, failures)


def exit_status(args, failures):
    """0, or 1 after saying on stderr how many videos could not be read."""
    if failures:
        print(
            f"grurcn {args.command}: {failures} of {len(args.videos)} videos could "
            "not be read; the others were answered.",
            file=sys.stderr,
        )
        return 1
    return 0


def print_json_record(record):
    """One JSON Lines record on stdout, flushed at once."""
    print(json.dumps(record, ensure_ascii=False), flush=True)
