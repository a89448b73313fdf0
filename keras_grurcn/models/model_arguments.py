"""Validation and defaults of the arguments shared by the model builders.

Every builder reads its arguments through these helpers, so a bad value
raises the same kind of clear `ValueError` (naming the argument, what was
given and what is valid) whichever model is built.
"""

from keras_grurcn.percepts.backbones import get_backbone

INPUT_KINDS = ("frames", "percepts")

# The paper's hidden maps per VGG-16 level (Ballas et al., 2016, Sec. 4.1):
# half the percept's channels, at most 256, for the convolutional levels,
# and 512 units for fc7. `default_hidden_maps` applies the same rule to
# every backbone and level.
MAX_DEFAULT_MAPS = 256
DEFAULT_VECTOR_UNITS = 512


def check_choice(argument, value, choices):
    """Returns `value` if it is one of `choices`, else raises a ValueError."""
    if value not in choices:
        raise ValueError(
            f"Invalid `{argument}`: {value!r}. Valid choices: "
            f"{', '.join(repr(choice) for choice in choices)}."
        )
    return value


def check_num_classes(num_classes):
    """Returns `num_classes` as an int >= 2, else raises a ValueError."""
    if num_classes is None:
        raise ValueError(
            "`num_classes` is required for classification models (e.g. "
            "num_classes=101 for UCF-101)."
        )
    if isinstance(num_classes, bool) or not isinstance(num_classes, int):
        raise ValueError(f"`num_classes` must be an int >= 2, got {num_classes!r}.")
    if num_classes < 2:
        raise ValueError(f"`num_classes` must be an int >= 2, got {num_classes}.")
    return num_classes


def check_rate(argument, value):
    """Returns a rate in [0, 1) (dropout), else raises a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"`{argument}` must be a float in [0, 1), got {value!r}.")
    if not 0 <= value < 1:
        raise ValueError(f"`{argument}` must be a float in [0, 1), got {value}.")
    return float(value)


def check_positive_int(argument, value, allow_none=False):
    """Returns `value` if it is an int >= 1 (or None when allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        expected = "an int >= 1" + (" or None" if allow_none else "")
        raise ValueError(f"`{argument}` must be {expected}, got {value!r}.")
    return value


def check_image_size(image_size):
    """Returns `(height, width)` from an int or a pair, else raises."""
    if isinstance(image_size, int) and not isinstance(image_size, bool):
        return (image_size, image_size)
    try:
        height, width = image_size
    except (TypeError, ValueError):
        raise ValueError(
            f"`image_size` must be an int or (height, width), got {image_size!r}."
        ) from None
    check_positive_int("image_size", height)
    check_positive_int("image_size", width)
    return (height, width)


def resolve_levels(backbone, levels):
    """The requested level names of `backbone`, validated, shallow to deep."""
    return get_backbone(backbone).resolve_levels(levels)


def default_hidden_maps(backbone, level):
    """The paper's number of hidden maps (or units) for one level.

    VGG-16: pool2 64, pool3 128, pool4 256, pool5 256, fc7 512 (the
    paper's table); other levels and backbones follow the same rule: half
    the percept's channels, at most 256, or 512 units for a vector level.
    """
    percept_level = get_backbone(backbone).level(level)
    if percept_level.is_vector:
        return DEFAULT_VECTOR_UNITS
    return min(MAX_DEFAULT_MAPS, max(1, percept_level.channels // 2))


def resolve_hidden_maps(backbone, levels, hidden_maps):
    """Per-level hidden maps from None, an int, a list or a partial dict.

    Args:
        backbone: the backbone name.
        levels: the resolved level names, shallow to deep.
        hidden_maps: `None` (the paper's defaults), an int (every level),
            a list/tuple (one per level, in `levels` order) or a dict
            `{level: maps}` overriding the defaults of some levels.

    Returns:
        A dict `{level: int}` in `levels` order.
    """
    defaults = {level: default_hidden_maps(backbone, level) for level in levels}
    if hidden_maps is None:
        resolved = defaults
    elif isinstance(hidden_maps, int) and not isinstance(hidden_maps, bool):
        resolved = {level: hidden_maps for level in levels}
    elif isinstance(hidden_maps, dict):
        unknown = sorted(set(hidden_maps) - set(levels))
        if unknown:
            raise ValueError(
                f"`hidden_maps` names levels {unknown} that the model does not "
                f"use. Valid levels: {', '.join(levels)}."
            )
        resolved = {**defaults, **hidden_maps}
    elif isinstance(hidden_maps, (list, tuple)):
        if len(hidden_maps) != len(levels):
            raise ValueError(
                f"`hidden_maps` has {len(hidden_maps)} entries for "
                f"{len(levels)} levels {list(levels)}; give one per level, "
                "a dict {level: maps} or an int."
            )
        resolved = dict(zip(levels, hidden_maps))
    else:
        raise ValueError(
            "`hidden_maps` must be None, an int, a list (one per level) or a "
            f"dict {{level: maps}}; got {hidden_maps!r}."
        )
    for level, maps in resolved.items():
        check_positive_int(f"hidden_maps[{level!r}]", maps)
    return {level: resolved[level] for level in levels}


def pooling_ratio(backbone, lower_level, upper_level):
    """How much `upper_level`'s maps are smaller than `lower_level`'s.

    Returns:
        `(ratio, padding)` for a max pooling that maps the lower level's
        grid onto the upper one ("valid" for backbones that floor odd
        sizes, "same" for those that round up), or `None` when the upper
        level is a vector (pool globally).
    """
    spec = get_backbone(backbone)
    lower, upper = spec.level(lower_level), spec.level(upper_level)
    if upper.is_vector:
        return None
    ratio = upper.stride // lower.stride
    padding = "valid" if spec.spatial_rounding == "floor" else "same"
    return max(1, ratio), padding
