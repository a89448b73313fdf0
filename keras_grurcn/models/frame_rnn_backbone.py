import keras

from keras_grurcn.argument_checks import MAX_CHANNELS
from keras_grurcn.argument_checks import check_choice
from keras_grurcn.argument_checks import check_positive_int
from keras_grurcn.models.backbone import Backbone
from keras_grurcn.models.frame_pooling_backbone import single_level
from keras_grurcn.models.percept_inputs import percept_inputs
from keras_grurcn.models.percept_inputs import percept_shapes_config
from keras_grurcn.models.percept_normalization import (
    percept_normalization as normalize_percepts,
)

RNN_KINDS = ("gru", "lstm")


@keras.saving.register_keras_serializable(package="keras_grurcn")
class FrameRNNBackbone(Backbone):
    """A fully-connected GRU (or LSTM) over one percept level: global motion.

    The body of the paper's "VGG-16 RNN" baseline (`frame_rnn`; with
    `rnn="lstm"` the LRCN of Donahue et al., 2015): the sequence of one
    level's percepts, flattened per frame when it is a map
    (`"{level}_flatten"`, the fully-connected alternative to a GRU-RCN that
    the paper argues against), read by a GRU (`"{level}_gru"`,
    `reset_after=False` as in the paper) or an LSTM (`"{level}_lstm"`).

    Args:
        percept_shapes: `{level: shape}` with one level (fc7 in the paper).
        rnn: `"gru"` or `"lstm"`.
        units: the recurrent layer's units (512, the size of GRU-RCN's fc7
            level; the paper does not give it).
        num_frames: clip length, or `None` for any length.
        percept_normalization: see `GRURCNBackbone`.
        **kwargs: base model arguments (`name`, `dtype`, `trainable`).

    Outputs:
        `{level: (batch, units)}`, the last state.

    Examples:

    ```python
    backbone = keras_grurcn.models.FrameRNNBackbone(
        {"fc7": (32,)}, rnn="lstm", units=8, num_frames=4
    )
    backbone({"fc7": np.zeros((2, 4, 32))})["fc7"].shape  # (2, 8)
    ```

    References:
        - [Donahue et al., 2015](https://arxiv.org/abs/1411.4389)
    """

    def __init__(
        self,
        percept_shapes,
        rnn="gru",
        units=512,
        num_frames=10,
        percept_normalization=None,
        **kwargs,
    ):
        percept_shapes = single_level(percept_shapes)
        (level,) = percept_shapes
        check_choice("rnn", rnn, RNN_KINDS)
        units = check_positive_int("units", units, maximum=MAX_CHANNELS)

        # === Layers ===
        inputs = percept_inputs(percept_shapes, num_frames)
        features = normalize_percepts(inputs, percept_normalization)[level]
        if len(features.shape) == 5:
            features = keras.layers.TimeDistributed(
                keras.layers.Flatten(), name=f"{level}_flatten"
            )(features)
        if rnn == "gru":
            # reset_after=False: the paper's GRU, reset before the product.
            recurrent = keras.layers.GRU(units, reset_after=False, name=f"{level}_gru")
        else:
            recurrent = keras.layers.LSTM(units, name=f"{level}_lstm")
        state = recurrent(features)

        # === Functional Model ===
        super().__init__(inputs=inputs, outputs={level: state}, **kwargs)

        # === Config ===
        self.percept_shapes = percept_shapes
        self.rnn = rnn
        self.units = units
        self.num_frames = num_frames
        self.percept_normalization = percept_normalization

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "percept_shapes": percept_shapes_config(self.percept_shapes),
                "rnn": self.rnn,
                "units": self.units,
                "num_frames": self.num_frames,
                "percept_normalization": self.percept_normalization,
            }
        )
        return config
