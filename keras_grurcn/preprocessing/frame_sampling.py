"""Which frames of a video make a clip: the one uniform-sampling formula.

`VideoPreprocessor` (in the model and the SavedModel) and the `tf.data`
pipeline (`keras_grurcn.data.sample_frame_indices`) both call
`uniform_frame_indices`, so a clip is made of the same frames for training,
cached percepts, prediction and serving.
"""

from keras import ops

SHORT_VIDEO_POLICIES = ("loop", "pad")


def uniform_frame_indices(num_available, num_frames, *, short_video="loop", xp=ops):
    """The centre frame of each of `num_frames` equal segments of a video.

    The paper's "K equally spaced segments" and the usual test-time
    protocol. A video with fewer frames than the clip loops back to its
    start (`short_video="loop"`) or repeats its last frame (`"pad"`). A
    video of exactly `num_frames` frames gives `0, 1, ..., num_frames - 1`,
    so sampling a clip that is already sampled changes nothing.

    Args:
        num_available: the video's number of frames (>= 1): a Python int,
            or a scalar integer tensor inside a graph.
        num_frames: int, the clip length.
        short_video: `"loop"` or `"pad"`.
        xp: the array namespace: `keras.ops` (tensors, any backend, in a
            model) or `numpy` (the data pipeline's Python decoding code).

    Returns:
        Integer indices `[num_frames]`.

    Examples:

    ```python
    keras_grurcn.preprocessing.uniform_frame_indices(100, 4, xp=np)
    # array([12, 37, 62, 87])
    keras_grurcn.preprocessing.uniform_frame_indices(3, 5, xp=np)
    # array([0, 1, 2, 0, 1]): a short video loops
    ```
    """
    if short_video not in SHORT_VIDEO_POLICIES:
        raise ValueError(
            f"short_video must be one of {SHORT_VIDEO_POLICIES}, got {short_video!r}."
        )
    steps = xp.arange(num_frames)
    centres = (steps * 2 + 1) * num_available // (2 * num_frames)
    if short_video == "loop":
        short = steps % num_available
    else:
        short = xp.minimum(steps, num_available - 1)
    return xp.where(num_available < num_frames, short, centres)
