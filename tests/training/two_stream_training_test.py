"""Two streams trained on their own percept caches, fused on validation."""

import json
import os

import keras
import numpy as np
import pytest
import yaml

from keras_grurcn import data
from keras_grurcn.models import Task
from keras_grurcn.models import TwoStreamVideoClassifier
from keras_grurcn.preprocessing import VideoPreprocessor
from keras_grurcn.training import ConfigError
from keras_grurcn.training import ExperimentConfig
from keras_grurcn.training import TrainingConfig
from keras_grurcn.training import choose_flow_weight
from keras_grurcn.training import train_experiment
from keras_grurcn.training import train_two_stream
from keras_grurcn.training.train_experiment import resolve_caches
from keras_grurcn.training.two_stream_training import check_stream_caches

CLASSES = list(data.MOTION_CLASSES)


def test_the_flow_weight_is_the_best_on_validation():
    labels = np.array([0, 1, 1, 0])
    rgb = np.array([[0.9, 0.1], [0.6, 0.4], [0.7, 0.3], [0.2, 0.8]])
    flow = np.array([[0.45, 0.55], [0.1, 0.9], [0.2, 0.8], [0.9, 0.1]])
    weight, grid = choose_flow_weight(rgb, flow, labels)
    accuracy = {row["flow_weight"]: row["accuracy"] for row in grid}
    assert len(grid) == 21 and accuracy[weight] == max(accuracy.values()) == 1.0
    assert accuracy[0.0] == 0.25 and accuracy[1.0] == 0.75  # Each stream alone.
    assert 3 / 7 < weight < 8 / 9  # The only weights that get all four right.
    fused = (1 - weight) * rgb + weight * flow
    assert (fused.argmax(axis=1) == labels).all()
    with pytest.raises(ValueError, match="labels"):
        choose_flow_weight(rgb, flow, labels[:2])
    with pytest.raises(ValueError, match=r"not in \[0, 1\]"):
        choose_flow_weight(rgb, flow, labels, candidates=[1.5])


def _preprocessor(modality):
    keras.utils.set_random_seed({"rgb": 0, "flow": 1}[modality])
    return VideoPreprocessor(
        "vgg16",
        ["pool1"],
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        modality=modality,
        flow_method=None if modality == "rgb" else "farneback",
        flow_bound=None if modality == "rgb" else 4.0,
    )


def _cache(entries, folder, modality):
    preprocessor = _preprocessor(modality)
    data.write_percept_cache(
        entries,
        preprocessor,
        folder,
        num_frames=4,
        image_size=32,
        modality=modality,
        flow_method=preprocessor.flow_method,
        flow_bound=preprocessor.flow_bound,
        progress=False,
    )
    data.save_extraction(folder, preprocessor, CLASSES)
    return str(folder)


@pytest.fixture(scope="module")
def caches(tmp_path_factory):
    root = tmp_path_factory.mktemp("two_stream_caches")
    train = data.write_motion_videos(root / "train", 16, num_frames=5, seed=0)
    val = data.write_motion_videos(root / "val", 8, num_frames=5, seed=1)
    # A one-frame video: an RGB clip, but no flow (left out of the fusion).
    still = data.write_video(
        root / "val" / "still.mp4", np.zeros((1, 32, 32, 3), "uint8")
    )
    val = [*val, data.VideoEntry(still, 0)]
    return {
        (stream, split): _cache(entries, root / stream / split, stream)
        for stream in ("rgb", "flow")
        for split, entries in (("train", train), ("val", val))
    }


