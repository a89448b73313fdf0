import keras

from keras_grurcn.argument_checks import MAX_CHANNELS
from keras_grurcn.argument_checks import MAX_FRAMES
from keras_grurcn.argument_checks import MAX_IMAGE_SIZE
from keras_grurcn.argument_checks import check_positive_int


def check_percept_shapes(percept_shapes):
    """`{level: shape}` as tuples of ints, validated (maps or vectors)."""
    if not isinstance(percept_shapes, dict) or not percept_shapes:
        raise ValueError(
            "`percept_shapes` must be a non-empty dict {level: shape}, e.g. "
            "VideoPreprocessor(...).output_shapes; got "
            f"{percept_shapes!r}."
        )
    checked = {}
    for level, shape in percept_shapes.items():
        if not isinstance(level, str) or not level:
            raise ValueError(
                f"`percept_shapes`: level names are strings, got {level!r}."
            )
        try:
            shape = tuple(shape)
        except TypeError:
            shape = None
        if shape is None or len(shape) not in (1, 3):
            raise ValueError(
                f"`percept_shapes[{level!r}]` must be (rows, cols, channels) or "
                f"(units,), got {percept_shapes[level]!r}."
            )
        bounds = (MAX_CHANNELS,) if len(shape) == 1 else (MAX_IMAGE_SIZE,) * 2
        bounds += (MAX_CHANNELS,) if len(shape) == 3 else ()
        for size, maximum in zip(shape, bounds):
            check_positive_int(f"percept_shapes[{level!r}]", size, maximum=maximum)
        checked[level] = shape
    return checked


def percept_inputs(percept_shapes, num_frames):
    """One `keras.Input((num_frames, *shape), name=level)` per level."""
    num_frames = check_positive_int(
        "num_frames", num_frames, allow_none=True, maximum=MAX_FRAMES
    )
    return {
        level: keras.Input((num_frames, *shape), name=level)
        for level, shape in percept_shapes.items()
    }


def percept_shapes_config(percept_shapes):
    """`{level: [dims]}`: percept shapes as a backbone's JSON config keeps them."""
    return {level: list(shape) for level, shape in percept_shapes.items()}
