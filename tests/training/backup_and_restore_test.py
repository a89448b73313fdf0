import csv
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.training.subprocesses import REPO_ROOT
from tests.training.subprocesses import python_env
from tests.training.subprocesses import stop

TIMEOUT_SECONDS = 120
STEPS_PER_EPOCH = 4  # 8 clips, batch 2


def start_training(workdir, log, seconds_per_batch):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.training.interruptible_training_script",
            "--workdir",
            str(workdir),
            "--log",
            str(log),
            "--seconds_per_batch",
            str(seconds_per_batch),
        ],
        cwd=REPO_ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def events(log):
    if not log.exists():
        return []
    return [line.split() for line in log.read_text().splitlines()]


@pytest.mark.large
def test_a_run_killed_mid_epoch_resumes_after_the_last_finished_epoch(tmp_path):
    workdir = tmp_path / "run"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    deadline = time.monotonic() + TIMEOUT_SECONDS

    process = start_training(workdir, first_log, seconds_per_batch=0.5)
    try:
        # Kill it after the second batch of epoch index 2 (the third epoch).
        while ["batch", "2", "1"] not in events(first_log):
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the first run never reached epoch 2"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        stop(process)
    assert process.returncode == -signal.SIGKILL
    assert ["begin", "3", str(3 * STEPS_PER_EPOCH)] not in events(first_log)

    process = start_training(workdir, second_log, seconds_per_batch=0.0)
    try:
        output, _ = process.communicate(timeout=max(deadline - time.monotonic(), 1))
    finally:
        stop(process)
    assert process.returncode == 0, output

    begins = [event[1:] for event in events(second_log) if event[0] == "begin"]
    # Epochs 0 and 1 finished before the kill: the restart begins at epoch
    # index 2 with their optimizer steps restored, not at 0.
    assert begins[0] == ["2", str(2 * STEPS_PER_EPOCH)]
    assert [epoch for epoch, _ in begins] == ["2", "3", "4"]
    with open(workdir / "history.csv", newline="") as file:
        logged_epochs = [int(row["epoch"]) for row in csv.DictReader(file)]
    assert logged_epochs == [0, 1, 2, 3, 4]
    # A finished run removes its backup, so the next run starts afresh.
    assert not os.path.exists(workdir / "backup" / "training_metadata.json")
    assert (workdir / "checkpoints" / "best.keras").exists()
