from keras import ops

from keras_grurcn.models.backbone_stream import backbone_stream
from keras_grurcn.models.backbone_stream import streaming_refusal
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.video_preprocessor import FRAMES

# The states of a backbone without recurrence (frame averaging): the sum of
# the per-frame class probabilities so far and the number of frames.
PROBABILITY_SUM = "probability_sum"
FRAMES_SEEN = "frames_seen"


def task_streaming_refusal(task):
    """Why a task cannot classify a video frame by frame, or None.

    Streaming needs a `VideoClassifier` over a backbone whose state after
    a frame depends only on the frames so far: the independent and stacked GRU-RCNs, `frame_rnn` and
    `frame_average` stream; the bidirectional GRU-RCN, `c3d`, two-stream
    models and clip-level percept normalisation (`"instance"`) do not.

    Examples:

    ```python
    keras_grurcn.models.task_streaming_refusal(model)  # None: it can stream
    ```
    """
    if not isinstance(task, VideoClassifier):
        return f"streaming is for video classifiers, not a {type(task).__name__}"
    return streaming_refusal(task.backbone)


class ClassifierStream:
    """A `VideoClassifier` run one frame at a time, its states explicit.

    The "camera" use of a recurrent model: after each frame the stream
    gives the class probabilities of the video so far, carrying the
    GRU-RCN hidden maps from one frame to the next. It uses the task's
    own parts and weights: the preprocessor's resizing and CNN on the
    frame, one step of each recurrent layer's cell (the layer's own gate
    arithmetic) and the task's head. After the clip length the model was
    built for, the probabilities equal `task.predict` on the same frames
    (no frame is resampled: `task.predict` keeps every frame of a clip of
    exactly that length). It keeps going after that, as the recurrence
    does; a frame-averaging model averages every frame so far.

    The states are a dict of float32 tensors (`initial_state`), named
    `"{level}_hidden"` (and `"{level}_cell"` for an LSTM), or
    `"probability_sum"` and `"frames_seen"` for frame averaging; the
    SavedModel's `stream` signature takes and returns them under these
    names. Everything is `keras.ops`, so it runs on any backend.

    Args:
        task: a `VideoClassifier` that can stream (see
            `task_streaming_refusal`).

    Raises:
        ValueError: naming why the task cannot stream.

    Examples:

    ```python
    stream = keras_grurcn.models.ClassifierStream(model)
    video = np.random.randint(0, 256, (1, 2, 48, 64, 3), "uint8")
    states = stream.initial_state(batch_size=1)
    for index in range(video.shape[1]):  # frames as they arrive
        probabilities, states = stream.step(video[:, index], states)
    np.allclose(probabilities, model.predict(video, verbose=0), atol=1e-5)  # True
    ```
    """

    def __init__(self, task):
        reason = task_streaming_refusal(task)
        if reason is not None:
            name = getattr(task, "name", type(task).__name__)
            raise ValueError(f"{name!r} cannot stream frame by frame: {reason}.")
        self.task = task
        self.backbone = backbone_stream(task.backbone)

    @property
    def state_shapes(self):
        """`{state name: shape}` without the batch axis."""
        if self.backbone.per_frame_features:
            return {PROBABILITY_SUM: (self.task.num_classes,), FRAMES_SEEN: (1,)}
        return self.backbone.state_shapes

    def initial_state(self, batch_size=1):
        """The states before the first frame: zeros, float32."""
        return {
            name: ops.zeros((batch_size, *shape), "float32")
            for name, shape in self.state_shapes.items()
        }

    def frame_percepts(self, inputs):
        """The percepts of one frame, `{level: (batch, 1, ...)}`.

        `inputs` is a frame `(batch, height, width, 3)`, resized as every
        frame of a clip is and run through the preprocessor's CNN (no
        sampling: it is one frame of the stream), or that frame's percepts
        already, `{level: (batch, ...)}` (as a task takes a clip's).
        """
        names = self.task.backbone_input_names
        if isinstance(inputs, dict) and all(name in inputs for name in names):
            return {name: ops.expand_dims(inputs[name], 1) for name in names}
        if isinstance(inputs, dict) or len(inputs.shape) != 4 or inputs.shape[-1] != 3:
            given = sorted(inputs) if isinstance(inputs, dict) else tuple(inputs.shape)
            raise ValueError(
                f"{type(self).__name__}: expected one RGB frame per video, "
                f"(batch, height, width, 3), or its percepts {{level: (batch, "
                f"...)}} for the levels {names}; got {given}."
            )
        preprocessor = self.task.preprocessor
        if preprocessor is None:
            raise ValueError(
                f"{type(self).__name__}: {self.task.name!r} has no preprocessor, "
                f"so it streams percepts: pass {{level: (batch, ...)}} for the "
                f"levels {names}, not frames."
            )
        clips = preprocessor.resize_frames(ops.expand_dims(inputs, 1))
        if preprocessor.percepts is None:  # a model of pixels
            return {FRAMES: clips}
        percepts = preprocessor.percepts(clips, training=False)
        return {name: percepts[name] for name in names}

    def step(self, inputs, states):
        """Classifies the video so far after one more frame.

        Args:
            inputs: uint8 (or float in `[0, 255]`) RGB frames `(batch,
                height, width, 3)` of any size, the next frame of each
                video; or that frame's percepts (see `frame_percepts`).
            states: the previous states (`initial_state`, or the last step's).

        Returns:
            `(probabilities, states)`: float32 `(batch, num_classes)` and
            the new states.
        """
        missing = sorted(set(self.state_shapes) - set(states))
        if missing:
            raise ValueError(
                f"{type(self).__name__}.step: missing states {missing}; start "
                "from initial_state() and pass each step's states to the next."
            )
        features, new_states = self.backbone.step(self.frame_percepts(inputs), states)
        probabilities = ops.cast(self.task.head(features, training=False), "float32")
        if self.backbone.per_frame_features:
            total = states[PROBABILITY_SUM] + probabilities
            seen = states[FRAMES_SEEN] + 1.0
            return total / seen, {PROBABILITY_SUM: total, FRAMES_SEEN: seen}
        return probabilities, {
            name: ops.cast(state, "float32") for name, state in new_states.items()
        }
