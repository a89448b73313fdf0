from keras_grurcn.models.grurcn_backbone import GRURCNBackbone
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor


def grurcn_parts(
    variant,
    *,
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
    name="",
):
    """The preprocessor and GRU-RCN backbone shared by the zoo's builders.

    The CNN and its levels are resolved once, by the `VideoPreprocessor`;
    the `GRURCNBackbone` is sized from its `output_shapes`.

    Returns:
        `(preprocessor, backbone)`, named `"{name}preprocessor"` and
        `"{name}backbone"` (`name` is a stream prefix such as `"flow_"`).
    """
    preprocessor = VideoPreprocessor(
        backbone,
        levels=levels,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        image_size=image_size,
        trainable=trainable_backbone,
        name=f"{name}preprocessor",
    )
    body = GRURCNBackbone(
        preprocessor.output_shapes,
        hidden_maps=hidden_maps,
        variant=variant,
        kernel_size=kernel_size,
        num_frames=num_frames,
        percept_normalization=percept_normalization,
        return_sequences=return_sequences,
        name=f"{name}backbone",
    )
    return preprocessor, body
