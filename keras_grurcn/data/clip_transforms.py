"""Training augmentation of decoded clips (random crops, flips), as TensorFlow ops.

One crop and one flip are drawn per clip and applied to all its frames, so
the motion between frames is left intact.
"""

import tensorflow as tf

# The paper's scale jittering: crops of {256, 224, 192, 168} out of frames
# whose shorter side is 256, resized to 224 (two-stream convention).
PAPER_CROP_SCALES = (1.0, 0.875, 0.75, 0.66)


def to_dtype(frames, dtype):
    """Frames in 0..255 as `dtype` (uint8: rounded and clipped)."""
    if dtype == "uint8":
        return tf.cast(tf.clip_by_value(tf.round(frames), 0.0, 255.0), tf.uint8)
    return tf.cast(frames, dtype)


def random_crop_clip(
    frames,
    image_size,
    seed,
    *,
    crop_scales=PAPER_CROP_SCALES,
    random_flip=True,
    dtype="uint8",
):
    """Random multi-scale square crop and horizontal flip of one clip.

    The crop side is `crop_scales[k] * min(H, W)` for a random `k`, at a
    random position; the crop is resized to `image_size` (bilinear) and
    flipped left-right with probability 1/2 when `random_flip`.

    Args:
        frames: uint8 `[..., H, W, 3]`, every leading axis belonging to one
            clip (e.g. `[T, H, W, 3]` or `[clips, T, H, W, 3]`).
        image_size: output side.
        seed: int64 `[2]` stateless seed.
        crop_scales: candidate crop sides as fractions of the shorter side.
        random_flip: whether to flip half of the clips.
        dtype: `"uint8"` or a float dtype; values stay in 0..255.

    Returns:
        `[..., image_size, image_size, 3]` frames of `dtype`.

    Examples:

    ```python
    frames = np.zeros((4, 40, 48, 3), "uint8")
    crop = keras_grurcn.data.random_crop_clip(frames, 32, seed=[1, 2])
    crop.shape  # (4, 32, 32, 3)
    ```
    """
    shape = tf.shape(frames)
    leading = shape[:-3]
    height, width = shape[-3], shape[-2]
    flat = tf.reshape(frames, tf.concat([[-1], shape[-3:]], axis=0))
    seeds = tf.random.experimental.stateless_split(seed, num=4)
    scales = tf.constant(crop_scales, tf.float32)
    pick = tf.random.stateless_uniform(
        [], seeds[0], maxval=len(crop_scales), dtype=tf.int32
    )
    short = tf.minimum(height, width)
    side = tf.maximum(tf.cast(tf.cast(short, tf.float32) * scales[pick], tf.int32), 1)
    top = tf.random.stateless_uniform(
        [], seeds[1], maxval=height - side + 1, dtype=tf.int32
    )
    left = tf.random.stateless_uniform(
        [], seeds[2], maxval=width - side + 1, dtype=tf.int32
    )
    cropped = flat[:, top : top + side, left : left + side, :]
    resized = tf.image.resize(cropped, [image_size, image_size], antialias=True)
    if random_flip:
        resized = random_flip_clip(resized, seeds[3])
    output_shape = tf.concat([leading, [image_size, image_size, 3]], axis=0)
    return tf.reshape(to_dtype(resized, dtype), output_shape)


def random_flip_clip(frames, seed):
    """Flip all frames of `[..., H, W, 3]` left-right with probability 1/2.

    Examples:

    ```python
    frames = np.zeros((4, 32, 32, 3), "uint8")
    keras_grurcn.data.random_flip_clip(frames, seed=[1, 2]).shape  # (4, 32, 32, 3)
    ```
    """
    flip = tf.random.stateless_uniform([], seed) < 0.5
    return tf.cond(flip, lambda: tf.reverse(frames, axis=[-2]), lambda: frames)
