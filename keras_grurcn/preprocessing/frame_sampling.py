"""Which frames of a video make a clip: the one uniform-sampling formula.

`VideoPreprocessor` (in the model and the SavedModel) and the `tf.data`
pipeline (`keras_grurcn.data.sample_frame_indices`) both call
`uniform_frame_indices`, so a clip is made of the same frames for training,
cached percepts, prediction and serving.
"""

from keras import ops

SHORT_VIDEO_POLICIES = ("loop", "pad")


def uniform_frame_indices(
    num_available, num_frames, *, num_clips=1, short_video="loop", xp=ops
):
    """The centre frame of each of `num_frames` equal segments of a video.

    The paper's "K equally spaced segments" and the usual test-time
    protocol. A video with fewer frames than the clip loops back to its
    start (`short_video="loop"`) or repeats its last frame (`"pad"`). A
    video of exactly `num_frames` frames gives `0, 1, ..., num_frames - 1`,
    so sampling a clip that is already sampled changes nothing.

    With `num_clips` > 1, clip `i` takes the frame at `(i + 0.5) /
    num_clips` of each segment instead of its centre (the multi-view test
    protocol over clips that each span the whole video): the clips are the
    `num_clips` interleaved parts of the uniform sampling of `num_clips *
    num_frames` frames, and with an odd `num_clips` the middle one is the
    one-clip sampling.

    Args:
        num_available: the video's number of frames (>= 1): a Python int,
            or a scalar integer tensor inside a graph.
        num_frames: int, the clip length.
        num_clips: int, clips per video.
        short_video: `"loop"` or `"pad"`.
        xp: the array namespace: `keras.ops` (tensors, any backend, in a
            model) or `numpy` (the data pipeline's Python decoding code).

    Returns:
        Integer indices `[num_frames]`, or `[num_clips, num_frames]` when
        `num_clips` > 1.

    Examples:

    ```python
    keras_grurcn.preprocessing.uniform_frame_indices(100, 4, xp=np)
    # array([12, 37, 62, 87])
    keras_grurcn.preprocessing.uniform_frame_indices(3, 5, xp=np)
    # array([0, 1, 2, 0, 1]): a short video loops
    keras_grurcn.preprocessing.uniform_frame_indices(100, 4, num_clips=3, xp=np)
    # array([[ 4, 29, 54, 79], [12, 37, 62, 87], [20, 45, 70, 95]])
    ```
    """
    if short_video not in SHORT_VIDEO_POLICIES:
        raise ValueError(
            f"short_video must be one of {SHORT_VIDEO_POLICIES}, got {short_video!r}."
        )
    steps = xp.arange(num_frames)
    if short_video == "loop":
        short = steps % num_available
    else:
        short = xp.minimum(steps, num_available - 1)
    if num_clips == 1:
        centres = (steps * 2 + 1) * num_available // (2 * num_frames)
        return xp.where(num_available < num_frames, short, centres)
    grid = xp.arange(num_frames * num_clips)
    offsets = (grid * 2 + 1) * num_available // (2 * num_frames * num_clips)
    clips = xp.transpose(xp.reshape(offsets, (num_frames, num_clips)))
    # A short video: every clip is the one-clip sampling (loop or pad).
    return xp.where(num_available < num_frames, short[None], clips)
