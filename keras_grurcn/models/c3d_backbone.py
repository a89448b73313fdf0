import keras

from keras_grurcn.argument_checks import MAX_CHANNELS
from keras_grurcn.argument_checks import MAX_FRAMES
from keras_grurcn.argument_checks import check_image_size
from keras_grurcn.argument_checks import check_positive_int
from keras_grurcn.argument_checks import check_rate
from keras_grurcn.models.backbone import Backbone

# C3D's blocks (Tran et al., 2015): (convolutions, width multiple, pooling).
# The first pooling keeps time, so early layers see motion before it is
# merged; the rest halve time and space.
C3D_BLOCKS = (
    (1, 1, (1, 2, 2)),
    (1, 2, (2, 2, 2)),
    (2, 4, (2, 2, 2)),
    (2, 8, (2, 2, 2)),
    (2, 8, (2, 2, 2)),
)
# The output of the backbone: C3D's fc7 features.
FEATURES = "fc7"


def conv_dtype(policy, depth):
    """The dtype of a 3x3x3 convolution over `depth` frames (None: the policy's).

    TensorFlow 2.21's oneDNN bfloat16 filter gradient of a 3x3x3 "same"
    Conv3D returns NaN/inf in most calls when the input has exactly 2 frames
    (C3D's conv5 at 16 input frames): measured with
    `scripts/onednn_bfloat16_conv3d_repro.py`, see docs/decisions.md. Those
    layers are tiny, so under mixed_bfloat16 they compute in float32.
    """
    if policy == "mixed_bfloat16" and depth == 2:
        return "float32"
    return None


@keras.saving.register_keras_serializable(package="keras_grurcn")
class C3DBackbone(Backbone):
    """C3D-style 3D convolutions over pixels: the "local motion" baseline.

    Frames scaled to [-1, 1] (`"frame_scaling"`) -> eight 3x3x3 "same"
    Conv3D + ReLU layers in five blocks (`"conv1a"`, `"conv2a"`,
    `"conv3a"`, `"conv3b"`, ..., `"conv5b"`) with `width` x 1, 2, 4, 8, 8
    filters (C3D: 64, 128, 256, 512, 512) and max pooling 1x2x2 then 2x2x2
    (`"pool1"`..`"pool5"`, "same" padding so short clips work) -> global
    average pooling (C3D flattens; pooling accepts any clip length and
    size) -> `"fc6"` (ReLU, dropout) -> `"fc7"` (ReLU). A `VideoClassifier`
    adds fc7's dropout and the softmax. Trained from scratch: it reads
    pixels, so its preprocessor has no CNN (`VideoPreprocessor(None)`).

    Args:
        num_frames: frames per clip, or `None` for any length.
        image_size: int or `(height, width)` of the frames.
        width: filters of the first block (64 in C3D).
        fc_units: units of fc6 and fc7 (4096 in C3D).
        dropout: dropout after fc6 (0.5 in C3D).
        **kwargs: base model arguments (`name`, `dtype`, `trainable`).

    Inputs:
        `{"frames": (batch, time, height, width, 3)}`, RGB in `[0, 255]`.

    Outputs:
        `{"fc7": (batch, fc_units)}`.

    Examples:

    ```python
    backbone = keras_grurcn.models.C3DBackbone(
        num_frames=4, image_size=32, width=4, fc_units=16
    )
    backbone({"frames": np.zeros((2, 4, 32, 32, 3))})["fc7"].shape  # (2, 16)
    ```

    References:
        - [Tran et al., 2015](https://arxiv.org/abs/1412.0767)
    """

    def __init__(
        self,
        num_frames=10,
        image_size=(224, 224),
        width=64,
        fc_units=4096,
        dropout=0.5,
        **kwargs,
    ):
        num_frames = check_positive_int(
            "num_frames", num_frames, allow_none=True, maximum=MAX_FRAMES
        )
        image_size = check_image_size(image_size)
        width = check_positive_int("width", width, maximum=MAX_CHANNELS)
        fc_units = check_positive_int("fc_units", fc_units, maximum=MAX_CHANNELS)
        dropout = check_rate("dropout", dropout)
        policy = keras.config.dtype_policy().name
        # TensorFlow's CPU kernels have no float16 MaxPool3D; pooling in
        # float32 under mixed_float16 costs two casts and runs everywhere.
        pool_dtype = "float32" if policy == "mixed_float16" else None

        # === Layers ===
        frames = keras.Input((num_frames, *image_size, 3), name="frames")
        x = keras.layers.Rescaling(1 / 127.5, offset=-1.0, name="frame_scaling")(frames)
        for block, (convolutions, multiple, pool_size) in enumerate(C3D_BLOCKS, 1):
            for index in range(convolutions):
                x = keras.layers.Conv3D(
                    width * multiple,
                    3,
                    padding="same",
                    activation="relu",
                    dtype=conv_dtype(policy, depth=x.shape[1]),
                    name=f"conv{block}{'ab'[index]}",
                )(x)
            x = keras.layers.MaxPooling3D(
                pool_size, padding="same", dtype=pool_dtype, name=f"pool{block}"
            )(x)
        x = keras.layers.GlobalAveragePooling3D(name="global_pool")(x)
        x = keras.layers.Dense(fc_units, activation="relu", name="fc6")(x)
        x = keras.layers.Dropout(dropout, name="fc6_dropout")(x)
        x = keras.layers.Dense(fc_units, activation="relu", name="fc7")(x)

        # === Functional Model ===
        super().__init__(inputs={"frames": frames}, outputs={FEATURES: x}, **kwargs)

        # === Config ===
        self.num_frames = num_frames
        self.image_size = image_size
        self.width = width
        self.fc_units = fc_units
        self.dropout = dropout

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_frames": self.num_frames,
                "image_size": list(self.image_size),
                "width": self.width,
                "fc_units": self.fc_units,
                "dropout": self.dropout,
            }
        )
        return config
