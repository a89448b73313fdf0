from keras_grurcn.models.grurcn_parts import grurcn_parts
from keras_grurcn.models.video_classifier import VideoClassifier


def build_grurcn(
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
    name="grurcn",
):
    """GRU-RCN: an independent convolutional GRU per percept level.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 3 and 4.1 ("GRU-RCN"); UCF-101
          RGB about 79.9% top-1 as reported (unverified), Flow 85.7%.
        - Models: local motion at the low levels (pool2, pool3 keep the
          resolution where small displacements are visible) and global
          motion at the high ones, all at once.
        - Architecture: frames -> frozen VGG-16 percepts at pool2 (56x56x128),
          pool3 (28x28x256), pool4 (14x14x512), pool5 (7x7x512), fc7 (4096)
          -> per level a GRU-RCN (`"{level}_grurcn"`: ConvGRU2D with 3x3
          kernels, 64/128/256/256 hidden maps; fc7 a fully-connected GRU
          with 512 units) -> last hidden state average-pooled, dropout 0.7,
          softmax classifier per level (`"{level}_classifier"` in
          `model.head`) -> the five predictions averaged.
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          VGG-16 to fc7, ImageNet-frozen): 153,741,113 in all,
          19,480,569 trainable (the rest is the frozen backbone).

    Args:
        num_classes: int >= 2, the number of classes (101 for UCF-101);
            follows from `class_names` when they are given.
        class_names: the class names in label order, saved with the model
            and returned by its SavedModel as `labels`.
        preprocessor: a `VideoPreprocessor` to use instead of building one
            from `backbone`, `levels`, `backbone_weights`, `num_frames` and
            `image_size` (which it then defines): e.g. the one a percept
            cache was extracted with, so the model reads those percepts and
            carries the CNN weights that made them.
        backbone: a registered backbone, see `keras_grurcn.percepts.
            list_backbones()`; the paper's is `"vgg16"`.
        backbone_weights: `"imagenet"`, `None` (random) or a local weights
            file.
        num_frames: frames per clip (10 in the paper), or `None` for clips
            of any length.
        image_size: int or `(height, width)` of the frames (224 in the paper).
        levels: percept levels, or `None` for the backbone's defaults (the
            paper's pool2, pool3, pool4, pool5, fc7 for VGG-16).
        hidden_maps: hidden maps per level: `None` (the paper's 64, 128,
            256, 256, 512), an int, a list (one per level) or a dict
            `{level: maps}` overriding some.
        kernel_size: ConvGRU kernel size (3 in the paper).
        dropout: dropout before each level's classifier (0.7 in the paper).
        trainable_backbone: fine-tune the backbone (frozen in the paper).
        percept_normalization: `None` (the paper: raw percepts), `"layer"`
            or `"batch"`: normalise each level's percepts before its
            GRU-RCN (`"{level}_normalization"`), see `GRURCNBackbone`.
        name: the model's name.

    Returns:
        A `keras_grurcn.VideoClassifier`: a `VideoPreprocessor` (frame
        sampling, resizing, the frozen CNN), a `GRURCNBackbone` and the
        per-level head. It maps frames `(batch, time, height, width, 3)`,
        or the cached percepts `{level: (batch, time, ...)}`, to class
        probabilities `(batch, num_classes)`.

    Examples:

    ```python
    model = keras_grurcn.models.build_grurcn(
        class_names=["left", "right", "up", "down"], backbone_weights=None,
        num_frames=4, image_size=32, levels=["pool2", "pool3"],
        hidden_maps=[4, 8],
    )
    model.compile()
    model.fit(np.zeros((2, 4, 32, 32, 3)), np.array([0, 1]), verbose=0)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """
    return build_grurcn_classifier("independent", **locals())


def build_grurcn_classifier(
    variant,
    *,
    num_classes,
    class_names,
    preprocessor,
    backbone,
    backbone_weights,
    num_frames,
    image_size,
    levels,
    hidden_maps,
    kernel_size,
    dropout,
    trainable_backbone,
    percept_normalization,
    name,
):
    """The GRU-RCN classifiers' body: preprocessor, backbone, head."""
    preprocessor, body = grurcn_parts(
        variant,
        preprocessor=preprocessor,
        backbone=backbone,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        levels=levels,
        hidden_maps=hidden_maps,
        kernel_size=kernel_size,
        trainable_backbone=trainable_backbone,
        percept_normalization=percept_normalization,
    )
    return VideoClassifier(
        body,
        preprocessor,
        num_classes=num_classes,
        class_names=class_names,
        dropout=dropout,
        name=name,
    )
