"""The Beam pipeline writes the in-process writer's cache, dead letters and all."""

import dataclasses
import json
import logging
import os
import re
import signal
import subprocess
import sys

import pytest

from keras_grurcn.data import VideoEntry
from keras_grurcn.data import beam_pipeline_options
from keras_grurcn.data import load_preprocessor_preset
from keras_grurcn.data import read_cache_info
from keras_grurcn.data import write_percept_cache
from keras_grurcn.data import write_percept_cache_beam
from tests.data.percept_cache_helpers import assert_same_cache
from tests.data.percept_cache_helpers import saved_tiny_preprocessor
from tests.training.subprocesses import REPO_ROOT
from tests.training.subprocesses import python_env
from tests.training.subprocesses import stop

HOSTILE = (
    "truncated",
    "truncated_mp4",
    "corrupt",
    "not_a_video",
    "empty_file",
    "zero_frames",
    "audio_only",
)
CLIPS = dict(num_frames=4, image_size=32, examples_per_shard=3)


@pytest.fixture(scope="module")
def videos(folder_tree, bad_videos, tmp_path_factory):
    """8 good videos with 8 hostile files between them."""
    _, good = folder_tree
    hostile = [VideoEntry(bad_videos[kind], 1) for kind in HOSTILE]
    hostile.append(VideoEntry(tmp_path_factory.mktemp("gone") / "missing.mp4", 2))
    mixed = []
    for number, entry in enumerate(good):
        mixed += [entry, hostile[number]]
    return mixed


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__(logging.INFO)
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def caches(videos, tmp_path_factory):
    root = tmp_path_factory.mktemp("caches")
    preprocessor_dir = saved_tiny_preprocessor(root / "preprocessor")
    log, logger = _Lines(), logging.getLogger("keras_grurcn.data")
    logger.addHandler(log)
    # setLevel, not `logger.level = ...`: it also clears the logger's cache of
    # isEnabledFor answers, which an earlier run of the writer may have filled.
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        write_percept_cache_beam(
            videos,
            preprocessor_dir,
            root / "beam",
            pipeline_options=["direct_num_workers=2"],
            **CLIPS,
        )
    finally:
        logger.removeHandler(log)
        logger.setLevel(level)
    preprocessor = load_preprocessor_preset(preprocessor_dir)
    write_percept_cache(
        videos, preprocessor, root / "inprocess", progress=False, **CLIPS
    )
    summary = [line for line in log.lines if line.startswith("Beam wrote")]
    return {"root": root, "preprocessor": preprocessor_dir, "summary": summary}


def _failures(cache_dir):
    with open(os.path.join(cache_dir, "failures.jsonl")) as file:
        return [json.loads(line) for line in file]


def test_direct_runner_with_two_workers_writes_the_in_process_cache(caches):
    beam, inprocess = caches["root"] / "beam", caches["root"] / "inprocess"
    assert_same_cache(beam, inprocess)
    beam_info, inprocess_info = read_cache_info(beam), read_cache_info(inprocess)
    assert beam_info["num_examples"] == 8
    for key in ("levels", "dtype", "num_examples", "num_failures"):
        assert beam_info[key] == inprocess_info[key]
    # Same inputs in the same shards (sizes may differ by float rounding).
    assert [s["num_examples"] for s in beam_info["shards"]] == [
        s["num_examples"] for s in inprocess_info["shards"]
    ]
    # Beam's counters: 6 shards written by 2 workers, the model loaded once
    # per worker process, not once per shard.
    (summary,) = caches["summary"]
    loads = int(re.search(r"loaded (\d+) times", summary).group(1))
    assert "6 shards: 8 clips, 8 videos failed" in summary
    assert 1 <= loads <= 2, summary


def test_hostile_files_land_in_failures_jsonl(caches, videos):
    failures = _failures(caches["root"] / "beam")
    assert failures == _failures(caches["root"] / "inprocess")
    hostile = [(i, e) for i, e in enumerate(videos) if i % 2]
    assert [(f["index"], f["path"]) for f in failures] == [
        (i, e.path) for i, e in hostile
    ]
    reasons = {f["path"]: f["reason"] for f in failures}
    assert "no such file" in reasons[videos[-1].path]
    assert all(reason for reason in reasons.values())
    assert {f["video_id"] for f in failures} == {e.video_id for _, e in hostile}


def test_a_killed_pipeline_resumes(caches, videos, tmp_path):
    out = tmp_path / "cache"
    videos_file = tmp_path / "videos.json"
    videos_file.write_text(json.dumps([dataclasses.asdict(e) for e in videos]))
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.data.killable_percept_extraction",
            "--videos",
            str(videos_file),
            "--preprocessor",
            caches["preprocessor"],
            "--out",
            str(out),
            "--examples-per-shard",
            str(CLIPS["examples_per_shard"]),
        ],
        cwd=REPO_ROOT,
        env=python_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        output, _ = process.communicate(timeout=300)
    finally:
        stop(process)
    assert process.returncode == -signal.SIGKILL, output.decode()[-2000:]
    names = os.listdir(out)
    done = [name for name in names if name.endswith(".summary.json")]
    assert len(done) == 1 and "cache_info.json" not in names
    assert any(".partial-" in name for name in names)
    kept = out / done[0].replace(".summary.json", ".tfrecord")
    before = (kept.stat().st_ino, kept.stat().st_mtime_ns)

    info = write_percept_cache_beam(videos, caches["preprocessor"], out, **CLIPS)

    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == before
    assert not [name for name in os.listdir(out) if ".partial-" in name]
    assert info["num_examples"] == 8
    assert_same_cache(out, caches["root"] / "inprocess")
    assert _failures(out) == _failures(caches["root"] / "inprocess")


def test_pipeline_options_pass_through_and_bad_ones_are_named():
    options = beam_pipeline_options("direct", ["direct_num_workers=2"])
    assert options.get_all_options()["direct_num_workers"] == 2
    assert options.get_all_options()["direct_running_mode"] == "multi_processing"
    with pytest.raises(ValueError, match="no_such_option"):
        beam_pipeline_options("direct", ["no_such_option=1"])
    with pytest.raises(ValueError, match="KEY=VALUE"):
        beam_pipeline_options("direct", ["=2"])
    with pytest.raises(ValueError, match="dataflow"):
        beam_pipeline_options("cloud", [])
