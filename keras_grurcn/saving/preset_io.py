"""Reading and writing preset folders (keras-hub's layout, without keras-hub).

A preset folder holds, as in keras-hub:

- `metadata.json`: the versions it was written with and its parameter count;
- `config.json` and `model.weights.h5`: the backbone;
- `preprocessor.json` (and, ours, `preprocessor.weights.h5` for the frozen
  ImageNet CNN it holds): the preprocessor;
- `task.json` and `task.weights.h5`: the task, with its head's weights and
  its own settings (class names, vocabulary, ...).

Loading builds only classes registered by keras_grurcn, of the kind each file
must hold, with Keras' safe mode on: a preset is data and runs no code.
"""

import datetime
import json
import os

import keras

from keras_grurcn.compat import SafeModeScope
from keras_grurcn.saving.model_loading import code_carrying_object
from keras_grurcn.saving.package_classes import register_package_classes
from keras_grurcn.version import __version__

METADATA_FILE = "metadata.json"
BACKBONE_CONFIG_FILE = "config.json"
BACKBONE_WEIGHTS_FILE = "model.weights.h5"
PREPROCESSOR_CONFIG_FILE = "preprocessor.json"
PREPROCESSOR_WEIGHTS_FILE = "preprocessor.weights.h5"
TASK_CONFIG_FILE = "task.json"
TASK_WEIGHTS_FILE = "task.weights.h5"
PRESET_FILES = (
    METADATA_FILE,
    BACKBONE_CONFIG_FILE,
    BACKBONE_WEIGHTS_FILE,
    PREPROCESSOR_CONFIG_FILE,
    PREPROCESSOR_WEIGHTS_FILE,
    TASK_CONFIG_FILE,
    TASK_WEIGHTS_FILE,
)
REGISTERED_PACKAGE = "keras_grurcn"
# A config file is a few kilobytes; refuse to parse anything absurd.
MAX_CONFIG_BYTES = 16 << 20


def is_preset_dir(preset):
    """Whether `preset` names a folder written by `save_to_preset`.

    Raises:
        FileNotFoundError: for a path (it has a separator, or exists) that
            is not a preset folder, rather than taking it for a built-in
            preset name.
    """
    if not isinstance(preset, (str, os.PathLike)):
        raise ValueError(f"A preset is a folder or a name, got {preset!r}.")
    preset = os.fspath(preset)
    if os.path.isfile(os.path.join(preset, METADATA_FILE)):
        return True
    if os.path.exists(preset) or os.sep in preset:
        raise FileNotFoundError(
            f"{preset!r} is not a keras_grurcn preset folder (it has no "
            f"{METADATA_FILE}; write one with `save_to_preset`)."
        )
    return False


def write_json(preset_dir, file_name, content):
    os.makedirs(preset_dir, exist_ok=True)
    path = os.path.join(preset_dir, file_name)
    with open(path, "w") as file:
        json.dump(content, file, indent=2)
    return path


def read_json(preset_dir, file_name):
    """A preset file's JSON object, or a ValueError naming the file."""
    path = os.path.join(os.fspath(preset_dir), file_name)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"{path} is missing: {os.fspath(preset_dir)!r} is not a complete "
            "keras_grurcn preset (write one with `save_to_preset`)."
        )
    if os.path.getsize(path) > MAX_CONFIG_BYTES:
        raise ValueError(
            f"{path} is {os.path.getsize(path)} bytes; a preset config is a few "
            "kilobytes. Refusing to read it."
        )
    try:
        with open(path, encoding="utf-8") as file:
            content = json.load(file)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON: {error}.") from None
    if not isinstance(content, dict):
        raise ValueError(
            f"{path} must hold a JSON object, got {type(content).__name__}."
        )
    return content


def save_serialized(obj, preset_dir, file_name, exclude=()):
    """Writes `obj`'s Keras serialization (minus `exclude` entries) as JSON."""
    serialized = keras.saving.serialize_keras_object(obj)
    for key in exclude:
        serialized["config"].pop(key, None)
    return write_json(preset_dir, file_name, serialized)


