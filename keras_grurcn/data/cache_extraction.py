"""What a percept cache was extracted with: its preprocessor and class names.

Next to the shards, `grurcn extract` saves the `VideoPreprocessor` that
computed the percepts (a preset folder, `preprocessor/`, holding its frozen
CNN weights) and `extraction.json` (the class names in label order). A model
trained on the cache is built around that same preprocessor, so it
predicts from video frames with the weights that made its training
percepts, and its labels are the cache's class names; Beam workers load it
to extract the percepts. Cache folders may be on object storage
(`tf.io.gfile` URLs such as `gs://...`): presets are written and read
through a local copy.
"""

import json
import os
import tempfile

EXTRACTION_FILE = "extraction.json"
PREPROCESSOR_DIR = "preprocessor"
# Far above any real label set; a larger file is hostile or broken.
MAX_CLASS_NAMES = 1_000_000
MAX_CLASS_NAME_LENGTH = 1_000


def _not_extracted(path):
    return FileNotFoundError(
        f"{path} is missing: models train on caches written by `grurcn "
        "extract` (or keras_grurcn.data.save_extraction)."
    )


def _is_remote(path):
    return "://" in os.fspath(path)


def _copy_folder(source, destination):
    """Copies a flat folder (a preset) between local disk and object storage."""
    import tensorflow as tf

    tf.io.gfile.makedirs(destination)
    for name in tf.io.gfile.listdir(source):
        tf.io.gfile.copy(
            f"{source.rstrip('/')}/{name}", f"{destination.rstrip('/')}/{name}", True
        )


def save_preprocessor_preset(preprocessor, folder):
    """`preprocessor.save_to_preset(folder)`, for local or object storage folders."""
    folder = os.fspath(folder)
    if not _is_remote(folder):
        preprocessor.save_to_preset(folder)
        return
    local = tempfile.mkdtemp()
    preprocessor.save_to_preset(local)
    _copy_folder(local, folder)


def load_preprocessor_preset(folder):
    """`Preprocessor.from_preset(folder)`, for local or object storage folders.

    Loaded in safe mode, only as a registered keras_grurcn class (see
    docs/security.md).

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(None, num_frames=4, image_size=32)
    preprocessor.save_to_preset("/tmp/preprocessor")
    keras_grurcn.data.load_preprocessor_preset("/tmp/preprocessor").image_size
    # (32, 32)
    ```
    """
    import tensorflow as tf

    from keras_grurcn.preprocessing.preprocessor import Preprocessor

    folder = os.fspath(folder)
    if not tf.io.gfile.isdir(folder):
        raise _not_extracted(folder)
    if _is_remote(folder):
        local = tempfile.mkdtemp()
        _copy_folder(folder, local)
        folder = local
    return Preprocessor.from_preset(folder)


def save_extraction(cache_dir, preprocessor, class_names=None):
    """Saves the preprocessor and class names of a cache into `cache_dir`.

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(
        "vgg16", levels=["pool2"], backbone_weights=None, num_frames=4,
        image_size=32,
    )
    keras_grurcn.data.save_extraction("/tmp/cache", preprocessor, ["left", "right"])
    keras_grurcn.data.read_cache_class_names("/tmp/cache")  # ['left', 'right']
    preprocessor = keras_grurcn.data.load_cache_preprocessor("/tmp/cache")
    ```
    """
    import tensorflow as tf

    cache_dir = os.fspath(cache_dir)
    save_preprocessor_preset(
        preprocessor, f"{cache_dir.rstrip('/')}/{PREPROCESSOR_DIR}"
    )
    record = {"class_names": None if class_names is None else list(class_names)}
    with tf.io.gfile.GFile(f"{cache_dir.rstrip('/')}/{EXTRACTION_FILE}", "w") as file:
        file.write(json.dumps(record, indent=2))


def read_cache_class_names(cache_dir):
    """The class names (or `None`) a cache was extracted with.

    `extraction.json` is validated: `class_names` must be `null` or a list
    of non-empty strings.

    Raises:
        FileNotFoundError: naming the missing file.
        ValueError: naming the file when its content is not as expected.

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(None, num_frames=4, image_size=32)
    keras_grurcn.data.save_extraction("/tmp/cache", preprocessor, ["left", "right"])
    keras_grurcn.data.read_cache_class_names("/tmp/cache")  # ['left', 'right']
    ```
    """
    import tensorflow as tf

    path = f"{os.fspath(cache_dir).rstrip('/')}/{EXTRACTION_FILE}"
    if not tf.io.gfile.exists(path):
        raise _not_extracted(path)
    size = tf.io.gfile.stat(path).length
    if size > 64 * MAX_CLASS_NAMES:
        raise ValueError(f"{path} is {size} bytes; refusing to read it.")
    try:
        with tf.io.gfile.GFile(path, "rb") as file:
            record = json.loads(file.read().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not valid JSON: {error}.") from None
    class_names = record.get("class_names") if isinstance(record, dict) else ()
    if class_names is not None and not (
        isinstance(class_names, list)
        and len(class_names) <= MAX_CLASS_NAMES
        and all(
            isinstance(name, str) and 0 < len(name) <= MAX_CLASS_NAME_LENGTH
            for name in class_names
        )
    ):
        raise ValueError(
            f'{path}: expected {{"class_names": null or a list of at most '
            f"{MAX_CLASS_NAMES} non-empty strings}}."
        )
    return class_names


def load_cache_preprocessor(cache_dir):
    """The preprocessor that computed a cache's percepts, with its weights.

    Loaded in safe mode, only as a registered keras_grurcn class (see
    docs/security.md).

    Examples:

    ```python
    preprocessor = keras_grurcn.VideoPreprocessor(None, num_frames=4, image_size=32)
    keras_grurcn.data.save_extraction("/tmp/cache", preprocessor)
    keras_grurcn.data.load_cache_preprocessor("/tmp/cache").num_frames  # 4
    ```
    """
    return load_preprocessor_preset(
        f"{os.fspath(cache_dir).rstrip('/')}/{PREPROCESSOR_DIR}"
    )


def read_cache_preprocessor_config(cache_dir):
    """The config of the preprocessor a cache was extracted with, unbuilt.

    Its `backbone`, `levels`, `num_frames` and `image_size`, read from
    `preprocessor/preprocessor.json` without building the CNN or reading
    its weights (what `grurcn train --dry-run` checks an experiment
    against).

    Raises:
        FileNotFoundError: naming the missing file.
        ValueError: naming the file when it is not a preprocessor config.
    """
    from keras_grurcn.saving import preset_io

    folder = os.path.join(os.fspath(cache_dir), PREPROCESSOR_DIR)
    serialized = preset_io.read_json(folder, preset_io.PREPROCESSOR_CONFIG_FILE)
    config = serialized.get("config")
    if not isinstance(config, dict):
        raise ValueError(
            f"{os.path.join(folder, preset_io.PREPROCESSOR_CONFIG_FILE)}: expected "
            "a preprocessor config (an object with a 'config' entry)."
        )
    return config
