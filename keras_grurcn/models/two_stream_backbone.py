import keras

from keras_grurcn.models.backbone import Backbone
from keras_grurcn.saving.nested_parts import deserialize_parts
from keras_grurcn.saving.nested_parts import serialize_parts

STREAMS = ("rgb", "flow")


@keras.saving.register_keras_serializable(package="keras_grurcn")
class TwoStreamBackbone(Backbone):
    """An RGB backbone and an optical-flow backbone side by side.

    The body of the paper's "RGB + Flow" model (Ballas et al., 2016,
    Sec. 4.1): two backbones (usually `GRURCNBackbone`s) of their own,
    one over RGB percepts and one over flow percepts, whose inputs and
    outputs are the streams' with their names prefixed (`"rgb_pool3"`,
    `"flow_pool3"`). `TwoStreamVideoClassifier` fuses their predictions.

    Args:
        rgb: the RGB stream's `Backbone`.
        flow: the flow stream's `Backbone`.
        **kwargs: base model arguments (`name`, `dtype`, `trainable`).

    Examples:

    ```python
    def stream(name):
        return keras_grurcn.GRURCNBackbone(
            {"pool5": (1, 1, 8)}, hidden_maps=2, num_frames=4, name=name
        )

    backbone = keras_grurcn.models.TwoStreamBackbone(
        stream("rgb_grurcn"), stream("flow_grurcn")
    )
    sorted(backbone.input)  # ['flow_pool5', 'rgb_pool5']
    ```
    """

    def __init__(self, rgb, flow, **kwargs):
        for stream, backbone in zip(STREAMS, (rgb, flow)):
            if not isinstance(backbone, Backbone):
                raise ValueError(
                    f"TwoStreamBackbone: `{stream}` must be a Backbone, got "
                    f"{type(backbone).__name__}."
                )
        if rgb.name == flow.name:
            raise ValueError(
                "TwoStreamBackbone: the two streams' backbones need different "
                f"names (both are {rgb.name!r})."
            )

        # === Layers ===
        inputs, outputs = {}, {}
        for stream, backbone in zip(STREAMS, (rgb, flow)):
            stream_inputs = {
                name: keras.Input(tensor.shape[1:], name=f"{stream}_{name}")
                for name, tensor in backbone.input.items()
            }
            stream_outputs = backbone(stream_inputs)
            inputs.update(
                {f"{stream}_{name}": tensor for name, tensor in stream_inputs.items()}
            )
            outputs.update(
                {f"{stream}_{name}": value for name, value in stream_outputs.items()}
            )

        # === Functional Model ===
        super().__init__(inputs=inputs, outputs=outputs, **kwargs)

        # === Config ===
        self.rgb = rgb
        self.flow = flow

    def get_config(self):
        return {**super().get_config(), **serialize_parts(self, STREAMS)}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_parts(config, STREAMS))
