"""The SavedModel's `initial_state` and `stream` signatures, for every kind
of model that streams, served where `keras_grurcn` cannot be imported."""

import numpy as np
import pytest
import tensorflow as tf

import keras_grurcn
from keras_grurcn.export import export_saved_model
from tests.export.conftest import CLASS_NAMES
from tests.export.conftest import STREAM_FRAMES
from tests.export.conftest import STREAMABLE
from tests.export.without_package import run_without_package

# For each SavedModel: the whole clip through serving_default, then the
# same frames one at a time through initial_state and stream.
STREAMING_SCRIPT = """
import json

import numpy as np
import tensorflow as tf

exports, frames_path, output_dir = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
frames = np.load(frames_path)
for kind, export_dir in exports.items():
    signatures = tf.saved_model.load(export_dir).signatures
    whole = signatures["serving_default"](frames=tf.constant(frames))
    states = signatures["initial_state"](frame=tf.constant(frames[:, 0]))
    running, state_names = [], sorted(states)
    for index in range(frames.shape[1]):
        outputs = signatures["stream"](frame=tf.constant(frames[:, index]), **states)
        states = {name: outputs[name] for name in state_names}
        running.append(outputs["probabilities"].numpy())
    np.savez(
        f"{output_dir}/{kind}.npz",
        whole=whole["probabilities"].numpy(),
        running=np.stack(running, axis=1),
        labels=outputs["labels"].numpy().astype(str),
        state_names=np.array(state_names),
    )
"""


def random_frames(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("uint8")


@pytest.fixture(scope="module")
def frames():
    # The model's clip length (no resampling), frames of another size (the
    # stream resizes each one as serving_default resizes the clip).
    return random_frames((2, STREAM_FRAMES, 40, 48, 3), seed=3)


@pytest.fixture(scope="module")
def served(streamable_exports, frames, tmp_path_factory):
    """`{kind: outputs}` of a process that cannot import keras_grurcn."""
    import json

    folder = tmp_path_factory.mktemp("streamed")
    np.save(folder / "frames.npy", frames)
    exports = {kind: str(path) for kind, (_, path) in streamable_exports.items()}
    run_without_package(
        STREAMING_SCRIPT,
        json.dumps(exports),
        folder / "frames.npy",
        folder,
        cwd=folder,
        timeout=600,
    )
    return {kind: dict(np.load(folder / f"{kind}.npz")) for kind in exports}


@pytest.mark.parametrize("kind", list(STREAMABLE))
def test_after_the_last_frame_stream_equals_serving_default(kind, served):
    outputs = served[kind]
    np.testing.assert_allclose(outputs["running"][:, -1], outputs["whole"], atol=1e-5)
    best_first = np.argsort(-outputs["running"][:, -1], axis=1)
    assert (outputs["labels"] == np.asarray(CLASS_NAMES)[best_first]).all()


@pytest.mark.parametrize("kind", list(STREAMABLE))
def test_served_stream_equals_the_task_in_process(
    kind, served, streamable_exports, frames
):
    task, _ = streamable_exports[kind]
    stream = keras_grurcn.models.ClassifierStream(task)
    states = stream.initial_state(batch_size=frames.shape[0])
    for index in range(frames.shape[1]):
        probabilities, states = stream.step(frames[:, index], states)
        np.testing.assert_allclose(
            served[kind]["running"][:, index], np.asarray(probabilities), atol=1e-5
        )
    np.testing.assert_allclose(
        served[kind]["whole"], task.predict(frames, verbose=0), atol=1e-5
    )
    assert list(served[kind]["state_names"]) == sorted(stream.state_shapes)


def test_signatures_name_the_frame_and_every_state(streamable_exports):
    task, export_dir = streamable_exports["frame_rnn_lstm"]
    signatures = tf.saved_model.load(export_dir).signatures
    inputs = signatures["stream"].structured_input_signature[1]
    assert set(inputs) == {"frame", "pool5_hidden", "pool5_cell"}
    assert inputs["frame"].dtype == tf.uint8
    assert inputs["frame"].shape.as_list() == [None, None, None, 3]
    assert inputs["pool5_cell"].shape.as_list() == [None, 4]
    assert set(signatures["stream"].structured_outputs) == {
        "probabilities",
        "labels",
        "pool5_hidden",
        "pool5_cell",
    }
    zeros = signatures["initial_state"](frame=tf.zeros((3, 10, 12, 3), tf.uint8))
    assert {name: value.shape.as_list() for name, value in zeros.items()} == {
        "pool5_hidden": [3, 4],
        "pool5_cell": [3, 4],
    }
    assert all(not np.any(value.numpy()) for value in zeros.values())


def test_map_states_keep_the_level_grid(streamable_exports):
    _, export_dir = streamable_exports["grurcn"]
    signature = tf.saved_model.load(export_dir).signatures["stream"]
    inputs = signature.structured_input_signature[1]
    assert inputs["pool2_hidden"].shape.as_list() == [None, 8, 8, 2]
    assert inputs["pool3_hidden"].shape.as_list() == [None, 4, 4, 3]


def test_frame_averaging_streams_a_running_mean(streamable_exports):
    _, export_dir = streamable_exports["frame_average"]
    signature = tf.saved_model.load(export_dir).signatures["stream"]
    assert set(signature.structured_input_signature[1]) == {
        "frame",
        "probability_sum",
        "frames_seen",
    }


@pytest.mark.parametrize(
    "name, overrides, reason",
    [
        ("grurcn_bidirectional", dict(levels=["pool2"], hidden_maps=2), "backward"),
        ("c3d", dict(width=2, fc_units=8), "3D convolutions"),
        (
            "grurcn",
            dict(levels=["pool2"], hidden_maps=2, percept_normalization="instance"),
            "whole clip",
        ),
    ],
)
def test_what_cannot_stream_is_exported_without_stream_and_says_why(
    name, overrides, reason, tmp_path
):
    arguments = dict(class_names=CLASS_NAMES, num_frames=4, image_size=32)
    if name != "c3d":
        arguments["backbone_weights"] = None
    task = keras_grurcn.build_model(name, **arguments, **overrides)
    assert reason in keras_grurcn.models.task_streaming_refusal(task)
    with pytest.raises(ValueError, match=f"cannot stream frame by frame: .*{reason}"):
        export_saved_model(task, tmp_path / "required" / "1", streaming=True)
    assert not (tmp_path / "required").exists()
    signatures = tf.saved_model.load(
        export_saved_model(task, tmp_path / "auto" / "1")
    ).signatures
    assert set(signatures) == {"serving_default", "serving_percepts"}


def test_streaming_can_be_left_out(tmp_path, streamable_exports):
    task, _ = streamable_exports["frame_rnn"]
    export_dir = export_saved_model(task, tmp_path / "1", streaming=False)
    assert "stream" not in tf.saved_model.load(export_dir).signatures
    with pytest.raises(ValueError, match="`streaming` must be"):
        export_saved_model(task, tmp_path / "2", streaming="yes")
