"""Checks of the arguments that layers, preprocessors and models share.

Every constructor reads its arguments through these helpers, so a bad
value (typed by a user, or read from a preset or `.keras` file) raises the
same kind of clear `ValueError`, naming the argument, what was given and
what is valid, before anything is allocated.
"""

# Bounds far above any real video model; a value beyond them is a typo or
# a hostile config, and would otherwise allocate gigabytes.
MAX_IMAGE_SIZE = 8192
MAX_FRAMES = 100_000
MAX_CHANNELS = 65_536


def check_choice(argument, value, choices):
    """Returns `value` if it is one of `choices`, else raises a ValueError."""
    if value not in choices:
        raise ValueError(
            f"Invalid `{argument}`: {value!r}. Valid choices: "
            f"{', '.join(repr(choice) for choice in choices)}."
        )
    return value


def check_rate(argument, value):
    """Returns a rate in [0, 1) (dropout), else raises a ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"`{argument}` must be a float in [0, 1), got {value!r}.")
    if not 0 <= value < 1:
        raise ValueError(f"`{argument}` must be a float in [0, 1), got {value}.")
    return float(value)


def check_positive_int(argument, value, allow_none=False, maximum=None):
    """Returns `value` if it is an int in [1, maximum] (or None when allowed)."""
    if value is None and allow_none:
        return None
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < 1
        or (maximum is not None and value > maximum)
    ):
        expected = "an int >= 1"
        if maximum is not None:
            expected = f"an int in [1, {maximum}]"
        expected += " or None" if allow_none else ""
        raise ValueError(f"`{argument}` must be {expected}, got {value!r}.")
    return value


def check_image_size(image_size):
    """Returns `(height, width)` from an int or a pair, else raises."""
    if isinstance(image_size, int) and not isinstance(image_size, bool):
        image_size = (image_size, image_size)
    try:
        height, width = image_size
    except (TypeError, ValueError):
        raise ValueError(
            f"`image_size` must be an int or (height, width), got {image_size!r}."
        ) from None
    check_positive_int("image_size", height, maximum=MAX_IMAGE_SIZE)
    check_positive_int("image_size", width, maximum=MAX_IMAGE_SIZE)
    return (height, width)
