"""The `--model` argument of `evaluate`, `export`, `predict` and `caption`."""

import os

MODEL_HELP = "a preset folder (WORKDIR/preset) or .keras file"


def load_task(path):
    """The keras_grurcn task in a preset folder or `.keras` file."""
    from keras_grurcn import models

    return models.load_task(path)


def is_saved_model(path):
    return os.path.isfile(os.path.join(path, "saved_model.pb"))
