import os

import keras

from keras_grurcn.compat import SafeModeScope
from keras_grurcn.models.task import Task


def load_task(path):
    """Loads a keras_grurcn task from a preset folder or a `.keras` file.

    Both are read as data: only registered keras_grurcn classes are built,
    with Keras' safe mode on (a `.keras` file carrying a `Lambda` layer, or
    any other Python code, is refused).

    Args:
        path: a folder written by `save_to_preset` (such as `grurcn
            train`'s `WORKDIR/preset`), or a `.keras` file of a task.

    Returns:
        The task (`VideoClassifier`, `VideoCaptioner`, ...).

    Raises:
        FileNotFoundError: when `path` does not exist.
        ValueError: naming `path`, when it is not a task.

    Examples:

    ```python
    model.save_to_preset("/tmp/classifier")
    classifier = keras_grurcn.models.load_task("/tmp/classifier")
    ```
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path} does not exist.")
    if os.path.isdir(path):
        return Task.from_preset(path)
    if not path.endswith(".keras"):
        raise ValueError(
            f"{path}: expected a preset folder (`save_to_preset`) or a .keras file."
        )
    with SafeModeScope(True):
        model = keras.saving.load_model(path, safe_mode=True)
    if not isinstance(model, Task):
        raise ValueError(
            f"{path} holds a {type(model).__name__}, not a keras_grurcn task "
            "(build one with keras_grurcn.build_model)."
        )
    return model
