import keras

from keras_grurcn.layers.conv_gru2d import ConvGRU2D
from keras_grurcn.models.model_arguments import check_choice
from keras_grurcn.models.model_arguments import pooling_ratio

ENCODER_VARIANTS = ("independent", "stacked", "bidirectional")


def grurcn_encoder(
    percepts,
    hidden_maps,
    *,
    variant="independent",
    backbone="vgg16",
    kernel_size=3,
    return_sequences=False,
    prefix="",
):
    """GRU-RCN over every percept level: one recurrent network per level.

    Each convolutional level (pool2..pool5) gets a `ConvGRU2D` with
    `kernel_size` kernels and "same" padding, so its hidden state keeps
    the percept's resolution; a vector level (fc7) gets an ordinary
    fully-connected `keras.layers.GRU`, which is what the GRU-RCN equations
    reduce to at 1x1 (Ballas et al., 2016, Sec. 3). Layers are named
    `"{prefix}{level}_grurcn"`.

    Variants (Sec. 3.2 and 4.1):

    - `"independent"`: the levels do not see each other (GRU-RCN).
    - `"stacked"`: bottom-up connections (Stacked GRU-RCN). The lower
      level's hidden state at each step, max-pooled to the upper level's
      resolution (`"{level}_bottom_up"`), is concatenated to the upper
      level's percept (`"{level}_stacked_inputs"`), so it enters the upper
      level's gates and candidate through their own kernel slices. The
      paper feeds it to the gates; feeding the candidate too is one
      concatenation instead of a custom cell.
    - `"bidirectional"`: a forward and a backward GRU-RCN per level
      (`keras.layers.Bidirectional`); their last states are concatenated
      on the channel axis, giving `2 * hidden_maps` channels.

    Args:
        percepts: dict `{level: (batch, time, rows, cols, channels)}` or
            `(batch, time, units)`, shallow to deep (as `model_inputs`
            gives).
        hidden_maps: dict `{level: int}`, hidden maps (or units) per level.
        variant: `"independent"`, `"stacked"` or `"bidirectional"`.
        backbone: the backbone the percepts come from (for the stacked
            variant's pooling ratios).
        kernel_size: the ConvGRU kernel size (3 in the paper).
        return_sequences: return every hidden state `(batch, time, ...)`
            instead of the last (for temporal decoders such as the
            captioner's attention).
        prefix: prepended to the layer names (`"flow_"`).

    Returns:
        A dict `{level: hidden}` with the last (or every) hidden state of
        each level: `(batch, rows, cols, maps)` or `(batch, units)`.

    Examples:

    ```python
    percepts = {"pool2": keras.Input((4, 8, 8, 16))}
    states = keras_grurcn.models.grurcn_encoder(percepts, {"pool2": 4})
    states["pool2"].shape  # (None, 8, 8, 4)
    ```
    """
    check_choice("variant", variant, ENCODER_VARIANTS)
    states = {}
    lower_level, lower_sequence = None, None
    levels = list(percepts)
    for index, level in enumerate(levels):
        inputs = percepts[level]
        if variant == "stacked" and lower_sequence is not None:
            inputs = keras.layers.Concatenate(
                axis=-1, name=f"{prefix}{level}_stacked_inputs"
            )(
                [
                    inputs,
                    _bottom_up(lower_sequence, backbone, lower_level, level, prefix),
                ]
            )
        # A stacked level below the top feeds its whole sequence upwards and
        # its last state to the classifier.
        feeds_upper = variant == "stacked" and index < len(levels) - 1
        layer = _recurrent_layer(
            level,
            is_map=len(inputs.shape) == 5,
            maps=hidden_maps[level],
            kernel_size=kernel_size,
            return_sequences=return_sequences or feeds_upper,
            return_state=feeds_upper and not return_sequences,
            prefix=prefix,
        )
        if variant == "bidirectional":
            layer = keras.layers.Bidirectional(
                layer, merge_mode="concat", name=f"{prefix}{level}_grurcn"
            )
        outputs = layer(inputs)
        if feeds_upper and not return_sequences:
            lower_sequence, states[level] = outputs
        else:
            lower_sequence = states[level] = outputs
        lower_level = level
    return states


def _recurrent_layer(
    level, is_map, maps, kernel_size, return_sequences, return_state, prefix
):
    name = f"{prefix}{level}_grurcn"
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


def _bottom_up(lower_sequence, backbone, lower_level, level, prefix):
    """Max-pools every lower-level state to `level`'s resolution."""
    if len(lower_sequence.shape) == 3:  # a vector below: nothing to pool
        return lower_sequence
    ratio = pooling_ratio(backbone, lower_level, level)
    if ratio is None:
        pooling = keras.layers.GlobalMaxPooling2D()
    else:
        size, padding = ratio
        pooling = keras.layers.MaxPooling2D(size, padding=padding)
    return keras.layers.TimeDistributed(pooling, name=f"{prefix}{level}_bottom_up")(
        lower_sequence
    )
