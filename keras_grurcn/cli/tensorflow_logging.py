"""Quiet TensorFlow start-up for the `grurcn` commands.

`import tensorflow` (2.21) writes its C++ start-up lines (oneDNN,
cpu_feature_guard, "All log messages before absl::InitializeLog()") to the
process's stderr before its logging is configured, so
`TF_CPP_MIN_LOG_LEVEL` does not hide them (measured, docs/decisions.md).
The commands therefore import TensorFlow once, after their arguments are
parsed, with file descriptor 2 pointed at a temporary file: what TensorFlow
wrote is dropped if the import works and shown if it fails. Later C++ logs
follow `TF_CPP_MIN_LOG_LEVEL` (2, warnings and information off, unless the
user set it), and the `absl` and `tensorflow` Python loggers show errors
only.
"""

import contextlib
import logging
import os
import sys
import tempfile

from keras_grurcn.cli.command_error import CommandError

LOG_LEVEL_VARIABLE = "TF_CPP_MIN_LOG_LEVEL"


def import_tensorflow(verbose=False):
    """Imports TensorFlow, quietly unless `verbose` or the user set the log level.

    Args:
        verbose: let TensorFlow log as it does by default.

    Raises:
        CommandError: TensorFlow is not installed (naming the extra).
    """
    quiet = not verbose and LOG_LEVEL_VARIABLE not in os.environ
    if quiet:
        os.environ[LOG_LEVEL_VARIABLE] = "2"
    if "tensorflow" not in sys.modules:
        with _stderr_dropped_unless_failing() if quiet else contextlib.nullcontext():
            try:
                import tensorflow  # noqa: F401
            except ImportError as error:
                raise CommandError(
                    f"grurcn needs TensorFlow ({error}): pip install "
                    "'keras-grurcn[cpu]' (or [gpu], [tf])."
                ) from None
    if quiet:
        for name in ("absl", "tensorflow"):
            logging.getLogger(name).setLevel(logging.ERROR)


@contextlib.contextmanager
def _stderr_dropped_unless_failing():
    """Sends fd 2 to a temporary file; replays it if the block raises."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            _restore(saved)
            captured.seek(0)
            os.write(2, captured.read())
            raise
        else:
            _restore(saved)


def _restore(saved):
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
