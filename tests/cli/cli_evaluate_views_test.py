"""`grurcn evaluate --videos DIR --clips N --crops {1,3,10}`: multi-view scores
with their protocol; `--cache` scores say they are one view."""

import json
import os

import numpy as np
import pytest

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.cli import main

CLASSES = ["down", "left", "right", "up"]


@pytest.fixture(scope="module")
def videos(tmp_path_factory):
    root = tmp_path_factory.mktemp("evaluate_views") / "videos"
    data.write_motion_videos(root, 8, num_frames=8, image_size=32)
    return root


@pytest.fixture(scope="module")
def preset(tmp_path_factory):
    model = keras_grurcn.build_model(
        "grurcn",
        class_names=CLASSES,
        backbone_weights=None,
        num_frames=4,
        image_size=32,
        levels=["pool1"],
        hidden_maps=2,
    )
    folder = str(tmp_path_factory.mktemp("evaluate_views_model") / "preset")
    model.save_to_preset(folder)
    return folder


@pytest.mark.parametrize("crops", [1, 3, 10])
def test_views_are_averaged_and_the_protocol_is_stored(
    videos, preset, tmp_path, capsys, crops
):
    output = tmp_path / "evaluation"
    argv = ["evaluate", "--model", preset, "--videos", str(videos)]
    argv += ["--clips", "3", "--crops", str(crops), "--output", str(output)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    report = json.loads((output / "evaluation.json").read_text())
    assert report["num_videos"] == 8
    assert report["protocol"] == {
        "clips": 3,
        "crops": crops,
        "frames": 4,
        "sampling": "uniform",
        "stride": None,
        "crop_scale": 0.875 if crops == 10 else 1.0,
        "source": "videos (folder layout, test)",
        "skipped_videos": [],
    }
    expected = ["1x1", "3x1"] + ([f"1x{crops}", f"3x{crops}"] if crops > 1 else [])
    assert sorted(report["views"]) == sorted(expected)
    for scores in report["views"].values():
        # Four classes: top-5 would always be 1, so it is not reported.
        assert set(scores) == {"top1_accuracy"}
        assert 0 <= scores["top1_accuracy"] <= 1
    assert report["top1_accuracy"] == report["views"][f"3x{crops}"]["top1_accuracy"]
    for name in expected:
        assert name in out
    assert (output / "confusion_matrix.png").exists()


def test_unreadable_videos_are_named_skipped_and_recorded(
    videos, preset, tmp_path, capsys
):
    root = tmp_path / "videos"
    for name in CLASSES:
        os.makedirs(root / name)
        for file in sorted(os.listdir(videos / name))[:1]:
            (root / name / file).write_bytes((videos / name / file).read_bytes())
    bad = root / "left" / "broken.mp4"
    content = (videos / "left" / sorted(os.listdir(videos / "left"))[0]).read_bytes()
    bad.write_bytes(content[: len(content) // 3])
    output = tmp_path / "evaluation"
    argv = ["evaluate", "--model", preset, "--videos", str(root), "--clips", "2"]
    assert main([*argv, "--crops", "1", "--output", str(output)]) == 1
    err = capsys.readouterr().err
    assert str(bad) in err and "Traceback" not in err
    report = json.loads((output / "evaluation.json").read_text())
    assert report["num_videos"] == 4
    assert [skip["video"] for skip in report["protocol"]["skipped_videos"]] == [
        str(bad)
    ]


def test_cache_scores_record_their_single_view_and_reject_clips(
    videos, preset, tmp_path, capsys
):
    model = keras_grurcn.models.load_task(preset)
    cache = tmp_path / "cache"
    data.write_percept_cache(
        data.folder_entries(videos),
        model.preprocessor,
        cache,
        num_frames=4,
        image_size=32,
        progress=False,
    )
    output = tmp_path / "evaluation"
    argv = ["evaluate", "--model", preset, "--cache", str(cache)]
    assert main([*argv, "--output", str(output)]) == 0
    report = json.loads((output / "evaluation.json").read_text())
    assert report["protocol"]["clips"] == 1 and report["protocol"]["crops"] == 1
    assert report["protocol"]["frames"] == 4
    assert 0 <= report["accuracy"] <= 1
    capsys.readouterr()
    assert main([*argv, "--clips", "10"]) == 2
    assert "--clips and --crops need --videos" in capsys.readouterr().err


def test_one_clip_one_crop_on_videos_scores_what_the_cache_scores(
    videos, preset, tmp_path, capsys
):
    model = keras_grurcn.models.load_task(preset)
    cache = tmp_path / "cache"
    entries = data.folder_entries(videos)
    data.write_percept_cache(
        entries, model.preprocessor, cache, num_frames=4, image_size=32, progress=False
    )
    percepts = [p for p, _ in data.percept_dataset(cache, 8)][0]
    from_cache = model.predict(percepts, verbose=0).argmax(-1)
    labels = np.array([entry.label for entry in entries])
    output = tmp_path / "evaluation"
    argv = ["evaluate", "--model", preset, "--videos", str(videos), "--clips", "1"]
    assert main([*argv, "--crops", "1", "--output", str(output)]) == 0
    report = json.loads((output / "evaluation.json").read_text())
    assert report["views"]["1x1"]["top1_accuracy"] == pytest.approx(
        float(np.mean(from_cache == labels))
    )


def test_the_parser_offers_what_the_library_cuts():
    # The parser keeps its own copies (importing the library would start
    # TensorFlow while parsing): they must not drift apart.
    from keras_grurcn.cli import evaluate_command
    from keras_grurcn.training import multi_view_clips

    assert evaluate_command.CROP_COUNTS == multi_view_clips.CROP_COUNTS
    assert evaluate_command.SAMPLINGS == multi_view_clips.SAMPLINGS
    assert evaluate_command.TEN_CROP_SCALE == multi_view_clips.TEN_CROP_SCALE
