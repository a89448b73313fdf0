"""`export_onnx`: the whole-clip classifier as ONNX, run by onnxruntime
where `keras_grurcn` cannot be imported and checked against Keras."""

import json

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn import compat
from keras_grurcn.export import export_onnx
from tests.export.conftest import CLASS_NAMES
from tests.export.without_package import run_without_package

# Unrolled ConvGRUs with bottom-up links, a Bidirectional wrapper, an
# LSTM, 3D convolutions and two inputs: the loops and layers of the zoo.
ONNX_MODELS = {
    "grurcn_stacked": dict(levels=["pool2", "pool3"], hidden_maps=2),
    "grurcn_bidirectional": dict(levels=["pool3"], hidden_maps=2),
    "frame_rnn": dict(level="pool5", rnn="lstm", units=4),
    "c3d": dict(width=2, fc_units=8),
    "two_stream": dict(levels=["pool3"], hidden_maps=2, flow_weight=0.6),
}
CLIP_LENGTHS = (4, 7)  # the model's, and a longer video sampled in the graph

ONNX_SCRIPT = """
import json

import numpy as np
import onnxruntime

models, inputs_dir, output_dir = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
for kind, path in models.items():
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    names = [tensor.name for tensor in session.get_inputs()]
    results = {"input_names": np.array(names)}
    for length in (4, 7):
        inputs = {name: np.load(f"{inputs_dir}/{name}_{length}.npy") for name in names}
        probabilities, labels = session.run(["probabilities", "labels"], inputs)
        results[f"probabilities_{length}"] = probabilities
        results[f"labels_{length}"] = np.asarray(labels).astype(str)
    np.savez(f"{output_dir}/{kind}.npz", **results)
"""


def build(name):
    keras.utils.set_random_seed(0)
    arguments = dict(class_names=CLASS_NAMES, num_frames=4, image_size=32)
    if name != "c3d":
        arguments["backbone_weights"] = None
    return keras_grurcn.build_model(name, **arguments, **ONNX_MODELS[name])


def videos(length, seed):
    rng = np.random.default_rng(seed)
    return {
        name: rng.integers(0, 256, (2, length, 32, 32, 3), "uint8")
        for name in ("frames", "rgb", "flow")
    }


@pytest.fixture(scope="module")
def onnx_runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("onnx")
    inputs = {length: videos(length, seed=length) for length in CLIP_LENGTHS}
    for length, arrays in inputs.items():
        for name, array in arrays.items():
            np.save(folder / f"{name}_{length}.npy", array)
    tasks, paths = {}, {}
    for name in ONNX_MODELS:
        tasks[name] = build(name)
        paths[name] = export_onnx(tasks[name], folder / f"{name}.onnx")
    run_without_package(
        ONNX_SCRIPT, json.dumps(paths), folder, folder, cwd=folder, timeout=600
    )
    outputs = {name: dict(np.load(folder / f"{name}.npz")) for name in ONNX_MODELS}
    return tasks, inputs, outputs


def keras_inputs(task, arrays):
    if isinstance(task, keras_grurcn.models.TwoStreamVideoClassifier):
        return {"rgb": arrays["rgb"], "flow": arrays["flow"]}
    return arrays["frames"]


@pytest.mark.parametrize("name", list(ONNX_MODELS))
@pytest.mark.parametrize("length", CLIP_LENGTHS)
def test_onnxruntime_matches_keras(name, length, onnx_runs):
    tasks, inputs, outputs = onnx_runs
    task = tasks[name]
    expected = task.predict(keras_inputs(task, inputs[length]), verbose=0)
    np.testing.assert_allclose(
        outputs[name][f"probabilities_{length}"], expected, atol=1e-4
    )
    best_first = np.argsort(-expected, axis=1)
    assert (
        outputs[name][f"labels_{length}"] == np.asarray(CLASS_NAMES)[best_first]
    ).all()


def test_inputs_are_named_as_in_the_saved_model(onnx_runs):
    _, _, outputs = onnx_runs
    assert list(outputs["grurcn_stacked"]["input_names"]) == ["frames"]
    assert sorted(outputs["two_stream"]["input_names"]) == ["flow", "rgb"]


def test_the_time_loops_are_restored_after_the_conversion(onnx_runs):
    tasks, _, _ = onnx_runs
    recurrent = [
        layer
        for layer in compat.nested_layers(tasks["grurcn_bidirectional"])
        if isinstance(layer, keras.layers.RNN)
    ]
    assert recurrent and not any(layer.unroll for layer in recurrent)


def test_a_camera_frame_size_is_resized_inside(tmp_path):
    import onnxruntime

    task = build("grurcn_stacked")
    path = export_onnx(task, tmp_path / "camera.onnx", frame_size=(40, 48))
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    assert session.get_inputs()[0].shape[2:] == [40, 48, 3]
    clip = np.random.default_rng(2).integers(0, 256, (2, 5, 40, 48, 3), "uint8")
    (probabilities,) = session.run(["probabilities"], {"frames": clip})
    np.testing.assert_allclose(probabilities, task.predict(clip, verbose=0), atol=1e-4)


def test_a_model_of_any_clip_length_is_refused(tmp_path):
    task = keras_grurcn.build_model(
        "grurcn",
        class_names=CLASS_NAMES,
        backbone_weights=None,
        num_frames=None,
        image_size=32,
        levels=["pool2"],
        hidden_maps=2,
    )
    with pytest.raises(ValueError, match="num_frames=None"):
        export_onnx(task, tmp_path / "model.onnx")
    assert not list(tmp_path.iterdir())
