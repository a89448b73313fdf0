import os
import shutil
import tempfile

from keras_grurcn.export.frame_preprocessing import model_clip_spec
from keras_grurcn.export.frame_preprocessing import preprocess_frames

SERVING_INPUT = "frames"


def classification_outputs(class_names=None):
    """The outputs of a classifier's serving signature.

    Returns a function `outputs_fn(model, frames)` for the `endpoints`
    argument of `export_saved_model`, mapping preprocessed frames to
    `{"probabilities": (batch, classes) float32, "labels": (batch, classes)
    string}`, the labels sorted best first.

    Args:
        class_names: class names in index order; default `"0"`, `"1"`, ...

    Examples:

    ```python
    outputs_fn = keras_grurcn.export.classification_outputs(["walk", "run", "jump"])
    keras_grurcn.export_saved_model(
        model, "/tmp/models/walk_run_jump/1",
        endpoints={"serving_default": outputs_fn},
    )
    ```
    """
    import tensorflow as tf

    def outputs_fn(model, frames):
        probabilities = tf.cast(model(frames, training=False), tf.float32)
        if probabilities.shape.rank != 2:
            raise ValueError(
                f"Model {model.name!r}: a classifier's serving signature "
                "needs probabilities (batch, classes); the model returns "
                f"shape {probabilities.shape}."
            )
        num_classes = probabilities.shape[-1]
        names = class_names
        if names is None:
            names = [str(index) for index in range(num_classes)]
        if len(names) != num_classes:
            raise ValueError(
                f"export_saved_model: {len(names)} class_names for a model "
                f"with {num_classes} classes."
            )
        best_first = tf.argsort(probabilities, axis=-1, direction="DESCENDING")
        labels = tf.gather(tf.constant([str(name) for name in names]), best_first)
        return {"probabilities": probabilities, "labels": labels}

    return outputs_fn


def export_saved_model(
    model,
    export_dir,
    *,
    class_names=None,
    endpoints=None,
    caption_options=None,
    overwrite=False,
):
    """Writes a SavedModel of a frame classifier for TensorFlow Serving.

    The `serving_default` signature takes ONE input, `frames`: uint8 RGB
    video `(batch, time, height, width, 3)` of any size. Frame sampling,
    resizing (`preprocess_frames`) and the backbone's normalisation (part
    of the model) run inside the graph, so a client sends decoded frames
    and nothing else; `predict_frames` does the same in Python. It returns
    `probabilities` `(batch, classes)` and `labels` `(batch, classes)`, the
    class names best first.

    The SavedModel holds a graph, not Python: it loads with
    `tf.saved_model.load` (and in TF Serving) without `keras_grurcn`.

    The export is written to a temporary folder next to `export_dir` (its
    name starts with a dot, which TF Serving ignores) and renamed when
    complete, so a failed export never leaves a half-written version
    folder beside the good ones.

    Args:
        model: a Keras model taking frames `(batch, time, height, width, 3)`
            in `[0, 255]`; the spatial size must be static (the serving
            graph resizes to it); a fixed clip length makes the graph
            sample that many frames evenly.
        export_dir: the folder to create, e.g. `models/grurcn/1` (TF
            Serving loads numbered version folders under a model's base
            path).
        class_names: class names in index order, for `labels`.
        endpoints: `{signature name: outputs_fn}` replacing the default
            `{"serving_default": classification_outputs(class_names)}`;
            each `outputs_fn(model, frames)` maps the preprocessed float32
            frames to a dict of output tensors. This is the hook for
            models whose answer is not class probabilities, e.g. a
            captioner's `{"serving_default": lambda model, frames:
            {"caption": ...}}` returning the caption string.
        caption_options: for a captioner (a model with a `tokens` input,
            e.g. `build_model("grurcn_captioner", ...)`), the decoding
            settings `{"beam_width", "max_length", "length_penalty"}` of
            its `serving_default`, which maps uint8 frames to `caption`
            (string per video), `beams`, `scores` and `attention`
            (`keras_grurcn.captioning.caption_serving_function`).
        overwrite: replace an existing `export_dir` (swapped in only after
            the new export is complete).

    Returns:
        The absolute path of `export_dir`.

    Raises:
        FileExistsError: when `export_dir` exists and `overwrite` is off.
        ValueError: when the model does not take a single frames input.

    Examples:

    ```python
    keras_grurcn.export_saved_model(
        model, "/tmp/models/grurcn/1", class_names=["walk", "run", "jump"]
    )
    served = tf.saved_model.load("/tmp/models/grurcn/1")
    outputs = served.signatures["serving_default"](
        frames=tf.zeros((1, 16, 240, 320, 3), tf.uint8)
    )
    ```
    """
    import keras
    import tensorflow as tf

    export_dir = os.path.abspath(os.fspath(export_dir))
    if os.path.exists(export_dir) and not overwrite:
        raise FileExistsError(
            f"export_saved_model: {export_dir} already exists; export a new "
            "version folder or pass overwrite=True."
        )
    archive = keras.export.ExportArchive()
    archive.track(model)
    if any(tensor.name == "tokens" for tensor in model.inputs):
        _add_caption_endpoint(archive, model, endpoints, caption_options)
    else:
        _add_frame_endpoints(archive, model, endpoints, class_names, tf)

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


def _add_frame_endpoints(archive, model, endpoints, class_names, tf):
    num_frames, height, width = model_clip_spec(model)
    image_size = None if height is None or width is None else (height, width)
    if endpoints is None:
        endpoints = {"serving_default": classification_outputs(class_names)}
    if "serving_default" not in endpoints:
        raise ValueError(
            "export_saved_model: `endpoints` must include 'serving_default'; "
            f"got {sorted(endpoints)}."
        )
    frames_spec = tf.TensorSpec(
        (None, None, None, None, 3), tf.uint8, name=SERVING_INPUT
    )
    for name, outputs_fn in endpoints.items():
        archive.add_endpoint(
            name,
            _serving_function(model, outputs_fn, num_frames, image_size, tf),
            input_signature=[frames_spec],
        )


def _add_caption_endpoint(archive, model, endpoints, caption_options):
    """A captioner's `serving_default`: uint8 frames -> caption strings."""
    from keras_grurcn.captioning.caption_export import caption_serving_function

    if endpoints is not None:
        raise ValueError(
            "export_saved_model: a captioner's signature is fixed (frames -> "
            "caption, beams, scores, attention); pass `caption_options`, not "
            "`endpoints`."
        )
    archive.add_endpoint(
        "serving_default", caption_serving_function(model, **(caption_options or {}))
    )


def _serving_function(model, outputs_fn, num_frames, image_size, tf):
    def serve(frames):
        return outputs_fn(model, preprocess_frames(frames, num_frames, image_size))

    return tf.function(serve)
