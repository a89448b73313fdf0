import keras

from keras_grurcn.argument_checks import MAX_CHANNELS
from keras_grurcn.argument_checks import check_choice
from keras_grurcn.argument_checks import check_positive_int
from keras_grurcn.layers.conv_gru2d import ConvGRU2D
from keras_grurcn.models.backbone import Backbone
from keras_grurcn.models.percept_inputs import check_percept_shapes
from keras_grurcn.models.percept_inputs import percept_inputs
from keras_grurcn.models.percept_inputs import percept_shapes_config
from keras_grurcn.models.percept_normalization import (
    percept_normalization as normalize_percepts,
)

VARIANTS = ("independent", "stacked", "bidirectional")
# The paper's hidden maps per VGG-16 level (Ballas et al., 2016, Sec. 4.1):
# half the percept's channels, at most 256, for the convolutional levels,
# and 512 units for fc7; the same rule serves every backbone and level.
MAX_DEFAULT_MAPS = 256
DEFAULT_VECTOR_UNITS = 512


def default_hidden_maps(shape):
    """The paper's hidden maps (or units) for a percept of this shape."""
    if len(shape) == 1:
        return DEFAULT_VECTOR_UNITS
    return min(MAX_DEFAULT_MAPS, max(1, shape[-1] // 2))


def resolve_hidden_maps(percept_shapes, hidden_maps):
    """Per-level hidden maps from None, an int, a list or a partial dict."""
    levels = list(percept_shapes)
    defaults = {level: default_hidden_maps(percept_shapes[level]) for level in levels}
    if hidden_maps is None:
        resolved = defaults
    elif isinstance(hidden_maps, int) and not isinstance(hidden_maps, bool):
        resolved = dict.fromkeys(levels, hidden_maps)
    elif isinstance(hidden_maps, dict):
        unknown = sorted(set(hidden_maps) - set(levels))
        if unknown:
            raise ValueError(
                f"`hidden_maps` names levels {unknown} that the model does not "
                f"use. Valid levels: {', '.join(levels)}."
            )
        resolved = {**defaults, **hidden_maps}
    elif isinstance(hidden_maps, (list, tuple)):
        if len(hidden_maps) != len(levels):
            raise ValueError(
                f"`hidden_maps` has {len(hidden_maps)} entries for "
                f"{len(levels)} levels {levels}; give one per level, a dict "
                "{level: maps} or an int."
            )
        resolved = dict(zip(levels, hidden_maps))
    else:
        raise ValueError(
            "`hidden_maps` must be None, an int, a list (one per level) or a "
            f"dict {{level: maps}}; got {hidden_maps!r}."
        )
    for level, maps in resolved.items():
        check_positive_int(f"hidden_maps[{level!r}]", maps, maximum=MAX_CHANNELS)
    return {level: resolved[level] for level in levels}


@keras.saving.register_keras_serializable(package="keras_grurcn")
class GRURCNBackbone(Backbone):
    """GRU-RCN: a recurrent network over every percept level (the paper's body).

    Each convolutional level (pool2..pool5) gets a `ConvGRU2D` with
    `kernel_size` kernels and "same" padding, so its hidden state keeps
    the percept's resolution; a vector level (fc7) gets an ordinary
    fully-connected `keras.layers.GRU` (`reset_after=False`, the paper's
    reset-before-product), which is what the GRU-RCN equations reduce to at
    1x1 (Ballas et al., 2016, Sec. 3). Layers are named `"{level}_grurcn"`.

    Variants (Sec. 3.2 and 4.1):

    - `"independent"`: the levels do not see each other (GRU-RCN).
    - `"stacked"`: bottom-up connections (Stacked GRU-RCN). The lower
      level's hidden state at each step, max-pooled to the upper level's
      resolution (`"{level}_bottom_up"`; globally below a vector level), is
      concatenated to the upper level's percept (`"{level}_stacked_inputs"`),
      so it reaches the upper level's gates and candidate through their own
      kernel slices (the paper names the gates; the candidate too is our
      reading).
    - `"bidirectional"`: a forward and a backward GRU-RCN per level
      (`keras.layers.Bidirectional`), their states concatenated on the
      channel axis (`2 * hidden_maps` channels; the paper does not say how
      the directions are merged). The paper's best RGB model.

    Args:
        percept_shapes: `{level: shape}`, shallow to deep, each shape
            without batch and time axes: `(rows, cols, channels)` for a
            map, `(units,)` for a vector level; e.g.
            `VideoPreprocessor(...).output_shapes`.
        hidden_maps: hidden maps (units for a vector level) per level:
            `None` (the paper's rule: half the channels, at most 256, 512
            units; VGG-16 pool2..fc7 gives 64, 128, 256, 256, 512), an int,
            a list (one per level) or a dict `{level: maps}` overriding some.
            Per direction for the bidirectional variant.
        variant: `"independent"`, `"stacked"` or `"bidirectional"`.
        kernel_size: ConvGRU kernel size (3 in the paper).
        num_frames: clip length, or `None` for any length.
        percept_normalization: `None` (the paper: raw percepts), `"layer"`,
            `"instance"` or `"batch"`, applied to each level's percepts
            (`"{level}_normalization"`).
        return_sequences: output every hidden state `(batch, time, ...)`
            instead of the last (for the captioner's temporal attention).
        **kwargs: base model arguments (`name`, `dtype`, `trainable`).

    Inputs:
        A dict `{level: (batch, time, rows, cols, channels)}` (or `(batch,
        time, units)`), the percepts of `VideoPreprocessor` or a percept
        cache, keyed by level.

    Outputs:
        A dict `{level: (batch, rows, cols, maps)}` (or `(batch, units)`)
        of last hidden states; with `return_sequences`, every state, with a
        time axis after the batch.

    Examples:

    ```python
    backbone = keras_grurcn.GRURCNBackbone(
        {"pool2": (8, 8, 16), "fc7": (32,)}, hidden_maps=[4, 6], num_frames=4
    )
    states = backbone({"pool2": np.zeros((2, 4, 8, 8, 16)),
                       "fc7": np.zeros((2, 4, 32))})
    states["pool2"].shape, states["fc7"].shape  # (2, 8, 8, 4), (2, 6)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    def __init__(
        self,
        percept_shapes,
        hidden_maps=None,
        variant="independent",
        kernel_size=3,
        num_frames=10,
        percept_normalization=None,
        return_sequences=False,
        **kwargs,
    ):
        percept_shapes = check_percept_shapes(percept_shapes)
        hidden_maps = resolve_hidden_maps(percept_shapes, hidden_maps)
        check_choice("variant", variant, VARIANTS)
        kernel_size = check_positive_int("kernel_size", kernel_size, maximum=31)

        # === Layers ===
        inputs = percept_inputs(percept_shapes, num_frames)
        percepts = normalize_percepts(inputs, percept_normalization)
        states = _encode(percepts, hidden_maps, variant, kernel_size, return_sequences)

        # === Functional Model ===
        super().__init__(inputs=inputs, outputs=states, **kwargs)

        # === Config ===
        self.percept_shapes = percept_shapes
        self.hidden_maps = hidden_maps
        self.variant = variant
        self.kernel_size = kernel_size
        self.num_frames = num_frames
        self.percept_normalization = percept_normalization
        self.return_sequences = return_sequences

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "percept_shapes": percept_shapes_config(self.percept_shapes),
                "hidden_maps": dict(self.hidden_maps),
                "variant": self.variant,
                "kernel_size": self.kernel_size,
                "num_frames": self.num_frames,
                "percept_normalization": self.percept_normalization,
                "return_sequences": self.return_sequences,
            }
        )
        return config


def _encode(percepts, hidden_maps, variant, kernel_size, return_sequences):
    states = {}
    lower_sequence = None
    levels = list(percepts)
    for index, level in enumerate(levels):
        inputs = percepts[level]
        if variant == "stacked" and lower_sequence is not None:
            inputs = keras.layers.Concatenate(axis=-1, name=f"{level}_stacked_inputs")(
                [inputs, _bottom_up(lower_sequence, inputs, level)]
            )
        # A stacked level below the top feeds its whole sequence upwards and
        # its last state to the head.
        feeds_upper = variant == "stacked" and index < len(levels) - 1
        layer = _recurrent_layer(
            level,
            is_map=len(inputs.shape) == 5,
            maps=hidden_maps[level],
            kernel_size=kernel_size,
            return_sequences=return_sequences or feeds_upper,
            return_state=feeds_upper and not return_sequences,
        )
        if variant == "bidirectional":
            layer = keras.layers.Bidirectional(
                layer, merge_mode="concat", name=f"{level}_grurcn"
            )
        outputs = layer(inputs)
        if feeds_upper and not return_sequences:
            lower_sequence, states[level] = outputs
        else:
            lower_sequence = states[level] = outputs
    return states


def _recurrent_layer(level, is_map, maps, kernel_size, return_sequences, return_state):
    name = f"{level}_grurcn"
    if is_map:
        return ConvGRU2D(
            maps,
            kernel_size,
            padding="same",
            return_sequences=return_sequences,
            return_state=return_state,
            name=name,
        )
    # reset_after=False: the reset gate acts before the recurrent product,
    # as in the paper's equations (Keras' default applies it after).
    return keras.layers.GRU(
        maps,
        reset_after=False,
        return_sequences=return_sequences,
        return_state=return_state,
        name=name,
    )


def _bottom_up(lower_sequence, upper_inputs, level):
    """Max-pools every lower-level state to the upper level's resolution."""
    if len(lower_sequence.shape) == 3:  # a vector below: nothing to pool
        return lower_sequence
    if len(upper_inputs.shape) == 3:  # a vector above: pool globally
        pooling = keras.layers.GlobalMaxPooling2D()
    else:
        size, padding = _pooling_between(
            lower_sequence.shape[2:4], upper_inputs.shape[2:4], level
        )
        pooling = keras.layers.MaxPooling2D(size, padding=padding)
    return keras.layers.TimeDistributed(pooling, name=f"{level}_bottom_up")(
        lower_sequence
    )


def _pooling_between(lower, upper, level):
    """The max pooling that maps the lower grid onto the upper one.

    CNNs that floor odd sizes (VGG's valid 2x2 pooling) need "valid"
    padding; those that round up ("same" strided convolutions) "same".
    """
    size = max(1, round(lower[0] / upper[0]))
    for padding, rounding in (
        ("valid", lambda n: n // size),
        ("same", lambda n: -(-n // size)),
    ):
        if all(rounding(n) == m for n, m in zip(lower, upper)):
            return size, padding
    raise ValueError(
        f"Stacked GRU-RCN: level {level!r} maps are {tuple(upper)}, which no "
        f"pooling of the level below's {tuple(lower)} maps gives."
    )
