"""Encode uint8 frame arrays into real video files with PyAV."""

import os

import numpy as np

# Codec and encoder options per container, chosen so that every file decodes
# with the FFmpeg bundled in the PyAV wheel: `.avi` is MPEG-4 part 2 as in
# UCF-101 and MSVD; `.mkv` is lossless FFV1 (used for optical-flow caches).
DEFAULT_CODECS = {
    ".mp4": ("libx264", "yuv420p", {"crf": "17", "preset": "veryfast"}),
    ".avi": ("mpeg4", "yuv420p", {"qscale": "2"}),
    ".webm": ("libvpx-vp9", "yuv420p", {"crf": "20", "b": "0"}),
    ".mkv": ("ffv1", "bgr0", {}),
}


def _import_av():
    try:
        import av
    except ImportError as error:
        raise ImportError(
            "Reading and writing video files needs PyAV. Install it with "
            "`pip install keras-grurcn[video]` (or `pip install av`)."
        ) from error
    return av


def write_video(path, frames, *, fps=25, codec=None, pix_fmt=None, options=None):
    """Write uint8 RGB frames to a video file.

    The codec is chosen from the file extension (`.mp4`: H.264, `.avi`:
    MPEG-4 part 2, `.webm`: VP9, `.mkv`: lossless FFV1) unless `codec` is
    given. Lossy codecs with 4:2:0 chroma need even frame sizes; odd sizes
    are rejected with a clear error rather than an FFmpeg one.

    Args:
        path: output file path; its extension picks the container.
        frames: uint8 array `[T, H, W, 3]` of RGB frames, `T >= 1`.
        fps: frames per second stored in the file.
        codec: FFmpeg encoder name overriding the per-extension default.
        pix_fmt: pixel format of the encoded stream (default per codec).
        options: dict of encoder options (default per codec).

    Returns:
        The path written.

    Examples:

    ```python
    frames = np.zeros((4, 16, 16, 3), "uint8")
    keras_grurcn.data.write_video("/tmp/clip.mp4", frames)
    ```
    """
    av = _import_av()
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 1:
        raise ValueError(
            f"write_video({path!r}): expected frames of shape [T, H, W, 3] "
            f"with T >= 1, got shape {frames.shape}."
        )
    if frames.dtype != np.uint8:
        raise ValueError(
            f"write_video({path!r}): expected uint8 frames, got {frames.dtype}."
        )
    extension = os.path.splitext(str(path))[1].lower()
    default_codec, default_pix_fmt, default_options = DEFAULT_CODECS.get(
        extension, DEFAULT_CODECS[".mp4"]
    )
    if codec is None:
        codec, pix_fmt, options = (
            default_codec,
            pix_fmt or default_pix_fmt,
            default_options if options is None else options,
        )
    pix_fmt = pix_fmt or "yuv420p"
    height, width = frames.shape[1:3]
    if pix_fmt.endswith("420p") and (height % 2 or width % 2):
        raise ValueError(
            f"write_video({path!r}): codec {codec!r} with {pix_fmt} needs even "
            f"frame sizes, got {height}x{width}."
        )
    directory = os.path.dirname(str(path))
    if directory:
        os.makedirs(directory, exist_ok=True)
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, pix_fmt
        stream.options = dict(options or {})
        for frame in frames:
            video_frame = av.VideoFrame.from_ndarray(frame, format="rgb24")
            container.mux(stream.encode(video_frame))
        container.mux(stream.encode())  # Flush the encoder's delayed frames.
    return str(path)
