from keras_grurcn.models.frame_pooling_backbone import FramePoolingBackbone
from keras_grurcn.models.grurcn_parts import zoo_preprocessor
from keras_grurcn.models.video_classifier import VideoClassifier


def build_frame_average(
    *,
    num_classes=None,
    class_names=None,
    preprocessor=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    level="fc7",
    dropout=0.7,
    trainable_backbone=False,
    percept_normalization=None,
    name="frame_average",
):
    """The VGG-16 baseline: a per-frame classifier, averaged over the clip.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 4.1, the "VGG-16" baseline
          (78.0% RGB, 85.4% Flow, 89.1% RGB+Flow top-1 on UCF-101).
        - Models: appearance only, no motion; each frame is classified on
          its own and the class probabilities are averaged over time, so
          it cannot tell classes apart that differ only in how things
          move.
        - Architecture: frames -> VGG-16 fc7 (4096) per frame -> dropout
          0.7 (`"{level}_dropout"`) -> softmax classifier applied to every
          frame (`"{level}_classifier"`) -> mean over frames
          (`"{level}_frame_average"`), in `model.head`. With a
          convolutional `level`, each frame's map is first average-pooled
          over space (`"{level}_frame_pool"`, `FramePoolingBackbone`).
          The paper fine-tunes the whole VGG-16; here the backbone is
          frozen unless `trainable_backbone=True`.
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          VGG-16 to fc7, ImageNet-frozen): 134,674,341 in all,
          413,797 trainable (the rest is the frozen backbone).

    Args:
        num_classes, class_names, preprocessor, backbone, backbone_weights,
        num_frames,
        image_size, trainable_backbone, percept_normalization, name: as in
        `build_grurcn`.
        level: the one percept level classified (`"fc7"` in the paper).
        dropout: dropout before the classifier (0.7, as the GRU-RCN head).

    Returns:
        A `keras_grurcn.VideoClassifier` over a `FramePoolingBackbone`.

    Examples:

    ```python
    model = keras_grurcn.models.build_frame_average(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        level="pool2",
    )
    model(np.zeros((2, 4, 32, 32, 3))).shape  # (2, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Simonyan and Zisserman, 2014](https://arxiv.org/abs/1409.1556)
    """
    preprocessor, percept_shapes = zoo_preprocessor(
        preprocessor,
        backbone=backbone,
        levels=[level],
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable_backbone=trainable_backbone,
    )
    body = FramePoolingBackbone(
        percept_shapes,
        num_frames=preprocessor.num_frames,
        percept_normalization=percept_normalization,
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
