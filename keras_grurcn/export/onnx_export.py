import contextlib

import keras

from keras_grurcn import compat
from keras_grurcn.export.artifact_file import check_can_write
from keras_grurcn.export.artifact_file import write_file_atomically
from keras_grurcn.export.fixed_size_resize import check_frame_size
from keras_grurcn.export.fixed_size_resize import fixed_size_resizer
from keras_grurcn.export.serving_signatures import FRAMES_INPUT
from keras_grurcn.export.serving_signatures import classification_outputs
from keras_grurcn.models.two_stream_video_classifier import TwoStreamVideoClassifier
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.two_stream_preprocessor import STREAMS

# ONNX opset 17 is read by every onnxruntime since 1.13.
DEFAULT_OPSET = 17


def export_onnx(task, path, *, frame_size=None, opset=DEFAULT_OPSET, overwrite=False):
    """Writes a classifier's whole-clip model as ONNX, converted by tf2onnx.

    The graph is the SavedModel's `serving_default` (see
    `export_saved_model`): uint8 `frames` `(batch, time, height, width,
    3)` of any length, sampled to the model's clip length inside the
    graph, -> `probabilities` `(batch, classes)` float32 and `labels`
    `(batch, classes)` (class names, best first). Two-stream classifiers
    take `rgb` and `flow`. ONNX has no equivalent of TensorFlow's
    antialiased resize, so the frame size is fixed at export: the model's
    image size by default, or `frame_size`, resized in the graph as
    `VideoPreprocessor` does with two constant matrix products (see
    `export_litert`). The recurrent layers' time loops are
    unrolled over the clip length for the conversion (tf2onnx cannot
    convert Keras' `while` loops); the weights are the task's.

    Needs `pip install 'keras-grurcn[export]'` (tf2onnx).

    Args:
        task: a `VideoClassifier` (any of the zoo's, two-stream included)
            with a preprocessor and a fixed clip length (`num_frames`).
        path: the `.onnx` file to write.
        frame_size: `(height, width)` of the frames the client sends, or
            None for the model's image size.
        opset: the ONNX opset to target.
        overwrite: replace an existing file.

    Returns:
        The absolute path of the file.

    Raises:
        ValueError: when the task is not a classifier with a preprocessor
            and a fixed clip length.
        FileExistsError: when `path` exists and `overwrite` is off.
        ImportError: when tf2onnx is not installed.

    Examples:

    ```python
    import onnxruntime

    path = keras_grurcn.export.export_onnx(model, "/tmp/grurcn.onnx")
    session = onnxruntime.InferenceSession(path)
    video = np.zeros((1, 5, 32, 32, 3), "uint8")  # any length, model's size
    outputs = session.run(["probabilities", "labels"], {"frames": video})
    probabilities, labels = outputs
    ```
    """
    import tensorflow as tf

    try:
        import tf2onnx
    except ImportError as error:
        raise ImportError(
            "ONNX export needs tf2onnx: pip install 'keras-grurcn[export]'."
        ) from error

    path = check_can_write(path, overwrite, "export_onnx")
    names = _frame_inputs(task)
    image_size = _image_size(task)
    height, width = check_frame_size(frame_size or image_size)
    resizers = [lambda frames: frames] * len(names)
    if (height, width) != image_size:
        preprocessors = _preprocessors(task)
        resizers = [fixed_size_resizer(p, (height, width)) for p in preprocessors]
    signature = [
        tf.TensorSpec((None, None, height, width, 3), tf.uint8, name=name)
        for name in names
    ]

    @tf.function(input_signature=signature)
    def classify(*videos):
        videos = [resize(video) for resize, video in zip(resizers, videos)]
        inputs = dict(zip(names, videos)) if len(videos) > 1 else videos[0]
        return classification_outputs(task, task(inputs, training=False))

    def write(staging):
        with unrolled_time_loops(task):
            tf2onnx.convert.from_function(
                classify, input_signature=signature, opset=opset, output_path=staging
            )

    return write_file_atomically(path, write)


def _frame_inputs(task):
    if not isinstance(task, VideoClassifier):
        raise ValueError(
            "export_onnx exports video classifiers (build_model, from_preset); "
            f"got {type(task).__name__}."
        )
    if task.preprocessor is None:
        raise ValueError(
            f"export_onnx: task {task.name!r} has no preprocessor, so it cannot "
            "take video frames. Build it with one or load a preset that has one."
        )
    if isinstance(task, TwoStreamVideoClassifier):
        return list(STREAMS)
    return [FRAMES_INPUT]


def _preprocessors(task):
    if isinstance(task, TwoStreamVideoClassifier):
        return [getattr(task.preprocessor, stream) for stream in STREAMS]
    return [task.preprocessor]


def _image_size(task):
    preprocessors = _preprocessors(task)
    for preprocessor in preprocessors:
        if preprocessor.num_frames is None:
            raise ValueError(
                f"export_onnx: task {task.name!r} takes clips of any length "
                "(num_frames=None); ONNX needs the clip length fixed to unroll "
                "the recurrence. Build the model with num_frames."
            )
    return tuple(preprocessors[0].image_size)


@contextlib.contextmanager
def unrolled_time_loops(task):
    """Unrolls every recurrent layer of `task` while a graph is traced.

    tf2onnx 1.17 fails on the `while` loops of Keras' RNN layers ("While
    loop couldn't find scan output index"); unrolled over a static clip
    length, the same layers convert (measured, docs/decisions.md). `unroll`
    is the layers' own option, read at call time; it is restored after.
    """
    layers = [
        layer
        for layer in compat.nested_layers(task)
        if isinstance(layer, keras.layers.RNN)
    ]
    previous = [layer.unroll for layer in layers]
    for layer in layers:
        layer.unroll = True
    try:
        yield
    finally:
        for layer, unroll in zip(layers, previous):
            layer.unroll = unroll
