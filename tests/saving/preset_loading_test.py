"""Presets and cache metadata are data: crafted files are refused, naming the file."""

import json
import os

import pytest

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.cli import main
from keras_grurcn.models import Task


@pytest.fixture(scope="module")
def preset(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preset")
    model = keras_grurcn.build_model(
        "grurcn",
        class_names=["a", "b"],
        backbone_weights=None,
        num_frames=2,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )
    model.save_to_preset(folder)
    return folder


def crafted_copy(preset, tmp_path, file_name, edit):
    """A copy of the preset whose `file_name` JSON `edit` changed."""
    copy = tmp_path / "crafted"
    copy.mkdir()
    for name in os.listdir(preset):
        (copy / name).write_bytes((preset / name).read_bytes())
    content = json.loads((copy / file_name).read_text())
    edit(content)
    (copy / file_name).write_text(json.dumps(content))
    return str(copy)


def test_the_preset_loads(preset):
    assert Task.from_preset(str(preset)).class_names == ["a", "b"]


@pytest.mark.parametrize(
    "file_name, edit, message",
    [
        # A class that is not keras_grurcn's (Keras' own Lambda, here).
        (
            "task.json",
            lambda c: c.update(
                registered_name=None, class_name="Lambda", module="keras.layers"
            ),
            "registered by keras_grurcn",
        ),
        # A keras_grurcn class of the wrong kind.
        (
            "task.json",
            lambda c: c.update(registered_name="keras_grurcn>GRURCNBackbone"),
            "not a keras_grurcn Task",
        ),
        # A Lambda nested in a registered class's config.
        (
            "config.json",
            lambda c: c["config"].update(
                extra={"class_name": "Lambda", "config": {"function": "os.system"}}
            ),
            "a Lambda layer",
        ),
        # Absurd sizes are refused before anything is allocated.
        (
            "config.json",
            lambda c: c["config"]["hidden_maps"].update(pool1=10**9),
            r"hidden_maps\['pool1'\].*\[1, 65536\]",
        ),
        (
            "preprocessor.json",
            lambda c: c["config"].update(image_size=[10**6, 10**6]),
            "image_size",
        ),
        ("task.json", lambda c: c["config"].update(class_names="ab"), "class_names"),
    ],
)
def test_crafted_preset_files_are_refused_naming_the_file(
    preset, tmp_path, file_name, edit, message
):
    crafted = crafted_copy(preset, tmp_path, file_name, edit)
    with pytest.raises(ValueError, match=message) as error:
        Task.from_preset(crafted)
    assert file_name in str(error.value)


def test_a_preset_that_is_not_json_is_refused(preset, tmp_path):
    crafted = crafted_copy(preset, tmp_path, "task.json", lambda c: None)
    with open(os.path.join(crafted, "task.json"), "w") as file:
        file.write("{not json")
    with pytest.raises(ValueError, match="task.json is not valid JSON"):
        Task.from_preset(crafted)


def test_a_path_that_is_not_a_preset_is_not_taken_for_a_preset_name(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a keras_grurcn preset folder"):
        Task.from_preset(str(tmp_path))


def test_crafted_extraction_json_is_refused_by_train(tmp_path, capsys):
    for split in ("train", "val"):
        cache = tmp_path / "caches" / split
        cache.mkdir(parents=True)
        (cache / data.cache_extraction.EXTRACTION_FILE).write_text(
            json.dumps({"class_names": [{"__class__": "os.system"}]})
        )
    status = main(
        [
            "train",
            "--model",
            "grurcn",
            "--data-dir",
            str(tmp_path / "caches"),
            "--workdir",
            str(tmp_path / "run"),
        ]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert "extraction.json" in err and "class_names" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
