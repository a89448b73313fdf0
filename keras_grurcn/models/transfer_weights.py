def transfer_weights(source, target):
    """Copies weights between two models layer by layer, matched by name.

    The zoo builds the same encoder and head layers (same names) whether a
    model reads frames or cached percepts, so a model trained on a percept
    cache can be turned into the end-to-end frames model to export:
    build the frames variant, then `transfer_weights(trained, frames_model)`.
    Layers of `target` absent from `source` (the frames model's backbone)
    keep their weights.

    Args:
        source: the trained `keras.Model`.
        target: a built `keras.Model` sharing layer names with `source`.

    Returns:
        The names of the layers whose weights were copied.

    Raises:
        ValueError: when no layer with weights matches, or when a matched
            layer's weight shapes differ.

    Examples:

    ```python
    percepts_model = keras_grurcn.build_model(
        "grurcn", inputs="percepts", num_classes=4, levels=["pool2"],
        hidden_maps=[8], backbone_weights=None, num_frames=4,
        image_size=(32, 32),
    )
    frames_model = keras_grurcn.build_model(
        "grurcn", inputs="frames", num_classes=4, levels=["pool2"],
        hidden_maps=[8], backbone_weights=None, num_frames=4,
        image_size=(32, 32),
    )
    keras_grurcn.models.transfer_weights(percepts_model, frames_model)
    ```
    """
    source_layers = {layer.name: layer for layer in source.layers if layer.weights}
    copied = []
    for layer in target.layers:
        match = source_layers.get(layer.name)
        if match is None or not layer.weights:
            continue
        source_shapes = [tuple(w.shape) for w in match.weights]
        target_shapes = [tuple(w.shape) for w in layer.weights]
        if source_shapes != target_shapes:
            raise ValueError(
                f"transfer_weights: layer {layer.name!r} has weights "
                f"{target_shapes} in the target but {source_shapes} in the source."
            )
        layer.set_weights(match.get_weights())
        copied.append(layer.name)
    if not copied:
        raise ValueError(
            "transfer_weights: no layer with weights shares its name between "
            f"{source.name!r} and {target.name!r}."
        )
    return copied
