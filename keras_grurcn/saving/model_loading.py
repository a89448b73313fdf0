"""Loading a user's `.keras` file as data: Keras' safe mode, plus a config check."""

import json
import os
import zipfile

import keras

from keras_grurcn.saving.package_classes import register_package_classes

# `config.json` of the zoo's models is tens of kilobytes (a captioner's
# vocabulary adds ~10 bytes a word); anything near this is not a model.
_MAX_CONFIG_BYTES = 64 * 2**20

# Objects that carry or fetch code. Keras' safe mode refuses a Lambda only
# when its function is stored as bytecode; a Lambda naming an importable
# function (`keras.models.load_model`, `os.system` on old Keras) is how
# published safe-mode bypasses ran code, so no Lambda is loaded at all.
_CODE_CARRIERS = {
    "__lambda__": ("a Python lambda", "stored as bytecode"),
    "Lambda": ("a Lambda layer", "it calls a Python function the file names"),
    "TFSMLayer": ("a TFSMLayer", "it loads and runs an external SavedModel"),
}
# Serialization markers Keras itself decodes as plain values.
_VALUE_MARKERS = {
    "__keras_tensor__",
    "__tensor__",
    "__numpy__",
    "__bytes__",
    "__ellipsis__",
    "__slice__",
}
# Where a config may find a function it names (an activation, a loss or a
# metric given as an object rather than as a string).
_FUNCTION_MODULES = (keras.activations, keras.losses, keras.metrics)


def _is_keras_module(module):
    return module == "keras" or module.startswith("keras.")


def _allowed_function(name):
    if keras.saving.get_registered_object(name) is not None:
        return True
    return any(callable(getattr(m, name, None)) for m in _FUNCTION_MODULES)


def _refusal(node):
    """Why one serialized object must not be built, or None."""
    class_name = node.get("class_name")
    inner = node.get("config")
    name = inner.get("name") if isinstance(inner, dict) else None
    label = f" {name!r}" if isinstance(name, str) else ""
    if class_name in _CODE_CARRIERS:
        kind, why = _CODE_CARRIERS[class_name]
        return f"{kind}{label} ({why})"
    if class_name in _VALUE_MARKERS:
        return None
    module = node.get("module")
    if class_name == "function":
        if isinstance(inner, str) and _allowed_function(inner):
            return None
        return (
            f"a reference to the function {module}.{inner}, which is neither a "
            "Keras activation, loss or metric nor registered in this process"
        )
    if isinstance(module, str) and _is_keras_module(module):
        return None
    registered = node.get("registered_name")
    if isinstance(registered, str) and (
        keras.saving.get_registered_object(registered) is not None
    ):
        return None
    return (
        f"the class {class_name!r} from module {module!r}, which is neither part "
        "of Keras nor registered in this process"
    )


def code_carrying_object(config):
    """Why a serialized config must not be built (the first object that
    carries or fetches code), or None.

    Walks the whole config (iteratively: nesting depth is the file's
    choice); `load_model` and the preset loader both call it.
    """
    stack = [config]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            if isinstance(node.get("class_name"), str):
                reason = _refusal(node)
                if reason:
                    return reason
            stack.extend(node.values())
    return None


def _read_config(path):
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("config.json")
            if info.file_size > _MAX_CONFIG_BYTES:
                raise ValueError(
                    f"{path}: its config.json claims {info.file_size:,} bytes; "
                    "not a Keras model."
                )
            return json.loads(archive.read(info))
    except KeyError:
        raise ValueError(f"{path}: not a .keras model (no config.json).") from None
    except (zipfile.BadZipFile, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"{path}: not a readable .keras file ({error}).") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: its config.json is not JSON ({error}).") from None


def _first_sentence(error, limit=300):
    # Keras wraps a layer's failure in its parent's, with the whole config in
    # between: the innermost "Exception encountered:" says what went wrong.
    text = str(error).rsplit("Exception encountered:", 1)[-1].strip()
    sentence = text.splitlines()[0] if text else type(error).__name__
    return sentence.split(". ")[0].rstrip(".")[:limit]


def load_model(path, *, compile=True):
    """Load a `.keras` model file without running code that the file carries.

    Every place keras_grurcn loads a user's `.keras` file (the `grurcn`
    commands `train`, `evaluate`, `export`, `predict` and `caption`) goes
    through here. Keras' safe mode stays on, and before Keras builds
    anything the archive's `config.json` is checked: a model holding a
    `Lambda` layer (whatever its function), a serialized Python lambda, a
    `TFSMLayer`, a function that is not a Keras activation, loss or metric
    (or registered), or a class that is neither part of Keras nor registered
    in this process is refused. Only `.keras` zip files are read: legacy
    `.h5` models and folders are not, and nothing is downloaded. See
    `docs/security.md` for the trust model.

    Args:
        path: the `.keras` file.
        compile: restore the training configuration (optimizer, loss,
            metrics) as well, as `keras.saving.load_model` does.

    Returns:
        The Keras model.

    Raises:
        FileNotFoundError: there is no such file.
        ValueError: the file is not a `.keras` model, is corrupt, or carries
            one of the objects above; the message names the file and says
            why.

    Examples:

    ```python
    model.save("/tmp/classifier.keras")
    restored = keras_grurcn.saving.load_model("/tmp/classifier.keras")
    ```
    """
    path = os.fspath(path)
    if not path.endswith(".keras"):
        raise ValueError(
            f"{path}: expected a .keras file (the Keras 3 zip format); legacy "
            ".h5 models and folders are not loaded (a SavedModel folder is "
            "served, not loaded as a Keras model)."
        )
    if not os.path.isfile(path):
        raise FileNotFoundError(f"{path}: no such .keras file.")
    if not zipfile.is_zipfile(path):
        raise ValueError(f"{path}: not a .keras file (not a zip archive).")
    # "Registered in this process" must mean every keras_grurcn class,
    # whichever parts of the (lazy) package were imported so far.
    register_package_classes()
    reason = code_carrying_object(_read_config(path))
    if reason:
        raise ValueError(
            f"{path}: refused to load: it carries {reason}. keras_grurcn loads "
            ".keras files as data and builds only Keras layers and registered "
            "classes; rebuild the model from such layers and save it again."
        )
    try:
        return keras.saving.load_model(path, compile=compile, safe_mode=True)
    except Exception as error:  # Any failure here is about the file.
        message = _first_sentence(error)
        if "safe_mode" in str(error) or "arbitrary" in str(error):
            raise ValueError(
                f"{path}: refused to load: Keras' safe mode stopped an object "
                f"that could run code or read other files ({message})."
            ) from None
        raise ValueError(
            f"{path}: could not be loaded as a Keras model "
            f"({type(error).__name__}: {message})."
        ) from None
