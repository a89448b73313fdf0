import keras

from keras_grurcn.models.classifier_head import classifier_head
from keras_grurcn.models.stream_fusion import StreamFusion
from keras_grurcn.models.two_stream_backbone import STREAMS
from keras_grurcn.models.two_stream_backbone import TwoStreamBackbone
from keras_grurcn.models.video_classifier import VideoClassifier
from keras_grurcn.preprocessing.two_stream_preprocessor import TwoStreamPreprocessor

FUSION = "two_stream_fusion"


@keras.saving.register_keras_serializable(package="keras_grurcn")
class TwoStreamVideoClassifier(VideoClassifier):
    """RGB + optical-flow classifier: two GRU-RCN heads, late fusion.

    Each stream of a `TwoStreamBackbone` gets the GRU-RCN head of
    `VideoClassifier` (`"rgb_head"`, `"flow_head"`: per-level classifiers,
    averaged), and their probabilities are fused by `StreamFusion`
    (`"two_stream_fusion"`), the paper's weighted average (Ballas et al.,
    2016, Sec. 4.1: 90.8% top-1 on UCF-101 with bidirectional streams).
    `flow_weight` can be set after training, e.g. to the value that is
    best on validation. With a `TwoStreamPreprocessor` it takes
    `{"rgb": frames, "flow": flow_images}`; the cached percepts of both
    streams (`{"rgb_<level>": ..., "flow_<level>": ...}`) always.
    `from_streams` joins two classifiers trained apart (the paper's late
    fusion; `keras_grurcn.training.train_two_stream`).

    Args:
        backbone: a `TwoStreamBackbone`.
        preprocessor: a `TwoStreamPreprocessor`, or `None`.
        num_classes, class_names, dropout: as in `VideoClassifier`.
        flow_weight: float in [0, 1], the flow stream's share (0.5).
        **kwargs: base model arguments (`name`, `dtype`).

    Examples:

    ```python
    classifier = keras_grurcn.build_model(
        "two_stream", num_classes=4, backbone_weights=None, num_frames=4,
        image_size=32, levels=["pool2"], hidden_maps=4, flow_weight=0.6,
    )
    clips = np.zeros((2, 4, 32, 32, 3), "uint8")
    classifier.predict({"rgb": clips, "flow": clips}, verbose=0).shape  # (2, 4)
    classifier.flow_weight = 0.8  # e.g. chosen on validation
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Simonyan and Zisserman, 2014](https://arxiv.org/abs/1406.2199)
    """

    def __init__(self, backbone, preprocessor=None, flow_weight=0.5, **kwargs):
        if not isinstance(backbone, TwoStreamBackbone):
            raise ValueError(
                "TwoStreamVideoClassifier: `backbone` must be a TwoStreamBackbone, "
                f"got {type(backbone).__name__}."
            )
        self._initial_flow_weight = flow_weight
        super().__init__(backbone, preprocessor, **kwargs)

    def build_head(self):
        inputs, streams = {}, []
        for stream in STREAMS:
            shapes = {
                name[len(stream) + 1 :]: tensor.shape[1:]
                for name, tensor in self.backbone.output.items()
                if name.startswith(f"{stream}_")
            }
            head = classifier_head(
                shapes, self.num_classes, dropout=self.dropout, name=f"{stream}_head"
            )
            stream_inputs = {
                level: keras.Input(tuple(shape), name=f"{stream}_{level}")
                for level, shape in shapes.items()
            }
            inputs.update(
                {f"{stream}_{level}": tensor for level, tensor in stream_inputs.items()}
            )
            streams.append(head(stream_inputs))
        fused = StreamFusion(self._initial_flow_weight, name=FUSION)(streams)
        return keras.Model(inputs, fused, name="head")

    @classmethod
    def from_streams(cls, rgb, flow, *, flow_weight=0.5, name="two_stream"):
        """The two-stream classifier of an RGB and a flow classifier.

        The streams' backbones and preprocessors become the two-stream
        task's own (the same objects and variables: trained weights are
        not copied), and their heads' weights are copied into
        `"rgb_head"` and `"flow_head"`. The streams must classify the same
        classes; build them with `keras_grurcn.models.
        build_stream_classifier` (backbones named `"rgb_backbone"` and
        `"flow_backbone"`, preprocessors of modality `"rgb"` and
        `"flow"`).

        Args:
            rgb: the RGB stream's `VideoClassifier`.
            flow: the flow stream's `VideoClassifier`.
            flow_weight: the flow stream's share of the fused probabilities.
            name: the task's name.

        Returns:
            A `TwoStreamVideoClassifier`.

        Examples:

        ```python
        def stream(name):
            return keras_grurcn.models.build_stream_classifier(
                name, class_names=["left", "right"], backbone_weights=None,
                num_frames=4, image_size=32, levels=["pool2"], hidden_maps=4,
            )

        model = keras_grurcn.models.TwoStreamVideoClassifier.from_streams(
            stream("rgb"), stream("flow"), flow_weight=0.7
        )
        model.flow_weight  # 0.7
        ```
        """
        for stream, classifier in (("rgb", rgb), ("flow", flow)):
            if type(classifier) is not VideoClassifier:
                raise ValueError(
                    f"from_streams: `{stream}` must be a VideoClassifier, got "
                    f"{type(classifier).__name__}."
                )
        if (rgb.num_classes, rgb.class_names) != (flow.num_classes, flow.class_names):
            raise ValueError(
                "from_streams: the streams classify different classes: "
                f"{rgb.labels} (rgb) and {flow.labels} (flow)."
            )
        if (rgb.preprocessor is None) != (flow.preprocessor is None):
            raise ValueError(
                "from_streams: both streams need a preprocessor, or neither."
            )
        preprocessor = None
        if rgb.preprocessor is not None:
            preprocessor = TwoStreamPreprocessor(
                rgb.preprocessor, flow.preprocessor, name="preprocessor"
            )
        task = cls(
            TwoStreamBackbone(rgb.backbone, flow.backbone, name="backbone"),
            preprocessor,
            num_classes=rgb.num_classes,
            class_names=rgb.class_names,
            dropout=rgb.dropout,
            flow_weight=flow_weight,
            name=name,
        )
        for stream, classifier in (("rgb", rgb), ("flow", flow)):
            head = task.head.get_layer(f"{stream}_head")
            for layer in classifier.head.layers:
                if layer.weights:
                    head.get_layer(layer.name).set_weights(layer.get_weights())
        return task

    @property
    def flow_weight(self):
        """The flow stream's share of the fused probabilities."""
        return self.head.get_layer(FUSION).flow_weight

    @flow_weight.setter
    def flow_weight(self, value):
        self.head.get_layer(FUSION).flow_weight = value

    def stream_probabilities(self, inputs):
        """`{"rgb": ..., "flow": ..., "fused": ...}` class probabilities.

        For the per-stream and fused accuracies of late fusion; `inputs`
        as for `predict` (one batch).
        """
        features = self.backbone(self.backbone_inputs(inputs), training=False)
        outputs = {}
        for stream in STREAMS:
            head = self.head.get_layer(f"{stream}_head")
            outputs[stream] = head(
                {
                    name[len(stream) + 1 :]: value
                    for name, value in features.items()
                    if name.startswith(f"{stream}_")
                },
                training=False,
            )
        outputs["fused"] = self.head.get_layer(FUSION)(
            [outputs["rgb"], outputs["flow"]]
        )
        return {
            name: keras.ops.convert_to_numpy(value) for name, value in outputs.items()
        }

    def get_config(self):
        config = super().get_config()
        config.update({"flow_weight": self.flow_weight})
        return config
