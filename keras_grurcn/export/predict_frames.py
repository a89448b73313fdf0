import numpy as np

from keras_grurcn.export.frame_preprocessing import model_clip_spec, preprocess_frames


def predict_frames(model, frames):
    """Class probabilities for raw frames, preprocessed as when served.

    Applies exactly the frame sampling and resizing of the
    `export_saved_model` serving graph (`preprocess_frames`) before calling
    the model, so in-process predictions agree with the served ones.

    Args:
        model: a Keras frame classifier (see `export_saved_model`).
        frames: RGB video `(batch, time, height, width, 3)` of any size and
            length, uint8 (as served) or float in `[0, 255]`.

    Returns:
        A NumPy array of probabilities `(batch, classes)`.

    Examples:

    ```python
    probabilities = keras_grurcn.predict_frames(
        model, np.zeros((1, 12, 48, 64, 3), "uint8")
    )
    ```
    """
    frames = np.asarray(frames)
    if frames.ndim != 5 or frames.shape[-1] != 3:
        raise ValueError(
            "predict_frames: expected frames (batch, time, height, width, 3); "
            f"got shape {frames.shape}."
        )
    if frames.shape[1] == 0:
        raise ValueError("predict_frames: the video has no frames (time = 0).")
    num_frames, height, width = model_clip_spec(model)
    image_size = None if height is None or width is None else (height, width)
    clips = preprocess_frames(frames, num_frames, image_size)
    return np.asarray(model(clips, training=False), dtype="float32")
