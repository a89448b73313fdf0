from keras_grurcn.models.c3d_backbone import C3DBackbone
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor


def build_c3d(
    *,
    num_classes=None,
    class_names=None,
    preprocessor=None,
    num_frames=10,
    image_size=(224, 224),
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
          `"fc6"`, `"fc7"` (`fc_units`, ReLU, dropout 0.5), the
          `C3DBackbone` -> softmax (`"fc7_classifier"` in `model.head`).
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          width 64, fc 4096): 46,952,293, all
          trainable.

    Args:
        num_classes: int >= 2, the number of classes.
        class_names: the class names in label order.
        preprocessor: a `VideoPreprocessor(None, ...)` to use instead of
            building one (it then defines `num_frames` and `image_size`).
        num_frames: frames per clip, or `None` for any length.
        image_size: int or `(height, width)` of the frames.
        width: filters of the first block (64 in C3D); the others are
            multiples.
        fc_units: units of fc6 and fc7 (4096 in C3D).
        dropout: dropout after fc6 and fc7 (0.5 in C3D).
        name: the model's name.

    Returns:
        A `keras_grurcn.VideoClassifier` over a `C3DBackbone`, with a
        `VideoPreprocessor(None)`: frames are sampled and resized, and no
        CNN percepts are computed (C3D learns from pixels; its cache, if
        any, holds the clips under `"frames"`).

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
    if preprocessor is None:
        preprocessor = VideoPreprocessor(
            None, num_frames=num_frames, image_size=image_size, name="preprocessor"
        )
    elif not isinstance(preprocessor, VideoPreprocessor) or preprocessor.backbone:
        raise ValueError(
            "c3d learns from pixels: its `preprocessor` must be a "
            "VideoPreprocessor without a CNN (backbone=None)."
        )
    body = C3DBackbone(
        num_frames=preprocessor.num_frames,
        image_size=preprocessor.image_size,
        width=width,
        fc_units=fc_units,
        dropout=dropout,
        name="backbone",
    )
    return VideoClassifier(
        body,
        preprocessor,
        num_classes=num_classes,
        class_names=class_names,
        dropout=dropout,
        name=name,
    )
