import keras
from keras import ops

from keras_grurcn.argument_checks import MAX_FRAMES
from keras_grurcn.argument_checks import check_image_size
from keras_grurcn.argument_checks import check_positive_int
from keras_grurcn.percepts.backbones import get_backbone
from keras_grurcn.percepts.frame_percepts import FramePercepts
from keras_grurcn.preprocessing.frame_resizing import frame_resizer
from keras_grurcn.preprocessing.frame_sampling import uniform_frame_indices
from keras_grurcn.preprocessing.input_modality import check_input_modality
from keras_grurcn.preprocessing.preprocessor import Preprocessor

# The output of a preprocessor without a CNN (pixel models such as C3D).
FRAMES = "frames"


@keras.saving.register_keras_serializable(package="keras_grurcn")
class VideoPreprocessor(Preprocessor):
    """Raw video frames -> clips -> the percepts of a frozen ImageNet CNN.

    The one implementation of what happens to a video before a backbone
    sees it, used by the model (`task.predict(frames)`), the SavedModel,
    captioning, streaming and, for percept caches, the `tf.data` pipeline:

    1. Frame sampling: `num_frames` frames, the centre frame of each of
       `num_frames` equal segments of the video; a shorter video loops
       (`keras_grurcn.preprocessing.uniform_frame_indices`).
    2. Resizing: the largest centred window of the model's aspect ratio,
       resized to `image_size` with antialiasing, never stretched
       (`keras_grurcn.preprocessing.frame_resizer`).
    3. Percepts: the `keras.applications` CNN `backbone`, frozen, cut after
       its deepest requested level, applied to every frame at once
       (`keras_grurcn.percepts.FramePercepts`), with the CNN's own input
       normalisation. Without a CNN (`backbone=None`, for models that
       learn from pixels such as C3D) the clip itself is the output,
       under the key `"frames"`.

    Steps 1 and 2 leave a clip that is already sampled and resized
    unchanged, so clips from `keras_grurcn.data.video_dataset` (which
    applies the same two steps, or a training augmentation, while
    decoding) go through unchanged. TensorFlow's XLA has no antialiased
    resize: with `jit_compile=True` on TensorFlow, feed frames at
    `image_size` (as `video_dataset` gives them) or cached percepts.

    The CNN's weights are saved with the preprocessor (`.keras` files,
    `save_to_preset`); loading a saved preprocessor does not download or
    read `backbone_weights` again.

    The frames may be optical-flow images (`modality="flow"`, the flow
    stream of a two-stream model): OpenCV's flow cannot run in the graph,
    so they are made beside the model by `keras_grurcn.data.flow_images`
    (or `video_flow_images` from decoded video, with
    `flow_image_options`), and the preprocessor records the method and
    bound that made them. With ImageNet weights, a flow preprocessor's CNN
    gets the cross-modality initialisation of Wang et al. (2016, TSN): the
    first convolution's filters averaged over the RGB channels and
    replicated (see `keras_grurcn.percepts.build_percept_extractor`).

    Args:
        backbone: a registered CNN (`keras_grurcn.percepts.list_backbones()`;
            `"vgg16"` is the paper's), or `None` for pixels.
        levels: the CNN's percept levels, or `None` for its defaults (for
            VGG-16 the paper's pool2, pool3, pool4, pool5, fc7).
        backbone_weights: `"imagenet"`, `None` (random) or a local weights
            file, see `keras_grurcn.percepts.build_percept_extractor`.
        num_frames: frames per clip (10 in the paper), or `None` to keep
            every frame.
        image_size: int or `(height, width)` of the frames (224 in the
            paper).
        trainable: fine-tune the CNN (frozen in the paper).
        modality: `"rgb"` (video frames) or `"flow"` (optical-flow images).
        flow_method: for flow, the algorithm that made the images:
            `"farneback"` (default) or `"tvl1"`.
        flow_bound: for flow, the displacement in pixels mapped to the ends
            of the 0..255 range (default 20).
        **kwargs: base layer arguments (`name`, `dtype`).

    Call arguments:
        frames: RGB video `(batch, time, height, width, 3)`, uint8 or float
            in `[0, 255]`, any length and size (flow images for
            `modality="flow"`).
        training: passed to the CNN (matters only when it is trainable).

    Returns:
        A dict `{level: (batch, num_frames, rows, cols, channels)}` (or
        `(batch, num_frames, units)` for a vector level such as fc7), or
        `{"frames": (batch, num_frames, height, width, 3)}` float32 without
        a CNN.

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool2", "pool3"], backbone_weights=None,
        num_frames=4, image_size=32,
    )
    video = np.zeros((1, 30, 48, 64, 3), "uint8")  # any length and size
    percepts = preprocessor(video)
    percepts["pool3"].shape  # (1, 4, 4, 4, 256)
    preprocessor.preprocess_frames(video).shape  # (1, 4, 32, 32, 3)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
        - [Wang et al., 2016](https://arxiv.org/abs/1608.00859) (TSN)
    """

    def __init__(
        self,
        backbone="vgg16",
        levels=None,
        backbone_weights="imagenet",
        num_frames=10,
        image_size=(224, 224),
        trainable=False,
        modality="rgb",
        flow_method=None,
        flow_bound=None,
        **kwargs,
    ):
        super().__init__(trainable=trainable, **kwargs)
        self.modality, self.flow_method, self.flow_bound = check_input_modality(
            modality, flow_method, flow_bound
        )
        self.num_frames = check_positive_int(
            "num_frames", num_frames, allow_none=True, maximum=MAX_FRAMES
        )
        self.image_size = check_image_size(image_size)
        self.backbone_weights = backbone_weights
        self.resizing = frame_resizer(self.image_size)
        if backbone is None:
            self.backbone = None
            self.levels = None
            self.percepts = None
        else:
            spec = get_backbone(backbone)
            self.backbone = spec.name
            self.levels = list(spec.resolve_levels(levels))
            self.percepts = FramePercepts(
                self.backbone,
                self.levels,
                backbone_weights=backbone_weights,
                image_size=self.image_size,
                trainable=trainable,
                # ImageNet's RGB filters read flow images once averaged; a
                # local file is taken as the stream's own (e.g. flow-trained).
                cross_modality=modality == "flow" and backbone_weights == "imagenet",
                name=f"{self.backbone}_percepts",
            )
        self.built = True

    @property
    def output_shapes(self):
        """`{name: shape}` of the outputs, without the batch and time axes."""
        if self.percepts is None:
            return {FRAMES: (*self.image_size, 3)}
        spec = get_backbone(self.backbone)
        return {
            level: spec.level_shape(level, self.image_size) for level in self.levels
        }

    @property
    def flow_image_options(self):
        """The `keras_grurcn.data.video_flow_images` arguments for this input.

        `{"num_frames", "image_size", "method", "bound"}`: how to make a flow
        preprocessor's input from decoded video frames, exactly as its
        percept cache was made; `None` for RGB.
        """
        if self.modality != "flow":
            return None
        return {
            "num_frames": self.num_frames,
            "image_size": self.image_size,
            "method": self.flow_method,
            "bound": self.flow_bound,
        }

    def sample_frames(self, frames):
        """Step 1: `num_frames` uniformly sampled frames of each video."""
        if self.num_frames is None or frames.shape[1] == self.num_frames:
            return frames
        indices = uniform_frame_indices(ops.shape(frames)[1], self.num_frames)
        return ops.take(frames, indices, axis=1)

    def resize_frames(self, frames):
        """Step 2: every frame resized to `image_size` (float32, `[0, 255]`)."""
        frames = ops.cast(frames, "float32")
        if tuple(frames.shape[2:4]) == self.image_size:
            return frames
        shape = ops.shape(frames)
        images = ops.reshape(frames, (-1, shape[2], shape[3], frames.shape[-1]))
        images = self.resizing(images)
        return ops.reshape(images, (shape[0], shape[1], *self.image_size, 3))

    def preprocess_frames(self, frames):
        """Steps 1 and 2: the clip the model sees, float32 in `[0, 255]`."""
        if len(frames.shape) != 5 or frames.shape[-1] != 3:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: expected {self.modality} "
                "video (batch, time, height, width, 3); got shape "
                f"{tuple(frames.shape)}."
            )
        if frames.shape[1] == 0:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: the video has no frames "
                "(time = 0)."
            )
        return self.resize_frames(self.sample_frames(frames))

    def call(self, frames, training=None):
        clips = self.preprocess_frames(frames)
        if self.percepts is None:
            return {FRAMES: clips}
        return self.percepts(clips, training=training)

    def compute_output_spec(self, frames, training=None):
        batch = frames.shape[0]
        time = self.num_frames if self.num_frames is not None else frames.shape[1]
        dtype = "float32" if self.percepts is None else self.compute_dtype
        return {
            name: keras.KerasTensor((batch, time, *shape), dtype=dtype)
            for name, shape in self.output_shapes.items()
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "backbone": self.backbone,
                "levels": self.levels,
                "backbone_weights": self.backbone_weights,
                "num_frames": self.num_frames,
                "image_size": list(self.image_size),
                "modality": self.modality,
                "flow_method": self.flow_method,
                "flow_bound": self.flow_bound,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # A config describes the layer, not its weights: a loaded
        # preprocessor gets them from its file right after, so the ImageNet
        # weights are not downloaded (nor a weights file read) again.
        preprocessor = cls(**{**config, "backbone_weights": None})
        preprocessor.backbone_weights = config.get("backbone_weights")
        return preprocessor

    @classmethod
    def from_builtin_preset(cls, preset, **kwargs):
        # A preset is an experiment config: the CNN, frames and size in its
        # `preprocessor` section, the levels the model reads in `model`.
        arguments = {
            **preset["preprocessor"],
            "levels": preset["model"].get("levels"),
        }
        return cls(**{**arguments, **kwargs})
