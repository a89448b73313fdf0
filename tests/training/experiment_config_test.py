"""Experiment configs: presets, YAML files and dotted overrides, one checked schema."""

import numpy as np
import pytest
import yaml

from keras_grurcn import data
from keras_grurcn.preprocessing import VideoPreprocessor
from keras_grurcn.presets import PRESETS
from keras_grurcn.training import ConfigError
from keras_grurcn.training import ExperimentConfig
from keras_grurcn.training import TrainingConfig
from keras_grurcn.training.config_overrides import parse_override
from keras_grurcn.training.train_experiment import resolve_caches


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_is_an_experiment_and_round_trips_through_yaml(name, tmp_path):
    experiment = ExperimentConfig.resolve(preset=name)
    assert experiment.preprocessor.backbone == "vgg16"
    assert experiment.train.batch_size == 64 and experiment.paper
    path = tmp_path / "experiment.yaml"
    experiment.save(path)
    # The written file is a --config of its own: the same experiment again.
    assert ExperimentConfig.resolve(config_file=path) == experiment
    assert yaml.safe_load(path.read_text()) == experiment.to_tree()


def test_overrides_take_dotted_keys_and_yaml_values_applied_in_order():
    experiment = ExperimentConfig.resolve(
        preset="ucf101_grurcn",
        overrides=[
            "model.hidden_maps=[16,32]",
            "train.epochs=5",
            "train.epochs=7",  # the last one wins
            "train.learning_rate=1e-3",  # YAML reads text; the field a float
            "train.jit_compile=true",
            "train.lr_schedule=cosine",
            "train.weight_decay=null",
            "preprocessor.image_size=[112,160]",
        ],
    )
    assert experiment.model["hidden_maps"] == [16, 32]
    assert experiment.model["levels"] == PRESETS["ucf101_grurcn"]["model"]["levels"]
    assert experiment.train.epochs == 7
    assert experiment.train.learning_rate == pytest.approx(1e-3)
    assert experiment.train.jit_compile is True
    assert experiment.train.lr_schedule == "cosine"
    assert experiment.preprocessor.image_size == [112, 160]
    # Untouched keys keep the preset's values or the defaults.
    assert experiment.train.batch_size == 64
    assert experiment.train.optimizer == TrainingConfig().optimizer


def test_a_config_file_lies_over_the_preset_and_under_the_overrides(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "model:\n  dropout: 0.5\ntrain:\n  epochs: 3\n  shuffle_buffer_size: 16\n"
    )
    experiment = ExperimentConfig.resolve(
        preset="ucf101_grurcn_bidirectional",
        config_file=path,
        overrides=["train.epochs=4"],
    )
    assert experiment.model_name == "grurcn_bidirectional"
    assert experiment.model["dropout"] == 0.5 and experiment.model["num_classes"] == 101
    assert (experiment.train.epochs, experiment.train.shuffle_buffer_size) == (4, 16)


def test_a_model_alone_gets_the_defaults():
    experiment = ExperimentConfig.resolve(overrides=["model.name=frame_rnn"])
    assert experiment.model == {"name": "frame_rnn"}
    assert experiment.train == TrainingConfig()
    assert experiment.preprocessor.backbone is None  # whatever the cache holds


def test_training_data_is_shuffled_by_default():
    assert TrainingConfig().shuffle_buffer_size > 0
    off = ExperimentConfig.resolve(
        overrides=["model.name=grurcn", "train.shuffle_buffer_size=0"]
    )
    assert off.train.shuffle_buffer_size == 0


@pytest.mark.parametrize(
    "override, named, listed",
    [
        ("train.epoch=5", "train.epoch", "train.epochs"),
        ("model.hidden=3", "model.hidden", "model.hidden_maps"),
        ("preprocessor.frames=4", "preprocessor.frames", "preprocessor.num_frames"),
        ("data.cache=x", "data.cache", "data.train_cache"),
        ("trainer.epochs=5", "trainer", "train"),
    ],
)
def test_an_unknown_key_is_named_with_the_valid_keys(override, named, listed):
    with pytest.raises(ConfigError) as error:
        ExperimentConfig.resolve(preset="ucf101_grurcn", overrides=[override])
    message = str(error.value)
    assert f"unknown key {named}" in message and listed in message


@pytest.mark.parametrize(
    "override, named",
    [
        ("train.epochs=five", "train.epochs"),
        ("train.epochs=2.5", "train.epochs"),
        ("model.dropout=high", "model.dropout"),
        ("train.jit_compile=3", "train.jit_compile"),
        ("train.learning_rate=[1]", "train.learning_rate"),
        ("model.trainable_backbone=yes please", "model.trainable_backbone"),
        ("train.epochs=0", "train.epochs"),  # typed, but out of range
        ("train.lr_schedule=linear", "train.lr_schedule"),
        ("data.max_caption_length=1", "data.max_caption_length"),
    ],
)
def test_an_ill_typed_or_invalid_value_is_named(override, named):
    with pytest.raises(ConfigError, match=named.replace(".", r"\.")):
        ExperimentConfig.resolve(preset="ucf101_grurcn", overrides=[override])


