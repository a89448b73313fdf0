"""Argument checks and shape arithmetic shared by the convolutional layers.

Kept in the package rather than imported from `keras.src` so that the
public layers depend only on Keras' public API (plus the RNN loop).
"""

import keras


def normalize_tuple(value, rank, name, min_value=1):
    """Turns an int or a sequence into a tuple of `rank` ints, checking it.

    Raises a `ValueError` that names the argument when the value has the
    wrong length, is not made of ints, or holds a value below `min_value`.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        result = (value,) * rank
    else:
        try:
            result = tuple(value)
        except TypeError:
            raise ValueError(
                f"`{name}` must be an int or a tuple of {rank} ints. "
                f"Received: {name}={value!r}"
            ) from None
    if len(result) != rank or not all(
        isinstance(v, int) and not isinstance(v, bool) for v in result
    ):
        raise ValueError(
            f"`{name}` must be an int or a tuple of {rank} ints. "
            f"Received: {name}={value!r}"
        )
    if any(v < min_value for v in result):
        raise ValueError(
            f"Every value of `{name}` must be >= {min_value}. "
            f"Received: {name}={value!r}"
        )
    return result


def normalize_padding(padding):
    """Returns "valid" or "same" (lower case) or raises a `ValueError`."""
    normalized = padding.lower() if isinstance(padding, str) else padding
    if normalized not in ("valid", "same"):
        raise ValueError(
            f"`padding` must be one of 'valid' or 'same'. Received: padding={padding!r}"
        )
    return normalized


def normalize_data_format(data_format):
    """Returns "channels_last"/"channels_first"; `None` means the Keras default."""
    if data_format is None:
        data_format = keras.config.image_data_format()
    normalized = data_format.lower() if isinstance(data_format, str) else None
    if normalized not in ("channels_last", "channels_first"):
        raise ValueError(
            "`data_format` must be 'channels_last' or 'channels_first'. "
            f"Received: data_format={data_format!r}"
        )
    return normalized


def conv_output_length(length, kernel_size, padding, stride, dilation):
    """Length of one spatial axis after a convolution (`None` stays `None`)."""
    if length is None:
        return None
    effective_kernel = (kernel_size - 1) * dilation + 1
    if padding == "same":
        return (length + stride - 1) // stride
    return (length - effective_kernel + stride) // stride
