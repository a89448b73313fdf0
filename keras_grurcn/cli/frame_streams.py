"""One frame at a time through a model file: what `grurcn predict --stream` runs.

A `.keras` file or preset runs `models.ClassifierStream`; a SavedModel its
`initial_state` and `stream` signatures. Either way the caller gets a
function that starts a video and returns `step(frame) -> (probabilities,
names)`, the states kept inside.
"""

from keras_grurcn.cli.command_error import CommandError
from keras_grurcn.cli.model_files import is_saved_model
from keras_grurcn.cli.model_files import load_task
from keras_grurcn.cli.model_files import names_in_class_order


def frame_stream_starter(path):
    """A function that starts a video: it returns `step(frame)`.

    Args:
        path: a preset folder, `.keras` file or SavedModel folder.

    Returns:
        `start()`; `start()` returns `step`, which takes one uint8
        `(H, W, 3)` frame and returns the running `(probabilities, names)`
        (names in class order).

    Raises:
        CommandError: the model cannot stream (named, with why).
    """
    if is_saved_model(path):
        return _saved_model_starter(path)
    return _task_starter(path)


def _saved_model_starter(path):
    import tensorflow as tf

    signatures = tf.saved_model.load(path).signatures
    if "stream" not in signatures:
        raise CommandError(
            f"--model {path}: the SavedModel has no `stream` signature (its "
            "model cannot stream, or it was exported before streaming)."
        )

    def start():
        states = {}

        def step(frame):
            frame = tf.constant(frame[None])
            if not states:
                states.update(signatures["initial_state"](frame=frame))
            outputs = signatures["stream"](frame=frame, **states)
            states.update({name: outputs[name] for name in states})
            probabilities = outputs["probabilities"].numpy()[0]
            best_first = outputs["labels"].numpy()[0]
            return probabilities, names_in_class_order(probabilities, best_first)

        return step

    return start


def _task_starter(path):
    import keras

    from keras_grurcn import models

    task = load_task(path)
    try:
        stream = models.ClassifierStream(task)
    except ValueError as error:
        raise CommandError(f"--model {path}: {error}") from None

    def start():
        states = stream.initial_state(batch_size=1)

        def step(frame):
            nonlocal states
            probabilities, states = stream.step(frame[None], states)
            return keras.ops.convert_to_numpy(probabilities)[0], task.labels

        return step

    return start
