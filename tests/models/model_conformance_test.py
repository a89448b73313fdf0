"""Every zoo model, tiny: builds, names its levels, trains, saves and reloads.

One table enrols a model in all the checks; adding a model is adding a row.
Frames are 32x32, clips 4 frames, CNNs random (`backbone_weights=None`). A
row feeds raw frames (through the task's preprocessor) or the cached
percepts its backbone takes (random, no CNN run): the same task takes both.
"""

import keras
import numpy as np
import pytest

import keras_grurcn

NUM_CLASSES = 3
CLASS_NAMES = ["walk", "run", "jump"]
COMMON = dict(
    class_names=CLASS_NAMES, backbone_weights=None, num_frames=4, image_size=32
)

# id -> (model name, overrides, fed inputs, layer names the summary must show)
CONFORMANCE_TABLE = {
    "grurcn": (
        "grurcn",
        dict(levels=["pool2", "pool3"], hidden_maps=[2, 3]),
        "frames",
        ["pool2_grurcn", "pool3_grurcn", "pool3_classifier", "level_average"],
    ),
    "grurcn_stacked": (
        "grurcn_stacked",
        dict(levels=["pool3", "pool5"], hidden_maps=2),
        "frames",
        ["pool5_bottom_up", "pool5_stacked_inputs", "pool5_grurcn"],
    ),
    "grurcn_bidirectional": (
        "grurcn_bidirectional",
        dict(levels=["pool3"], hidden_maps=2),
        "frames",
        ["pool3_grurcn", "pool3_classifier"],
    ),
    "frame_average": (
        "frame_average",
        dict(level="pool5"),
        "frames",
        ["pool5_frame_pool", "pool5_classifier", "pool5_frame_average"],
    ),
    "frame_rnn": (
        "frame_rnn",
        dict(level="pool5", units=4),
        "frames",
        ["pool5_flatten", "pool5_gru", "pool5_classifier"],
    ),
    "c3d": (
        "c3d",
        dict(width=2, fc_units=8),
        "frames",
        ["conv1a", "conv5b", "pool5", "fc7", "fc7_classifier"],
    ),
    "two_stream": (
        "two_stream",
        dict(levels=["pool3"], hidden_maps=2, flow_weight=0.6),
        "frames",
        ["rgb_backbone", "flow_backbone", "two_stream_fusion"],
    ),
    # Cached percepts, and the vector level (fc7), which is too big to
    # compute from frames in a fast test.
    "grurcn_percepts": (
        "grurcn",
        dict(levels=["pool3", "fc7"], hidden_maps=[2, 3]),
        "percepts",
        ["pool3_grurcn", "fc7_grurcn", "fc7_classifier"],
    ),
    "grurcn_stacked_percepts": (
        "grurcn_stacked",
        dict(levels=["pool4", "pool5", "fc7"], hidden_maps=2),
        "percepts",
        ["pool5_bottom_up", "fc7_bottom_up", "fc7_stacked_inputs"],
    ),
    "grurcn_bidirectional_percepts": (
        "grurcn_bidirectional",
        dict(levels=["pool5", "fc7"], hidden_maps=2, percept_normalization="instance"),
        "percepts",
        ["pool5_normalization", "pool5_grurcn", "fc7_grurcn"],
    ),
    "frame_average_percepts": (
        "frame_average",
        dict(percept_normalization="batch"),
        "percepts",
        ["fc7_normalization", "fc7_classifier", "fc7_frame_average"],
    ),
    "frame_rnn_lstm_percepts": (
        "frame_rnn",
        dict(rnn="lstm", units=4),
        "percepts",
        ["fc7_lstm", "fc7_classifier"],
    ),
    "two_stream_percepts": (
        "two_stream",
        dict(
            levels=["pool5"],
            hidden_maps=2,
            encoder="bidirectional",
            percept_normalization="layer",
        ),
        "percepts",
        ["rgb_backbone", "flow_backbone", "rgb_head", "two_stream_fusion"],
    ),
}


