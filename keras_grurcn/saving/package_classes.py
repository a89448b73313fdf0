"""Importing every part of keras_grurcn that registers Keras classes.

`import keras_grurcn` is lazy (the `grurcn` command must parse its
arguments without starting TensorFlow), so a process may hold only some of
the package: `keras_grurcn.models` without `keras_grurcn.captioning`, say.
The loaders of saved files (`load_model`, preset folders) and the package's
first attribute access call `register_package_classes` so that every
registered keras_grurcn class can be found by its registered name, as it
could when `import keras_grurcn` imported everything.

The packages are named as strings and imported on call: they sit in higher
layers than `saving` (docs/architecture.md), and importing them is what
registers their classes, nothing else. The list is fixed here, never taken
from a file being loaded.
"""

import importlib

# The lowest parts are imported by the higher ones; listing them all keeps
# the list true if that changes.
REGISTERING_PACKAGES = (
    "keras_grurcn.layers",
    "keras_grurcn.percepts",
    "keras_grurcn.preprocessing",
    "keras_grurcn.models",
    "keras_grurcn.captioning",
)


def register_package_classes():
    """Imports the packages of `REGISTERING_PACKAGES` (cheap once imported)."""
    for name in REGISTERING_PACKAGES:
        importlib.import_module(name)
