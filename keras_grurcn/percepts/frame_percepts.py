import keras
from keras import ops

from keras_grurcn.percepts.backbones import get_backbone
from keras_grurcn.percepts.percept_extractor import build_percept_extractor


@keras.saving.register_keras_serializable(package="keras_grurcn")
class FramePercepts(keras.layers.Layer):
    """Percepts of every frame of a clip, at several backbone levels.

    Runs a `build_percept_extractor` model on all frames at once: time is
    folded into the batch (one backbone call of `batch * time` images, no
    loop over frames) and unfolded again for each level. `TimeDistributed`
    cannot do this in Keras 3, as it wraps single-output layers only.

    The layer is saved with its model (`.keras`, safe mode); when a saved
    layer is loaded, its weights come from the file, so `backbone_weights`
    is not downloaded or read again.

    Args:
        backbone: a registered backbone name, see `list_backbones()`.
        levels: level names, or `None` for the backbone's defaults (for
            VGG-16 the paper's pool2, pool3, pool4, pool5, fc7).
        backbone_weights: `"imagenet"`, `None` (random) or the path of a
            local weights file, see `build_percept_extractor`.
        image_size: `(height, width)` of the frames.
        trainable: whether the backbone is trained. Frozen by default
            (weights non-trainable, BatchNormalization in inference mode);
            `layer.trainable = True` unfreezes it later.
        cross_modality: start from RGB weights for optical-flow images:
            the first convolution's filters averaged over the colour
            channels and replicated (see `build_percept_extractor`).
        **kwargs: base layer arguments (`name`, ...).

    Call arguments:
        frames: RGB frames `(batch, time, height, width, 3)` with values in
            `[0, 255]`, float or uint8.
        training: passed to the backbone (matters only when trainable).

    Returns:
        A dict `{level: percepts}` with `(batch, time, rows, cols, channels)`
        per map level and `(batch, time, units)` per vector level (fc7);
        `percept_shapes()` gives the per-frame shapes.

    Examples:

    ```python
    layer = keras_grurcn.percepts.FramePercepts(
        "vgg16", levels=["pool2", "pool3"], backbone_weights=None,
        image_size=(32, 32),
    )
    percepts = layer(np.zeros((2, 4, 32, 32, 3), "uint8"))
    percepts["pool3"].shape  # (2, 4, 4, 4, 256)
    ```

    References:
        - [Ballas et al., 2016](https://arxiv.org/abs/1511.06432)
    """

    def __init__(
        self,
        backbone="vgg16",
        levels=None,
        backbone_weights="imagenet",
        image_size=(224, 224),
        trainable=False,
        cross_modality=False,
        **kwargs,
    ):
        super().__init__(trainable=trainable, **kwargs)
        spec = get_backbone(backbone)
        self.cross_modality = bool(cross_modality)
        self.backbone = spec.name
        self.levels = list(spec.resolve_levels(levels))
        self.backbone_weights = backbone_weights
        self.image_size = spec.check_image_size(image_size)
        self.extractor = build_percept_extractor(
            backbone=self.backbone,
            levels=self.levels,
            weights=backbone_weights,
            image_size=self.image_size,
            trainable=trainable,
            cross_modality=self.cross_modality,
            name=f"{self.name}_extractor",
        )
        self._percept_shapes = {
            level: spec.level_shape(level, self.image_size) for level in self.levels
        }

    def build(self, frames_shape):
        expected = (*self.image_size, 3)
        if len(frames_shape) != 5 or tuple(frames_shape[2:]) != expected:
            raise ValueError(
                f"{type(self).__name__} {self.name!r}: expected frames of shape "
                f"(batch, time, {expected[0]}, {expected[1]}, 3) "
                f"(image_size={self.image_size}); got {tuple(frames_shape)}."
            )
        self.built = True

    def call(self, frames, training=None):
        frames = ops.cast(frames, self.compute_dtype)
        batch_size, num_frames = ops.shape(frames)[0], ops.shape(frames)[1]
        images = ops.reshape(frames, (-1, *self.image_size, 3))
        percepts = self.extractor(images, training=training)
        return {
            level: ops.reshape(
                percepts[level], (batch_size, num_frames, *self._percept_shapes[level])
            )
            for level in self.levels
        }

    def compute_output_shape(self, frames_shape):
        return {
            level: (frames_shape[0], frames_shape[1], *shape)
            for level, shape in self._percept_shapes.items()
        }

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "backbone": self.backbone,
                "levels": list(self.levels),
                "backbone_weights": self.backbone_weights,
                "image_size": list(self.image_size),
                "cross_modality": self.cross_modality,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # A config describes the layer, not its weights: a loaded model
        # restores them from its file right after, so do not download the
        # ImageNet weights (or read a local file that may be gone) here.
        return cls(**{**config, "backbone_weights": None})
