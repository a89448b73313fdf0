from keras_grurcn.argument_checks import check_choice
from keras_grurcn.models.grurcn_backbone import VARIANTS
from keras_grurcn.models.grurcn_parts import grurcn_parts
from keras_grurcn.models.stream_fusion import check_flow_weight
from keras_grurcn.models.two_stream_backbone import STREAMS
from keras_grurcn.models.two_stream_video_classifier import TwoStreamVideoClassifier
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.two_stream_preprocessor import TwoStreamPreprocessor

# `flow_backbone_weights` and `num_flow_frames` default: as the RGB stream's.
SAME_AS_RGB = "same_as_rgb"


def build_two_stream(
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
    encoder="independent",
    flow_weight=0.5,
    flow_backbone_weights=SAME_AS_RGB,
    num_flow_frames=SAME_AS_RGB,
    flow_method=None,
    flow_bound=None,
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
          averaged per-level softmax), each with its own CNN
          (`TwoStreamPreprocessor`; the flow stream's, with ImageNet
          weights, gets TSN's cross-modality initialisation), GRU-RCN
          (`"rgb_backbone"`, `"flow_backbone"` in a `TwoStreamBackbone`)
          and head (`"rgb_head"`, `"flow_head"`); the flow stream's
          probabilities are weighted by `flow_weight`, the RGB stream's by
          `1 - flow_weight`, and summed (`StreamFusion`,
          `"two_stream_fusion"`; `model.flow_weight` can be changed after
          training).
        - Training: the paper's late fusion trains each stream on its own
          (`build_stream_classifier` builds one, and
          `keras_grurcn.training.train_two_stream` trains both on their
          percept caches) and chooses the weight on validation.
        - Parameters at the paper's input (224x224, 10 frames, 101 classes,
          two VGG-16s to fc7, frozen): 307,482,226 in all,
          38,961,138 trainable (the rest is the frozen backbone).

    Inputs are a dict: `{"rgb": frames, "flow": flow_images}` (flow
    images are 3-channel images in [0, 255]: encoded x and y displacement
    and magnitude, one per sampled frame, made from the decoded video by
    `keras_grurcn.data.video_flow_images(frames,
    **model.preprocessor.flow.flow_image_options)`), or the cached percepts
    `{"rgb_<level>": percepts, "flow_<level>": percepts}`.

    Args:
        num_classes, class_names, preprocessor, backbone, backbone_weights, num_frames,
        image_size, levels, hidden_maps, kernel_size, dropout,
        trainable_backbone, percept_normalization, name: as in
        `build_grurcn`, for both streams.
        encoder: the streams' GRU-RCN: `"independent"`, `"stacked"` or
            `"bidirectional"` (the paper's best).
        flow_weight: float in [0, 1], the flow stream's share of the fused
            probabilities.
        flow_backbone_weights: the flow backbone's weights (a local file
            of a flow-trained VGG-16, as in the paper, `"imagenet"` or
            `None`); by default the same as `backbone_weights`.
        num_flow_frames: flow images per clip; by default `num_frames`
            (one per sampled frame: the flow from it to the next frame of
            the video).
        flow_method, flow_bound: how the flow images are made (see
            `VideoPreprocessor`): `"farneback"` or `"tvl1"`, and the bound
            in pixels (20).

    Returns:
        A `keras_grurcn.models.TwoStreamVideoClassifier`.

    Examples:

    ```python
    model = keras_grurcn.models.build_two_stream(
        num_classes=4, backbone_weights=None, num_frames=4, image_size=32,
        levels=["pool2"], hidden_maps=4, flow_weight=0.6,
    )
    clips = np.zeros((2, 4, 32, 32, 3))
    model({"rgb": clips, "flow": clips}).shape  # (2, 4)
    model.preprocessor.flow.flow_image_options["method"]  # 'farneback'
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Simonyan and Zisserman, 2014](https://arxiv.org/abs/1406.2199)
    """
    check_choice("encoder", encoder, VARIANTS)
    flow_weight = check_flow_weight(flow_weight)
    if preprocessor is not None and not isinstance(preprocessor, TwoStreamPreprocessor):
        raise ValueError(
            "two_stream's `preprocessor` must be a TwoStreamPreprocessor, got "
            f"{type(preprocessor).__name__}."
        )
    shared = dict(
        num_classes=num_classes,
        class_names=class_names,
        backbone=backbone,
        image_size=image_size,
        levels=levels,
        hidden_maps=hidden_maps,
        kernel_size=kernel_size,
        dropout=dropout,
        trainable_backbone=trainable_backbone,
        percept_normalization=percept_normalization,
        encoder=encoder,
    )
    rgb = build_stream_classifier(
        "rgb",
        preprocessor=None if preprocessor is None else preprocessor.rgb,
        backbone_weights=backbone_weights,
        num_frames=num_frames,
        **shared,
    )
    flow = build_stream_classifier(
        "flow",
        preprocessor=None if preprocessor is None else preprocessor.flow,
        backbone_weights=(
            backbone_weights
            if flow_backbone_weights == SAME_AS_RGB
            else flow_backbone_weights
        ),
        num_frames=num_frames if num_flow_frames == SAME_AS_RGB else num_flow_frames,
        flow_method=flow_method,
        flow_bound=flow_bound,
        **shared,
    )
    return TwoStreamVideoClassifier.from_streams(
        rgb, flow, flow_weight=flow_weight, name=name
    )


def build_stream_classifier(
    stream,
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
    encoder="independent",
    flow_method=None,
    flow_bound=None,
):
    """One stream of `build_two_stream`, as a classifier of its own.

    The paper's late fusion trains the RGB and the flow GRU-RCN apart and
    averages their predictions; this builds one stream exactly as
    `build_two_stream` does (its preprocessor `"{stream}_preprocessor"`,
    of that modality, and backbone `"{stream}_backbone"`), so that
    `TwoStreamVideoClassifier.from_streams` joins two trained streams into
    the two-stream task. `keras_grurcn.training.train_two_stream` trains
    each on its own percept cache.

    Args:
        stream: `"rgb"` or `"flow"`.
        preprocessor: the stream's `VideoPreprocessor` (e.g. its percept
            cache's; of modality `stream`), or `None` for a new one.
        flow_method, flow_bound: for a new flow preprocessor, how its
            flow images are made (see `VideoPreprocessor`).
        num_classes, class_names, backbone, backbone_weights, num_frames,
        image_size, levels, hidden_maps, kernel_size, dropout,
        trainable_backbone, percept_normalization, encoder: as in
            `build_two_stream`, for this stream.

    Returns:
        A `keras_grurcn.VideoClassifier` named `"{stream}_stream"`.

    Examples:

    ```python
    flow = keras_grurcn.models.build_stream_classifier(
        "flow", num_classes=4, backbone_weights=None, num_frames=4,
        image_size=32, levels=["pool2"], hidden_maps=4,
    )
    flow.preprocessor.modality, flow.backbone.name  # ('flow', 'flow_backbone')
    ```
    """
    check_choice("stream", stream, STREAMS)
    check_choice("encoder", encoder, VARIANTS)
    if preprocessor is not None and getattr(preprocessor, "modality", None) != stream:
        raise ValueError(
            f"The {stream} stream's preprocessor {preprocessor.name!r} reads "
            f"{getattr(preprocessor, 'modality', type(preprocessor).__name__)!r} "
            f"inputs; the {stream} stream needs {stream!r} ones (e.g. the "
            "preprocessor of a cache extracted with that --modality)."
        )
    if preprocessor is not None and (flow_method, flow_bound) != (None, None):
        raise ValueError(
            "build_stream_classifier: `flow_method` and `flow_bound` come from "
            "the given `preprocessor`; leave them out."
        )
    stream_preprocessor, body = grurcn_parts(
        encoder,
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
        modality=stream,
        flow_method=flow_method,
        flow_bound=flow_bound,
        name=f"{stream}_",
    )
    return VideoClassifier(
        body,
        stream_preprocessor,
        num_classes=num_classes,
        class_names=class_names,
        dropout=dropout,
        name=f"{stream}_stream",
    )
