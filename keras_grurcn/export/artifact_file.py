"""Writing one exported file (LiteRT, ONNX) whole or not at all."""

import os
import tempfile


def check_can_write(path, overwrite, writer):
    """The absolute path, or FileExistsError when it exists and may not go."""
    path = os.path.abspath(os.fspath(path))
    if os.path.isdir(path):
        raise IsADirectoryError(
            f"{writer}: {path} is a folder; --out names the file to write."
        )
    if os.path.exists(path) and not overwrite:
        raise FileExistsError(
            f"{writer}: {path} already exists; choose another file or pass "
            "overwrite=True."
        )
    return path


def write_file_atomically(path, write):
    """Calls `write(temporary_path)` then renames it to `path`.

    The temporary file sits beside `path` (a dot name), so a failed export
    leaves no half-written model where a client would load it.
    """
    parent = os.path.dirname(path)
    os.makedirs(parent, exist_ok=True)
    handle, staging = tempfile.mkstemp(
        prefix=f".{os.path.basename(path)}.tmp-", dir=parent
    )
    os.close(handle)
    try:
        write(staging)
        # mkstemp makes the file private (0600); a model is read by others.
        os.chmod(staging, 0o644)
        os.replace(staging, path)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    return path