@pytest.fixture(scope="module")
def trained(caches, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two_stream_run")
    config = TrainingConfig(strategy="default", batch_size=4, epochs=2, verbose=0)
    task, metrics = train_two_stream(
        config,
        str(workdir),
        (caches["rgb", "train"], caches["rgb", "val"]),
        (caches["flow", "train"], caches["flow", "val"]),
        build={"hidden_maps": 2, "percept_normalization": "instance"},
    )
    return workdir, task, metrics


def test_metrics_report_each_stream_and_the_fusion(trained):
    workdir, task, metrics = trained
    with open(workdir / "metrics.json") as file:
        assert json.load(file) == json.loads(json.dumps(metrics))
    assert metrics["num_videos"] == 8
    assert metrics["unpaired"] == {"rgb": 1, "flow": 0}
    for name in ("rgb_accuracy", "flow_accuracy", "fused_accuracy"):
        assert 0 <= metrics[name] <= 1
    grid = {row["flow_weight"]: row["accuracy"] for row in metrics["grid"]}
    assert (
        grid[0.0] == metrics["rgb_accuracy"] and grid[1.0] == metrics["flow_accuracy"]
    )
    assert (
        metrics["fused_accuracy"] == grid[metrics["flow_weight"]] == max(grid.values())
    )
    assert set(metrics["streams"]) == {"rgb", "flow"}
    assert task.flow_weight == pytest.approx(metrics["flow_weight"])
    for stream in ("rgb", "flow"):
        assert os.path.isdir(workdir / stream / "preset")


def test_the_preset_is_the_fused_task_reading_both_caches(trained, caches):
    workdir, task, metrics = trained
    restored = Task.from_preset(str(workdir / "preset"))
    assert isinstance(restored, TwoStreamVideoClassifier)
    assert restored.class_names == CLASSES
    assert restored.flow_weight == pytest.approx(metrics["flow_weight"])
    assert restored.preprocessor.flow.flow_image_options["bound"] == 4.0
    (rgb, labels), (flow, _) = (
        next(iter(data.percept_dataset(caches[stream, "val"], 8)))
        for stream in ("rgb", "flow")
    )
    inputs = {
        **{f"rgb_{name}": value for name, value in rgb.items()},
        **{f"flow_{name}": value for name, value in flow.items()},
    }
    fused = restored.predict(inputs, verbose=0)
    accuracy = np.mean(fused.argmax(axis=1) == labels.numpy())
    assert accuracy == pytest.approx(metrics["fused_accuracy"])
    np.testing.assert_allclose(fused, task.predict(inputs, verbose=0), atol=1e-6)


def test_streams_must_be_an_rgb_and_a_flow_cache_of_the_same_videos(caches):
    with pytest.raises(ValueError, match="--modality rgb"):
        check_stream_caches(caches["flow", "val"], caches["rgb", "val"])
    with pytest.raises(ValueError, match="different videos"):
        check_stream_caches(caches["rgb", "train"], caches["flow", "val"])
    config = TrainingConfig(strategy="default", batch_size=4, epochs=1, verbose=0)
    pair = (caches["rgb", "train"], caches["rgb", "val"])
    flow = (caches["flow", "train"], caches["flow", "val"])
    with pytest.raises(ValueError, match="come from the percept caches"):
        train_two_stream(config, "unused", pair, flow, build={"num_frames": 8})
    with pytest.raises(ValueError, match="unknown argument.*units"):
        train_two_stream(config, "unused", pair, flow, build={"units": 8})


def _experiment(caches, *overrides, preset=None, rgb="rgb", flow="flow"):
    root = os.path.dirname(os.path.dirname(caches["rgb", "train"]))
    model = [] if preset else ["model.name=two_stream"]
    return ExperimentConfig.resolve(
        preset=preset,
        overrides=[
            *model,
            f"data.data_dir={os.path.join(root, rgb)}",
            f"data.flow_data_dir={os.path.join(root, flow)}",
            *overrides,
        ],
    )


def test_an_experiment_resolves_the_flow_caches_and_their_flow_images(caches):
    resolved, class_names = resolve_caches(_experiment(caches))
    assert class_names == CLASSES
    assert (resolved.data.flow_train_cache, resolved.data.flow_val_cache) == (
        caches["flow", "train"],
        caches["flow", "val"],
    )
    assert (resolved.preprocessor.flow_method, resolved.preprocessor.flow_bound) == (
        "farneback",
        4.0,
    )
    assert "flow_train_cache: " + caches["flow", "train"] in resolved.to_yaml()
    # The paper's preset expects TV-L1 flow: these caches hold Farneback's.
    paper = _experiment(
        caches,
        "preprocessor.num_frames=null",
        "preprocessor.image_size=null",
        "model.num_classes=null",
        preset="ucf101_two_stream",
    )
    with pytest.raises(ConfigError, match="preprocessor.flow_method.*tvl1"):
        resolve_caches(paper)
    with pytest.raises(ValueError, match="--modality rgb"):
        resolve_caches(_experiment(caches, rgb="flow", flow="rgb"))


def test_flow_settings_are_for_the_two_stream_model_only(caches):
    with pytest.raises(ConfigError, match="--flow-data-dir"):
        _experiment(caches, "model.name=grurcn")
    with pytest.raises(ConfigError, match="preprocessor.flow_method"):
        ExperimentConfig.resolve(
            overrides=["model.name=grurcn", "preprocessor.flow_method=tvl1"]
        )
    with pytest.raises(ConfigError, match="preprocessor.flow_method"):
        ExperimentConfig.resolve(
            overrides=["model.name=two_stream", "preprocessor.flow_method=sift"]
        )
    with pytest.raises(ConfigError, match="model.flow_weight"):
        ExperimentConfig.resolve(
            overrides=["model.name=two_stream", "model.flow_weight=heavy"]
        )
    with pytest.raises(ConfigError, match="data.flow_data_dir"):
        resolve_caches(
            ExperimentConfig.resolve(
                overrides=["model.name=two_stream", "data.data_dir=unused"]
            )
        )


def test_train_experiment_trains_the_two_streams_over_a_grid(caches, tmp_path):
    experiment = _experiment(
        caches,
        "model.hidden_maps=2",
        "model.flow_weight=[0.25, 0.75]",
        "train.strategy=default",
        "train.epochs=1",
        "train.batch_size=4",
        "train.verbose=0",
    )
    task, metrics = train_experiment(experiment, str(tmp_path))
    assert isinstance(task, TwoStreamVideoClassifier)
    assert [row["flow_weight"] for row in metrics["grid"]] == [0.25, 0.75]
    assert task.flow_weight == pytest.approx(metrics["flow_weight"])
    assert metrics["protocol"]["clips"] == 1
    saved = ExperimentConfig.from_tree(
        yaml.safe_load((tmp_path / "experiment.yaml").read_text())
    )
    assert saved.preprocessor.flow_method == "farneback"
    assert saved.model["flow_weight"] == [0.25, 0.75]
