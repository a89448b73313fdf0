"""The one place where keras_grurcn reaches into Keras' private `keras.src`.

Everything else in the package uses Keras' public API. Each name below is
something the public API does not offer; each was checked against
`CHECKED_KERAS_VERSION`. If a Keras release moves one, importing this module
fails with an ImportError that names it, instead of the package silently
working differently.

- `rnn`: `keras.src.backend.rnn`, the time loop Keras' own RNN layers run
  (`tf.while_loop`, `lax.scan`, ... per backend). It handles masks,
  `go_backwards`, `unroll` and clips of unknown length on every backend;
  `keras.ops.scan` does not unroll, and on TensorFlow it cannot read several
  input tensors of unknown length. Used by `ConvGRU`'s autodiff loop and
  `AttentionLSTMDecoder`.
- `DropoutRNNCell`: `keras.src.layers.rnn.dropout_rnn_cell.DropoutRNNCell`,
  the mixin of Keras' own cells that draws one dropout mask per sequence.
  `keras.layers.RNN` pre-draws those masks before its loop (which keeps the
  loop stateless on JAX) only for cells that are instances of this class, so
  a look-alike would silently lose dropout.
- `SafeModeScope`: `keras.src.saving.serialization_lib.SafeModeScope`.
  `SafeModeScope(True)` forces safe-mode deserialization for everything built
  inside it, even after a user called
  `keras.config.enable_unsafe_deserialization()`; Keras has no public
  equivalent (`deserialize_keras_object(safe_mode=True)` yields to that
  global switch). Used by `keras_grurcn.saving`.
- `nested_layers(layer)`: `Layer._flatten_layers`, every layer a layer
  tracks, including the copies `Bidirectional` makes, which the public
  `Model.layers` (direct children only) does not reach.
- `TestCase` (tests only, imported on first use): `keras.src.testing.TestCase`
  with `run_layer_test`, the harness Keras runs on its own layers.
"""

import keras

CHECKED_KERAS_VERSION = "3.15.1"


def _missing(name):
    return ImportError(
        f"keras_grurcn needs `{name}` from Keras' private API (checked against "
        f"Keras {CHECKED_KERAS_VERSION}, installed {keras.__version__}); this "
        "Keras moved it. Install keras==3.15.* or update keras_grurcn/compat.py."
    )


try:
    from keras.src.backend import rnn
except ImportError as error:  # pragma: no cover - depends on the Keras release
    raise _missing("keras.src.backend.rnn") from error

try:
    from keras.src.layers.rnn.dropout_rnn_cell import DropoutRNNCell
except ImportError as error:  # pragma: no cover - depends on the Keras release
    raise _missing("keras.src.layers.rnn.dropout_rnn_cell.DropoutRNNCell") from error

try:
    from keras.src.saving.serialization_lib import SafeModeScope
except ImportError as error:  # pragma: no cover - depends on the Keras release
    raise _missing("keras.src.saving.serialization_lib.SafeModeScope") from error


def nested_layers(layer):
    """Every layer inside `layer` (models, wrappers' inner layers), once each.

    Checked against Keras 3.15.1 (`Layer._flatten_layers`, see above).
    """
    return list(layer._flatten_layers(include_self=False, recursive=True))


def __getattr__(name):
    # The test harness imports pytest and absl: only load it when asked.
    if name == "TestCase":
        try:
            from keras.src.testing import TestCase
        except ImportError as error:  # pragma: no cover
            raise _missing("keras.src.testing.TestCase") from error
        return TestCase
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CHECKED_KERAS_VERSION",
    "DropoutRNNCell",
    "SafeModeScope",
    "nested_layers",
    "rnn",
]
