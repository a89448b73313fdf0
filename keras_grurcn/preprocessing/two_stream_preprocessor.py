import keras

from keras_grurcn.preprocessing.preprocessor import Preprocessor
from keras_grurcn.preprocessing.video_preprocessor import VideoPreprocessor
from keras_grurcn.saving.nested_parts import deserialize_parts
from keras_grurcn.saving.nested_parts import serialize_parts

STREAMS = ("rgb", "flow")


@keras.saving.register_keras_serializable(package="keras_grurcn")
class TwoStreamPreprocessor(Preprocessor):
    """RGB frames and optical-flow images -> the percepts of both streams.

    Two `VideoPreprocessor`s, one per stream, each with its own CNN (the
    paper's flow stream reads a flow-trained VGG-16; with ImageNet weights
    the flow CNN gets TSN's cross-modality initialisation). Flow comes in
    as images a CNN takes, made from the decoded frames by the package's
    flow function, outside the graph: `keras_grurcn.data.video_flow_images(
    frames, **preprocessor.flow.flow_image_options)`, the function the
    flow percept caches were made with.

    Args:
        rgb: the RGB stream's `VideoPreprocessor` (`modality="rgb"`).
        flow: the flow stream's `VideoPreprocessor` (`modality="flow"`).
        **kwargs: base layer arguments (`name`).

    Call arguments:
        inputs: `{"rgb": frames, "flow": flow_images}`, each `(batch, time,
            height, width, 3)` in `[0, 255]`.

    Returns:
        `{"rgb_<level>": ..., "flow_<level>": ...}`: each stream's outputs,
        keys prefixed by the stream.

    Examples:

    ```python
    def stream(modality):
        return keras_grurcn.VideoPreprocessor(
            "vgg16", levels=["pool2"], backbone_weights=None, num_frames=4,
            image_size=32, modality=modality,
        )

    preprocessor = keras_grurcn.preprocessing.TwoStreamPreprocessor(
        stream("rgb"), stream("flow")
    )
    clips = np.zeros((1, 4, 32, 32, 3), "uint8")
    sorted(preprocessor({"rgb": clips, "flow": clips}))
    # ['flow_pool2', 'rgb_pool2']
    ```
    """

    def __init__(self, rgb, flow, **kwargs):
        super().__init__(**kwargs)
        for stream, preprocessor in zip(STREAMS, (rgb, flow)):
            if not isinstance(preprocessor, VideoPreprocessor):
                raise ValueError(
                    f"TwoStreamPreprocessor: `{stream}` must be a "
                    f"VideoPreprocessor, got {type(preprocessor).__name__}."
                )
            if preprocessor.modality != stream:
                raise ValueError(
                    f"TwoStreamPreprocessor: the `{stream}` stream's preprocessor "
                    f"{preprocessor.name!r} reads {preprocessor.modality!r} "
                    f"inputs, not {stream!r} (are the two swapped?)."
                )
        self.rgb = rgb
        self.flow = flow
        self.built = True

    @property
    def output_shapes(self):
        return {
            f"{stream}_{name}": shape
            for stream in STREAMS
            for name, shape in getattr(self, stream).output_shapes.items()
        }

    def _check_inputs(self, inputs):
        if not isinstance(inputs, dict) or set(inputs) != set(STREAMS):
            given = (
                sorted(inputs) if isinstance(inputs, dict) else type(inputs).__name__
            )
            raise ValueError(
                f"TwoStreamPreprocessor {self.name!r}: expected "
                f"{{'rgb': frames, 'flow': flow_images}}; got {given}."
            )

    def call(self, inputs, training=None):
        self._check_inputs(inputs)
        outputs = {}
        for stream in STREAMS:
            percepts = getattr(self, stream)(inputs[stream], training=training)
            outputs.update(
                {f"{stream}_{name}": value for name, value in percepts.items()}
            )
        return outputs

    def compute_output_spec(self, inputs, training=None):
        self._check_inputs(inputs)
        outputs = {}
        for stream in STREAMS:
            specs = getattr(self, stream).compute_output_spec(inputs[stream])
            outputs.update({f"{stream}_{name}": spec for name, spec in specs.items()})
        return outputs

    def get_config(self):
        return {**super().get_config(), **serialize_parts(self, STREAMS)}

    @classmethod
    def from_config(cls, config):
        return cls(**deserialize_parts(config, STREAMS))
