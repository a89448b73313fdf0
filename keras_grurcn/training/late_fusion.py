"""Late fusion of two streams: the flow weight chosen on validation videos."""

import numpy as np

# Flow weights tried by `choose_flow_weight`: 0, 0.05, ..., 1.
FLOW_WEIGHT_GRID = tuple(round(0.05 * step, 2) for step in range(21))


def fused_probabilities(rgb, flow, flow_weight):
    """`(1 - w) * rgb + w * flow`: `StreamFusion`'s average, in NumPy."""
    return (1.0 - flow_weight) * np.asarray(rgb) + flow_weight * np.asarray(flow)


def choose_flow_weight(rgb, flow, labels, candidates=FLOW_WEIGHT_GRID):
    """The flow weight whose fused predictions are best on validation videos.

    The paper fuses its RGB and flow streams by a weighted average of their
    softmax outputs (Ballas et al., 2016, Sec. 4.1; the weight is not
    reported). Each candidate weight is scored by the top-1 accuracy of the
    fused probabilities; ties (common on small validation sets) go to the
    lower cross-entropy, then to the weight nearer 0.5.

    Args:
        rgb: the RGB stream's class probabilities `[videos, classes]`.
        flow: the flow stream's, for the same videos in the same order.
        labels: int `[videos]`.
        candidates: the flow weights to try, each in [0, 1].

    Returns:
        `(flow_weight, table)`: the chosen weight, and per candidate
        `{"flow_weight", "accuracy", "loss"}`.

    Examples:

    ```python
    rgb = np.array([[0.9, 0.1], [0.6, 0.4], [0.6, 0.4]])
    flow = np.array([[0.2, 0.8], [0.1, 0.9], [0.3, 0.7]])
    weight, table = keras_grurcn.training.choose_flow_weight(rgb, flow, [0, 1, 1])
    weight  # 0.5: 0.35 to 0.55 get all three right, 0.5 at the lowest loss
    ```
    """
    rgb, flow = np.asarray(rgb, np.float64), np.asarray(flow, np.float64)
    labels = np.asarray(labels, np.int64)
    if rgb.shape != flow.shape or rgb.ndim != 2 or len(labels) != len(rgb):
        raise ValueError(
            "choose_flow_weight: expected rgb and flow probabilities [videos, "
            f"classes] and labels [videos]; got {rgb.shape}, {flow.shape} and "
            f"{labels.shape}."
        )
    if not len(labels):
        raise ValueError("choose_flow_weight: no validation video to choose on.")
    table = []
    for weight in candidates:
        if not 0 <= weight <= 1:
            raise ValueError(f"choose_flow_weight: weight {weight} is not in [0, 1].")
        fused = fused_probabilities(rgb, flow, weight)
        chosen = fused[np.arange(len(labels)), labels]
        table.append(
            {
                "flow_weight": float(weight),
                "accuracy": float(np.mean(fused.argmax(axis=-1) == labels)),
                "loss": float(-np.mean(np.log(np.clip(chosen, 1e-7, 1.0)))),
            }
        )
    best = min(
        table,
        key=lambda row: (-row["accuracy"], row["loss"], abs(row["flow_weight"] - 0.5)),
    )
    return best["flow_weight"], table
