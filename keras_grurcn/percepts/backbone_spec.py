import dataclasses
import math

from keras_grurcn.percepts.percept_level import PerceptLevel


@dataclasses.dataclass(frozen=True)
class BackboneSpec:
    """What keras_grurcn knows about one `keras.applications` backbone.

    Args:
        name: the registry key (`"vgg16"`).
        application: the name of the `keras.applications` constructor
            (`"VGG16"`).
        levels: every `PerceptLevel` the backbone offers, shallow to deep.
        default_levels: the level names used when none are requested.
        preprocessing: the `BackbonePreprocessing` mode that maps RGB images
            in `[0, 255]` to the backbone's input (`"caffe"`, or `"none"`
            when the application preprocesses inside the model).
        spatial_rounding: `"floor"` when the backbone downsamples with valid
            2x2 pooling (odd sizes lose a row), `"ceil"` when it uses "same"
            or padded strided convolutions.
        default_image_size: the image size of the ImageNet weights with the
            fully-connected top; a level that needs the top
            (`application_kwargs={"include_top": True}`) requires it with
            ImageNet weights.
        min_image_size: the smallest height/width the application accepts.
        notes: how the levels relate to the paper.

    Examples:

    ```python
    spec = keras_grurcn.percepts.get_backbone("vgg16")
    spec.level("pool3").layer_name  # "block3_pool"
    ```
    """

    name: str
    application: str
    levels: tuple[PerceptLevel, ...]
    default_levels: tuple[str, ...]
    preprocessing: str
    spatial_rounding: str = "ceil"
    default_image_size: int = 224
    min_image_size: int = 32
    notes: str = ""

    @property
    def level_names(self):
        return tuple(level.name for level in self.levels)

    def level(self, name):
        for level in self.levels:
            if level.name == name:
                return level
        raise ValueError(
            f"Unknown percept level {name!r} for backbone {self.name!r}. "
            f"Valid levels: {', '.join(self.level_names)}."
        )

    def resolve_levels(self, levels=None):
        """Returns the requested level names, validated, shallow to deep."""
        if levels is None:
            return tuple(self.default_levels)
        if isinstance(levels, str):
            levels = (levels,)
        levels = tuple(levels)
        if not levels:
            raise ValueError(
                f"`levels` is empty for backbone {self.name!r}; pass None for "
                f"the defaults {self.default_levels} or some of: "
                f"{', '.join(self.level_names)}."
            )
        for name in levels:
            self.level(name)
        if len(set(levels)) != len(levels):
            raise ValueError(f"`levels` has duplicates: {levels}.")
        return tuple(name for name in self.level_names if name in levels)

    def check_image_size(self, image_size):
        """Returns `image_size` as `(height, width)` ints, or raises."""
        try:
            height, width = (int(size) for size in image_size)
        except (TypeError, ValueError):
            raise ValueError(
                f"`image_size` must be (height, width), got {image_size!r}."
            ) from None
        if min(height, width) < self.min_image_size:
            raise ValueError(
                f"`image_size` {image_size!r} is too small for backbone "
                f"{self.name!r}: height and width must be at least "
                f"{self.min_image_size}."
            )
        return height, width

    def level_shape(self, name, image_size):
        """The shape of one level's percept without batch/time axes."""
        level = self.level(name)
        if level.is_vector:
            return (level.channels,)
        rounding = math.floor if self.spatial_rounding == "floor" else math.ceil
        height, width = image_size
        return (
            rounding(height / level.stride),
            rounding(width / level.stride),
            level.channels,
        )
