"""Check every file of a dataset up front, in plain Python."""

from keras_grurcn.data.decode_report import DecodeReport
from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_reader import (
    DEFAULT_MAX_FRAMES,
    DEFAULT_MAX_PIXELS,
    read_video,
)


def check_videos(
    entries,
    *,
    on_error="report",
    max_frames=DEFAULT_MAX_FRAMES,
    max_pixels=DEFAULT_MAX_PIXELS,
    progress=True,
):
    """Decode every video once to find the bad files before training.

    Inside `tf.data` an error can only surface wrapped in a TensorFlow
    error; this check runs in Python, so `on_error="raise"` raises the
    `VideoDecodeError` itself. Each file is decoded to its last frame (so
    truncation is caught) while only two tiny frames are converted.

    Args:
        entries: a list of `VideoEntry` (or paths).
        on_error: `"report"` collects the bad files in the returned
            `DecodeReport` (and logs them); `"raise"` raises the first
            `VideoDecodeError`.
        max_frames, max_pixels: as in `read_video`.
        progress: show a tqdm progress bar.

    Returns:
        A `DecodeReport` of the bad files (empty when all decode).

    Examples:

    ```python
    report = keras_grurcn.data.check_videos(entries)
    good = [e for e in entries if e.path not in dict(report.failures)]
    ```
    """
    from tqdm.auto import tqdm

    if on_error not in ("report", "raise"):
        raise ValueError(f"on_error must be 'report' or 'raise', got {on_error!r}.")
    report = DecodeReport()
    for entry in tqdm(list(entries), desc="checking videos", disable=not progress):
        path = entry.path if isinstance(entry, VideoEntry) else str(entry)
        try:
            # Two one-frame clips starting at the first and the last frame:
            # the whole file is decoded, two 8-pixel frames are converted.
            read_video(
                path,
                num_frames=1,
                sampling="multi_clip",
                num_clips=2,
                short_side=8,
                max_frames=max_frames,
                max_pixels=max_pixels,
            )
        except VideoDecodeError as error:
            if on_error == "raise":
                raise
            report.record(error)
    return report
