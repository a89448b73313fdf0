"""The registry of backbones percepts can be extracted from.

Each entry maps keras_grurcn's level names to layers of a
`keras.applications` model and records the backbone's preprocessing, so the
extractor, `percept_shapes` and the docs all read one table. Adding a
backbone is adding an entry (and a row in `tests/percepts`).
"""

from keras_grurcn.percepts.backbone_spec import BackboneSpec
from keras_grurcn.percepts.percept_level import PerceptLevel

_VGG16 = BackboneSpec(
    name="vgg16",
    application="VGG16",
    levels=(
        PerceptLevel("pool1", "block1_pool", 64, 2, description="112x112x64"),
        PerceptLevel("pool2", "block2_pool", 128, 4, description="56x56x128"),
        PerceptLevel("pool3", "block3_pool", 256, 8, description="28x28x256"),
        PerceptLevel("pool4", "block4_pool", 512, 16, description="14x14x512"),
        PerceptLevel("pool5", "block5_pool", 512, 32, description="7x7x512"),
        PerceptLevel(
            "fc6",
            "fc1",
            4096,
            application_kwargs={"include_top": True},
            description="4096, Dense+ReLU on the flattened pool5",
        ),
        PerceptLevel(
            "fc7",
            "fc2",
            4096,
            application_kwargs={"include_top": True},
            description="4096, Dense+ReLU after fc6",
        ),
    ),
    default_levels=("pool2", "pool3", "pool4", "pool5", "fc7"),
    preprocessing="caffe",
    spatial_rounding="floor",
    notes=(
        "The paper's backbone (Ballas et al., 2016): GRU-RCN levels pool2, "
        "pool3, pool4, pool5 and fc7 (fc7 alone for the fully-connected "
        "GRU/LSTM baselines). fc6/fc7 need the fully-connected top; at sizes "
        "other than 224 it is built on the flattened pool5 (random weights "
        "or a local weights file only)."
    ),
)

_RESNET50 = BackboneSpec(
    name="resnet50",
    application="ResNet50",
    levels=(
        PerceptLevel("conv2", "conv2_block3_out", 256, 4, description="56x56x256"),
        PerceptLevel("conv3", "conv3_block4_out", 512, 8, description="28x28x512"),
        PerceptLevel("conv4", "conv4_block6_out", 1024, 16, description="14x14x1024"),
        PerceptLevel("conv5", "conv5_block3_out", 2048, 32, description="7x7x2048"),
        PerceptLevel(
            "avg_pool",
            "avg_pool",
            2048,
            application_kwargs={"pooling": "avg"},
            description="2048, global average of conv5 (the fc7 analogue)",
        ),
    ),
    default_levels=("conv2", "conv3", "conv4", "conv5", "avg_pool"),
    preprocessing="caffe",
    notes=(
        "Not in the paper. The last block of each ResNet stage (strides "
        "4-32, the pool2-pool5 analogues) and the pooled vector."
    ),
)

_EFFICIENTNETV2B0 = BackboneSpec(
    name="efficientnetv2b0",
    application="EfficientNetV2B0",
    levels=(
        PerceptLevel("block2", "block2b_add", 32, 4, description="56x56x32"),
        PerceptLevel("block3", "block3b_add", 48, 8, description="28x28x48"),
        PerceptLevel("block5", "block5e_add", 112, 16, description="14x14x112"),
        PerceptLevel("block6", "block6h_add", 192, 32, description="7x7x192"),
        PerceptLevel(
            "top", "top_activation", 1280, 32, description="7x7x1280, head conv"
        ),
        PerceptLevel(
            "avg_pool",
            "avg_pool",
            1280,
            application_kwargs={"pooling": "avg"},
            description="1280, global average of top (the fc7 analogue)",
        ),
    ),
    default_levels=("block2", "block3", "block5", "top", "avg_pool"),
    preprocessing="none",
    notes=(
        "Not in the paper; a small modern backbone (7.2M parameters). The "
        "last block of each resolution (strides 4, 8, 16), the 1280-channel "
        "head at stride 32 and its pooled vector. The application rescales "
        "and normalises [0, 255] RGB itself."
    ),
)

BACKBONES = {spec.name: spec for spec in (_VGG16, _RESNET50, _EFFICIENTNETV2B0)}


def list_backbones():
    """Returns the names of the registered backbones.

    Examples:

    ```python
    keras_grurcn.percepts.list_backbones()  # ('vgg16', 'resnet50', ...)
    ```
    """
    return tuple(BACKBONES)


def get_backbone(name):
    """Returns the `BackboneSpec` registered under `name`.

    Raises:
        ValueError: for an unknown name, listing the valid ones.

    Examples:

    ```python
    spec = keras_grurcn.percepts.get_backbone("vgg16")
    spec.name  # 'vgg16'
    ```
    """
    if isinstance(name, str) and name.lower() in BACKBONES:
        return BACKBONES[name.lower()]
    raise ValueError(
        f"Unknown backbone {name!r}. Valid backbones: {', '.join(BACKBONES)}."
    )
