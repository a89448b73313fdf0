"""`ClassifierStream`: what it refuses and how, and that it runs on JAX.

Its equality with the whole-clip task, for every zoo model that streams,
is in model_conformance_test.py; the SavedModel's and LiteRT's in
tests/export.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.models import ClassifierStream

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def classifier():
    return keras_grurcn.build_model(
        "grurcn",
        class_names=["walk", "run"],
        backbone_weights=None,
        num_frames=3,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )


def test_a_frame_of_the_wrong_rank_is_a_clear_error(classifier):
    stream = ClassifierStream(classifier)
    clip = np.zeros((1, 3, 32, 32, 3), "uint8")
    with pytest.raises(ValueError, match=r"one RGB frame per video, \(batch, height"):
        stream.step(clip, stream.initial_state(1))


def test_missing_states_are_named(classifier):
    stream = ClassifierStream(classifier)
    with pytest.raises(ValueError, match=r"missing states \['pool1_hidden'\]"):
        stream.step(np.zeros((1, 32, 32, 3), "uint8"), {})


def test_initial_state_is_zeros_of_the_state_shapes(classifier):
    stream = ClassifierStream(classifier)
    assert stream.state_shapes == {"pool1_hidden": (16, 16, 2)}
    states = stream.initial_state(batch_size=3)
    assert np.asarray(states["pool1_hidden"]).shape == (3, 16, 16, 2)
    assert not np.asarray(states["pool1_hidden"]).any()


def test_a_task_without_preprocessor_streams_percepts_only(classifier):
    task = keras_grurcn.VideoClassifier(classifier.backbone, class_names=["a", "b"])
    stream = ClassifierStream(task)
    percepts = {"pool1": np.ones((1, 16, 16, 64), "float32")}
    probabilities, _ = stream.step(percepts, stream.initial_state(1))
    assert np.asarray(probabilities).shape == (1, 2)
    with pytest.raises(ValueError, match="has no preprocessor, so it streams percepts"):
        stream.step(np.zeros((1, 32, 32, 3), "uint8"), stream.initial_state(1))


def test_a_captioner_is_refused_with_the_reason():
    from tests.captioning.tiny_grurcn_captioner import tiny_captioner

    captioner = tiny_captioner()
    reason = keras_grurcn.models.task_streaming_refusal(captioner)
    assert "video classifiers, not a VideoCaptioner" in reason
    with pytest.raises(ValueError, match="cannot stream frame by frame"):
        ClassifierStream(captioner)


def test_streams_on_jax_as_on_tensorflow():
    # keras.ops only: the same step on another backend, in its own process.
    code = textwrap.dedent(
        """
        import keras, numpy as np, keras_grurcn
        assert keras.backend.backend() == "jax"
        keras.utils.set_random_seed(0)
        model = keras_grurcn.build_model(
            "grurcn_stacked", num_classes=3, backbone_weights=None,
            num_frames=3, image_size=32, levels=["pool1", "pool2"], hidden_maps=2,
        )
        video = np.random.default_rng(0).integers(0, 256, (2, 3, 40, 36, 3), "uint8")
        stream = keras_grurcn.models.ClassifierStream(model)
        states = stream.initial_state(2)
        for index in range(3):
            probabilities, states = stream.step(video[:, index], states)
        expected = model.predict(video, verbose=0)
        np.testing.assert_allclose(np.asarray(probabilities), expected, atol=1e-5)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "KERAS_BACKEND": "jax"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
