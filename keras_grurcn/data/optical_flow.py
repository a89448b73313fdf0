"""Dense optical flow with OpenCV, encoded as images a CNN takes.

Two-stream models feed flow to an ImageNet CNN as images: the horizontal
and vertical components, clipped to `[-bound, bound]` and rescaled to
0..255, plus the flow magnitude as a third channel (`flow_to_image`). A
clip of T sampled frames gives T flow images, each the flow from a sampled
frame to the next frame of the video (`flow_pair_indices`), computed at the
model's image size (`flow_images`). The percept cache (`video_dataset(...,
modality="flow")`), `grurcn predict` and SavedModel clients
(`video_flow_images`) all make them with these functions.
"""

import keras
import numpy as np

from keras_grurcn.data.frame_sampling import flow_pair_indices
from keras_grurcn.data.frame_sampling import sample_frame_indices
from keras_grurcn.preprocessing.frame_resizing import frame_resizer
from keras_grurcn.preprocessing.input_modality import DEFAULT_FLOW_BOUND
from keras_grurcn.preprocessing.input_modality import FLOW_METHODS
from keras_grurcn.preprocessing.input_modality import check_input_modality

# `flow_method="auto"`: TV-L1 where OpenCV's contrib modules are installed
# (the two-stream literature's method), Farneback otherwise.
AUTO = "auto"
# What a flow cache records about its images, for people and for checks.
FLOW_ENCODING = (
    "x, y clipped to [-bound, bound] and magnitude clipped to [0, bound], "
    "each mapped linearly to 0..255 (flow_to_image)"
)
FLOW_PAIRS = "each sampled frame to the next frame of the video (flow_pair_indices)"


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


def resolve_flow_method(method=AUTO):
    """The flow method to use: `"auto"` is `"tvl1"` if available, else `"farneback"`.

    Examples:

    ```python
    keras_grurcn.data.resolve_flow_method("auto")  # 'farneback' without contrib
    ```
    """
    if method == AUTO:
        return "tvl1" if tvl1_available() else "farneback"
    check_input_modality("flow", method)  # An unknown one, named `flow_method`.
    _flow_function(method)  # TV-L1 without OpenCV's contrib modules.
    return method


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


def flow_record(method, bound):
    """What a flow percept cache records: method, bound, encoding, frame pairs.

    Examples:

    ```python
    keras_grurcn.data.flow_record("farneback", 20.0)["bound"]  # 20.0
    ```
    """
    _, method, bound = check_input_modality("flow", method, bound)
    return {
        "method": method,
        "bound": bound,
        "encoding": FLOW_ENCODING,
        "frame_pairs": FLOW_PAIRS,
    }


def flow_images(frame_pairs, *, method="farneback", bound=DEFAULT_FLOW_BOUND):
    """Flow images of frame pairs: the one step from frames to a flow input.

    For each pair `(a, b)` of uint8 RGB frames, the dense optical flow from
    `a` to `b` (`compute_optical_flow`) encoded by `flow_to_image`. The
    percept cache's decoding (`video_dataset(..., modality="flow")`) and
    `video_flow_images` (clients, `grurcn predict`) both call it.

    Args:
        frame_pairs: uint8 `[..., 2, H, W, 3]`.
        method: `"farneback"` or `"tvl1"`.
        bound: see `flow_to_image`.

    Returns:
        uint8 `[..., H, W, 3]`.

    Examples:

    ```python
    frames, _ = keras_grurcn.data.make_motion_clips(1, num_frames=2)
    keras_grurcn.data.flow_images(frames[0][None]).shape  # (1, 32, 32, 3)
    ```
    """
    frame_pairs = np.asarray(frame_pairs)
    if frame_pairs.ndim < 5 or frame_pairs.shape[-4] != 2 or frame_pairs.shape[-1] != 3:
        raise ValueError(
            "flow_images: expected frame pairs [..., 2, H, W, 3], got shape "
            f"{frame_pairs.shape}."
        )
    pairs = frame_pairs.reshape((-1, *frame_pairs.shape[-4:]))
    flows = [compute_optical_flow(pair, method=method)[0] for pair in pairs]
    images = flow_to_image(np.stack(flows), bound=bound)
    return images.reshape(frame_pairs.shape[:-4] + images.shape[1:])


def video_flow_images(
    frames, *, num_frames, image_size, method="farneback", bound=DEFAULT_FLOW_BOUND
):
    """The flow input of a two-stream model, from the decoded frames of a video.

    Exactly what the flow percept cache holds for that video (the same
    sampling, resizing and encoding as `video_dataset(...,
    modality="flow")`): `num_frames` frames sampled uniformly (the RGB
    stream's frames), each paired with the next frame of the video
    (`flow_pair_indices`), resized to `image_size` as the models resize
    frames (`keras_grurcn.preprocessing.frame_resizer`), then `flow_images`.
    OpenCV's flow cannot run in a SavedModel, so clients call this before a
    request; a two-stream task's `preprocessor.flow.flow_image_options`
    holds the arguments.

    Args:
        frames: uint8 RGB `[N, H, W, 3]`, every frame of the video (`N >= 2`),
            e.g. `read_video(path)`.
        num_frames: flow images to make (the flow stream's clip length), or
            `None` for one per frame.
        image_size: int or `(height, width)`: the flow stream's image size.
        method: `"farneback"` or `"tvl1"`.
        bound: see `flow_to_image`.

    Returns:
        uint8 `[num_frames, height, width, 3]`.

    Examples:

    ```python
    frames, _ = keras_grurcn.data.make_motion_clips(1, num_frames=8)
    flow = keras_grurcn.data.video_flow_images(
        frames[0], num_frames=4, image_size=32
    )
    flow.shape  # (4, 32, 32, 3)
    ```
    """
    _, method, bound = check_input_modality("flow", method, bound)
    frames = np.asarray(frames)
    if frames.ndim != 4 or frames.shape[-1] != 3 or frames.shape[0] < 2:
        raise ValueError(
            "video_flow_images: expected the video's frames [N, H, W, 3] with "
            f"N >= 2, got shape {frames.shape}."
        )
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    count = len(frames)
    indices = (
        np.arange(count)
        if num_frames is None
        else sample_frame_indices(count, num_frames)
    )
    pairs = frames[flow_pair_indices(indices, count)]
    resized = frame_resizer(tuple(image_size))(pairs.reshape((-1, *frames.shape[1:])))
    resized = keras.ops.convert_to_numpy(resized)
    pixels = np.clip(np.round(resized), 0, 255).astype(np.uint8)
    return flow_images(
        pixels.reshape((*pairs.shape[:2], *pixels.shape[1:])),
        method=method,
        bound=bound,
    )