def test_the_model_section_follows_the_model():
    # A captioner has no classes; its length comes from data.max_caption_length.
    with pytest.raises(ConfigError, match="unknown key model.num_classes"):
        ExperimentConfig.resolve(
            preset="youtube2text_grurcn_captioner", overrides=["model.num_classes=4"]
        )
    with pytest.raises(ConfigError, match="unknown key model.caption_length"):
        ExperimentConfig.resolve(
            preset="youtube2text_grurcn_captioner",
            overrides=["model.caption_length=12"],
        )
    with pytest.raises(ConfigError, match="unknown model 'grucn'.*grurcn_stacked"):
        ExperimentConfig.resolve(overrides=["model.name=grucn"])
    with pytest.raises(ConfigError, match="model.name: no model"):
        ExperimentConfig.resolve(overrides=["train.epochs=3"])
    frame_rnn = ExperimentConfig.resolve(
        overrides=["model.name=frame_rnn", "model.units=32"]
    )
    assert frame_rnn.build_arguments() == {"units": 32}


def test_bad_files_and_bad_overrides_are_named(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("train:\n  epochs: [1\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: not valid YAML \(line \d+\)"):
        ExperimentConfig.resolve(config_file=broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- model\n- train\n")
    with pytest.raises(ConfigError, match="list.yaml: expected a mapping"):
        ExperimentConfig.resolve(config_file=listing)
    with pytest.raises(FileNotFoundError, match="missing.yaml"):
        ExperimentConfig.resolve(config_file=tmp_path / "missing.yaml")
    for text in ("epochs", "=5", "train..epochs=5"):
        with pytest.raises(ConfigError, match="KEY=VALUE"):
            parse_override(text)
    with pytest.raises(ConfigError, match="train.epochs: 'train' is a value"):
        ExperimentConfig.resolve(
            overrides=["model.name=grurcn", "train=3", "train.epochs=2"]
        )


@pytest.fixture(scope="module")
def tiny_caches(tmp_path_factory):
    """Train and val percept caches of 4 tiny clips, 3 classes, VGG-16 pool1."""
    root = tmp_path_factory.mktemp("experiment_caches")
    preprocessor = VideoPreprocessor(
        "vgg16", ["pool1"], backbone_weights=None, num_frames=4, image_size=32
    )
    clips = np.random.default_rng(0).integers(0, 255, (4, 4, 32, 32, 3), np.uint8)
    for split in ("train", "val"):
        folder = root / split
        data.write_percept_cache(
            (clips, [0, 1, 2, 0]), preprocessor, folder, progress=False
        )
        data.save_extraction(folder, preprocessor, ["walk", "run", "jump"])
    return root


def test_resolving_fills_in_and_checks_what_the_caches_decide(tiny_caches):
    base = ["model.name=grurcn", f"data.data_dir={tiny_caches}"]
    experiment, class_names = resolve_caches(ExperimentConfig.resolve(overrides=base))
    assert class_names == ["walk", "run", "jump"]
    assert experiment.data.train_cache == str(tiny_caches / "train")
    assert experiment.data.val_cache == str(tiny_caches / "val")
    assert experiment.preprocessor.num_frames == 4
    assert experiment.preprocessor.image_size == [32, 32]
    matching = ExperimentConfig.resolve(
        overrides=[*base, "preprocessor.image_size=32", "model.num_classes=3"]
    )
    assert resolve_caches(matching)[0].preprocessor == experiment.preprocessor
    # A preset made for the paper's extraction is not trained on others.
    with pytest.raises(ConfigError, match="preprocessor.num_frames.*10.*4"):
        resolve_caches(
            ExperimentConfig.resolve(
                preset="ucf101_grurcn", overrides=[f"data.data_dir={tiny_caches}"]
            )
        )
    with pytest.raises(ConfigError, match="model.num_classes.*101.*3"):
        resolve_caches(
            ExperimentConfig.resolve(
                preset="ucf101_grurcn",
                overrides=[
                    f"data.data_dir={tiny_caches}",
                    "preprocessor.backbone=null",
                    "preprocessor.num_frames=null",
                    "preprocessor.image_size=null",
                ],
            )
        )
    with pytest.raises(ConfigError, match="data.data_dir"):
        resolve_caches(
            ExperimentConfig.resolve(
                overrides=[
                    "model.name=grurcn",
                    f"data.data_dir={tiny_caches / 'train'}",
                ]
            )
        )