def build(row):
    name, overrides, _, _ = CONFORMANCE_TABLE[row]
    keras.utils.set_random_seed(0)
    arguments = {**COMMON, **overrides}
    if name == "c3d":
        del arguments["backbone_weights"]
    return keras_grurcn.build_model(name, **arguments)


def example_inputs(model, fed="frames", batch_size=2, seed=0, frame_size=(40, 48)):
    """Random inputs of a task: raw frames, or its backbone's percepts.

    Frames are uint8 videos longer than the model's clips and, by default,
    bigger (the preprocessor samples and resizes them); percepts are in
    [0, 2], the order of magnitude of (ReLU) CNN activations.
    """
    rng = np.random.default_rng(seed)
    if fed == "frames":
        shape = (batch_size, 6, *frame_size, 3)
        video = lambda: rng.integers(0, 256, shape, "uint8")  # noqa: E731
        if isinstance(model, keras_grurcn.models.TwoStreamVideoClassifier):
            return {"rgb": video(), "flow": video()}
        return video()
    return {
        name: rng.uniform(0, 2, (batch_size, *tensor.shape[1:])).astype("float32")
        for name, tensor in model.backbone.input.items()
    }


def row_inputs(row, model, **kwargs):
    return example_inputs(model, CONFORMANCE_TABLE[row][2], **kwargs)


@pytest.fixture(params=list(CONFORMANCE_TABLE), scope="module")
def row_and_model(request):
    return request.param, build(request.param)


def test_outputs_class_probabilities(row_and_model):
    row, model = row_and_model
    probabilities = keras.ops.convert_to_numpy(model(row_inputs(row, model)))
    assert probabilities.shape == (2, NUM_CLASSES)
    assert probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=-1), 1.0, rtol=1e-5)


def test_frames_and_their_percepts_give_the_same_answer(row_and_model):
    row, model = row_and_model
    if CONFORMANCE_TABLE[row][2] != "frames" or model.backbone_input_names == [
        "frames"
    ]:
        return  # c3d's "percepts" are the resized frames themselves
    frames = example_inputs(model, "frames")
    percepts = model.preprocessor(frames)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(model(percepts)),
        keras.ops.convert_to_numpy(model(frames)),
        rtol=1e-6,
        atol=1e-7,
    )


def test_summary_names_the_levels(row_and_model, capsys):
    row, model = row_and_model
    model.summary(line_length=200, expand_nested=True)
    summary = capsys.readouterr().out
    for layer_name in CONFORMANCE_TABLE[row][3]:
        assert layer_name in summary


def test_fit_trains_every_weight_but_the_frozen_cnn(row_and_model):
    row, model = row_and_model
    inputs = row_inputs(row, model, batch_size=4, seed=1)
    labels = np.array([0, 1, 2, 0])
    # Eager steps run these tiny models faster than tracing them; graph
    # mode fit is covered by model_registry_test and motion_claim_test.
    model.compile(keras.optimizers.Adam(1e-3), run_eagerly=True)
    before = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    frozen = [keras.ops.convert_to_numpy(w) for w in model.non_trainable_weights]
    history = model.fit(inputs, labels, epochs=2, batch_size=4, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    after = [keras.ops.convert_to_numpy(w) for w in model.trainable_weights]
    # Every trainable weight gets a gradient: no level is cut off the loss.
    unchanged = [
        weight.path
        for weight, old, new in zip(model.trainable_weights, before, after)
        if np.array_equal(old, new)
    ]
    assert not unchanged
    preprocessor_weights = {id(w) for w in model.preprocessor.weights}
    for weight, old in zip(model.non_trainable_weights, frozen):
        if id(weight) in preprocessor_weights:
            np.testing.assert_array_equal(keras.ops.convert_to_numpy(weight), old)


def test_keras_file_round_trip_in_safe_mode(row_and_model, tmp_path):
    row, model = row_and_model
    inputs = row_inputs(row, model, seed=2)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    assert type(loaded) is type(model)
    assert loaded.class_names == CLASS_NAMES
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(inputs)),
        keras.ops.convert_to_numpy(model(inputs)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_preset_round_trip(row_and_model, tmp_path):
    row, model = row_and_model
    inputs = row_inputs(row, model, seed=3)
    model.save_to_preset(tmp_path / "preset")
    loaded = keras_grurcn.models.Task.from_preset(str(tmp_path / "preset"))
    assert type(loaded) is type(model)
    assert loaded.get_config() == model.get_config()
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(inputs)),
        keras.ops.convert_to_numpy(model(inputs)),
        rtol=1e-5,
        atol=1e-6,
    )


