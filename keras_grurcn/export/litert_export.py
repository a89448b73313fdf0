import os
import tempfile

from keras_grurcn.export.artifact_file import check_can_write
from keras_grurcn.export.artifact_file import write_file_atomically
from keras_grurcn.export.litert_subgraph_order import signature_subgraph_first
from keras_grurcn.export.stream_signatures import STREAM
from keras_grurcn.export.stream_signatures import add_stream_endpoints
from keras_grurcn.models.classifier_stream import task_streaming_refusal


def export_litert(task, path, *, frame_size=None, overwrite=False):
    """Writes a classifier's streaming step as a LiteRT (TFLite) model.

    The file holds the `initial_state` and `stream` signatures of the
    SavedModel (see `export_saved_model`) for one video (batch 1) and
    frames of one size, converted with LiteRT's builtin ops only (no Flex
    delegate, so the plain LiteRT runtime runs it on a phone or a board).
    The weights are float32; the step is the task's own preprocessing,
    GRU-RCN cells and head. TensorFlow's antialiased resize has no builtin
    op, so the frame size is fixed at export: the model's image size by
    default (nothing to resize), or a camera's `frame_size`, which the file
    then resizes as `VideoPreprocessor` does (the largest centred window,
    antialiased) with two constant matrix products read off the
    preprocessor's resizing layer.

    Signatures (`interpreter.get_signature_runner(name)`):

    - `initial_state`: `frame` uint8 `(1, height, width, 3)` (`frame_size`)
      -> the zero states, float32, by name;
    - `stream`: `frame` and each state by name -> `probabilities` `(1,
      classes)`, `labels` `(1, classes)` (class names, best first) and
      the new states under the same names.

    Args:
        task: a `VideoClassifier` that can stream (see
            `keras_grurcn.models.task_streaming_refusal`) and has a
            preprocessor.
        path: the `.tflite` file to write.
        frame_size: `(height, width)` of the frames the client sends, or
            None for the model's image size.
        overwrite: replace an existing file.

    Returns:
        The absolute path of the file.

    Raises:
        ValueError: naming why the task cannot stream or take frames.
        FileExistsError: when `path` exists and `overwrite` is off.

    Examples:

    ```python
    from ai_edge_litert.interpreter import Interpreter

    path = keras_grurcn.export.export_litert(model, "/tmp/grurcn.tflite")
    stream = Interpreter(model_path=path).get_signature_runner("stream")
    frame = np.zeros((1, 32, 32, 3), "uint8")
    states = {"pool1_hidden": np.zeros((1, 16, 16, 2), "float32")}
    outputs = stream(frame=frame, **states)
    outputs["labels"][0, 0]  # the class name predicted so far
    ```
    """
    import keras
    import tensorflow as tf

    path = check_can_write(path, overwrite, "export_litert")
    _check_streams_frames(task, "export_litert")
    archive = keras.export.ExportArchive()
    archive.track(task)
    signatures = add_stream_endpoints(
        archive,
        task,
        batch_size=1,
        frame_size=frame_size or task.preprocessor.image_size,
    )
    with tempfile.TemporaryDirectory(prefix="grurcn_litert_") as saved_model_dir:
        archive.write_out(os.path.join(saved_model_dir, "stream"), verbose=False)
        converter = tf.lite.TFLiteConverter.from_saved_model(
            os.path.join(saved_model_dir, "stream"), signature_keys=signatures
        )
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
        try:
            model = converter.convert()
        except Exception as error:  # the converter raises its own ConverterError
            raise ValueError(
                f"export_litert: {task.name!r} does not convert to LiteRT "
                f"builtin ops: {error}"
            ) from None

    # The converter orders signatures by name; LiteRT accelerates only the
    # first subgraph with XNNPACK, and that must be the per-frame `stream`.
    model = signature_subgraph_first(model, STREAM)

    def write(staging):
        with open(staging, "wb") as file:
            file.write(model)

    return write_file_atomically(path, write)


def _check_streams_frames(task, writer):
    refusal = task_streaming_refusal(task)
    if refusal is not None:
        name = getattr(task, "name", type(task).__name__)
        raise ValueError(f"{writer}: {name!r} cannot stream frame by frame: {refusal}.")
    if task.preprocessor is None:
        raise ValueError(
            f"{writer}: task {task.name!r} has no preprocessor, so it cannot "
            "take video frames. Build it with one (e.g. the percept cache's) "
            "or load a preset that has one."
        )
