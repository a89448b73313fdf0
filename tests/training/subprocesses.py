"""Helpers for tests that run Python in child processes."""

import os
import signal
import subprocess

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def python_env(**overrides):
    """The environment of a child that imports this checkout's keras_grurcn."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [REPO_ROOT] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.pop("TF_CONFIG", None)
    env.update(overrides)
    return env


def stop(process):
    """Kills a child that is still running and reaps it."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    try:
        process.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError):
        pass
