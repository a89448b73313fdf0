"""Dense optical flow with OpenCV, encoded as images and cached as videos.

Two-stream models feed flow to an ImageNet CNN as images: the horizontal
and vertical components, clipped to `[-bound, bound]` and rescaled to
0..255, plus the flow magnitude as a third channel. The cache stores these
images losslessly (FFV1 in `.mkv`), so a flow stream is read back through
the same `video_dataset` pipeline as the RGB stream.
"""

import logging
import os

import numpy as np

from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_reader import read_video
from keras_grurcn.data.video_writer import write_video

logger = logging.getLogger("keras_grurcn.data")
FLOW_METHODS = ("farneback", "tvl1")


def _import_cv2():
    try:
        import cv2
    except ImportError as error:
        raise ImportError(
            "Optical flow needs OpenCV. Install it with "
            "`pip install keras-grurcn[video]` (or `pip install "
            "opencv-python-headless`)."
        ) from error
    return cv2


def tvl1_available():
    """Whether the installed OpenCV offers TV-L1 (it is in opencv-contrib).

    Examples:

    ```python
    keras_grurcn.data.tvl1_available()  # False with opencv-python-headless
    ```
    """
    cv2 = _import_cv2()
    return hasattr(getattr(cv2, "optflow", None), "DualTVL1OpticalFlow_create")


def _flow_function(method):
    cv2 = _import_cv2()
    if method == "farneback":
        # OpenCV's documented defaults (pyramid 0.5, 3 levels, window 15,
        # 3 iterations, poly_n 5, poly_sigma 1.2).
        return lambda previous, current: cv2.calcOpticalFlowFarneback(
            previous, current, None, 0.5, 3, 15, 3, 5, 1.2, 0
        )
    if method == "tvl1":
        if not tvl1_available():
            raise ImportError(
                "TV-L1 optical flow is in OpenCV's contrib modules, which the "
                "installed OpenCV lacks. Install `opencv-contrib-python-headless` "
                "instead of `opencv-python-headless`, or use method='farneback'."
            )
        tvl1 = cv2.optflow.DualTVL1OpticalFlow_create()
        return lambda previous, current: tvl1.calc(previous, current, None)
    raise ValueError(f"method must be one of {FLOW_METHODS}, got {method!r}.")


def compute_optical_flow(frames, *, method="farneback"):
    """Dense optical flow between consecutive frames.

    Args:
        frames: uint8 RGB `[T, H, W, 3]`, `T >= 2`.
        method: `"farneback"` (OpenCV core) or `"tvl1"` (needs
            opencv-contrib, see `tvl1_available`).

    Returns:
        float32 `[T - 1, H, W, 2]`: the (x, y) displacement in pixels of
        each pixel from frame `t` to frame `t + 1`.

    Examples:

    ```python
    frames, _ = keras_grurcn.data.make_motion_clips(1, num_frames=3)
    flow = keras_grurcn.data.compute_optical_flow(frames[0])  # (2, 32, 32, 2)
    ```
    """
    cv2 = _import_cv2()
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 2:
        raise ValueError(
            "compute_optical_flow: expected frames [T, H, W, 3] with T >= 2, "
            f"got shape {frames.shape}."
        )
    flow_between = _flow_function(method)
    grey = [cv2.cvtColor(np.ascontiguousarray(f), cv2.COLOR_RGB2GRAY) for f in frames]
    return np.stack([flow_between(a, b) for a, b in zip(grey[:-1], grey[1:])]).astype(
        np.float32
    )


def flow_to_image(flow, *, bound=20.0):
    """Encode flow as a 3-channel uint8 image for an ImageNet CNN.

    Channels: x and y clipped to `[-bound, bound]` and mapped linearly to
    0..255 (zero motion is 127.5), and the magnitude `sqrt(x^2 + y^2)`
    clipped to `[0, bound]` and mapped to 0..255.

    Args:
        flow: float `[..., 2]`.
        bound: the displacement (pixels) mapped to the extremes; 20 is the
            two-stream convention.

    Returns:
        uint8 `[..., 3]`.

    Examples:

    ```python
    flow = np.zeros((16, 16, 2), "float32")  # no motion
    image = keras_grurcn.data.flow_to_image(flow)  # uint8 (16, 16, 3)
    ```
    """
    flow = np.asarray(flow, np.float32)
    if flow.shape[-1] != 2:
        raise ValueError(
            f"flow_to_image: expected [..., 2] flow, got shape {flow.shape}."
        )
    components = (np.clip(flow, -bound, bound) + bound) * (255.0 / (2 * bound))
    magnitude = np.clip(np.linalg.norm(flow, axis=-1, keepdims=True), 0, bound)
    image = np.concatenate([components, magnitude * (255.0 / bound)], axis=-1)
    return np.round(image).astype(np.uint8)


def _output_path(entry, source_root, output_dir):
    relative = os.path.relpath(entry.path, source_root)
    return os.path.join(output_dir, os.path.splitext(relative)[0] + ".mkv")


def write_flow_videos(
    entries,
    output_dir,
    *,
    method="farneback",
    bound=20.0,
    short_side=None,
    on_error="skip",
    progress=True,
):
    """Compute, encode and cache the optical flow of every video.

    Each video is decoded whole, its flow between consecutive frames encoded
    by `flow_to_image` and written losslessly to `output_dir` as an FFV1
    `.mkv` with one frame fewer, mirroring the source folders. Existing
    outputs are kept, so an interrupted run resumes where it stopped (files
    are written under a temporary name and renamed when complete).

    Args:
        entries: a list of `VideoEntry`.
        output_dir: cache folder.
        method: `"farneback"` or `"tvl1"` (see `compute_optical_flow`).
        bound: see `flow_to_image`.
        short_side: resize before computing flow (flow is costly at full
            resolution; 256 is the two-stream convention).
        on_error: `"skip"` (log and leave out) or `"raise"` for videos that
            fail to decode.
        progress: show a tqdm progress bar.

    Returns:
        A list of `VideoEntry` pointing at the flow videos, with the same
        labels, captions and ids, ready for `video_dataset`.

    Examples:

    ```python
    entries = keras_grurcn.data.write_motion_videos("/tmp/flow_src", 2, num_frames=4)
    flow_entries = keras_grurcn.data.write_flow_videos(
        entries, "/tmp/flow", progress=False
    )
    ```
    """
    if on_error not in ("skip", "raise"):
        raise ValueError(f"on_error must be 'skip' or 'raise', got {on_error!r}.")
    _flow_function(method)  # Fail early on a bad or unavailable method.
    from tqdm.auto import tqdm

    entries = list(entries)
    if not entries:
        raise ValueError("write_flow_videos: `entries` is empty.")
    source_root = os.path.commonpath([os.path.dirname(e.path) for e in entries])
    flow_entries = []
    for entry in tqdm(entries, desc="optical flow", disable=not progress):
        output = _output_path(entry, source_root, str(output_dir))
        if not os.path.isfile(output):
            try:
                frames = read_video(entry.path, short_side=short_side)
                if len(frames) < 2:
                    raise VideoDecodeError(entry.path, "flow needs >= 2 frames.")
            except VideoDecodeError as error:
                if on_error == "raise":
                    raise
                logger.warning("Skipped video in write_flow_videos: %s", error)
                continue
            images = flow_to_image(
                compute_optical_flow(frames, method=method), bound=bound
            )
            partial = output[: -len(".mkv")] + ".partial.mkv"
            write_video(partial, images)
            os.replace(partial, output)
        flow_entries.append(
            VideoEntry(output, entry.label, entry.captions, entry.video_id)
        )
    return flow_entries
