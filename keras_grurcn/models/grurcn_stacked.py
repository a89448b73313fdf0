from keras_grurcn.models.grurcn import build_grurcn_classifier


def build_grurcn_stacked(
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
    name="grurcn_stacked",
):
    """Stacked GRU-RCN: bottom-up connections between the levels.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 3.2 and 4.1 ("Stacked GRU-RCN");
          UCF-101 RGB about 78.3% top-1 as reported (unverified), slightly
          below independent levels, which the paper puts down to the
          limited training data.
        - Models: local and global motion like `grurcn`, and lets each
          level build on the motion already found below it.
        - Architecture: as `build_grurcn` (VGG-16 pool2..fc7, 3x3 kernels,
          64/128/256/256/512 hidden maps, dropout 0.7, averaged per-level
          softmax), except that at every step the lower level's hidden
          state, max-pooled to the upper level's resolution
          (`"{level}_bottom_up"`; globally for fc7), is concatenated to the
          upper level's percept (`"{level}_stacked_inputs"`). It reaches
          the gates and the candidate through their own kernel slices (the
          paper names the gates; the candidate too is our reading).
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          VGG-16 to fc7, ImageNet-frozen): 157,009,721 in all,
          22,749,177 trainable (the rest is the frozen backbone).

    Args:
        num_classes, class_names, preprocessor, backbone, backbone_weights, num_frames,
        image_size, levels, hidden_maps, kernel_size, dropout,
        trainable_backbone, percept_normalization, name: as in `build_grurcn`.

    Returns:
        A `keras_grurcn.VideoClassifier` (see `build_grurcn`).

    Examples:

    ```python
    model = keras_grurcn.models.build_grurcn_stacked(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        levels=["pool2", "pool3"], hidden_maps=[4, 8],
    )
    model.backbone.get_layer("pool3_bottom_up").output.shape  # (None, 4, 4, 4, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """
    return build_grurcn_classifier("stacked", **locals())
