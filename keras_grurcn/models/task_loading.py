import os

from keras_grurcn.models.task import Task
from keras_grurcn.saving.model_loading import load_model


def load_task(path):
    """Loads a keras_grurcn task from a preset folder or a `.keras` file.

    Both are read as data: a preset builds only registered keras_grurcn
    classes, in safe mode; a `.keras` file goes through
    `keras_grurcn.saving.load_model` (a `Lambda` layer, or anything else
    that carries Python code, is refused). See docs/security.md.

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
    model = load_model(path)
    if not isinstance(model, Task):
        raise ValueError(
            f"{path} holds a {type(model).__name__}, not a keras_grurcn task "
            "(build one with keras_grurcn.build_model)."
        )
    return model
