"""The test views of a video: clips in time times crops in space.

Video papers report accuracy over `clips x crops` views per test video
(e.g. 10 x 3), the class probabilities averaged over them. A view here is
a clip of the model's length cut from the decoded video; the task's own
preprocessor then resizes it as it resized its training clips.
`evaluate_multi_clip` scores the views.
"""

import numpy as np

CROP_COUNTS = (1, 3, 10)
# The ten-crop convention (two-stream networks, C3D): 224 of 256 pixels.
TEN_CROP_SCALE = 0.875
SAMPLINGS = ("uniform", "multi_clip")


def aspect_window(height, width, aspect_ratio):
    """`(rows, cols)` of the largest window of `aspect_ratio` (width/height).

    The window `keras.layers.Resizing(crop_to_aspect_ratio=True)` (the
    preprocessor's resizing) cuts, with its rounding.
    """
    rows = max(min(height, int(width / aspect_ratio)), 1)
    cols = max(min(width, int(height * aspect_ratio)), 1)
    return rows, cols


def spatial_crops(frames, num_crops, aspect_ratio=1.0):
    """Cuts `num_crops` spatial views of frames, the centre one first.

    - 1: the whole frame (the preprocessor takes its largest centred window
      of the model's aspect ratio, as for training and prediction);
    - 3: that largest window at the centre, the start and the end of the
      frame's longer side (identical crops when the frame already has the
      model's aspect ratio);
    - 10: the window scaled by 0.875 (224 of 256) at the centre and the four
      corners, and the same five flipped horizontally.

    Args:
        frames: `(..., height, width, channels)`.
        num_crops: 1, 3 or 10.
        aspect_ratio: the model's width / height.

    Returns:
        `(num_crops, ..., rows, cols, channels)`.

    Examples:

    ```python
    frames = np.zeros((8, 32, 48, 3), "uint8")
    keras_grurcn.training.spatial_crops(frames, 3).shape  # (3, 8, 32, 32, 3)
    keras_grurcn.training.spatial_crops(frames, 10).shape  # (10, 8, 28, 28, 3)
    ```
    """
    frames = np.asarray(frames)
    if num_crops not in CROP_COUNTS:
        raise ValueError(
            f"spatial_crops: num_crops must be one of {CROP_COUNTS}; got {num_crops}."
        )
    if frames.ndim < 3:
        raise ValueError(
            "spatial_crops: expected frames (..., height, width, channels); got "
            f"shape {frames.shape}."
        )
    if num_crops == 1:
        return frames[None]
    height, width = frames.shape[-3:-1]
    rows, cols = aspect_window(height, width, aspect_ratio)
    if num_crops == 3:
        centre = ((height - rows) // 2, (width - cols) // 2)
        if width - cols >= height - rows:
            corners = [centre, (centre[0], 0), (centre[0], width - cols)]
        else:
            corners = [centre, (0, centre[1]), (height - rows, centre[1])]
        return np.stack([_cut(frames, top, left, rows, cols) for top, left in corners])
    rows = max(1, round(rows * TEN_CROP_SCALE))
    cols = max(1, round(cols * TEN_CROP_SCALE))
    corners = [
        ((height - rows) // 2, (width - cols) // 2),
        (0, 0),
        (0, width - cols),
        (height - rows, 0),
        (height - rows, width - cols),
    ]
    crops = [_cut(frames, top, left, rows, cols) for top, left in corners]
    return np.stack(crops + [crop[..., ::-1, :] for crop in crops])


def _cut(frames, top, left, rows, cols):
    return frames[..., top : top + rows, left : left + cols, :]


def video_views(
    path,
    *,
    num_clips,
    num_crops,
    num_frames,
    aspect_ratio=1.0,
    sampling="uniform",
    stride=1,
):
    """Decodes one video into its `num_clips x num_crops` test views.

    Clips in time (`keras_grurcn.data.sample_frame_indices`, decoding only
    the frames they use):

    - `"uniform"`: each clip spans the whole video as the training clips
      of a percept cache do (one frame per segment); clip `i` of `n` takes
      the frame at `(i + 0.5) / n` of each segment, so with an odd `n` the
      middle clip is the cache's own view;
    - `"multi_clip"`: `num_clips` clips of consecutive frames (`stride`
      apart) with evenly spaced starts, the two-stream convention.

    Args:
        path: the video file.
        num_clips: clips per video.
        num_crops: crops per clip (see `spatial_crops`).
        num_frames: frames per clip (the model's clip length).
        aspect_ratio: the model's width / height.
        sampling: `"uniform"` or `"multi_clip"`.
        stride: frame step within a `"multi_clip"` clip.

    Returns:
        uint8 `(num_clips * num_crops, num_frames, rows, cols, 3)`, clip
        by clip (clip `c`'s crops at `c * num_crops ...`), each clip's
        centre crop first.

    Raises:
        VideoDecodeError: naming the file, when it cannot be decoded.

    Examples:

    ```python
    keras_grurcn.data.write_video("/tmp/clip.mp4", np.zeros((30, 32, 48, 3), "uint8"))
    views = keras_grurcn.training.video_views(
        "/tmp/clip.mp4", num_clips=2, num_crops=3, num_frames=4
    )
    views.shape  # (6, 4, 32, 32, 3)
    ```
    """
    from keras_grurcn.data.video_reader import read_video

    if sampling not in SAMPLINGS:
        raise ValueError(
            f"video_views: sampling must be one of {SAMPLINGS}; got {sampling!r}."
        )
    clips = read_video(
        path,
        num_frames=num_frames,
        sampling=sampling,
        num_clips=num_clips,
        stride=stride,
    )
    clips = clips.reshape((num_clips, num_frames) + clips.shape[-3:])
    crops = spatial_crops(clips, num_crops, aspect_ratio)  # (K, N, T, h, w, 3)
    crops = np.moveaxis(crops, 0, 1)  # clip by clip, each clip's crops together
    return crops.reshape((num_clips * num_crops,) + crops.shape[2:])


def cache_view_protocol(num_frames):
    """The view protocol of scores computed on a percept cache: one view.

    A cache holds, per video, the percepts of one clip of `num_frames`
    frames spread over the whole video (uniform sampling) and the largest
    centred window of the model's aspect ratio: 1 clip x 1 crop.
    """
    return {
        "clips": 1,
        "crops": 1,
        "frames": num_frames,
        "sampling": "uniform",
        "source": "percept cache (one view per video)",
    }
