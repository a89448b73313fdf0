import keras

from keras_grurcn.models.backbone import Backbone
from keras_grurcn.models.percept_inputs import check_percept_shapes
from keras_grurcn.models.percept_inputs import percept_inputs
from keras_grurcn.models.percept_inputs import percept_shapes_config
from keras_grurcn.models.percept_normalization import (
    percept_normalization as normalize_percepts,
)


def single_level(percept_shapes):
    """The one level of a single-level backbone's `percept_shapes`."""
    percept_shapes = check_percept_shapes(percept_shapes)
    if len(percept_shapes) != 1:
        raise ValueError(
            "This backbone reads one percept level; `percept_shapes` names "
            f"{list(percept_shapes)}."
        )
    return percept_shapes


@keras.saving.register_keras_serializable(package="keras_grurcn")
class FramePoolingBackbone(Backbone):
    """One feature vector per frame, no recurrence: the appearance baseline.

    The body of the paper's "VGG-16" baseline (`frame_average`): each
    frame's percept of one level, average-pooled over space when it is a
    map (`"{level}_frame_pool"`). A `VideoClassifier` over it classifies
    every frame and averages the class probabilities over the clip, so it
    cannot tell classes apart that differ only in how things move.

    Args:
        percept_shapes: `{level: shape}` with one level (fc7 in the paper).
        num_frames: clip length, or `None` for any length.
        percept_normalization: `None`, `"layer"`, `"instance"` or `"batch"`
            (see `GRURCNBackbone`).
        **kwargs: base model arguments (`name`, `dtype`, `trainable`).

    Outputs:
        `{level: (batch, time, features)}`.

    Examples:

    ```python
    backbone = keras_grurcn.models.FramePoolingBackbone(
        {"pool5": (1, 1, 512)}, num_frames=4
    )
    backbone({"pool5": np.zeros((2, 4, 1, 1, 512))})["pool5"].shape
    # (2, 4, 512)
    ```
    """

    def __init__(
        self, percept_shapes, num_frames=10, percept_normalization=None, **kwargs
    ):
        percept_shapes = single_level(percept_shapes)
        (level,) = percept_shapes

        # === Layers ===
        inputs = percept_inputs(percept_shapes, num_frames)
        features = normalize_percepts(inputs, percept_normalization)[level]
        if len(features.shape) == 5:
            features = keras.layers.TimeDistributed(
                keras.layers.GlobalAveragePooling2D(), name=f"{level}_frame_pool"
            )(features)

        # === Functional Model ===
        super().__init__(inputs=inputs, outputs={level: features}, **kwargs)

        # === Config ===
        self.percept_shapes = percept_shapes
        self.num_frames = num_frames
        self.percept_normalization = percept_normalization

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "percept_shapes": percept_shapes_config(self.percept_shapes),
                "num_frames": self.num_frames,
                "percept_normalization": self.percept_normalization,
            }
        )
        return config
