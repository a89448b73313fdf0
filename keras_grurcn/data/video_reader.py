"""Decode sampled frames of a video file into uint8 arrays with PyAV."""

import dataclasses
import os

import numpy as np

from keras_grurcn.data.frame_sampling import flow_pair_indices
from keras_grurcn.data.frame_sampling import sample_frame_indices
from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_writer import _import_av

# Guards against files that would exhaust memory: ~1 h at 25 fps (the
# longest UCF-101 video has 1,776 frames, MSVD clips are seconds long) and
# 4K frames. Both are per-call arguments. Within both, a header may still
# announce 100,000 4K frames; decoding every frame (`num_frames=None`, as
# `grurcn predict` does) would then hold 2.5 TB, so the decoded output has a
# bound of its own: 2 GiB holds every frame of UCF-101's longest video
# (409 MB at 320x240) and 10 s of 1080p at 30 fps (1.9 GB).
DEFAULT_MAX_FRAMES = 100_000
DEFAULT_MAX_PIXELS = 3840 * 2160
DEFAULT_MAX_BYTES = 2 * 2**30


@dataclasses.dataclass(frozen=True)
class VideoInfo:
    """What the header of a video file says about its video stream.

    Args:
        num_frames: frame count from the header, estimated from the duration
            and frame rate when the container stores none (WebM, MKV), or
            counted from the packets when neither is stored.
        height: frame height in pixels.
        width: frame width in pixels.
        fps: average frame rate (0.0 when unknown).

    Examples:

    ```python
    keras_grurcn.data.write_video("/tmp/clip.mp4", np.zeros((9, 16, 16, 3), "uint8"))
    info = keras_grurcn.data.probe_video("/tmp/clip.mp4")
    info.num_frames, info.height, info.width  # (9, 16, 16)
    ```
    """

    num_frames: int
    height: int
    width: int
    fps: float


def _open(path):
    av = _import_av()
    if not os.path.isfile(path):
        raise VideoDecodeError(path, "no such file.")
    try:
        container = av.open(path, mode="r")
    except av.FFmpegError as error:
        raise VideoDecodeError(
            path,
            "not a readable video container (corrupt, truncated or not a video: "
            f"{error.strerror}).",
        ) from None
    if not container.streams.video:
        container.close()
        raise VideoDecodeError(path, "the file has no video stream.")
    return container


def _expected_frames(path, container, stream):
    announced = _announced_frames(container, stream)
    if announced is not None:
        return announced
    # Neither a count nor a duration: count the packets (demuxing without
    # decoding is cheap), then rewind.
    count = sum(1 for packet in container.demux(stream) if packet.size)
    container.seek(0)
    return count


def _announced_frames(container, stream):
    """The frame count the header gives or implies (duration x rate), or None."""
    if stream.frames > 0:
        return int(stream.frames)
    rate = float(stream.average_rate or 0)
    if container.duration and rate > 0:
        return int(round(container.duration / 1_000_000 * rate))
    return None


