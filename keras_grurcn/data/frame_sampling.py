"""Which frames of a video a clip is made of."""

import numpy as np

from keras_grurcn.preprocessing.frame_sampling import SHORT_VIDEO_POLICIES
from keras_grurcn.preprocessing.frame_sampling import uniform_frame_indices

SAMPLINGS = ("uniform", "random", "multi_clip")


def _fit_short(indices, num_available, short_video):
    if short_video == "loop":
        return indices % num_available
    return np.minimum(indices, num_available - 1)


def sample_frame_indices(
    num_available,
    num_frames,
    *,
    sampling="uniform",
    stride=1,
    num_clips=1,
    rng=None,
    short_video="loop",
):
    """Frame indices of the clip(s) to take from a video of `num_available` frames.

    Strategies:
        - `"uniform"`: one frame at the centre of each of `num_frames` equal
          segments spanning the whole video (the paper's "K equally spaced
          segments" and the usual test-time protocol). `stride` is ignored.
          The same formula as the models' `VideoPreprocessor`
          (`keras_grurcn.preprocessing.uniform_frame_indices`); with
          `num_clips` > 1, `num_clips` such clips, clip `i` taking the frame
          at `(i + 0.5) / num_clips` of each segment.
        - `"random"`: `num_frames` frames `stride` apart starting at a random
          frame (training-time temporal crop). Without `rng` the clip is the
          centred one, which is what evaluation uses.
        - `"multi_clip"`: `num_clips` clips of `num_frames` frames `stride`
          apart with evenly spaced starts from the first to the last possible
          one, for test-time averaging over clips.

    Short videos: when a clip needs more frames than the video has (a
    uniform clip of more frames than the video, or a strided span
    `(num_frames - 1) * stride + 1` longer than it), `short_video="loop"`
    wraps around to the start of the video (index modulo the length) and
    `short_video="pad"` repeats the last frame.

    Args:
        num_available: number of frames in the video (>= 1).
        num_frames: frames per clip.
        sampling: `"uniform"`, `"random"` or `"multi_clip"`.
        stride: frame step within a `"random"` or `"multi_clip"` clip.
        num_clips: clips per video for `"multi_clip"` (and `"uniform"`).
        rng: a `np.random.Generator` for `"random"`; `None` takes the
            centred clip.
        short_video: `"loop"` or `"pad"`.

    Returns:
        int64 indices, `[num_frames]`, or `[num_clips, num_frames]` for
        `"multi_clip"` (and `"uniform"` with `num_clips` > 1).

    Examples:

    ```python
    sample_frame_indices(100, 4)  # array([12, 37, 62, 87])
    sample_frame_indices(3, 5, sampling="random", short_video="pad")
    # array([0, 1, 2, 2, 2])
    ```
    """
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}.")
    if short_video not in SHORT_VIDEO_POLICIES:
        raise ValueError(
            f"short_video must be one of {SHORT_VIDEO_POLICIES}, got {short_video!r}."
        )
    if num_available < 1:
        raise ValueError(f"num_available must be >= 1, got {num_available}.")
    if num_frames < 1 or stride < 1 or num_clips < 1:
        raise ValueError(
            "num_frames, stride and num_clips must be >= 1, got "
            f"{num_frames}, {stride}, {num_clips}."
        )
    if sampling == "uniform":
        indices = uniform_frame_indices(
            num_available,
            num_frames,
            num_clips=num_clips,
            short_video=short_video,
            xp=np,
        )
        return indices.astype(np.int64)
    steps = np.arange(num_frames, dtype=np.int64)
    span = (num_frames - 1) * stride + 1
    last_start = max(num_available - span, 0)
    if sampling == "random":
        if rng is None:
            start = last_start // 2
        else:
            start = int(rng.integers(0, last_start + 1))
        return _fit_short(start + steps * stride, num_available, short_video)
    starts = np.round(np.linspace(0, last_start, num_clips)).astype(np.int64)
    clips = starts[:, None] + steps[None, :] * stride
    return _fit_short(clips, num_available, short_video)


def flow_pair_indices(indices, num_available):
    """The frame pairs whose optical flow stands for each sampled frame.

    A clip of T sampled frames gets T flow images, one per frame: the flow
    from frame `i` to the next frame of the video, `i + 1` (the last frame
    of the video, which has no next one, takes the flow into it, from
    `i - 1`). The flow stream then sees the clip's own moments and has the
    RGB stream's clip length, and each flow is over one frame interval,
    as the two-stream literature computes it, not over the seconds between
    sampled frames.

    Args:
        indices: integer frame indices `[...]` (e.g. `sample_frame_indices`).
        num_available: the video's number of frames, `>= 2`.

    Returns:
        int64 `[..., 2]`: `(from, to)` per index.

    Examples:

    ```python
    flow_pair_indices(np.array([0, 5, 9]), 10)
    # array([[0, 1], [5, 6], [8, 9]])
    ```
    """
    if num_available < 2:
        raise ValueError(
            f"optical flow needs at least 2 frames; the video has {num_available}."
        )
    first = np.minimum(np.asarray(indices, np.int64), num_available - 2)
    return np.stack([first, first + 1], axis=-1)
