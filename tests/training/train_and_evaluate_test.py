import csv
import json
import os

import keras
import numpy as np
import pytest

import keras_grurcn
from keras_grurcn.training import TrainingConfig
from keras_grurcn.training import build_and_compile
from keras_grurcn.training import get_strategy
from keras_grurcn.training import train_and_evaluate
from tests.training.tiny_classifiers import clip_dataset
from tests.training.tiny_classifiers import conv3d_classifier
from tests.training.tiny_classifiers import grurcn_classifier

GRURCN_CLIP = (4, 32, 32, 3)


def tiny_config(**overrides):
    values = {
        "strategy": "default",
        "batch_size": 2,
        "epochs": 2,
        "learning_rate": 1e-3,
        "verbose": 0,
    }
    return TrainingConfig(**{**values, **overrides})


def read_history(workdir):
    with open(os.path.join(workdir, "history.csv"), newline="") as file:
        return list(csv.DictReader(file))


def test_grurcn_run_writes_checkpoints_logs_and_metrics(tmp_path):
    workdir = str(tmp_path / "run")
    model, metrics = train_and_evaluate(
        tiny_config(),
        workdir,
        grurcn_classifier,
        clip_dataset(6, GRURCN_CLIP),
        lambda: clip_dataset(3, GRURCN_CLIP, seed=1),
    )
    # Three classes: top-5 accuracy would always be 1, so it is not logged.
    assert set(metrics) == {"loss", "accuracy"}
    history = read_history(workdir)
    assert [row["epoch"] for row in history] == ["0", "1"]
    assert {"loss", "val_loss", "val_accuracy"} <= set(history[0])
    assert "val_top5_accuracy" not in history[0]
    assert "learning_rate" in history[0]  # logged by ReduceLROnPlateau
    event_files = [
        name
        for _, _, names in os.walk(os.path.join(workdir, "tensorboard"))
        for name in names
        if name.startswith("events.out.tfevents")
    ]
    assert event_files
    with open(os.path.join(workdir, "config.json")) as file:
        assert TrainingConfig.from_dict(json.load(file)) == tiny_config()
    with open(os.path.join(workdir, "metrics.json")) as file:
        assert json.load(file) == pytest.approx(metrics)
    best = keras.saving.load_model(os.path.join(workdir, "checkpoints", "best.keras"))
    final = keras.saving.load_model(os.path.join(workdir, "final.keras"))
    frames = clip_dataset(2, GRURCN_CLIP).batch(2).get_single_element()[0]
    np.testing.assert_allclose(final(frames), model(frames), rtol=1e-5, atol=1e-6)
    assert best.class_names == model.class_names
    # The task is also saved as a preset, what `grurcn export` and `predict` load.
    preset = keras_grurcn.models.Task.from_preset(os.path.join(workdir, "preset"))
    np.testing.assert_allclose(preset(frames), model(frames), rtol=1e-5, atol=1e-6)
    # The run finished, so its backup is gone and a rerun would start over.
    assert not os.path.exists(os.path.join(workdir, "backup", "training_metadata.json"))


def test_early_stopping_ends_a_run_that_stopped_improving(tmp_path):
    workdir = str(tmp_path / "run")
    # A learning rate too small to change any prediction: val_accuracy
    # never improves on epoch 0, so patience 1 stops after epoch 1.
    train_and_evaluate(
        tiny_config(epochs=6, learning_rate=1e-12, early_stopping_patience=1),
        workdir,
        conv3d_classifier,
        clip_dataset(8),
        clip_dataset(4, seed=1),
    )
    assert [row["epoch"] for row in read_history(workdir)] == ["0", "1"]


def test_same_seed_same_weights(tmp_path):
    def run(name):
        config = tiny_config(epochs=1, shuffle_buffer_size=8, seed=7)
        model, _ = train_and_evaluate(
            config,
            str(tmp_path / name),
            conv3d_classifier_without_seed,
            clip_dataset(8),
            clip_dataset(4, seed=1),
        )
        return model.get_weights()

    for first, second in zip(run("a"), run("b")):
        np.testing.assert_array_equal(first, second)


