"""A `tf.data` pipeline that decodes, samples and crops video files."""

import numpy as np
import tensorflow as tf

from keras_grurcn.data import clip_transforms
from keras_grurcn.data.decode_report import DecodeReport
from keras_grurcn.data.frame_sampling import SAMPLINGS
from keras_grurcn.data.frame_sampling import SHORT_VIDEO_POLICIES
from keras_grurcn.data.optical_flow import flow_images
from keras_grurcn.data.optical_flow import resolve_flow_method
from keras_grurcn.data.video_decode_error import VideoDecodeError
from keras_grurcn.data.video_entry import VideoEntry
from keras_grurcn.data.video_reader import DEFAULT_MAX_FRAMES
from keras_grurcn.data.video_reader import DEFAULT_MAX_PIXELS
from keras_grurcn.data.video_reader import read_video
from keras_grurcn.preprocessing.frame_resizing import frame_resizer
from keras_grurcn.preprocessing.input_modality import check_input_modality

TARGETS = ("label", "video_id", "captions", "index", "none")


def _as_entries(entries):
    entries = [e if isinstance(e, VideoEntry) else VideoEntry(e) for e in entries]
    if not entries:
        raise ValueError("video_dataset: `entries` is empty.")
    return entries


def _targets(entries, target):
    if target == "label":
        return tf.constant([e.label for e in entries], tf.int32)
    if target == "video_id":
        return tf.constant([e.video_id for e in entries], tf.string)
    if target == "captions":
        return tf.ragged.constant([list(e.captions) for e in entries], tf.string)
    if target == "index":
        return tf.range(len(entries), dtype=tf.int64)
    return tf.zeros([len(entries)], tf.int32)


