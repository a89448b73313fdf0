import json
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from tests.training.subprocesses import REPO_ROOT
from tests.training.subprocesses import python_env
from tests.training.subprocesses import stop

TIMEOUT_SECONDS = 120


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@pytest.mark.large
def test_two_workers_on_localhost_end_with_identical_weights(tmp_path):
    workers = [f"127.0.0.1:{port}" for port in free_ports(2)]
    workdir = tmp_path / "run"
    processes = []
    start = time.monotonic()
    try:
        for index in range(2):
            tf_config = {
                "cluster": {"worker": workers},
                "task": {"type": "worker", "index": index},
            }
            processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.training.multi_worker_script",
                        "--workdir",
                        str(workdir),
                        "--weights_out",
                        str(tmp_path / f"worker{index}.npz"),
                    ],
                    cwd=REPO_ROOT,
                    env=python_env(TF_CONFIG=json.dumps(tf_config)),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        outputs = []
        for process in processes:
            remaining = TIMEOUT_SECONDS - (time.monotonic() - start)
            outputs.append(process.communicate(timeout=max(remaining, 1))[0])
        # Both logs on failure: one worker's crash shows up in the other's
        # log only as "stopped sending heartbeats".
        report = "\n".join(
            f"--- worker {index} (exit {process.returncode}) ---\n{output}"
            for index, (process, output) in enumerate(zip(processes, outputs))
        )
        assert all(process.returncode == 0 for process in processes), report
    finally:
        for process in processes:
            stop(process)

    chief = np.load(tmp_path / "worker0.npz")
    other = np.load(tmp_path / "worker1.npz")
    assert (int(chief["task_index"]), int(other["task_index"])) == (0, 1)
    # 2 epochs x (10 clips // global batch 4) steps, on both workers.
    assert int(chief["iterations"]) == int(other["iterations"]) == 4
    weight_names = [name for name in chief.files if name.startswith("weight_")]
    assert len(weight_names) == 4
    for name in weight_names:
        np.testing.assert_array_equal(chief[name], other[name])
    initial = [np.asarray(w) for w in _initial_weights()]
    assert any(
        not np.allclose(chief[f"weight_{i}"], weight)
        for i, weight in enumerate(initial)
    ), "training did not change the weights"
    # Only the chief writes the shared outputs; worker 1 keeps its own backup.
    assert (workdir / "history.csv").exists()
    assert (workdir / "final.keras").exists()
    # Each worker deleted its own backup once training ended.
    assert not (workdir / "backup").exists()
    assert not (workdir / "backup-worker-1").exists()


def _initial_weights():
    from tests.training.tiny_classifiers import conv3d_classifier

    return conv3d_classifier().get_weights()
