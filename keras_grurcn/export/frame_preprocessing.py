def model_clip_spec(model):
    """The clip shape a frame classifier expects: `(num_frames, height, width)`.

    Any of them is `None` when the model accepts any value there (then the
    serving graph passes that axis through unchanged).

    Raises:
        ValueError: when the model does not take one input of RGB frames
            `(batch, time, height, width, 3)`.

    Examples:

    ```python
    frames = keras.Input((8, 32, 32, 3))
    pooled = keras.layers.GlobalAveragePooling3D()(frames)
    model = keras.Model(frames, keras.layers.Dense(2, activation="softmax")(pooled))
    keras_grurcn.export.model_clip_spec(model)  # (8, 32, 32)
    ```
    """
    inputs = model.inputs
    if len(inputs) != 1 or len(inputs[0].shape) != 5 or inputs[0].shape[-1] != 3:
        shapes = [tuple(tensor.shape) for tensor in inputs]
        raise ValueError(
            f"Model {model.name!r}: serving needs one input of RGB frames "
            f"(batch, time, height, width, 3); the model's inputs are {shapes}."
        )
    _, num_frames, height, width, _ = inputs[0].shape
    return num_frames, height, width


def uniform_frame_indices(num_available, num_frames):
    """In-graph `sample_frame_indices(num_available, num_frames)`.

    The serving graph's frame sampling, equal to the training data's
    default: the centre of each of `num_frames` equal segments, looping
    when the video has fewer frames than the clip.

    Args:
        num_available: scalar int tensor, the video's number of frames.
        num_frames: int, the clip length.

    Returns:
        int32 indices `[num_frames]`.

    Examples:

    ```python
    keras_grurcn.export.uniform_frame_indices(tf.constant(100), 4)
    # [12, 37, 62, 87], as keras_grurcn.data.sample_frame_indices(100, 4)
    ```
    """
    import tensorflow as tf

    num_available = tf.cast(num_available, tf.int32)
    steps = tf.range(num_frames, dtype=tf.int32)
    centres = (steps * 2 + 1) * num_available // (2 * num_frames)
    return tf.where(num_available < num_frames, steps % num_available, centres)


def preprocess_frames(frames, num_frames=None, image_size=None):
    """Maps served frames to a model's clip shape, as TensorFlow ops.

    The one preprocessing shared by the exported `serving_default` graph and
    `predict_frames`, so both give the same predictions:

    1. Frame sampling: when the model has a fixed clip length `num_frames`,
       the frame at the centre of each of `num_frames` equal segments of
       the video, as the training data takes them
       (`keras_grurcn.data.sample_frame_indices(time, num_frames)`; a
       shorter video loops), see `uniform_frame_indices`.
    2. Resizing: every frame is resized to `image_size` (bilinear with
       antialiasing, the right filter when shrinking), the model's static
       input size (ConvGRU layers need static spatial dimensions).

    Values stay in `[0, 255]` as float32: the backbone's own normalisation
    is part of the model (`BackbonePreprocessing`).

    Args:
        frames: `(batch, time, height, width, 3)` frames of any size, uint8
            or float in `[0, 255]`.
        num_frames: the model's clip length, or `None` to keep every frame.
        image_size: `(height, width)` of the model, or `None` to keep the
            size.

    Returns:
        float32 frames `(batch, num_frames, *image_size, 3)`.

    Examples:

    ```python
    frames = tf.zeros((1, 12, 48, 64, 3), tf.uint8)
    clips = keras_grurcn.export.preprocess_frames(
        frames, num_frames=4, image_size=(32, 32)
    )
    clips.shape  # (1, 4, 32, 32, 3), float32
    ```
    """
    import tensorflow as tf

    frames = tf.cast(tf.convert_to_tensor(frames), tf.float32)
    if num_frames is not None:
        indices = uniform_frame_indices(tf.shape(frames)[1], num_frames)
        frames = tf.gather(frames, indices, axis=1)
    if image_size is not None:
        shape = tf.shape(frames)
        images = tf.reshape(frames, tf.concat([[-1], shape[2:]], axis=0))
        images = tf.image.resize(images, image_size, method="bilinear", antialias=True)
        frames = tf.reshape(
            images, tf.concat([shape[:2], [image_size[0], image_size[1], 3]], 0)
        )
    return frames
