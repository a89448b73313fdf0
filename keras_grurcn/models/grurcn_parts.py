from keras_grurcn.models.grurcn_backbone import GRURCNBackbone
from keras_grurcn.percepts.backbones import get_backbone
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor


def zoo_preprocessor(
    preprocessor,
    *,
    backbone,
    levels,
    backbone_weights,
    num_frames,
    image_size,
    trainable_backbone,
    modality="rgb",
    flow_method=None,
    flow_bound=None,
    name="preprocessor",
):
    """The `VideoPreprocessor` of a zoo model, and the percept levels it reads.

    A given `preprocessor` (e.g. the one a percept cache was extracted
    with) is used as it is, so the model reads exactly the cached percepts
    and carries the CNN weights that made them; the requested `levels`
    must be among its levels. Otherwise a new one is built from the
    arguments (`modality`, `flow_method` and `flow_bound` say what its
    frames are, see `VideoPreprocessor`). The CNN and its levels are
    resolved once, here.

    Returns:
        `(preprocessor, percept_shapes)`: the shapes of the requested
        levels, shallow to deep, to size the backbone.
    """
    if preprocessor is None:
        preprocessor = VideoPreprocessor(
            backbone,
            levels=levels,
            backbone_weights=backbone_weights,
            num_frames=num_frames,
            image_size=image_size,
            trainable=trainable_backbone,
            modality=modality,
            flow_method=flow_method,
            flow_bound=flow_bound,
            name=name,
        )
        return preprocessor, dict(preprocessor.output_shapes)
    if not isinstance(preprocessor, VideoPreprocessor):
        raise ValueError(
            "`preprocessor` must be a VideoPreprocessor, got "
            f"{type(preprocessor).__name__}."
        )
    available = preprocessor.output_shapes
    if preprocessor.backbone is None:
        wanted = list(available)
    else:
        wanted = get_backbone(preprocessor.backbone).resolve_levels(
            levels if levels is not None else preprocessor.levels
        )
    missing = [level for level in wanted if level not in available]
    if missing:
        raise ValueError(
            f"The preprocessor {preprocessor.name!r} computes the levels "
            f"{list(available)}; the model needs {missing} too."
        )
    return preprocessor, {level: available[level] for level in wanted}


def grurcn_parts(
    variant,
    *,
    preprocessor=None,
    backbone,
    backbone_weights,
    num_frames,
    image_size,
    levels,
    hidden_maps,
    kernel_size,
    trainable_backbone,
    percept_normalization,
    return_sequences=False,
    modality="rgb",
    flow_method=None,
    flow_bound=None,
    name="",
):
    """The preprocessor and GRU-RCN backbone shared by the zoo's builders.

    `modality`, `flow_method` and `flow_bound` describe the frames of a new
    preprocessor (see `zoo_preprocessor`).

    Returns:
        `(preprocessor, backbone)`, named `"{name}preprocessor"` and
        `"{name}backbone"` (`name` is a stream prefix such as `"flow_"`).
    """
    preprocessor, percept_shapes = zoo_preprocessor(
        preprocessor,
        backbone=backbone,
        levels=levels,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable_backbone=trainable_backbone,
        modality=modality,
        flow_method=flow_method,
        flow_bound=flow_bound,
        name=f"{name}preprocessor",
    )
    body = GRURCNBackbone(
        percept_shapes,
        hidden_maps=hidden_maps,
        variant=variant,
        kernel_size=kernel_size,
        num_frames=preprocessor.num_frames,
        percept_normalization=percept_normalization,
        return_sequences=return_sequences,
        name=f"{name}backbone",
    )
    return preprocessor, body