# Rows that cannot classify frame by frame, and a word of the reason given.
CANNOT_STREAM = {
    "grurcn_bidirectional": "backward",
    "c3d": "3D convolutions",
    "two_stream": "optical flow",
    "grurcn_bidirectional_percepts": "backward",
    "two_stream_percepts": "optical flow",
}


def test_streams_frame_by_frame_or_says_why(row_and_model):
    row, model = row_and_model
    if row in CANNOT_STREAM:
        assert CANNOT_STREAM[row] in keras_grurcn.models.task_streaming_refusal(model)
        with pytest.raises(ValueError, match=CANNOT_STREAM[row]):
            keras_grurcn.models.ClassifierStream(model)
        return
    clip_length = COMMON["num_frames"]  # the model's: nothing is resampled
    inputs = row_inputs(row, model)
    if isinstance(inputs, dict):
        clip = {name: value[:, :clip_length] for name, value in inputs.items()}
        frame = lambda index: {name: v[:, index] for name, v in clip.items()}  # noqa: E731
    else:
        clip = inputs[:, :clip_length]
        frame = lambda index: clip[:, index]  # noqa: E731
    stream = keras_grurcn.models.ClassifierStream(model)
    states = stream.initial_state(batch_size=2)
    for index in range(clip_length):
        probabilities, states = stream.step(frame(index), states)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(probabilities),
        keras.ops.convert_to_numpy(model(clip)),
        atol=1e-5,
    )
    assert set(states) == set(stream.state_shapes)


def test_every_listed_classifier_has_a_row():
    rows = {name for name, _, _, _ in CONFORMANCE_TABLE.values()}
    classifiers = {
        name
        for name in keras_grurcn.list_models()
        if keras_grurcn.models.model_task(name) == "classification"
    }
    assert classifiers <= rows


@pytest.mark.parametrize("row", ["grurcn_percepts", "two_stream_percepts"])
def test_mixed_precision_outputs_float32_probabilities(row):
    policy = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = build(row)
        assert model.backbone.compute_dtype == "float16"
        probabilities = model(row_inputs(row, model))
    finally:
        keras.config.set_dtype_policy(policy)
    assert keras.backend.standardize_dtype(probabilities.dtype) == "float32"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(probabilities).sum(-1), 1.0, rtol=1e-3
    )


def test_from_preset_with_new_class_names_starts_a_fresh_head(tmp_path):
    model = build("grurcn")
    model.save_to_preset(tmp_path / "preset")
    relabelled = keras_grurcn.models.Task.from_preset(
        str(tmp_path / "preset"), class_names=["a", "b", "c", "d"]
    )
    assert (relabelled.num_classes, relabelled.class_names) == (4, ["a", "b", "c", "d"])
    frames = example_inputs(relabelled)
    assert relabelled(frames).shape == (2, 4)
    # The backbone's trained weights are kept; only the head is new.
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(relabelled.backbone.weights[0]),
        keras.ops.convert_to_numpy(model.backbone.weights[0]),
    )
    counted = keras_grurcn.models.Task.from_preset(
        str(tmp_path / "preset"), num_classes=5
    )
    assert (counted.num_classes, counted.class_names) == (5, None)
