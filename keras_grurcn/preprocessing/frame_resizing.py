"""How frames become the model's image size: the one spatial transform.

The largest centred window of the model's aspect ratio, resized with
antialiasing (`keras.layers.Resizing(crop_to_aspect_ratio=True)`), so
frames are never stretched. A frame already at the model's size is left
unchanged, so resizing a clip that is already resized changes nothing.
`VideoPreprocessor` (in the model and the SavedModel) and the evaluation
view of the `tf.data` pipeline (`keras_grurcn.data.video_dataset`) both
use `frame_resizer`; Keras' preprocessing layers run inside `tf.data` on
any backend.
"""

import keras


def frame_resizer(image_size, name="frame_resizing"):
    """The `keras.layers.Resizing` that maps frames to `image_size`.

    Args:
        image_size: `(height, width)` of the model's frames.
        name: the layer's name.

    Returns:
        A `keras.layers.Resizing` layer for images `(batch, height, width,
        3)` of any size, computing in float32 (values stay in `[0, 255]`).

    Examples:

    ```python
    resize = keras_grurcn.preprocessing.frame_resizer((32, 32))
    resize(np.zeros((2, 48, 64, 3), "uint8")).shape  # (2, 32, 32, 3)
    ```
    """
    height, width = image_size
    return keras.layers.Resizing(
        height,
        width,
        crop_to_aspect_ratio=True,
        antialias=True,
        dtype="float32",
        name=name,
    )
