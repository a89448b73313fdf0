"""One frame through a backbone, its recurrent states passed in and out.

A streaming step replays a backbone's own layers on one frame: every
layer that acts frame by frame (normalisation, `TimeDistributed` pooling,
concatenation) is called as it is on a sequence of length 1, and each
recurrent layer advances by one step of its *cell* (`ConvGRU2DCell`,
`GRUCell`, `LSTMCell`), so the gate arithmetic stays in the layers.
Backbones whose output at a frame depends on later frames (a backward
direction, 3D convolutions, statistics over the whole clip) are refused
by `streaming_refusal`, with the reason.
"""

from keras import ops

from keras_grurcn.models.c3d_backbone import C3DBackbone
from keras_grurcn.models.frame_pooling_backbone import FramePoolingBackbone
from keras_grurcn.models.frame_rnn_backbone import FrameRNNBackbone
from keras_grurcn.models.grurcn_backbone import GRURCNBackbone
from keras_grurcn.models.two_stream_backbone import TwoStreamBackbone

# Percept normalisations whose statistics span the whole clip: a frame's
# input would depend on frames that have not arrived yet.
CLIP_LEVEL_NORMALIZATIONS = ("instance",)


def streaming_refusal(backbone):
    """Why `backbone` cannot run frame by frame, or None when it can."""
    kind = type(backbone).__name__
    if isinstance(backbone, TwoStreamBackbone):
        return (
            "a two-stream model also needs the optical flow between frames, "
            "which its SavedModel takes as a second video; stream the RGB "
            "and flow models separately"
        )
    if isinstance(backbone, C3DBackbone):
        return (
            "its 3D convolutions and temporal poolings combine each frame "
            "with the frames after it"
        )
    if not isinstance(
        backbone, (GRURCNBackbone, FramePoolingBackbone, FrameRNNBackbone)
    ):
        return f"there is no streaming step for a {kind}"
    if getattr(backbone, "variant", None) == "bidirectional":
        return (
            "its backward GRU-RCNs read the clip from the last frame, which "
            "has not arrived while the video streams"
        )
    if getattr(backbone, "return_sequences", False):
        return "it returns every hidden state (a captioner's encoder), not the last"
    if backbone.percept_normalization in CLIP_LEVEL_NORMALIZATIONS:
        return (
            f'percept_normalization="{backbone.percept_normalization}" '
            "normalises each level over the whole clip (time included), so a "
            "frame's input depends on the frames after it"
        )
    return None


def backbone_stream(backbone):
    """The `BackboneStream` of a backbone; ValueError (the reason) if none."""
    reason = streaming_refusal(backbone)
    if reason is not None:
        raise ValueError(f"{backbone.name!r} cannot stream frame by frame: {reason}.")
    if isinstance(backbone, GRURCNBackbone):
        return GRURCNStream(backbone)
    if isinstance(backbone, FrameRNNBackbone):
        return FrameRNNStream(backbone)
    return FramePoolingStream(backbone)


class BackboneStream:
    """A backbone run one frame at a time (see `backbone_stream`).

    `step` takes the percepts of one frame as sequences of length 1
    (`{level: (batch, 1, ...)}`, what the preprocessor's CNN returns for
    one frame) and the states, and returns the features the task's head
    reads and the new states. `per_frame_features` says whether the
    features are the frame's own (the head averages them over time) or a
    summary of every frame so far (the last hidden states).
    """

    per_frame_features = False

    def __init__(self, backbone):
        self.backbone = backbone
        self.levels = list(backbone.input)
        self.recurrent_layers = {}  # level -> its RNN layer, shallow to deep

    @property
    def state_shapes(self):
        """`{state name: shape}` without the batch axis, in step order."""
        shapes = {}
        for level, layer in self.recurrent_layers.items():
            shapes.update(
                dict(zip(state_names(level, layer), cell_state_shapes(layer)))
            )
        return shapes

    def normalize(self, level, percepts):
        if self.backbone.percept_normalization is None:
            return percepts
        return self.backbone.get_layer(f"{level}_normalization")(
            percepts, training=False
        )

    def advance(self, level, inputs, states):
        """One step of the level's RNN on `(batch, 1, ...)` inputs.

        Returns the new hidden state `(batch, ...)` and the level's new
        states, by name.
        """
        layer = self.recurrent_layers[level]
        names = state_names(level, layer)
        cell = layer.cell
        previous = [ops.cast(states[name], cell.compute_dtype) for name in names]
        output, new_states = cell(inputs[:, 0], previous, training=False)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        return output, dict(zip(names, new_states))

    def step(self, percepts, states):
        raise NotImplementedError


class GRURCNStream(BackboneStream):
    """`GRURCNBackbone`, independent or stacked, one frame at a time."""

    def __init__(self, backbone):
        super().__init__(backbone)
        for level in self.levels:
            self.recurrent_layers[level] = backbone.get_layer(f"{level}_grurcn")

    def step(self, percepts, states):
        features, new_states, lower = {}, {}, None
        for level in self.levels:
            inputs = self.normalize(level, percepts[level])
            if self.backbone.variant == "stacked" and lower is not None:
                inputs = self.backbone.get_layer(f"{level}_stacked_inputs")(
                    [inputs, self.bottom_up(level, lower)]
                )
            hidden, level_states = self.advance(level, inputs, states)
            new_states.update(level_states)
            features[level] = hidden
            lower = ops.expand_dims(hidden, 1)  # a sequence of one state
        return features, new_states

    def bottom_up(self, level, lower_sequence):
        # The backbone pools a lower map level to this one's grid; a vector
        # below (fc7) is concatenated as it is, with no layer in between.
        if len(lower_sequence.shape) == 3:
            return lower_sequence
        return self.backbone.get_layer(f"{level}_bottom_up")(lower_sequence)


class FrameRNNStream(BackboneStream):
    """`FrameRNNBackbone` (a GRU or an LSTM over one level), frame by frame."""

    def __init__(self, backbone):
        super().__init__(backbone)
        (self.level,) = self.levels
        name = f"{self.level}_{backbone.rnn}"
        self.recurrent_layers[self.level] = backbone.get_layer(name)

    def step(self, percepts, states):
        inputs = self.normalize(self.level, percepts[self.level])
        if len(inputs.shape) == 5:
            inputs = self.backbone.get_layer(f"{self.level}_flatten")(inputs)
        hidden, new_states = self.advance(self.level, inputs, states)
        return {self.level: hidden}, new_states


class FramePoolingStream(BackboneStream):
    """`FramePoolingBackbone`: each frame's features, no state."""

    per_frame_features = True

    def __init__(self, backbone):
        super().__init__(backbone)
        (self.level,) = self.levels

    def step(self, percepts, states):
        features = self.normalize(self.level, percepts[self.level])
        if len(features.shape) == 5:
            features = self.backbone.get_layer(f"{self.level}_frame_pool")(features)
        return {self.level: features}, {}


def state_names(level, layer):
    """`["{level}_hidden"]`, or `["{level}_hidden", "{level}_cell"]` (LSTM)."""
    if len(cell_state_shapes(layer)) == 2:
        return [f"{level}_hidden", f"{level}_cell"]
    return [f"{level}_hidden"]


def cell_state_shapes(layer):
    """The shapes of an RNN layer's states, without the batch axis."""
    cell = layer.cell
    if hasattr(cell, "spatial_dims"):  # a ConvGRU cell: feature maps
        return [tuple(cell.state_shape(None, cell.spatial_dims)[1:])]
    sizes = cell.state_size
    sizes = sizes if isinstance(sizes, (list, tuple)) else [sizes]
    return [(size,) for size in sizes]
