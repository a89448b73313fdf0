"""The `tf.function` endpoints of a task's SavedModel, per input kind."""

from keras_grurcn.captioning.video_captioner import VideoCaptioner
from keras_grurcn.export.caption_serving import caption_outputs
from keras_grurcn.models.task import Task
from keras_grurcn.models.two_stream_video_classifier import TwoStreamVideoClassifier
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.two_stream_preprocessor import STREAMS

# The serving input of raw video (uint8 RGB frames of any size and length).
FRAMES_INPUT = "frames"
# A two-stream SavedModel's endpoint that says how to make its `flow` input.
FLOW_OPTIONS_SIGNATURE = "flow_image_options"


def video_spec(name):
    import tensorflow as tf

    return tf.TensorSpec((None, None, None, None, 3), tf.uint8, name=name)


def percept_specs(task):
    import tensorflow as tf

    return {
        name: tf.TensorSpec((None, *tensor.shape[1:]), tf.float32, name=name)
        for name, tensor in task.backbone.input.items()
    }


def classification_outputs(task, probabilities):
    """`{"probabilities", "labels"}` (class names best first) as TF tensors."""
    import tensorflow as tf

    probabilities = tf.cast(probabilities, tf.float32)
    best_first = tf.argsort(probabilities, axis=-1, direction="DESCENDING")
    labels = tf.gather(tf.constant(task.labels), best_first)
    return {"probabilities": probabilities, "labels": labels}


def flow_options_constants(options):
    """`flow_image_options` as SavedModel constants (`num_frames` 0: every frame)."""
    return {
        "method": options["method"],
        "bound": float(options["bound"]),
        "num_frames": int(options["num_frames"] or 0),
        "image_size": [int(side) for side in options["image_size"]],
    }


def saved_flow_image_options(loaded):
    """The `video_flow_images` arguments a loaded two-stream SavedModel records.

    `None` for a SavedModel without a flow input.
    """
    if FLOW_OPTIONS_SIGNATURE not in loaded.signatures:
        return None
    values = {
        name: value.numpy()
        for name, value in loaded.signatures[FLOW_OPTIONS_SIGNATURE]().items()
    }
    return {
        "method": values["method"].decode(),
        "bound": float(values["bound"]),
        "num_frames": int(values["num_frames"]) or None,
        "image_size": tuple(int(side) for side in values["image_size"]),
    }


def add_serving_endpoints(archive, task, caption_options=None):
    """Adds the task's signatures to a `keras.export.ExportArchive`."""
    import tensorflow as tf

    if not isinstance(task, Task):
        raise ValueError(
            "export_saved_model exports keras_grurcn tasks (build_model, "
            f"from_preset); got {type(task).__name__}."
        )
    if task.preprocessor is None:
        raise ValueError(
            f"export_saved_model: task {task.name!r} has no preprocessor, so a "
            "client could not send it video frames. Build it with one (e.g. "
            "the percept cache's: `grurcn train` does) or load a preset that "
            "has one."
        )
    if isinstance(task, VideoCaptioner):
        outputs_fn = caption_outputs(**(caption_options or {}))
        archive.add_endpoint(
            "serving_default",
            tf.function(lambda frames: outputs_fn(task, frames)),
            input_signature=[video_spec(FRAMES_INPUT)],
        )
        return
    if caption_options is not None:
        raise ValueError("export_saved_model: `caption_options` is for captioners.")
    if not isinstance(task, VideoClassifier):
        raise ValueError(
            f"export_saved_model: no serving signature for {type(task).__name__}."
        )

    def classify(inputs):
        return classification_outputs(task, task(inputs, training=False))

    if isinstance(task, TwoStreamVideoClassifier):
        archive.add_endpoint(
            "serving_default",
            tf.function(lambda rgb, flow: classify({"rgb": rgb, "flow": flow})),
            input_signature=[video_spec(stream) for stream in STREAMS],
        )
        options = flow_options_constants(task.preprocessor.flow.flow_image_options)
        archive.add_endpoint(
            FLOW_OPTIONS_SIGNATURE,
            tf.function(lambda: {name: tf.constant(v) for name, v in options.items()}),
            input_signature=[],
        )
    else:
        archive.add_endpoint(
            "serving_default",
            tf.function(lambda frames: classify(frames)),
            input_signature=[video_spec(FRAMES_INPUT)],
        )
    archive.add_endpoint(
        "serving_percepts",
        tf.function(lambda percepts: classify(percepts)),
        input_signature=[percept_specs(task)],
    )
