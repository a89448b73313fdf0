"""What a preprocessor's input frames are: RGB video, or optical-flow images.

A two-stream model's flow stream reads images that encode optical flow
(`keras_grurcn.data.flow_images`); OpenCV's flow algorithms cannot run in a
model's graph, so the flow is computed beside the model, by the package's
one function, and the preprocessor records how (method and bound), for the
percept cache, `grurcn predict` and SavedModel clients to compute it the
same way. Pure data: the flow code itself is in `keras_grurcn.data`.
"""

import math

MODALITIES = ("rgb", "flow")
FLOW_METHODS = ("farneback", "tvl1")
# The displacement (pixels, at the model's image size) mapped to the ends of
# the 0..255 range: the two-stream convention at 224-256 pixels.
DEFAULT_FLOW_BOUND = 20.0
# Far above any useful bound (a displacement larger than any frame).
MAX_FLOW_BOUND = 8192.0


def check_input_modality(modality, flow_method=None, flow_bound=None):
    """`(modality, flow_method, flow_bound)`, validated, with flow's defaults.

    RGB inputs have no flow settings (both `None`); flow inputs get
    `"farneback"` and `DEFAULT_FLOW_BOUND` when they are not given.

    Examples:

    ```python
    keras_grurcn.preprocessing.check_input_modality("flow")
    # ('flow', 'farneback', 20.0)
    ```
    """
    if modality not in MODALITIES:
        raise ValueError(
            f"Invalid `modality`: {modality!r}. Valid choices: 'rgb' (video "
            "frames) or 'flow' (optical-flow images)."
        )
    if modality == "rgb":
        if flow_method is not None or flow_bound is not None:
            raise ValueError(
                "`flow_method` and `flow_bound` describe optical-flow inputs; "
                "pass modality='flow' or leave them None."
            )
        return modality, None, None
    flow_method = "farneback" if flow_method is None else flow_method
    if flow_method not in FLOW_METHODS:
        raise ValueError(
            f"Invalid `flow_method`: {flow_method!r}. Valid choices: "
            f"{', '.join(repr(method) for method in FLOW_METHODS)}."
        )
    flow_bound = DEFAULT_FLOW_BOUND if flow_bound is None else flow_bound
    if (
        isinstance(flow_bound, bool)
        or not isinstance(flow_bound, (int, float))
        or not math.isfinite(flow_bound)
        or not 0 < flow_bound <= MAX_FLOW_BOUND
    ):
        raise ValueError(
            f"`flow_bound` must be a number of pixels in (0, {MAX_FLOW_BOUND:g}], "
            f"got {flow_bound!r}."
        )
    return modality, flow_method, float(flow_bound)
