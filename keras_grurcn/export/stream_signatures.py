"""The `initial_state` and `stream` endpoints: a classifier frame by frame.

Both run `models.ClassifierStream`, the task's own preprocessing, cells
and head on one frame; the SavedModel gets them with a free batch size and
frames of any size, the LiteRT file with batch 1 and frames at the
model's size (see `litert_export`).
"""

from keras_grurcn.export.fixed_size_resize import check_frame_size
from keras_grurcn.export.fixed_size_resize import fixed_size_resizer
from keras_grurcn.export.serving_signatures import classification_outputs
from keras_grurcn.models.classifier_stream import ClassifierStream

# The input of both endpoints: one uint8 RGB frame per video.
FRAME_INPUT = "frame"
INITIAL_STATE = "initial_state"
STREAM = "stream"


def frame_spec(batch_size=None, frame_size=None):
    import tensorflow as tf

    height, width = frame_size or (None, None)
    return tf.TensorSpec((batch_size, height, width, 3), tf.uint8, name=FRAME_INPUT)


def state_specs(stream, batch_size=None):
    import tensorflow as tf

    return {
        name: tf.TensorSpec((batch_size, *shape), tf.float32, name=name)
        for name, shape in stream.state_shapes.items()
    }


def stream_endpoints(task, *, batch_size=None, frame_size=None):
    """`{endpoint name: (tf.function, input_signature)}` of a task's stream.

    Args:
        task: a `VideoClassifier` that can stream.
        batch_size: a fixed batch size, or None for any.
        frame_size: a fixed `(height, width)` of the frames, or None for any
            (resized in the graph). A fixed size other than the model's is
            resized with builtin matrix products (`fixed_size_resize`).

    Raises:
        ValueError: naming why the task cannot stream.
    """
    import tensorflow as tf

    stream = ClassifierStream(task)
    resize = None
    if frame_size is not None:
        frame_size = check_frame_size(frame_size)
        if frame_size != tuple(task.preprocessor.image_size):
            resize = fixed_size_resizer(task.preprocessor, frame_size)
    frame = frame_spec(batch_size, frame_size)
    states = state_specs(stream, batch_size)

    def initial_state(frame):
        return stream.initial_state(tf.shape(frame)[0])

    def step(frame, states):
        if resize is not None:
            frame = resize(frame)
        probabilities, new_states = stream.step(frame, states)
        return {**classification_outputs(task, probabilities), **new_states}

    return {
        INITIAL_STATE: (tf.function(initial_state), [frame]),
        STREAM: (tf.function(step), [frame, states]),
    }


def add_stream_endpoints(archive, task, *, batch_size=None, frame_size=None):
    """Adds `initial_state` and `stream` to a `keras.export.ExportArchive`."""
    endpoints = stream_endpoints(task, batch_size=batch_size, frame_size=frame_size)
    for name, (function, signature) in endpoints.items():
        archive.add_endpoint(name, function, input_signature=signature)
    return list(endpoints)
