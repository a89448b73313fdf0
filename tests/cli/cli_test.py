"""`grurcn` end to end on tiny generated data, through `main(argv)`."""

import json
import os

import pytest

import keras_grurcn
from keras_grurcn.cli import main

COMMANDS = (
    "demo",
    "prepare",
    "extract",
    "train",
    "evaluate",
    "export",
    "predict",
    "caption",
)


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert command in out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_defaults(command, capsys):
    argv = (
        [command, "synthetic", "--help"]
        if command == "prepare"
        else [command, "--help"]
    )
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "usage: grurcn" in out
    if command in ("demo", "extract", "train", "prepare"):
        assert "(default:" in out


def test_bad_number_is_rejected_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--clips", "0"])
    assert exit_info.value.code == 2
    assert "--clips" in capsys.readouterr().err


def test_missing_dataset_is_a_one_line_error(tmp_path, capsys):
    missing = os.path.join(tmp_path, "nowhere")
    status = main(["extract", "--videos", missing, "--out", str(tmp_path / "cache")])
    assert status == 2
    err = capsys.readouterr().err
    assert "--videos" in err and "nowhere" in err and "Traceback" not in err


def test_unknown_preset_lists_the_presets(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["train", "--preset", "nope", "--data-dir", str(tmp_path), "--workdir", "w"]
        )
    assert exit_info.value.code == 2
    assert "ucf101_grurcn_bidirectional" in capsys.readouterr().err


def test_train_without_caches_names_the_argument(tmp_path, capsys):
    status = main(
        ["train", "--model", "grurcn", "--data-dir", str(tmp_path), "--workdir", "w"]
    )
    assert status == 2
    assert "--data-dir" in capsys.readouterr().err


@pytest.mark.large
def test_prepare_extract_train_evaluate_export_predict(tmp_path, capsys):
    videos = str(tmp_path / "videos")
    caches = tmp_path / "caches"
    common = ["--frames", "4", "--image-size", "32"]
    assert (
        main(["prepare", "synthetic", "--out", videos, "--clips", "16", *common]) == 0
    )
    for split in ("train", "test"):
        status = main(
            [
                "extract",
                "--videos",
                videos,
                "--out",
                str(caches / split),
                "--levels",
                "pool2",
                "--backbone-weights",
                "none",
                "--batch-size",
                "8",
                *common,
            ]
        )
        assert status == 0
    info = json.loads((caches / "train" / "extraction.json").read_text())
    assert info["class_names"] == ["down", "left", "right", "up"]
    workdir = str(tmp_path / "run")
    status = main(
        [
            "train",
            "--model",
            "grurcn",
            "--data-dir",
            str(caches),
            "--workdir",
            workdir,
            "--epochs",
            "1",
            "--batch-size",
            "4",
        ]
    )
    assert status == 0
    preset = os.path.join(workdir, "preset")
    trained = keras_grurcn.models.Task.from_preset(preset)
    # The cache's class names and preprocessor travel with the trained model.
    assert trained.class_names == info["class_names"]
    assert main(["evaluate", "--model", preset, "--cache", str(caches / "test")]) == 0
    export_dir = str(tmp_path / "served" / "1")
    assert main(["export", "--model", preset, "--out", export_dir]) == 0
    video = os.path.join(
        videos, "left", sorted(os.listdir(os.path.join(videos, "left")))[0]
    )
    for model in (export_dir, preset, os.path.join(workdir, "final.keras")):
        capsys.readouterr()
        assert main(["predict", "--model", model, video]) == 0
        out = capsys.readouterr().out
        assert os.path.basename(video) in out
        # Answers are named by the cache's classes, not "0", "1", ...
        assert any(name in out for name in info["class_names"]), out


@pytest.mark.large
def test_demo_runs_end_to_end_on_a_small_budget(tmp_path):
    from keras_grurcn.cli.demo import DemoConfig
    from keras_grurcn.cli.demo import run_demo

    lines = []
    # Half the default clips, the default settings otherwise: the demo's
    # claim (motion needs the GRU-RCN) must hold, not only its plumbing.
    summary = run_demo(str(tmp_path), DemoConfig(num_clips=160), log=lines.append)
    accuracy = {name: r["test_accuracy"] for name, r in summary["models"].items()}
    assert accuracy["grurcn_bidirectional"] >= 0.8, accuracy
    assert accuracy["frame_average"] <= 0.45, accuracy
    for path in summary["artifacts"].values():
        assert os.path.exists(path), path
    served = summary["served_prediction"]
    assert served["served_class"] in ("left", "right", "up", "down")
    assert served["max_abs_diff_vs_predict"] < 1e-4
    assert any("test top-1" in line for line in lines)
