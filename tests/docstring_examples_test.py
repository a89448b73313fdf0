"""Every public class and function has a docstring, and its examples run.

The public API is what the package's `__all__` lists export. Each
```python block of a docstring is executed in a namespace holding `np`,
`tf`, `keras`, `keras_grurcn`, the documented object under its own name,
and the few objects the examples take as given (`model`: a tiny GRU-RCN
classifier task; `entries`: synthetic videos on disk; `model_fn`,
`train_ds`, `val_ds`). Examples write under `/tmp/...`; the test redirects those paths
to its own temporary folder.
"""

import importlib
import inspect
import re

import keras
import numpy as np
import pytest

import keras_grurcn

PUBLIC_MODULES = (
    "keras_grurcn",
    "keras_grurcn.layers",
    "keras_grurcn.percepts",
    "keras_grurcn.preprocessing",
    "keras_grurcn.models",
    "keras_grurcn.captioning",
    "keras_grurcn.metrics",
    "keras_grurcn.saving",
    "keras_grurcn.data",
    "keras_grurcn.training",
    "keras_grurcn.export",
)
PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)
# Examples that read what another public example writes.
PREREQUISITES = {"percept_dataset": "write_percept_cache"}
# Public names whose docstring has no runnable example (an example of
# register_model would change the registry other tests read). The list may
# only shrink: a new public name must come with an example.
WITHOUT_EXAMPLE = {
    "keras_grurcn.models.register_model",
}


def public_api():
    """`{qualified name: object}` for every exported class and function."""
    api, seen = {}, set()
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if (inspect.isclass(obj) or inspect.isfunction(obj)) and id(
                obj
            ) not in seen:
                seen.add(id(obj))
                api[f"{module_name}.{name}"] = obj
    return api


def examples(obj):
    return PYTHON_BLOCK.findall(inspect.getdoc(obj) or "")


API = public_api()
WITH_EXAMPLES = sorted(name for name, obj in API.items() if examples(obj))


def tiny_frame_classifier(num_classes=3):
    """A tiny task of the zoo: frames `(batch, 2, 32, 32, 3)` to probabilities."""
    return keras_grurcn.build_model(
        "grurcn",
        class_names=["walk", "run", "jump"][:num_classes],
        backbone_weights=None,
        num_frames=2,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )


@pytest.fixture(scope="module")
def example_folder(tmp_path_factory):
    return tmp_path_factory.mktemp("docstring_examples")


@pytest.fixture(scope="module")
def given(example_folder):
    """The objects the examples take as given."""
    import tensorflow as tf

    from keras_grurcn import data

    entries = data.write_motion_videos(example_folder / "given_videos", 4, num_frames=4)
    motion = example_folder / "motion"
    data.write_motion_videos(motion, 4, num_frames=4)
    rows = ["path,label,caption"] + [
        f"{entry.path},{entry.label},a square moves" for entry in entries
    ]
    (motion / "clips.csv").write_text("\n".join(rows) + "\n")
    clips = tf.data.Dataset.from_tensor_slices(
        (np.zeros((4, 2, 32, 32, 3), "uint8"), np.arange(4, dtype="int32") % 3)
    )
    return {
        "tf": tf,
        "model": tiny_frame_classifier(),
        "entries": entries,
        "model_fn": tiny_frame_classifier,
        "train_ds": clips,
        "val_ds": clips,
    }


def run_examples(name, folder, given):
    obj = API[name]
    namespace = {"np": np, "keras": keras, "keras_grurcn": keras_grurcn, **given}
    namespace[obj.__name__] = obj
    for index, block in enumerate(examples(obj)):
        source = block.replace('"/tmp/', f'"{folder}/')
        exec(compile(source, f"{name} example {index}", "exec"), namespace)


def test_every_public_name_has_a_docstring():
    assert not [name for name, obj in API.items() if not inspect.getdoc(obj)]


def test_examples_are_not_missing_from_new_public_names():
    missing = {name for name, obj in API.items() if not examples(obj)}
    assert missing <= WITHOUT_EXAMPLE, sorted(missing - WITHOUT_EXAMPLE)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_example_runs(name, example_folder, given, monkeypatch):
    monkeypatch.chdir(example_folder)
    prerequisite = PREREQUISITES.get(name.rsplit(".", 1)[1])
    if prerequisite:
        run_examples(f"keras_grurcn.data.{prerequisite}", example_folder, given)
    run_examples(name, example_folder, given)
