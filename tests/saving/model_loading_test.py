"""`keras_grurcn.saving.load_model` loads models as data and refuses code."""

import json
import os
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest

from keras_grurcn.saving import load_model
from tests.saving.crafted_models import lambda_model_file


def _frames_classifier(middle=None):
    frames = keras.Input((2, 8, 8, 3), name="frames")
    x = frames if middle is None else middle(frames)
    x = keras.layers.GlobalAveragePooling3D()(x)
    return keras.Model(frames, keras.layers.Dense(3, activation="softmax")(x))


def write_marker(frames, marker=""):
    """A named function a Lambda layer can reference; it writes `marker`."""
    open(marker, "w").close()
    return frames


def _edit_config(source, target, edit):
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    config = json.loads(members["config.json"])
    edit(config)
    members["config.json"] = json.dumps(config).encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return str(target)


def _layer_config(config, class_name):
    return next(
        layer
        for layer in config["config"]["layers"]
        if layer["class_name"] == class_name
    )


@pytest.fixture(scope="module")
def plain_model_file(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("models") / "plain.keras")
    model = _frames_classifier()
    model.save(path)
    return path, model


def test_a_plain_model_loads_with_its_weights(plain_model_file):
    path, model = plain_model_file
    restored = load_model(path)
    for saved, loaded in zip(model.weights, restored.weights):
        np.testing.assert_array_equal(saved.numpy(), loaded.numpy())


def test_a_zoo_model_with_registered_layers_loads(tmp_path):
    from keras_grurcn import build_model

    model = build_model(
        "grurcn",
        backbone_weights=None,
        num_frames=2,
        image_size=(32, 32),
        levels=["pool2"],
        num_classes=3,
        hidden_maps=[4],
    )
    path = str(tmp_path / "grurcn.keras")
    model.save(path)
    percepts = {"pool2": np.random.default_rng(0).uniform(size=(1, 2, 8, 8, 128))}
    np.testing.assert_allclose(
        load_model(path).predict(percepts, verbose=0),
        model.predict(percepts, verbose=0),
        atol=1e-6,
    )


def test_a_lambda_layer_is_refused_and_its_code_never_runs(tmp_path):
    marker = tmp_path / "marker"
    path = lambda_model_file(tmp_path, marker)
    with pytest.raises(ValueError) as error:
        load_model(path)
    message = str(error.value)
    assert path in message and "Lambda layer 'payload'" in message
    assert "safe_mode" not in message
    assert not marker.exists()
    # The payload is real: Keras with safe mode off runs it while loading.
    keras.saving.load_model(path, safe_mode=False)
    assert marker.exists()


def test_a_lambda_naming_an_importable_function_is_refused(tmp_path):
    marker = tmp_path / "marker"
    layer = keras.layers.Lambda(
        write_marker, arguments={"marker": str(marker)}, name="named"
    )
    model = _frames_classifier(layer)
    os.remove(marker)
    path = str(tmp_path / "named.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Lambda layer 'named'"):
        load_model(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "edit, expected",
    [
        # A Dense activation naming os.system: called on the layer's input.
        (
            lambda c: _layer_config(c, "Dense")["config"].update(
                activation={
                    "module": "os",
                    "class_name": "function",
                    "config": "system",
                    "registered_name": "function",
                }
            ),
            "the function os.system",
        ),
        # A layer claiming to be subprocess.Popen.
        (
            lambda c: _layer_config(c, "Dense").update(
                module="subprocess", class_name="Popen", registered_name=None
            ),
            "'Popen' from module 'subprocess'",
        ),
        # A TFSMLayer loading a SavedModel from elsewhere.
        (
            lambda c: _layer_config(c, "Dense").update(
                module="keras.layers", class_name="TFSMLayer"
            ),
            "TFSMLayer",
        ),
        # A Keras non-modeling API referenced as a function.
        (
            lambda c: _layer_config(c, "Dense")["config"].update(
                activation={
                    "module": "keras.utils",
                    "class_name": "function",
                    "config": "get_file",
                    "registered_name": "function",
                }
            ),
            "keras.utils.get_file",
        ),
    ],
)
def test_crafted_configs_are_refused_before_keras_builds_them(
    plain_model_file, tmp_path, edit, expected
):
    path = _edit_config(plain_model_file[0], tmp_path / "crafted.keras", edit)
    with pytest.raises(ValueError, match="refused to load") as error:
        load_model(path)
    assert path in str(error.value) and expected in str(error.value)
    assert "safe_mode" not in str(error.value)


def test_what_keras_safe_mode_refuses_is_reported_without_the_opt_out(tmp_path):
    # A lookup layer whose config points its vocabulary at a file outside the
    # archive: Keras' safe mode refuses it (it would read any file named).
    words = keras.Input((1,), dtype="string")
    lookup = keras.layers.StringLookup(vocabulary=["cat", "dog"])
    path = str(tmp_path / "lookup.keras")
    keras.Model(words, lookup(words)).save(path)
    outside = tmp_path / "private.txt"
    outside.write_text("secret\n")
    crafted = _edit_config(
        path,
        tmp_path / "crafted.keras",
        lambda c: _layer_config(c, "StringLookup")["config"].update(
            vocabulary=str(outside)
        ),
    )
    with pytest.raises(ValueError, match="safe mode stopped.*vocabulary file") as error:
        load_model(crafted)
    assert crafted in str(error.value) and "safe_mode=False" not in str(error.value)


def test_other_formats_and_broken_files_are_clear_errors(plain_model_file, tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.keras"):
        load_model(tmp_path / "nowhere.keras")
    for name in ("model.h5", "saved_model"):
        with pytest.raises(ValueError, match="expected a .keras file"):
            load_model(tmp_path / name)
    not_zip = tmp_path / "text.keras"
    not_zip.write_text("not a model")
    with pytest.raises(ValueError, match="not a zip archive"):
        load_model(not_zip)
    empty = tmp_path / "empty.keras"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("metadata.json", "{}")
    with pytest.raises(ValueError, match="no config.json"):
        load_model(empty)
    truncated = tmp_path / "truncated.keras"
    data = open(plain_model_file[0], "rb").read()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated.keras"):
        load_model(truncated)


def test_refusals_hold_when_unsafe_deserialization_was_switched_on(tmp_path):
    # A process-wide `enable_unsafe_deserialization()` turns Keras' own
    # checks off; the config check does not depend on it. In a subprocess,
    # since Keras offers no way to switch it back off.
    marker = tmp_path / "marker"
    path = lambda_model_file(tmp_path, marker)
    script = (
        "import keras, sys\n"
        "keras.config.enable_unsafe_deserialization()\n"
        "from keras_grurcn.saving import load_model\n"
        "try:\n"
        "    load_model(sys.argv[1])\n"
        "except ValueError as error:\n"
        "    print(error)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, path], capture_output=True, text=True, check=True
    )
    assert "Lambda layer 'payload'" in result.stdout
    assert not marker.exists()
