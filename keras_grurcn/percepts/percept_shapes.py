from keras_grurcn.percepts.backbones import get_backbone


def percept_shapes(backbone="vgg16", levels=None, image_size=(224, 224)):
    """The shape of each level's percept, without building the backbone.

    Computed from the registry's strides and channel counts (checked against
    the built extractors in the tests), so models can create inputs for
    cached percepts or size their encoders before, or instead of, building
    the backbone.

    Args:
        backbone: a registered backbone name, see `list_backbones()`.
        levels: level names, or `None` for the backbone's defaults.
        image_size: `(height, width)` of the frames.

    Returns:
        A dict `{level: shape}`, shallow to deep, each shape without the
        batch and time axes: `(rows, cols, channels)` for a map,
        `(units,)` for a vector level such as fc7.

    Examples:

    ```python
    keras_grurcn.percepts.percept_shapes("vgg16", ["pool3", "fc7"])
    # {"pool3": (28, 28, 256), "fc7": (4096,)}
    ```
    """
    spec = get_backbone(backbone)
    levels = spec.resolve_levels(levels)
    image_size = spec.check_image_size(image_size)
    return {name: spec.level_shape(name, image_size) for name in levels}
