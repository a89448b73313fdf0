import dataclasses


@dataclasses.dataclass(frozen=True)
class PerceptLevel:
    """One level of a backbone at which percepts are read.

    A level names a layer of a `keras.applications` model and says how its
    output shape follows from the image size, so percept shapes are known
    without building the backbone (see `keras_grurcn.percepts.percept_shapes`).

    Args:
        name: the level's name in keras_grurcn (`"pool3"`), the key of the
            percept in the extractor's output dict.
        layer_name: the name of the layer in the `keras.applications` model
            whose output is the percept (`"block3_pool"`).
        channels: the number of channels (or units, for a vector level).
        stride: how much smaller than the image the percept map is, or
            `None` for a vector level (fully connected or globally pooled).
        application_kwargs: extra arguments the `keras.applications`
            constructor needs for this level to exist, e.g.
            `{"include_top": True}` for VGG-16's fc7.
        description: a short human-readable note (shape at 224x224 and
            what the level is).

    Examples:

    ```python
    level = keras_grurcn.percepts.PerceptLevel(
        "pool3", "block3_pool", channels=256, stride=8
    )
    level.is_vector  # False
    ```
    """

    name: str
    layer_name: str
    channels: int
    stride: int | None = None
    application_kwargs: dict = dataclasses.field(default_factory=dict, hash=False)
    description: str = ""

    @property
    def is_vector(self):
        return self.stride is None
