"""A LiteRT file's signatures reordered so that one of them is subgraph 0."""

# Operators whose options name other subgraphs by index: reordering would
# have to renumber them, and the streaming step (one frame, loops unrolled)
# has none, so a file that holds one is left as it is.
_SUBGRAPH_OPERATORS = ("WHILE", "IF", "CALL_ONCE")


def signature_subgraph_first(model_bytes, signature_key):
    """Returns the LiteRT flatbuffer with `signature_key`'s subgraph first.

    LiteRT's interpreter applies its default XNNPACK delegate to the
    primary subgraph (index 0) only, and the converter orders signatures by
    name, so in the streaming file `initial_state` (no operators) was
    accelerated and `stream` ran on the reference kernels: 93 ms against
    29 ms per frame for the benchmark's EfficientNetV2-B0 GRU-RCN on one
    core, outputs equal to 3e-9 (docs/decisions.md).

    Args:
        model_bytes: a `.tflite` model as bytes.
        signature_key: the signature whose subgraph becomes index 0.

    Returns:
        The reordered model as bytes (unchanged when it already comes
        first, or when an operator refers to subgraphs by index).
    """
    from tensorflow.lite.python import schema_py_generated as schema
    from tensorflow.lite.tools import flatbuffer_utils

    model = flatbuffer_utils.read_model_from_bytearray(bytearray(model_bytes))
    indices = {
        _text(signature.signatureKey): signature.subgraphIndex
        for signature in model.signatureDefs
    }
    first = indices[signature_key]
    subgraph_codes = {
        getattr(schema.BuiltinOperator, name) for name in _SUBGRAPH_OPERATORS
    }
    refers_to_subgraphs = any(
        max(code.builtinCode, code.deprecatedBuiltinCode) in subgraph_codes
        for code in model.operatorCodes
    )
    if first == 0 or refers_to_subgraphs:
        return model_bytes
    order = [first] + [index for index in range(len(model.subgraphs)) if index != first]
    new_index = {old: new for new, old in enumerate(order)}
    model.subgraphs = [model.subgraphs[index] for index in order]
    for signature in model.signatureDefs:
        signature.subgraphIndex = new_index[signature.subgraphIndex]
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))


def _text(name):
    return name.decode() if isinstance(name, bytes) else name
