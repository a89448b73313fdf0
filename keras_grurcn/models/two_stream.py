import keras

from keras_grurcn.models.grurcn import build_grurcn_classifier
from keras_grurcn.models.grurcn_encoder import ENCODER_VARIANTS
from keras_grurcn.models.model_arguments import check_choice, check_positive_int

# `flow_backbone_weights` default: the same source as the RGB backbone.
SAME_AS_RGB = "same_as_rgb"


def build_two_stream(
    *,
    num_classes=None,
    backbone="vgg16",
    backbone_weights="imagenet",
    num_frames=10,
    image_size=(224, 224),
    inputs="frames",
    levels=None,
    hidden_maps=None,
    kernel_size=3,
    dropout=0.7,
    trainable_backbone=False,
    percept_normalization=None,
    encoder="independent",
    flow_weight=0.5,
    flow_backbone_weights=SAME_AS_RGB,
    num_flow_frames=SAME_AS_RGB,
    name="two_stream",
):
    """RGB + optical-flow GRU-RCNs, fused by a weighted average of scores.

    Model card:
        - Paper: Ballas et al. (2016), Sec. 4.1, "RGB + Flow": GRU-RCN on
          RGB percepts and on optical-flow percepts (a VGG-16 trained on
          flow images), fused by a weighted average of the two softmax
          outputs; 90.8% top-1 on UCF-101 with bi-directional streams
          (`encoder="bidirectional"`). The weight is not reported; 0.5 by
          default.
        - Models: local and global motion twice: from appearance changes
          (RGB) and from explicit displacement (flow).
        - Architecture: two `build_grurcn`-style streams (VGG-16 pool2..fc7,
          3x3 kernels, 64/128/256/256/512 hidden maps, dropout 0.7,
          averaged per-level softmax), layers prefixed `"rgb_"` and
          `"flow_"` (`"rgb_pool3_grurcn"`, `"flow_pool3_grurcn"`), each with
          its own backbone; the flow stream's probabilities are scaled by
          `flow_weight` (`"flow_fusion_weight"`), the RGB stream's by
          `1 - flow_weight` (`"rgb_fusion_weight"`), and summed
          (`"two_stream_fusion"`).
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          two VGG-16s to fc7, frozen): 307,482,226 in all,
          38,961,138 trainable (the rest is the frozen backbone).

    Inputs are a dict: `{"rgb": frames, "flow": flow_frames}` with
    `inputs="frames"` (flow frames are 3-channel images in [0, 255]:
    encoded x and y displacement and magnitude, see
    `keras_grurcn.data.flow_to_image`), or `{"rgb_<level>": percepts,
    "flow_<level>": percepts}` with `inputs="percepts"`.

    Args:
        num_classes, backbone, backbone_weights, num_frames, image_size,
        inputs, levels, hidden_maps, kernel_size, dropout,
        trainable_backbone, percept_normalization, name: as in
        `build_grurcn`, for both streams.
        encoder: the streams' GRU-RCN: `"independent"`, `"stacked"` or
            `"bidirectional"` (the paper's best).
        flow_weight: float in [0, 1], the flow stream's share of the fused
            probabilities.
        flow_backbone_weights: the flow backbone's weights (a local file
            of a flow-trained VGG-16, as in the paper, `"imagenet"` or
            `None`); by default the same as `backbone_weights`.
        num_flow_frames: flow images per clip; by default `num_frames`.
            (Flow between T frames gives T - 1 images; `None` accepts any
            number.)

    Returns:
        A functional `keras.Model` mapping the dict of inputs to class
        probabilities `(batch, num_classes)`.

    Examples:

    ```python
    model = keras_grurcn.models.build_two_stream(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        levels=["pool2"], hidden_maps=4, flow_weight=0.6,
    )
    clips = np.zeros((2, 4, 32, 32, 3))
    model({"rgb": clips, "flow": clips}).shape  # (2, 4)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Simonyan and Zisserman, 2014](https://arxiv.org/abs/1406.2199)
    """
    check_choice("encoder", encoder, ENCODER_VARIANTS)
    if (
        isinstance(flow_weight, bool)
        or not isinstance(flow_weight, (int, float))
        or not 0 <= flow_weight <= 1
    ):
        raise ValueError(
            f"`flow_weight` must be a float in [0, 1], got {flow_weight!r}."
        )
    if flow_backbone_weights == SAME_AS_RGB:
        flow_backbone_weights = backbone_weights
    if num_flow_frames == SAME_AS_RGB:
        num_flow_frames = num_frames
    num_flow_frames = check_positive_int(
        "num_flow_frames", num_flow_frames, allow_none=True
    )
    shared = dict(
        num_classes=num_classes,
        backbone=backbone,
        image_size=image_size,
        inputs=inputs,
        levels=levels,
        hidden_maps=hidden_maps,
        kernel_size=kernel_size,
        dropout=dropout,
        trainable_backbone=trainable_backbone,
        percept_normalization=percept_normalization,
        name=name,
        return_parts=True,
    )

    # === Layers ===
    rgb_inputs, rgb_probabilities = build_grurcn_classifier(
        encoder,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        prefix="rgb_",
        frames_name="rgb",
        **shared,
    )
    flow_inputs, flow_probabilities = build_grurcn_classifier(
        encoder,
        backbone_weights=flow_backbone_weights,
        num_frames=num_flow_frames,
        prefix="flow_",
        frames_name="flow",
        **shared,
    )
    # Rescaling + Add: a weighted average from standard, serialisable layers.
    rgb_share = keras.layers.Rescaling(
        1.0 - flow_weight, name="rgb_fusion_weight", dtype="float32"
    )(rgb_probabilities)
    flow_share = keras.layers.Rescaling(
        float(flow_weight), name="flow_fusion_weight", dtype="float32"
    )(flow_probabilities)
    probabilities = keras.layers.Add(name="two_stream_fusion", dtype="float32")(
        [rgb_share, flow_share]
    )

    # === Functional Model ===
    if inputs == "frames":
        model_inputs = {"rgb": rgb_inputs, "flow": flow_inputs}
    else:
        model_inputs = {**rgb_inputs, **flow_inputs}
    return keras.Model(model_inputs, probabilities, name=name)
