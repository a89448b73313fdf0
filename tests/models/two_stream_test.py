"""Two streams trained apart, joined by late fusion (the paper's RGB + Flow)."""

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.models import TwoStreamVideoClassifier
from keras_grurcn.models import build_stream_classifier

CLASSES = ["left", "right", "up"]


def stream(name, **overrides):
    arguments = dict(
        class_names=CLASSES,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool2", "pool3"],
        hidden_maps=2,
    )
    return build_stream_classifier(name, **{**arguments, **overrides})


def percepts(classifier, seed):
    rng = np.random.default_rng(seed)
    return {
        name: rng.uniform(0, 2, (3, *tensor.shape[1:])).astype("float32")
        for name, tensor in classifier.backbone.input.items()
    }


def test_joined_streams_predict_as_the_streams_and_fuse_them():
    keras.utils.set_random_seed(0)
    rgb, flow = stream("rgb"), stream("flow", flow_bound=5)
    # Trained stream by stream: stand-in training is a perturbation of weights.
    for classifier in (rgb, flow):
        for variable in classifier.head.trainable_variables:
            variable.assign(
                variable + np.random.default_rng(1).normal(size=variable.shape)
            )
    model = TwoStreamVideoClassifier.from_streams(rgb, flow, flow_weight=0.25)
    assert model.backbone.rgb is rgb.backbone and model.backbone.flow is flow.backbone
    assert model.preprocessor.flow is flow.preprocessor
    assert model.preprocessor.flow.flow_image_options["bound"] == 5.0
    rgb_inputs, flow_inputs = percepts(rgb, 2), percepts(flow, 3)
    inputs = {
        **{f"rgb_{name}": value for name, value in rgb_inputs.items()},
        **{f"flow_{name}": value for name, value in flow_inputs.items()},
    }
    expected_rgb = rgb.predict(rgb_inputs, verbose=0)
    expected_flow = flow.predict(flow_inputs, verbose=0)
    probabilities = model.stream_probabilities(inputs)
    np.testing.assert_allclose(probabilities["rgb"], expected_rgb, atol=1e-6)
    np.testing.assert_allclose(probabilities["flow"], expected_flow, atol=1e-6)
    np.testing.assert_allclose(
        model.predict(inputs, verbose=0),
        0.75 * expected_rgb + 0.25 * expected_flow,
        atol=1e-6,
    )


def test_streams_must_match_and_read_their_own_modality():
    rgb = stream("rgb")
    with pytest.raises(ValueError, match="different classes"):
        TwoStreamVideoClassifier.from_streams(
            rgb, stream("flow", class_names=["a", "b", "c"])
        )
    with pytest.raises(ValueError, match="'flow' ones"):
        build_stream_classifier("flow", preprocessor=rgb.preprocessor, num_classes=3)
    with pytest.raises(ValueError, match="come from the given"):
        build_stream_classifier(
            "rgb", preprocessor=rgb.preprocessor, num_classes=3, flow_bound=3
        )
    with pytest.raises(ValueError, match="VideoClassifier"):
        TwoStreamVideoClassifier.from_streams(rgb, "flow")


def test_the_zoo_builds_its_flow_stream_for_flow_images():
    model = keras_grurcn.build_model(
        "two_stream",
        num_classes=3,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool2"],
        hidden_maps=2,
        flow_method="tvl1",
    )
    assert model.preprocessor.rgb.modality == "rgb"
    assert model.preprocessor.flow.flow_image_options == {
        "num_frames": 4,
        "image_size": (32, 32),
        "method": "tvl1",
        "bound": 20.0,
    }
