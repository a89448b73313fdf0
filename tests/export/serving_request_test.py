"""The requests docs/serving.md shows are accepted by the exported signature.

TF Serving itself cannot be installed here; its REST API turns a JSON body
into the signature's input tensors (row format: one instance per example,
stacked into the batch; columnar format: the named input's value) and its
gRPC API receives a `TensorProto`. These tests do the same conversions on
the bodies and code in the docs and run the exported signature on them.
"""

import json
import os
import re

import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.framework import tensor_pb2

from tests.export.conftest import CLASS_NAMES

DOCS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "docs", "serving.md"
)
GRPC_INPUT_LINE = (
    'request.inputs["frames"].CopyFrom(tf.make_tensor_proto(frames, dtype=tf.uint8))'
)


@pytest.fixture(scope="module")
def docs():
    with open(DOCS) as file:
        return file.read()


@pytest.fixture(scope="module")
def signature(export_dir):
    return tf.saved_model.load(export_dir).signatures["serving_default"]


def json_request_bodies(text):
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]


def rest_to_input_tensor(body, signature):
    """TF Serving's REST conversion for a signature with one input."""
    ((input_name, spec),) = signature.structured_input_signature[1].items()
    assert body.get("signature_name", "serving_default") == "serving_default"
    if "instances" in body:
        instances = body["instances"]
        if isinstance(instances[0], dict):
            instances = [instance[input_name] for instance in instances]
        values = np.stack([np.asarray(instance) for instance in instances])
    else:
        inputs = body["inputs"]
        values = np.asarray(inputs[input_name] if isinstance(inputs, dict) else inputs)
    assert values.min() >= 0 and values.max() <= 255, "uint8 values expected"
    tensor = tf.constant(values, dtype=spec.dtype)
    assert spec.is_compatible_with(tensor), (spec, tensor.shape)
    return {input_name: tensor}


def test_docs_show_a_row_and_a_columnar_request(docs):
    bodies = json_request_bodies(docs)
    assert [("instances" in body, "inputs" in body) for body in bodies] == [
        (True, False),
        (False, True),
    ]
    assert "/v1/models/grurcn:predict" in docs
    assert 'name: "grurcn"' in docs
    assert GRPC_INPUT_LINE in docs


@pytest.mark.parametrize("request_format", ["instances", "inputs"])
def test_rest_request_from_the_docs_is_accepted(docs, signature, request_format):
    (body,) = [body for body in json_request_bodies(docs) if request_format in body]
    outputs = signature(**rest_to_input_tensor(body, signature))
    assert outputs["probabilities"].shape == (1, len(CLASS_NAMES))
    assert sorted(outputs["labels"].numpy().astype(str)[0]) == sorted(CLASS_NAMES)
    # The answer serialises to the JSON the docs show (one object per video).
    answer = {
        "predictions": [
            {
                "probabilities": outputs["probabilities"].numpy()[0].tolist(),
                "labels": outputs["labels"].numpy().astype(str)[0].tolist(),
            }
        ]
    }
    assert json.loads(json.dumps(answer))["predictions"][0]["labels"][0] in CLASS_NAMES


def test_both_rest_formats_give_the_same_prediction(docs, signature):
    row, columnar = json_request_bodies(docs)
    row_outputs = signature(**rest_to_input_tensor(row, signature))
    columnar_outputs = signature(**rest_to_input_tensor(columnar, signature))
    np.testing.assert_array_equal(
        row_outputs["probabilities"], columnar_outputs["probabilities"]
    )


def test_grpc_request_built_as_in_the_docs_is_accepted(signature):
    frames = np.random.default_rng(0).integers(0, 256, (1, 6, 36, 48, 3))
    frames = frames.astype("uint8")
    tensor = tf.make_tensor_proto(frames, dtype=tf.uint8)
    try:
        from tensorflow_serving.apis import predict_pb2
    except ImportError:
        # tensorflow-serving-api is an optional client dependency (its wheel
        # pulls in the full `tensorflow`); the request's input is this
        # TensorProto either way, so check its wire round trip alone.
        received = tensor_pb2.TensorProto.FromString(tensor.SerializeToString())
    else:
        request = predict_pb2.PredictRequest()
        request.model_spec.name = "grurcn"
        request.model_spec.signature_name = "serving_default"
        request.inputs["frames"].CopyFrom(tensor)
        request = predict_pb2.PredictRequest.FromString(request.SerializeToString())
        received = request.inputs["frames"]
    outputs = signature(frames=tf.constant(tf.make_ndarray(received)))
    assert outputs["probabilities"].shape == (1, len(CLASS_NAMES))
    np.testing.assert_array_equal(
        outputs["probabilities"], signature(frames=tf.constant(frames))["probabilities"]
    )
