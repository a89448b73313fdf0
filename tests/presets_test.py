import keras
import pytest

import keras_grurcn
from keras_grurcn.presets import PAPER_LEVELS
from keras_grurcn.presets import PRESETS
from keras_grurcn.presets import get_preset


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_names_a_zoo_model_and_quotes_the_paper(name):
    preset = get_preset(name)
    # An experiment config's sections (tests/training/experiment_config_test.py
    # checks each preset against the schema).
    assert set(preset) <= {"model", "preprocessor", "data", "train", "paper"}
    assert preset["model"]["name"] in keras_grurcn.list_models()
    two_stream = preset["model"]["name"] == "two_stream"
    flow = {"flow_method": "tvl1", "flow_bound": 20.0} if two_stream else {}
    assert preset["preprocessor"] == {
        "backbone": "vgg16",
        "num_frames": 10,
        "image_size": 224,
        **flow,
    }
    assert preset["train"]["batch_size"] == 64  # the paper's mini-batches
    assert preset["paper"]


def test_presets_are_copies():
    get_preset("ucf101_grurcn")["model"]["levels"].append("pool1")
    assert PAPER_LEVELS == ["pool2", "pool3", "pool4", "pool5", "fc7"]


def test_unknown_preset_lists_the_choices():
    with pytest.raises(ValueError, match="ucf101_grurcn_bidirectional"):
        get_preset("ucf_101")


def test_the_two_stream_preset_builds_bidirectional_streams_reading_tvl1_flow():
    model = keras_grurcn.models.build_preset(
        "ucf101_two_stream",
        backbone_weights=None,
        image_size=32,
        num_frames=4,
        levels=["pool2"],
        hidden_maps=2,
    )
    assert model.num_classes == 101
    assert model.preprocessor.flow.flow_image_options["method"] == "tvl1"
    assert "pool2_grurcn" in [layer.name for layer in model.backbone.flow.layers]
    assert isinstance(
        model.backbone.flow.get_layer("pool2_grurcn"), keras.layers.Bidirectional
    )
