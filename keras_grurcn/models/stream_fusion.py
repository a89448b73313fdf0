import keras
from keras import ops


def check_flow_weight(flow_weight):
    if (
        isinstance(flow_weight, bool)
        or not isinstance(flow_weight, (int, float))
        or not 0 <= flow_weight <= 1
    ):
        raise ValueError(
            f"`flow_weight` must be a float in [0, 1], got {flow_weight!r}."
        )
    return float(flow_weight)


@keras.saving.register_keras_serializable(package="keras_grurcn")
class StreamFusion(keras.layers.Layer):
    """Late fusion of two streams: `(1 - w) * rgb + w * flow` probabilities.

    The paper's "RGB + Flow" fusion is a weighted average of the two
    streams' softmax outputs (Ballas et al., 2016, Sec. 4.1; the weight is
    not reported). `w` is a non-trainable variable, so it can be chosen
    after training (on validation) without rebuilding: `layer.flow_weight
    = 0.6`.

    Args:
        flow_weight: float in [0, 1], the flow stream's share.
        **kwargs: base layer arguments (`name`).

    Call arguments:
        inputs: `[rgb_probabilities, flow_probabilities]`.

    Examples:

    ```python
    fusion = keras_grurcn.models.StreamFusion(flow_weight=0.75)
    fusion([np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])])  # [[0.25, 0.75]]
    ```
    """

    def __init__(self, flow_weight=0.5, **kwargs):
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        self._flow_weight = self.add_weight(
            shape=(),
            initializer=keras.initializers.Constant(check_flow_weight(flow_weight)),
            trainable=False,
            name="flow_weight",
        )
        self.built = True

    @property
    def flow_weight(self):
        return float(ops.convert_to_numpy(self._flow_weight))

    @flow_weight.setter
    def flow_weight(self, value):
        self._flow_weight.assign(check_flow_weight(value))

    def call(self, inputs):
        rgb, flow = inputs
        weight = ops.cast(self._flow_weight, rgb.dtype)
        return (1.0 - weight) * rgb + weight * flow

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config.update({"flow_weight": self.flow_weight})
        return config
