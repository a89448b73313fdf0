"""`export_litert`: the streaming step as a .tflite file, builtin ops only,
run by `ai_edge_litert` where `keras_grurcn` cannot be imported and
checked against the SavedModel."""

import json

import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.export import export_litert
from tests.export.conftest import CLASS_NAMES
from tests.export.conftest import STREAM_FRAMES
from tests.export.without_package import run_without_package

# Kinds with map states, two states per level (LSTM) and a running mean,
# at the model's frame size; and one for a camera's frames, resized inside.
LITERT_KINDS = ("grurcn_stacked", "frame_rnn_lstm", "frame_average", "grurcn")
CAMERA_FRAME_SIZE = {"grurcn": (40, 48)}

# The .tflite streamed frame by frame, the SavedModel's serving_default on
# the whole clip, in one process with LiteRT and TensorFlow only.
LITERT_SCRIPT = """
import json

import numpy as np
import tensorflow as tf
from ai_edge_litert import schema_py_generated as schema
from ai_edge_litert.interpreter import Interpreter


def operators(tflite_path):
    # (builtin operator, custom code) of every operator the file uses.
    with open(tflite_path, "rb") as file:
        model = schema.Model.GetRootAsModel(file.read(), 0)
    builtins = {
        code: name
        for name, code in vars(schema.BuiltinOperator).items()
        if not name.startswith("_")
    }
    used = set()
    for index in range(model.OperatorCodesLength()):
        code = model.OperatorCodes(index)
        builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
        custom = code.CustomCode()
        used.add((builtins[builtin], custom.decode() if custom else ""))
    return sorted(used)


def subgraph_of(tflite_path, signature_key):
    with open(tflite_path, "rb") as file:
        model = schema.Model.GetRootAsModel(file.read(), 0)
    for index in range(model.SignatureDefsLength()):
        signature = model.SignatureDefs(index)
        if signature.SignatureKey().decode() == signature_key:
            return signature.SubgraphIndex()


models, output_dir = json.loads(sys.argv[1]), sys.argv[2]
for kind, (tflite_path, export_dir, frames_path) in models.items():
    frames = np.load(frames_path)
    interpreter = Interpreter(model_path=tflite_path)
    states = interpreter.get_signature_runner("initial_state")(frame=frames[:1, 0])
    states = {name: value.copy() for name, value in states.items()}
    stream = interpreter.get_signature_runner("stream")
    running = []
    for index in range(frames.shape[1]):
        outputs = stream(frame=frames[:1, index], **states)
        # The runner's outputs are views of the interpreter's buffers.
        states = {name: outputs[name].copy() for name in states}
        running.append(outputs["probabilities"].copy())
    served = tf.saved_model.load(export_dir).signatures["serving_default"]
    whole = served(frames=tf.constant(frames[:1]))["probabilities"].numpy()
    np.savez(
        f"{output_dir}/{kind}.npz",
        running=np.stack(running, axis=1),
        whole=whole,
        labels=outputs["labels"].astype(str),
        operators=np.array(operators(tflite_path)),
        stream_subgraph=subgraph_of(tflite_path, "stream"),
        signatures=np.array(json.dumps(interpreter.get_signature_list())),
        frame_shape=stream.get_input_details()["frame"]["shape"],
    )
"""


@pytest.fixture(scope="module")
def litert_outputs(streamable_exports, tmp_path_factory):
    folder = tmp_path_factory.mktemp("litert")
    rng = np.random.default_rng(5)
    models = {}
    for kind in LITERT_KINDS:
        task, export_dir = streamable_exports[kind]
        frame_size = CAMERA_FRAME_SIZE.get(kind)
        shape = (1, STREAM_FRAMES, *(frame_size or (32, 32)), 3)
        np.save(folder / f"{kind}_frames.npy", rng.integers(0, 256, shape, "uint8"))
        path = export_litert(task, folder / f"{kind}.tflite", frame_size=frame_size)
        models[kind] = (path, export_dir, str(folder / f"{kind}_frames.npy"))
    run_without_package(
        LITERT_SCRIPT, json.dumps(models), folder, cwd=folder, timeout=600
    )
    return {kind: dict(np.load(folder / f"{kind}.npz")) for kind in LITERT_KINDS}


@pytest.mark.parametrize("kind", LITERT_KINDS)
def test_litert_stream_matches_the_saved_model(kind, litert_outputs):
    outputs = litert_outputs[kind]
    np.testing.assert_allclose(outputs["running"][:, -1], outputs["whole"], atol=1e-4)
    best = int(np.argmax(outputs["whole"][0]))
    assert outputs["labels"][0][0] == CLASS_NAMES[best]


@pytest.mark.parametrize("kind", LITERT_KINDS)
def test_litert_uses_builtin_operators_only(kind, litert_outputs):
    operators = [tuple(row) for row in litert_outputs[kind]["operators"]]
    assert ("CONV_2D", "") in operators or ("FULLY_CONNECTED", "") in operators
    # A Flex (TensorFlow) or other custom operator is "CUSTOM" with a code.
    assert [row for row in operators if row[0] == "CUSTOM" or row[1]] == []


@pytest.mark.parametrize("kind", LITERT_KINDS)
def test_stream_is_the_primary_subgraph_xnnpack_accelerates(kind, litert_outputs):
    # LiteRT delegates subgraph 0 only; the converter put `initial_state` there.
    assert litert_outputs[kind]["stream_subgraph"] == 0


def test_a_camera_frame_size_is_the_input_shape(litert_outputs):
    signatures = json.loads(str(litert_outputs["grurcn"]["signatures"]))
    assert "frame" in signatures["stream"]["inputs"]
    assert litert_outputs["grurcn"]["frame_shape"].tolist() == [1, 40, 48, 3]


def test_litert_signatures_are_the_saved_models(litert_outputs):
    signatures = json.loads(str(litert_outputs["frame_rnn_lstm"]["signatures"]))
    assert sorted(signatures) == ["initial_state", "stream"]
    assert sorted(signatures["stream"]["inputs"]) == [
        "frame",
        "pool5_cell",
        "pool5_hidden",
    ]
    assert sorted(signatures["stream"]["outputs"]) == [
        "labels",
        "pool5_cell",
        "pool5_hidden",
        "probabilities",
    ]


def test_what_cannot_stream_is_refused_with_the_reason(tmp_path):
    task = keras_grurcn.build_model(
        "grurcn_bidirectional",
        class_names=CLASS_NAMES,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool2"],
        hidden_maps=2,
    )
    with pytest.raises(ValueError, match="export_litert: .* backward GRU-RCNs"):
        export_litert(task, tmp_path / "model.tflite")
    assert not list(tmp_path.iterdir())


def test_an_existing_file_is_kept_unless_overwrite(streamable_exports, tmp_path):
    task, _ = streamable_exports["frame_rnn"]
    path = tmp_path / "model.tflite"
    path.write_bytes(b"old")
    with pytest.raises(FileExistsError, match="already exists"):
        export_litert(task, path)
    assert path.read_bytes() == b"old"
    export_litert(task, path, overwrite=True)
    assert path.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == ["model.tflite"]
