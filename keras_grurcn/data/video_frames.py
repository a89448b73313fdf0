"""Frames of a video file one at a time, as a camera would deliver them."""

from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_reader import DEFAULT_MAX_FRAMES
from keras_grurcn.data.video_reader import DEFAULT_MAX_PIXELS
from keras_grurcn.data.video_reader import _announced_frames
from keras_grurcn.data.video_reader import _check_not_cut_short
from keras_grurcn.data.video_reader import _open
from keras_grurcn.data.video_writer import _import_av


def iter_video_frames(
    path, *, every=1, max_frames=DEFAULT_MAX_FRAMES, max_pixels=DEFAULT_MAX_PIXELS
):
    """Yields the frames of a video file as uint8 RGB, decoding as it goes.

    Unlike `read_video`, which returns a sampled clip at once, this decodes
    one frame, hands it over and only then decodes the next, so a streaming
    model (`keras_grurcn.models.ClassifierStream`, the SavedModel's
    `stream` signature) answers while the file is read, and memory holds
    one frame whatever the video's length.

    Args:
        path: path of the video file.
        every: yield every `every`-th frame (1: all), e.g. to match the
            frame rate a model was trained at.
        max_frames: stop with an error past this many decoded frames.
        max_pixels: refuse frames larger than this many pixels.

    Yields:
        uint8 `[H, W, 3]` frames.

    Raises:
        VideoDecodeError: the file is missing, not a video, has no frame,
            is corrupt or cut short (raised after the frames that did
            decode), or exceeds `max_frames` or `max_pixels`. The message
            names the file.

    Examples:

    ```python
    keras_grurcn.data.write_video("/tmp/clip.mp4", np.zeros((9, 16, 16, 3), "uint8"))
    frames = list(keras_grurcn.data.iter_video_frames("/tmp/clip.mp4", every=3))
    len(frames), frames[0].shape  # (3, (16, 16, 3))
    ```
    """
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"`every` must be a positive int, got {every!r}.")
    av = _import_av()
    path = str(path)
    container = _open(path)
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if int(stream.height) * int(stream.width) > max_pixels:
            raise VideoDecodeError(
                path,
                f"{stream.height}x{stream.width} frames exceed "
                f"max_pixels={max_pixels}.",
            )
        count = 0
        try:
            for frame in container.decode(stream):
                if count >= max_frames:
                    raise VideoDecodeError(
                        path, f"more frames than max_frames={max_frames}."
                    )
                if count % every == 0:
                    yield frame.to_ndarray(format="rgb24")
                count += 1
        except av.FFmpegError as error:
            raise VideoDecodeError(
                path, f"corrupt data after {count} frames ({error.strerror})."
            ) from None
        if count == 0:
            raise VideoDecodeError(path, "no frame could be decoded.")
        # After the last frame, as `read_video` does: a file cut short is an
        # error, though its first frames were already answered. Without a
        # count in the header (a live capture) there is nothing to hold to.
        expected = _announced_frames(container, stream)
        if expected is not None:
            _check_not_cut_short(path, stream, expected, count, max_frames)
