"""Hostile files handed to `grurcn`: nothing they carry runs, no big allocation,
one clear line naming the file (docs/security.md lists what holds each entry point).
"""

import logging
import os
import pickle
import tracemalloc

import numpy as np
import pytest

from keras_grurcn import data
from keras_grurcn.cli import main
from tests.data.crafted_videos import avi_announcing
from tests.data.crafted_videos import repeated_frame_avi
from tests.saving.crafted_models import lambda_model_file
from tests.training.tiny_classifiers import grurcn_classifier


def _one_error_line(capsys, command):
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"grurcn {command}: error: ")
    return lines[0]


@pytest.fixture(scope="module")
def lambda_model(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lambda_model")
    marker = folder / "marker"
    video = data.write_video(folder / "clip.mp4", np.zeros((2, 8, 8, 3), np.uint8))
    return lambda_model_file(folder, marker), marker, video


@pytest.mark.parametrize("command", ["predict", "export", "evaluate", "caption"])
def test_a_keras_file_with_a_lambda_is_refused_by_every_command(
    lambda_model, tmp_path, capsys, command
):
    model, marker, video = lambda_model
    argv = {
        "predict": ["predict", "--model", model, video],
        "caption": ["caption", "--model", model, video],
        "export": ["export", "--model", model, "--out", str(tmp_path / "served")],
        "evaluate": ["evaluate", "--model", model, "--cache", str(tmp_path)],
    }[command]
    assert main(argv) == 2
    line = _one_error_line(capsys, command)
    assert model in line and "Lambda layer 'payload'" in line
    assert "safe_mode" not in line
    assert not marker.exists()
    assert not (tmp_path / "served").exists()


def test_a_crafted_caption_pickle_is_refused_by_prepare_check(tmp_path, capsys):
    root = tmp_path / "msvd"
    (root / "YouTubeClips").mkdir(parents=True)
    data.write_video(
        root / "YouTubeClips" / "abc_1_2.avi", np.zeros((2, 16, 16, 3), np.uint8)
    )
    marker = tmp_path / "marker"

    class Payload:
        def __reduce__(self):
            return os.system, (f"touch '{marker}'",)

    annotations = root / "raw-captions.pkl"
    with open(annotations, "wb") as file:
        pickle.dump({"abc_1_2": [["a", "dog"]], "payload": [Payload()]}, file)
    argv = ["prepare", "check", "--videos", str(root), "--layout", "msvd"]
    assert main([*argv, "--subset", "all"]) == 2
    line = _one_error_line(capsys, "prepare")
    assert str(annotations) in line and f"{os.system.__module__}.system" in line
    assert "JSON" in line
    assert not marker.exists()


@pytest.fixture(scope="module")
def videos_with_absurd_headers(tmp_path_factory):
    """Four good clips (one per class folder) and two lying headers."""
    root = tmp_path_factory.mktemp("videos")
    data.write_motion_videos(root, 4, num_frames=4, image_size=32)
    bad = {
        "max_frames": avi_announcing(root / "left" / "long.avi", num_frames=2**31 - 1),
        "max_pixels": avi_announcing(root / "up" / "huge.avi", size=(12000, 12000)),
    }
    return root, bad


def test_prepare_check_reports_absurd_headers_and_checks_the_rest(
    videos_with_absurd_headers, capsys
):
    root, bad = videos_with_absurd_headers
    assert main(["prepare", "check", "--videos", str(root)]) == 1
    out = capsys.readouterr().out
    assert "2 of the videos were skipped" in out
    for bound, path in bad.items():
        assert f"{path}: " in out and bound in out


def test_extract_skips_absurd_headers_and_caches_the_rest(
    videos_with_absurd_headers, tmp_path, caplog
):
    root, bad = videos_with_absurd_headers
    cache = str(tmp_path / "cache")
    argv = ["extract", "--videos", str(root), "--out", cache, "--levels", "pool1"]
    argv += ["--backbone-weights", "none", "--frames", "2", "--image-size", "32"]
    with caplog.at_level(logging.WARNING, logger="keras_grurcn.data"):
        assert main(argv) == 0
    assert data.read_cache_info(cache)["num_examples"] == 4
    skipped = " ".join(r.getMessage() for r in caplog.records)
    for bound, path in bad.items():
        assert path in skipped and bound in skipped


@pytest.fixture(scope="module")
def tiny_frames_model(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("model") / "tiny.keras")
    grurcn_classifier().save(path)
    return path


@pytest.mark.parametrize("bound", ["max_frames", "max_pixels", "max_bytes"])
def test_predict_refuses_absurd_headers_without_allocating(
    videos_with_absurd_headers, tiny_frames_model, tmp_path, capsys, bound
):
    _, bad = videos_with_absurd_headers
    if bound == "max_bytes":
        # A real file within both other bounds: 400 frames of 1080p, 450 KB,
        # that would decode to 2.3 GiB (4.8 GB of RSS, measured).
        video = repeated_frame_avi(tmp_path / "long_1080p.avi", 400, 1080, 1920)
    else:
        video = bad[bound]
    tracemalloc.start()
    try:
        status = main(["predict", "--model", tiny_frames_model, video])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # A batch command: the file is named and skipped, the status is 1.
    assert status == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    line = err.splitlines()[0]
    assert line.startswith("grurcn predict: Could not decode video")
    assert video in line and bound in line
    assert peak < 200 * 2**20, f"{peak / 2**20:.0f} MiB traced"


def test_playlists_disguised_as_videos_open_no_other_file(tmp_path, capsys):
    # An HLS playlist or an ffconcat list saved as .avi would make FFmpeg
    # decode the files (or URLs) it lists; FFmpeg 8.1 refuses both.
    secret = data.write_video(
        tmp_path / "secret.mp4", np.zeros((3, 16, 16, 3), "uint8")
    )
    root = tmp_path / "videos"
    (root / "class").mkdir(parents=True)
    (root / "class" / "playlist.avi").write_text(
        f"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\n{secret}\n#EXT-X-ENDLIST\n"
    )
    (root / "class" / "concat.avi").write_text(f"ffconcat version 1.0\nfile {secret}\n")
    data.write_video(root / "class" / "good.mp4", np.zeros((3, 16, 16, 3), "uint8"))
    assert main(["prepare", "check", "--videos", str(root)]) == 1
    out = capsys.readouterr().out
    assert "2 of the videos were skipped" in out
    assert "playlist.avi" in out and "concat.avi" in out
