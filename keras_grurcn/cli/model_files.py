"""The `--model` argument of `evaluate`, `export`, `predict` and `caption`."""

import os

MODEL_HELP = "a preset folder (WORKDIR/preset) or .keras file"


def load_task(path):
    """The keras_grurcn task in a preset folder or `.keras` file."""
    from keras_grurcn import models

    return models.load_task(path)


def is_saved_model(path):
    return os.path.isfile(os.path.join(path, "saved_model.pb"))


def names_in_class_order(probabilities, best_first):
    """A SavedModel's best-first `labels` (bytes) put back in class order."""
    names = [""] * len(best_first)
    for rank, index in enumerate(probabilities.argsort()[::-1]):
        names[index] = best_first[rank].decode()
    return names