def video_dataset(
    entries,
    *,
    num_frames,
    image_size,
    sampling="uniform",
    stride=1,
    num_clips=1,
    training=False,
    batch_size=None,
    shuffle=None,
    repeat=False,
    seed=None,
    random_crop=True,
    random_flip=True,
    resize_scale=256 / 224,
    short_video="loop",
    target="label",
    dtype="uint8",
    modality="rgb",
    flow_method=None,
    flow_bound=None,
    on_error="skip",
    error_report=None,
    max_frames=DEFAULT_MAX_FRAMES,
    max_pixels=DEFAULT_MAX_PIXELS,
    num_parallel_calls=tf.data.AUTOTUNE,
    drop_remainder=False,
):
    """Stream `(frames, target)` clips decoded from video files with `tf.data`.

    Files are decoded with PyAV in a parallel `map` (nothing is materialised
    beyond the prefetch buffer): each video is decoded once up to the last
    sampled frame, and only the sampled frames are converted to RGB.

    At evaluation (`training=False`) sampling is deterministic (`"random"`
    takes the centred clip) and frames are resized as the models'
    `VideoPreprocessor` resizes them, with the same layer
    (`keras_grurcn.preprocessing.frame_resizer`: the largest centred square,
    resized to `image_size`), so cached percepts, predictions and the
    SavedModel see the same pixels. At training time the frames are
    decoded with their shorter side at `round(image_size * resize_scale)`
    and each clip gets one random multi-scale crop (`random_crop`, the
    paper's {256, 224, 192, 168}/256 scale jittering resized to
    `image_size`) and one random horizontal flip (`random_flip`) shared by
    all its frames. Turn `random_flip` off when the labels depend on
    left/right (e.g. the synthetic motion classes).

    Short videos are looped (`short_video="loop"`) or padded with their last
    frame (`"pad"`), see `sample_frame_indices`.

    With `modality="flow"` the clips are optical-flow images instead (the
    flow stream of a two-stream model): each sampled frame is decoded with
    the next one (`flow_pair_indices`), both are resized or cropped and
    flipped alike (as above), and `flow_images` turns each pair into one
    image, so a clip of `num_frames` frames gives `num_frames` flow images
    at `image_size`. `video_flow_images` makes the same images from a
    decoded video, for prediction and serving.

    Args:
        entries: a list of `VideoEntry` (or of file paths).
        num_frames: frames per clip.
        image_size: side of the square output frames.
        sampling: `"uniform"` (one frame per equal segment of the video),
            `"random"` (a contiguous clip with `stride`) or `"multi_clip"`
            (`num_clips` evenly spaced clips per video).
        stride: frame step of `"random"` and `"multi_clip"` clips.
        num_clips: clips per video with `"multi_clip"`.
        training: random sampling and augmentation on/off.
        batch_size: batch size; `None` yields unbatched clips.
        shuffle: shuffle the entries each epoch; defaults to `training`.
        repeat: repeat forever.
        seed: seed of shuffling, sampling and augmentation.
        random_crop: multi-scale random crop when training (else the
            evaluation view).
        random_flip: random horizontal flip when training.
        resize_scale: shorter side at decode time over `image_size` (>= 1),
            for the random training crops.
        short_video: `"loop"` or `"pad"`.
        target: `"label"` (int32), `"video_id"` (string), `"captions"`
            (ragged strings), `"index"` (int64 position in `entries`, to
            join with anything else) or `"none"` (zeros).
        dtype: `"uint8"` or `"float32"`; either way pixels are raw RGB in
            0..255: the models apply the backbone's preprocessing.
        modality: `"rgb"` (frames) or `"flow"` (flow images).
        flow_method: for flow, `"farneback"`, `"tvl1"` or `"auto"` (TV-L1
            when OpenCV's contrib modules are installed, Farneback
            otherwise; the default).
        flow_bound: for flow, the displacement in pixels mapped to the ends
            of 0..255 (default 20), see `flow_to_image`.
        on_error: `"skip"` logs, counts (in `error_report`) and drops a file
            that fails to decode; `"raise"` stops the iteration with an error
            whose message is the `VideoDecodeError` naming the file (run
            `check_videos` first to get that error unwrapped, in Python).
        error_report: a `DecodeReport` collecting the skipped files.
        max_frames, max_pixels: refuse files bigger than this (see
            `read_video`).
        num_parallel_calls: parallel decoders (default autotuned).
        drop_remainder: drop the last incomplete batch.

    Returns:
        A `tf.data.Dataset` of `(frames, target)`: frames are
        `[B, T, S, S, 3]` (`[B, num_clips, T, S, S, 3]` with `"multi_clip"`)
        of `dtype`, `S = image_size`, without the `B` axis when `batch_size`
        is `None`.

    Examples:

    ```python
    entries = keras_grurcn.data.write_motion_videos("/tmp/motion", 8)
    dataset = keras_grurcn.data.video_dataset(
        entries, num_frames=4, image_size=32, batch_size=2
    )
    frames, labels = next(iter(dataset))  # (2, 4, 32, 32, 3) uint8, (2,)
    ```
    """
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling must be one of {SAMPLINGS}, got {sampling!r}.")
    if short_video not in SHORT_VIDEO_POLICIES:
        raise ValueError(
            f"short_video must be one of {SHORT_VIDEO_POLICIES}, got {short_video!r}."
        )
    if on_error not in ("skip", "raise"):
        raise ValueError(f"on_error must be 'skip' or 'raise', got {on_error!r}.")
    if target not in TARGETS:
        raise ValueError(f"target must be one of {TARGETS}, got {target!r}.")
    if dtype not in ("uint8", "float32"):
        raise ValueError(f"dtype must be 'uint8' or 'float32', got {dtype!r}.")
    if resize_scale < 1:
        raise ValueError(f"resize_scale must be >= 1, got {resize_scale}.")
    flow = modality == "flow"
    if flow:
        flow_method = resolve_flow_method(flow_method or "auto")
    modality, flow_method, flow_bound = check_input_modality(
        modality, flow_method, flow_bound
    )
    entries = _as_entries(entries)
    shuffle = training if shuffle is None else shuffle
    report = DecodeReport() if error_report is None else error_report
    # Random crops are cut from frames downscaled while decoding; the
    # evaluation view resizes full frames as the models' preprocessor does.
    random_crops = training and random_crop
    short_side = int(round(image_size * resize_scale)) if random_crops else None
    resizer = frame_resizer((image_size, image_size))

    def decode(path, element_seed):
        path = path.decode()
        rng = np.random.default_rng(int(element_seed)) if training else None
        try:
            frames = read_video(
                path,
                num_frames=num_frames,
                sampling=sampling,
                stride=stride,
                num_clips=num_clips,
                rng=rng,
                short_video=short_video,
                short_side=short_side,
                frame_pairs=flow,
                max_frames=max_frames,
                max_pixels=max_pixels,
            )
        except VideoDecodeError as error:
            if on_error == "raise":
                raise
            report.record(error)
            # A placeholder of the output size, dropped by the filter below.
            clip_shape = (num_frames,) + (2,) * flow + (image_size, image_size, 3)
            if sampling == "multi_clip":
                clip_shape = (num_clips,) + clip_shape
            return np.zeros(clip_shape, np.uint8), False
        return frames, True

    def evaluation_view(frames):
        shape = tf.shape(frames)
        images = tf.reshape(frames, tf.concat([[-1], shape[-3:]], axis=0))
        images = resizer(images)
        output_shape = tf.concat([shape[:-3], [image_size, image_size, 3]], axis=0)
        return tf.reshape(images, output_shape)

    clip_rank = 5 if sampling == "multi_clip" else 4
    leading = [num_clips, num_frames] if sampling == "multi_clip" else [num_frames]
    # Flow is computed on uint8 frames, then converted.
    crop_dtype = "uint8" if flow else dtype

    def decode_and_crop(path, target_value, element_seed):
        frames, ok = tf.numpy_function(
            decode, [path, element_seed[0]], (tf.uint8, tf.bool), stateful=False
        )
        frames.set_shape([None] * (clip_rank - 1 + flow) + [3])
        augment_seed = tf.stack([element_seed[1], element_seed[0]])
        if random_crops:
            frames = clip_transforms.random_crop_clip(
                frames,
                image_size,
                augment_seed,
                random_flip=random_flip,
                dtype=crop_dtype,
            )
        else:
            frames = clip_transforms.to_dtype(evaluation_view(frames), crop_dtype)
            if training and random_flip:
                frames = clip_transforms.random_flip_clip(frames, augment_seed)
        frames.set_shape(leading + [2] * flow + [image_size, image_size, 3])
        return frames, target_value, ok

    def to_flow_images(frame_pairs, target_value):
        images = tf.numpy_function(
            lambda pairs: flow_images(pairs, method=flow_method, bound=flow_bound),
            [frame_pairs],
            tf.uint8,
            stateful=False,
        )
        images.set_shape(leading + [image_size, image_size, 3])
        return clip_transforms.to_dtype(
            tf.cast(images, tf.float32), dtype
        ), target_value

    paths = tf.constant([e.path for e in entries], tf.string)
    dataset = tf.data.Dataset.from_tensor_slices((paths, _targets(entries, target)))
    if shuffle:
        dataset = dataset.shuffle(
            len(entries), seed=seed, reshuffle_each_iteration=True
        )
    if repeat:
        dataset = dataset.repeat()
    # One independent pair of seeds per element (per epoch), drawn from a
    # seeded stream so a given `seed` reproduces sampling and augmentation.
    seeds = tf.data.Dataset.random(seed=seed).batch(2)
    dataset = tf.data.Dataset.zip((dataset, seeds))
    # Decoding and cropping in one parallel map: one tf.data stage per clip.
    dataset = dataset.map(
        lambda element, seed_pair: decode_and_crop(*element, seed_pair),
        num_parallel_calls=num_parallel_calls,
        deterministic=not training,
    )
    dataset = dataset.filter(lambda frames, target_value, ok: ok)
    dataset = dataset.map(lambda frames, target_value, ok: (frames, target_value))
    if flow:  # After the filter: no flow of the placeholders of bad files.
        dataset = dataset.map(
            to_flow_images,
            num_parallel_calls=num_parallel_calls,
            deterministic=not training,
        )
    if batch_size is not None and target == "captions":
        dataset = dataset.ragged_batch(batch_size, drop_remainder=drop_remainder)
    elif batch_size is not None:
        dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)
    return dataset.prefetch(tf.data.AUTOTUNE)
