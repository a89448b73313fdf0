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
    assert preset["preprocessor"] == {
        "backbone": "vgg16",
        "num_frames": 10,
        "image_size": 224,
    }
    assert preset["train"]["batch_size"] == 64  # the paper's mini-batches
    assert preset["paper"]


def test_presets_are_copies():
    get_preset("ucf101_grurcn")["model"]["levels"].append("pool1")
    assert PAPER_LEVELS == ["pool2", "pool3", "pool4", "pool5", "fc7"]


def test_unknown_preset_lists_the_choices():
    with pytest.raises(ValueError, match="ucf101_grurcn_bidirectional"):
        get_preset("ucf_101")