def conv3d_classifier_without_seed():
    # Initialised from the global seed, which set_reproducible_seeds sets.
    frames = keras.Input((4, 16, 16, 3))
    x = keras.layers.Conv3D(4, 3, activation="relu")(frames)
    x = keras.layers.GlobalAveragePooling3D()(x)
    return keras.Model(frames, keras.layers.Dense(3, activation="softmax")(x))


def test_cosine_schedule_decays_over_all_steps():
    model = build_and_compile(
        tiny_config(lr_schedule="cosine", epochs=4, learning_rate=0.1),
        conv3d_classifier,
        get_strategy("default"),
        steps_per_epoch=5,
    )
    schedule = model.optimizer._learning_rate
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay)
    assert schedule.decay_steps == 20
    assert float(schedule(20)) == pytest.approx(0.0)


def test_mixed_precision_builds_under_the_policy_and_restores_it():
    before = keras.config.dtype_policy().name
    model = build_and_compile(
        tiny_config(mixed_precision="mixed_bfloat16"),
        grurcn_classifier,
        get_strategy("default"),
    )
    assert keras.config.dtype_policy().name == before
    assert model.layers[-1].dtype_policy.name == "mixed_bfloat16"
    frames, labels = clip_dataset(2, GRURCN_CLIP).batch(2).get_single_element()
    logs = model.train_on_batch(frames, labels, return_dict=True)
    assert np.isfinite(logs["loss"])


def test_xla_switch_compiles_the_train_step():
    model = build_and_compile(
        tiny_config(jit_compile=True), conv3d_classifier, get_strategy("default")
    )
    assert model.jit_compile is True
    frames, labels = clip_dataset(2).batch(2).get_single_element()
    logs = model.train_on_batch(frames, labels, return_dict=True)
    assert np.isfinite(logs["loss"])


def test_bad_model_fn_and_dataset_are_named(tmp_path):
    with pytest.raises(TypeError, match="model_fn\\(\\)` must return a keras.Model"):
        build_and_compile(tiny_config(), lambda: "model", get_strategy("default"))
    with pytest.raises(TypeError, match="`val_ds` must be a tf.data.Dataset"):
        train_and_evaluate(
            tiny_config(), str(tmp_path), conv3d_classifier, clip_dataset(4), [1, 2]
        )


def test_a_captioner_trains_through_train_and_evaluate_in_mixed_precision(tmp_path):
    import tensorflow as tf

    from tests.captioning.tiny_grurcn_captioner import random_percepts
    from tests.captioning.tiny_grurcn_captioner import tiny_captioner
    from tests.captioning.tiny_grurcn_captioner import tiny_clips

    _, captions = tiny_clips(4)
    vocabulary = tiny_captioner().vocabulary
    ids = vocabulary.encode([caption[0] for caption in captions], max_length=8)
    percepts = random_percepts(4)
    examples = tf.data.Dataset.from_tensor_slices(
        ({**percepts, "tokens": ids[:, :-1]}, ids[:, 1:])
    )
    workdir = str(tmp_path / "captioner")
    model, metrics = train_and_evaluate(
        tiny_config(mixed_precision="mixed_bfloat16", epochs=1),
        workdir,
        lambda: tiny_captioner(caption_length=7),
        examples,
        examples,
    )
    assert model.backbone.compute_dtype == "bfloat16"
    assert keras.config.dtype_policy().name == "float32"  # restored
    assert {"loss", "masked_accuracy"} <= set(metrics)
    # monitor="auto" keeps the best validation loss for a captioner.
    assert os.path.exists(os.path.join(workdir, "checkpoints", "best.keras"))
    restored = keras_grurcn.models.Task.from_preset(os.path.join(workdir, "preset"))
    assert restored.vocabulary == vocabulary