def _check_not_cut_short(path, stream, expected, count, last_wanted):
    """Raises when far fewer frames decoded than the header announced."""
    # A header count may overstate the decodable frames by one (1% on
    # long videos), a count estimated from the duration by a few; more
    # means the file was cut short or frames were dropped as corrupt.
    if stream.frames > 0:
        tolerance = max(1, expected // 100)
    else:
        tolerance = max(2, expected // 20)
    if count < min(expected, last_wanted + 1) - tolerance:
        raise VideoDecodeError(
            path,
            f"truncated or corrupt, the header announces {expected} frames "
            f"but only {count} could be decoded.",
        )


def probe_video(path):
    """Read the header of a video file without decoding it.

    Args:
        path: path of the video file.

    Returns:
        A `VideoInfo`.

    Raises:
        VideoDecodeError: the file is missing, not a video container or has
            no video stream.

    Examples:

    ```python
    keras_grurcn.data.write_video("/tmp/clip.mp4", np.zeros((9, 16, 16, 3), "uint8"))
    keras_grurcn.data.probe_video("/tmp/clip.mp4").num_frames  # 9
    ```
    """
    path = str(path)
    container = _open(path)
    with container:
        stream = container.streams.video[0]
        return VideoInfo(
            num_frames=_expected_frames(path, container, stream),
            height=int(stream.height),
            width=int(stream.width),
            fps=float(stream.average_rate or 0),
        )


def _resized_size(height, width, short_side):
    if short_side is None:
        return height, width
    scale = short_side / min(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


def read_video(
    path,
    *,
    num_frames=None,
    sampling="uniform",
    stride=1,
    num_clips=1,
    rng=None,
    short_video="loop",
    short_side=None,
    frame_pairs=False,
    max_frames=DEFAULT_MAX_FRAMES,
    max_pixels=DEFAULT_MAX_PIXELS,
    max_bytes=DEFAULT_MAX_BYTES,
):
    """Decode the sampled frames of one video file as uint8 RGB.

    The frame count comes from the header (see `VideoInfo`), the clip's
    indices from `sample_frame_indices`, then the file is decoded once, in
    order, stopping after the last index needed; only the sampled frames are
    converted to RGB (and resized by FFmpeg's scaler when `short_side` is
    set), so a 10-frame clip of a long video costs one decode pass and ten
    conversions.

    Args:
        path: path of the video file (any container FFmpeg reads: mp4, avi,
            webm, mkv, ...).
        num_frames: frames per clip; `None` decodes every frame.
        sampling, stride, num_clips, rng, short_video: see
            `sample_frame_indices`.
        short_side: resize so that the shorter side has this many pixels,
            keeping the aspect ratio; `None` keeps the decoded size.
        frame_pairs: decode each sampled frame with the one after it
            (`flow_pair_indices`), the pairs optical flow is computed
            between; needs `num_frames` and a video of 2 frames or more.
        max_frames: refuse files announcing more frames than this.
        max_pixels: refuse frames larger than this many pixels.
        max_bytes: refuse files whose decoded frames (the returned array)
            would take more than this many bytes; checked from the header
            before decoding and again while decoding every frame.

    Returns:
        uint8 `[T, H, W, 3]` in 0..255, or `[num_clips, T, H, W, 3]` for
        `sampling="multi_clip"`; with `frame_pairs`, a pair axis before `H`
        (`[T, 2, H, W, 3]`).

    Raises:
        VideoDecodeError: the file is missing, not a video, has no video
            stream or no frame, is corrupt or truncated (fewer frames decode
            than its header announces), or exceeds `max_frames` or
            `max_pixels`. The message names the file.

    Examples:

    ```python
    keras_grurcn.data.write_video("/tmp/clip.mp4", np.zeros((9, 16, 16, 3), "uint8"))
    keras_grurcn.data.read_video("/tmp/clip.mp4", num_frames=3).shape
    # (3, 16, 16, 3)
    ```
    """
    av = _import_av()
    path = str(path)
    if frame_pairs and num_frames is None:
        raise ValueError("read_video: `frame_pairs` needs `num_frames`.")
    container = _open(path)
    with container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # Let FFmpeg decode with several threads.
        height, width = int(stream.height), int(stream.width)
        if height * width > max_pixels:
            raise VideoDecodeError(
                path, f"{height}x{width} frames exceed max_pixels={max_pixels}."
            )
        expected = _expected_frames(path, container, stream)
        if expected > max_frames:
            raise VideoDecodeError(
                path, f"{expected} frames exceed max_frames={max_frames}."
            )
        if expected < 1:
            raise VideoDecodeError(path, "the video stream has no frames.")
        if num_frames is None:
            indices = None  # Every frame, however many the header announced.
            wanted, last_wanted = None, max_frames
        else:
            indices = sample_frame_indices(
                expected,
                num_frames,
                sampling=sampling,
                stride=stride,
                num_clips=num_clips,
                rng=rng,
                short_video=short_video,
            )
            if frame_pairs:
                if expected < 2:
                    raise VideoDecodeError(
                        path, "optical flow needs at least 2 frames; it has 1."
                    )
                indices = flow_pair_indices(indices, expected)
            wanted = set(indices.ravel().tolist())
            last_wanted = max(wanted)
        size = _resized_size(height, width, short_side)
        frame_bytes = size[0] * size[1] * 3
        kept = expected if indices is None else indices.size
        if kept * frame_bytes > max_bytes:
            raise VideoDecodeError(
                path,
                f"{kept} decoded frames of {size[0]}x{size[1]} would take "
                f"{kept * frame_bytes / 2**30:.1f} GiB, more than max_bytes="
                f"{max_bytes}.",
            )
        # Area averaging when shrinking (no aliasing), bilinear otherwise.
        interpolation = "AREA" if size[0] < height else "BILINEAR"

        # One scaler context for the whole video instead of one per frame;
        # threads=1: swscale's own thread pool costs ~5x on one small frame
        # (measured, docs/decisions.md), tf.data parallelises across videos.
        reformatter = av.video.reformatter.VideoReformatter()

        def to_rgb(frame):
            return reformatter.reformat(
                frame,
                width=size[1],
                height=size[0],
                format="rgb24",
                interpolation=interpolation,
                threads=1,
            ).to_ndarray()

        decoded, previous, count = {}, None, 0
        try:
            for frame in container.decode(stream):
                if count >= max_frames:  # The header understated the count.
                    raise VideoDecodeError(
                        path, f"more frames than max_frames={max_frames}."
                    )
                if wanted is None and (count + 1) * frame_bytes > max_bytes:
                    raise VideoDecodeError(
                        path,
                        f"more decoded frames than max_bytes={max_bytes} holds "
                        "(the header understated the count).",
                    )
                if wanted is None or count in wanted:
                    decoded[count] = to_rgb(frame)
                previous, count = frame, count + 1
                if count > last_wanted:
                    break
        except av.FFmpegError as error:
            raise VideoDecodeError(
                path, f"corrupt data after {count} frames ({error.strerror})."
            ) from None
        if count == 0:
            raise VideoDecodeError(path, "no frame could be decoded.")
        _check_not_cut_short(path, stream, expected, count, last_wanted)
        if indices is None:
            indices = np.arange(count, dtype=np.int64)
        elif count <= last_wanted:
            # The last wanted frames lie in the few the header overstated:
            # repeat the last frame that decoded.
            decoded.setdefault(count - 1, to_rgb(previous))
            indices = np.minimum(indices, count - 1)
    return np.stack([decoded[i] for i in indices.ravel().tolist()]).reshape(
        indices.shape + size + (3,)
    )
