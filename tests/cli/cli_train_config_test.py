"""`grurcn train --config FILE --set KEY=VALUE [--dry-run]` on tiny percept caches."""

import os

import numpy as np
import pytest
import yaml

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.cli import main
from keras_grurcn.preprocessing import VideoPreprocessor
from keras_grurcn.training import ExperimentConfig


@pytest.fixture(scope="module")
def caches(tmp_path_factory):
    root = tmp_path_factory.mktemp("train_config_caches")
    preprocessor = VideoPreprocessor(
        "vgg16", ["pool1"], backbone_weights=None, num_frames=4, image_size=32
    )
    rng = np.random.default_rng(0)
    for split, count in (("train", 6), ("val", 3)):
        clips = rng.integers(0, 255, (count, 4, 32, 32, 3), np.uint8)
        folder = root / split
        data.write_percept_cache(
            (clips, np.arange(count) % 3), preprocessor, folder, progress=False
        )
        data.save_extraction(folder, preprocessor, ["walk", "run", "jump"])
    return root


@pytest.fixture()
def experiment_file(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "model:\n"
        "  name: grurcn\n"
        "  levels: [pool1]\n"
        "  hidden_maps: 8\n"
        "train:\n"
        "  epochs: 3\n"
        "  batch_size: 2\n"
        "  verbose: 0\n"
    )
    return path


def test_dry_run_prints_the_resolved_experiment_and_trains_nothing(
    caches, experiment_file, tmp_path, capsys
):
    workdir = tmp_path / "run"
    argv = ["train", "--config", str(experiment_file), "--data-dir", str(caches)]
    argv += ["--set", "model.hidden_maps=[2]", "--set", "train.epochs=1"]
    assert main([*argv, "--workdir", str(workdir), "--dry-run"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed["model"] == {
        "name": "grurcn",
        "levels": ["pool1"],
        "hidden_maps": [2],
    }
    assert printed["train"]["epochs"] == 1 and printed["train"]["batch_size"] == 2
    # What the cache decides is filled in: the frames, size and CNN it holds.
    assert printed["preprocessor"] == {
        "backbone": "vgg16",
        "num_frames": 4,
        "image_size": [32, 32],
    }
    assert printed["data"]["train_cache"] == os.path.join(str(caches), "train")
    assert not workdir.exists()


def test_train_writes_the_resolved_experiment_to_the_workdir(
    caches, experiment_file, tmp_path, capsys
):
    workdir = tmp_path / "run"
    argv = ["train", "--config", str(experiment_file), "--data-dir", str(caches)]
    argv += ["--set", "model.hidden_maps=[2]", "--epochs", "1", "--set", "train.seed=3"]
    assert main([*argv, "--dry-run"]) == 0
    dry_run = yaml.safe_load(capsys.readouterr().out)
    assert main([*argv, "--workdir", str(workdir)]) == 0
    written = ExperimentConfig.resolve(config_file=workdir / "experiment.yaml")
    assert written.to_tree() == dry_run
    assert (written.train.epochs, written.train.seed) == (1, 3)
    trained = keras_grurcn.models.Task.from_preset(str(workdir / "preset"))
    assert trained.class_names == ["walk", "run", "jump"]
    assert trained.backbone.get_config()["hidden_maps"] == {"pool1": 2}


@pytest.mark.parametrize(
    "extra, named",
    [
        (["--set", "train.epoch=1"], "unknown key train.epoch"),
        (["--set", "model.hidden_maps=lots"], None),  # the builder's check
        (["--set", "model.dropout=[1]"], "model.dropout"),
        (["--set", "preprocessor.num_frames=10"], "preprocessor.num_frames"),
        (["--set", "epochs=1"], "unknown key epochs"),
        (["--set", "train.epochs"], "KEY=VALUE"),
    ],
)
def test_config_errors_are_one_line_naming_the_key(
    caches, experiment_file, tmp_path, capsys, extra, named
):
    argv = ["train", "--config", str(experiment_file), "--data-dir", str(caches)]
    status = main([*argv, *extra, "--workdir", str(tmp_path / "run")])
    err = capsys.readouterr().err
    assert status == 2 and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    if named:
        assert named in err, err
    else:
        assert "hidden_maps" in err, err


def test_a_preset_is_a_config_and_the_model_is_required(tmp_path, capsys):
    assert main(["train", "--preset", "ucf101_grurcn", "--dry-run"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == ExperimentConfig.resolve(preset="ucf101_grurcn").to_tree()
    assert main(["train", "--data-dir", str(tmp_path), "--workdir", "w"]) == 2
    assert "model.name" in capsys.readouterr().err