def registered_class(serialized, path, base):
    """The keras_grurcn class a serialized object names, checked against `base`."""
    registered_name = serialized.get("registered_name")
    if not isinstance(registered_name, str) or not registered_name.startswith(
        f"{REGISTERED_PACKAGE}>"
    ):
        raise ValueError(
            f"{path}: expected a {base.__name__} registered by keras_grurcn; the "
            f"file names {registered_name or serialized.get('class_name')!r}."
        )
    register_package_classes()  # The package is lazy: see package_classes.
    cls = keras.saving.get_registered_object(registered_name)
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise ValueError(
            f"{path}: {registered_name!r} is not a keras_grurcn {base.__name__}."
        )
    if not isinstance(serialized.get("config"), dict):
        raise ValueError(f"{path}: the entry 'config' must be a JSON object.")
    return cls


def serialized_class(preset_dir, file_name, base):
    """The registered keras_grurcn class a preset file names, checked."""
    path = os.path.join(os.fspath(preset_dir), file_name)
    return registered_class(read_json(preset_dir, file_name), path, base)


def load_serialized(preset_dir, file_name, base, overrides=None):
    """Builds the object a preset file describes, in safe mode.

    Args:
        preset_dir: the preset folder.
        file_name: `config.json`, `preprocessor.json` or `task.json`.
        base: the class the object must be an instance of (`Backbone`,
            `Preprocessor`, `Task`).
        overrides: config entries to set before building (e.g. the task's
            already loaded backbone).

    Raises:
        ValueError: naming the file, for anything but a registered
            keras_grurcn class of kind `base` with a valid config.
    """
    path = os.path.join(os.fspath(preset_dir), file_name)
    serialized = read_json(preset_dir, file_name)
    cls = registered_class(serialized, path, base)
    reason = code_carrying_object(serialized["config"])
    if reason:
        raise ValueError(
            f"{path}: refused to load: it carries {reason}. Presets are data: "
            "they build only Keras layers and registered keras_grurcn classes."
        )
    config = {**serialized["config"], **(overrides or {})}
    try:
        with SafeModeScope(True):
            return cls.from_config(config)
    except (TypeError, ValueError, KeyError) as error:
        raise ValueError(f"{path}: invalid {cls.__name__} config: {error}") from None


def load_weights(obj, preset_dir, file_name, objects_to_skip=None):
    """Loads a preset's weights file into `obj`, naming the file on mismatch."""
    path = os.path.join(os.fspath(preset_dir), file_name)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path} is missing from the preset.")
    kwargs = {} if objects_to_skip is None else {"objects_to_skip": objects_to_skip}
    try:
        keras.saving.load_weights(obj, path, **kwargs)
    except (ValueError, KeyError, OSError) as error:
        raise ValueError(
            f"{path} does not match the {type(obj).__name__} {obj.name!r} its "
            f"config describes: {error}"
        ) from None


def save_weights(obj, preset_dir, file_name, objects_to_skip=None):
    kwargs = {} if objects_to_skip is None else {"objects_to_skip": objects_to_skip}
    keras.saving.save_weights(obj, os.path.join(preset_dir, file_name), **kwargs)


def save_metadata(obj, preset_dir):
    write_json(
        preset_dir,
        METADATA_FILE,
        {
            "keras_grurcn_version": __version__,
            "keras_version": keras.__version__,
            "parameter_count": int(obj.count_params()),
            "class_name": type(obj).__name__,
            "date_saved": datetime.datetime.now(datetime.timezone.utc).isoformat(
                timespec="seconds"
            ),
        },
    )


def check_metadata(preset_dir):
    metadata = read_json(preset_dir, METADATA_FILE)
    version = metadata.get("keras_grurcn_version")
    if not isinstance(version, str):
        raise ValueError(
            f"{os.path.join(os.fspath(preset_dir), METADATA_FILE)}: "
            "'keras_grurcn_version' must be a string."
        )
    return metadata
