from keras_grurcn.models.grurcn import build_grurcn_classifier


def build_grurcn_bidirectional(
    *,
    num_classes=None,
    class_names=None,
    preprocessor=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    levels=None,
    hidden_maps=None,
    kernel_size=3,
    dropout=0.7,
    trainable_backbone=False,
    percept_normalization=None,
    name="grurcn_bidirectional",
):
    """Bi-directional GRU-RCN: a forward and a backward GRU-RCN per level.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 4.1 ("Bi-directional GRU-RCN");
          the paper's best RGB model (about 80.7% top-1 on UCF-101 as
          reported, unverified) and, fused with flow, 90.8%.
        - Models: local and global motion like `grurcn`, with the whole
          clip (past and future frames) behind every level's final state.
        - Architecture: as `build_grurcn` (VGG-16 pool2..fc7, 3x3 kernels,
          64/128/256/256/512 hidden maps per direction, dropout 0.7,
          averaged per-level softmax), each level wrapped in
          `keras.layers.Bidirectional` (`"{level}_grurcn"`). The paper does
          not say how the directions are merged; the two last states are
          concatenated on the channel axis before pooling.
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          VGG-16 to fc7, ImageNet-frozen): 173,221,177 in all,
          38,960,633 trainable (the rest is the frozen backbone).

    Args:
        num_classes, class_names, preprocessor, backbone, backbone_weights, num_frames,
        image_size, levels, hidden_maps, kernel_size, dropout,
        trainable_backbone, percept_normalization, name: as in `build_grurcn` (`hidden_maps` per
        direction).

    Returns:
        A `keras_grurcn.VideoClassifier` (see `build_grurcn`).

    Examples:

    ```python
    model = keras_grurcn.models.build_grurcn_bidirectional(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        levels=["pool2"], hidden_maps=4,
    )
    model.backbone.get_layer("pool2_grurcn").output.shape  # (None, 8, 8, 8)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """
    return build_grurcn_classifier("bidirectional", **locals())
