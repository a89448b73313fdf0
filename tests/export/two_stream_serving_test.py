"""A two-stream SavedModel, served RGB frames and the client's flow images."""

import json
import os
import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.export import export_saved_model

DOCS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "docs", "serving.md"
)


@pytest.fixture(scope="module")
def two_stream():
    keras.utils.set_random_seed(0)
    return keras_grurcn.build_model(
        "two_stream",
        class_names=list(data.MOTION_CLASSES),
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
        flow_bound=4.0,
        flow_weight=0.6,
    )


@pytest.fixture(scope="module")
def export_dir(two_stream, tmp_path_factory):
    return export_saved_model(two_stream, tmp_path_factory.mktemp("models") / "1")


@pytest.fixture(scope="module")
def video(tmp_path_factory):
    (entry,) = data.write_motion_videos(
        tmp_path_factory.mktemp("video"), 1, num_frames=9, image_size=48
    )
    return entry.path


def test_flow_image_options_are_the_flow_preprocessors(export_dir, two_stream):
    served = tf.saved_model.load(export_dir)
    assert set(served.signatures) >= {"serving_default", "flow_image_options"}
    options = served.signatures["flow_image_options"]()
    assert options["method"].numpy().decode() == "farneback"
    assert float(options["bound"]) == 4.0
    assert int(options["num_frames"]) == 4
    assert options["image_size"].numpy().tolist() == [32, 32]
    inputs = served.signatures["serving_default"].structured_input_signature[1]
    assert sorted(inputs) == ["flow", "rgb"]


def test_the_documented_client_gets_the_tasks_prediction(export_dir, two_stream, video):
    with open(DOCS) as file:
        section = file.read().split("## Two-stream models")[1]
    (client,) = re.findall(r"```python\n(.*?)```", section, re.S)
    client = client.replace("models/two_stream/1", export_dir)
    client = client.replace('"video.avi"', repr(video))
    namespace = {}
    exec(compile(client, "docs/serving.md two-stream client", "exec"), namespace)
    # TF Serving's REST conversion of a row-format body with named inputs.
    (instance,) = json.loads(namespace["body"])["instances"]
    signature = tf.saved_model.load(export_dir).signatures["serving_default"]
    tensors = {
        name: tf.constant(np.asarray(instance[name])[None], tf.uint8)
        for name in ("rgb", "flow")
    }
    outputs = signature(**tensors)
    frames = data.read_video(video)
    flow = data.video_flow_images(
        frames, **two_stream.preprocessor.flow.flow_image_options
    )
    expected = two_stream.predict({"rgb": frames[None], "flow": flow[None]}, verbose=0)
    np.testing.assert_allclose(outputs["probabilities"], expected, atol=1e-5)
    np.testing.assert_array_equal(tensors["flow"][0], flow)
    assert (
        outputs["labels"].numpy()[0, 0].decode()
        == (data.MOTION_CLASSES[int(expected[0].argmax())])
    )
