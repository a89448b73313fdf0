import keras

from keras_grurcn.models.model_arguments import check_image_size
from keras_grurcn.models.model_arguments import check_num_classes
from keras_grurcn.models.model_arguments import check_positive_int
from keras_grurcn.models.model_arguments import check_rate

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


def build_c3d(
    *,
    num_classes=None,
    num_frames=10,
    image_size=(224, 224),
    inputs="frames",
    width=64,
    fc_units=4096,
    dropout=0.5,
    name="c3d",
):
    """C3D-style 3D convolutional network, the "local motion" baseline.

    Model card:
        - Paper: the C3D baseline Ballas et al. (2016) compare with
          (Tran et al., 2015: 85.2% on UCF-101, their number, with Sports-1M
          pre-training). Trained from scratch here; there is no backbone.
        - Models: local motion: 3x3x3 convolutions see three frames at a
          time, and pooling widens the temporal field with depth.
        - Architecture: frames scaled to [-1, 1] (`"frame_scaling"`) ->
          eight 3x3x3 "same" Conv3D + ReLU layers in five blocks
          (`"conv1a"`, `"conv2a"`, `"conv3a"`, `"conv3b"`, ..., `"conv5b"`)
          with `width` x 1, 2, 4, 8, 8 filters (C3D: 64, 128, 256, 512,
          512) and max pooling 1x2x2 then 2x2x2 (`"pool1"`..`"pool5"`,
          "same" padding so short clips work) -> global average pooling
          (C3D flattens; pooling accepts any clip length and size) ->
          `"fc6"`, `"fc7"` (`fc_units`, ReLU, dropout 0.5) -> softmax
          (`"predictions"`).
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          width 64, fc 4096): 46,952,293, all
          trainable.

    Args:
        num_classes: int >= 2, the number of classes.
        num_frames: frames per clip, or `None` for any length.
        image_size: int or `(height, width)` of the frames.
        inputs: `"frames"` only: C3D learns from pixels, so there are no
            percepts to cache.
        width: filters of the first block (64 in C3D); the others are
            multiples.
        fc_units: units of fc6 and fc7 (4096 in C3D).
        dropout: dropout after fc6 and fc7 (0.5 in C3D).
        name: the model's name.

    Returns:
        A functional `keras.Model` mapping RGB frames `(batch, time,
        height, width, 3)` in [0, 255] to class probabilities
        `(batch, num_classes)`.

    Examples:

    ```python
    model = keras_grurcn.models.build_c3d(
        num_classes=4, num_frames=4, image_size=32, width=4, fc_units=16
    )
    model(np.zeros((2, 4, 32, 32, 3))).shape  # (2, 4)
    ```

    References:
        - [Tran et al., 2015](https://arxiv.org/abs/1412.0767)
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """
    num_classes = check_num_classes(num_classes)
    image_size = check_image_size(image_size)
    num_frames = check_positive_int("num_frames", num_frames, allow_none=True)
    width = check_positive_int("width", width)
    fc_units = check_positive_int("fc_units", fc_units)
    dropout = check_rate("dropout", dropout)
    if inputs != "frames":
        raise ValueError(
            f"Invalid `inputs` for c3d: {inputs!r}. Valid choices: 'frames' "
            "(C3D learns from pixels; it has no backbone percepts to cache)."
        )

    policy = keras.config.dtype_policy().name
    # TensorFlow's CPU kernels have no float16 MaxPool3D; pooling in float32
    # under mixed_float16 costs two casts and runs everywhere.
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
    for layer_name in ("fc6", "fc7"):
        x = keras.layers.Dense(fc_units, activation="relu", name=layer_name)(x)
        x = keras.layers.Dropout(dropout, name=f"{layer_name}_dropout")(x)
    probabilities = keras.layers.Dense(
        num_classes, activation="softmax", dtype="float32", name="predictions"
    )(x)

    # === Functional Model ===
    return keras.Model(frames, probabilities, name=name)
