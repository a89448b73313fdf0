import os
import shutil
import tempfile

from keras_grurcn.export.serving_signatures import add_serving_endpoints
from keras_grurcn.export.stream_signatures import add_stream_endpoints
from keras_grurcn.models.classifier_stream import task_streaming_refusal

STREAMING_CHOICES = ("auto", True, False)


def export_saved_model(
    task, export_dir, *, caption_options=None, streaming="auto", overwrite=False
):
    """Writes a task's SavedModel for TensorFlow Serving.

    The SavedModel holds a graph, not Python: it loads with
    `tf.saved_model.load` (and in TF Serving) without `keras_grurcn`.
    Everything between decoded frames and the answer runs inside it: the
    task's `VideoPreprocessor` (frame sampling, resizing, the frozen CNN),
    its backbone and head. Signatures, by the task:

    - `VideoClassifier`: `serving_default` takes `frames`, uint8 RGB video
      `(batch, time, height, width, 3)` of any size and length, and returns
      `probabilities` `(batch, classes)` float32 and `labels` `(batch,
      classes)` string (the task's `class_names`, best first);
      `serving_percepts` takes the cached percepts, one input per level
      (float32 `(batch, time, ...)`), and returns the same. A classifier
      that can stream (`keras_grurcn.models.task_streaming_refusal`) also
      gets `initial_state` (`frame`, uint8 `(batch, height, width, 3)` ->
      its zero states, float32, by name) and `stream` (`frame` and each
      state by name -> `probabilities`, `labels` and the new states): the
      video classified frame by frame (`keras_grurcn.models.ClassifierStream`).
    - `TwoStreamVideoClassifier`: `serving_default` takes `rgb` (uint8
      frames, as `frames` above) and `flow` (uint8 flow images: OpenCV's
      flow cannot run in the graph, so the client makes them from the
      decoded frames with `keras_grurcn.data.video_flow_images`, the
      function the flow percept cache was made with), and returns the
      same; `flow_image_options` takes nothing and returns that
      function's arguments (`method`, `bound`, `num_frames`, 0 for every
      frame, `image_size`), so a client needs only the SavedModel.
    - `VideoCaptioner`: `serving_default` takes `frames` and returns
      `caption` (string per video), `beams`, `scores` and `attention`.

    The export is written to a temporary folder next to `export_dir` (its
    name starts with a dot, which TF Serving ignores) and renamed when
    complete, so a failed export never leaves a half-written version
    folder beside the good ones.

    Args:
        task: a `keras_grurcn` task with a preprocessor (e.g. from
            `build_model` or `from_preset`).
        export_dir: the folder to create, e.g. `models/grurcn/1` (TF
            Serving loads numbered version folders under a model's base
            path).
        caption_options: for a captioner, the decoding settings
            `{"beam_width", "max_length", "length_penalty"}` (defaults 5,
            30, 0.0).
        streaming: `"auto"` adds the streaming signatures when the task can
            stream, `True` requires them (a ValueError says why a task
            cannot), `False` leaves them out.
        overwrite: replace an existing `export_dir` (swapped in only after
            the new export is complete).

    Returns:
        The absolute path of `export_dir`.

    Raises:
        FileExistsError: when `export_dir` exists and `overwrite` is off.
        ValueError: when the task has no preprocessor (it could not take
            frames), is not a keras_grurcn task, or cannot stream with
            `streaming=True`.

    Examples:

    ```python
    keras_grurcn.export_saved_model(model, "/tmp/models/grurcn/1")
    served = tf.saved_model.load("/tmp/models/grurcn/1")
    outputs = served.signatures["serving_default"](
        frames=tf.zeros((1, 16, 240, 320, 3), tf.uint8)
    )
    outputs["labels"][0, 0]  # the predicted class name
    ```
    """
    import keras

    export_dir = os.path.abspath(os.fspath(export_dir))
    if os.path.exists(export_dir) and not overwrite:
        raise FileExistsError(
            f"export_saved_model: {export_dir} already exists; export a new "
            "version folder or pass overwrite=True."
        )
    if streaming not in STREAMING_CHOICES:
        raise ValueError(
            f"export_saved_model: `streaming` must be 'auto', True or False; got "
            f"{streaming!r}."
        )
    archive = keras.export.ExportArchive()
    archive.track(task)
    add_serving_endpoints(archive, task, caption_options)
    refusal = task_streaming_refusal(task)
    if streaming is True and refusal is not None:
        raise ValueError(
            f"export_saved_model: {task.name!r} cannot stream frame by frame: "
            f"{refusal}. Export it with streaming='auto' or False."
        )
    if streaming and refusal is None:
        add_stream_endpoints(archive, task)

    parent = os.path.dirname(export_dir)
    os.makedirs(parent, exist_ok=True)
    staging_dir = tempfile.mkdtemp(
        prefix=f".{os.path.basename(export_dir)}.tmp-", dir=parent
    )
    # mkdtemp makes the folder private (0700); a model server running as
    # another user must be able to read the version folder.
    os.chmod(staging_dir, 0o755)
    try:
        archive.write_out(staging_dir, verbose=False)
        if os.path.exists(export_dir):
            retired_dir = tempfile.mkdtemp(
                prefix=f".{os.path.basename(export_dir)}.old-", dir=parent
            )
            os.rename(export_dir, os.path.join(retired_dir, "version"))
            os.rename(staging_dir, export_dir)
            shutil.rmtree(retired_dir, ignore_errors=True)
        else:
            os.rename(staging_dir, export_dir)
    finally:
        shutil.rmtree(staging_dir, ignore_errors=True)
    return export_dir
