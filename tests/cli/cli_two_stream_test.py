"""The paper's best model from video files to a served prediction, with `grurcn`."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

import keras_grurcn
from keras_grurcn import data
from keras_grurcn.cli import main

COMMON = ["--frames", "4", "--image-size", "32"]
FLOW = ["--modality", "flow", "--flow-method", "farneback", "--flow-bound", "4"]


def _extract(videos, out, *extra):
    return main(
        [
            "extract",
            "--videos",
            videos,
            "--out",
            str(out),
            "--levels",
            "pool1",
            "--backbone-weights",
            "none",
            *COMMON,
            *extra,
        ]
    )


@pytest.mark.large
def test_videos_to_two_caches_to_training_to_a_served_prediction(tmp_path, capsys):
    videos = str(tmp_path / "videos")
    assert (
        main(["prepare", "synthetic", "--out", videos, "--clips", "16", *COMMON]) == 0
    )
    for split in ("train", "test"):
        assert _extract(videos, tmp_path / "rgb" / split) == 0
        assert _extract(videos, tmp_path / "flow" / split, *FLOW) == 0
    capsys.readouterr()
    info = data.read_cache_info(tmp_path / "flow" / "train")
    assert (info["modality"], info["flow"]["method"]) == ("flow", "farneback")
    assert data.read_cache_info(tmp_path / "rgb" / "train")["modality"] == "rgb"
    # Swapped caches are refused, naming what is wrong.
    swapped = [
        "train",
        "--model",
        "two_stream",
        "--data-dir",
        str(tmp_path / "flow"),
        "--flow-data-dir",
        str(tmp_path / "rgb"),
        "--workdir",
        str(tmp_path / "swapped"),
    ]
    assert main(swapped) == 2
    assert "--modality rgb" in capsys.readouterr().err
    # The resolved experiment shows both pairs of caches and the flow images.
    pairs = ["--data-dir", str(tmp_path / "rgb"), "--flow-data-dir"]
    pairs.append(str(tmp_path / "flow"))
    assert main(["train", "--model", "two_stream", *pairs, "--dry-run"]) == 0
    resolved = capsys.readouterr().out
    assert "flow_method: farneback" in resolved and "flow_bound: 4.0" in resolved
    assert f"flow_val_cache: {tmp_path / 'flow' / 'test'}" in resolved
    workdir = tmp_path / "run"
    status = main(
        [
            "train",
            "--model",
            "two_stream",
            "--data-dir",
            str(tmp_path / "rgb"),
            "--flow-data-dir",
            str(tmp_path / "flow"),
            "--workdir",
            str(workdir),
            "--epochs",
            "1",
            "--batch-size",
            "4",
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "rgb stream" in out and "flow stream" in out and "fused" in out
    metrics = json.loads((workdir / "metrics.json").read_text())
    assert {"rgb_accuracy", "flow_accuracy", "fused_accuracy", "flow_weight"} <= set(
        metrics
    )
    preset = str(workdir / "preset")
    # One cache cannot score both streams: the error says where the scores are.
    assert (
        main(["evaluate", "--model", preset, "--cache", str(tmp_path / "rgb" / "test")])
        == 2
    )
    assert "metrics.json" in capsys.readouterr().err
    export_dir = str(tmp_path / "served" / "1")
    assert main(["export", "--model", preset, "--out", export_dir]) == 0
    served = tf.saved_model.load(export_dir)
    options = served.signatures["flow_image_options"]()
    assert options["method"].numpy() == b"farneback"
    assert float(options["bound"]) == 4.0
    left = os.path.join(videos, "left")
    video = os.path.join(left, sorted(os.listdir(left))[0])
    answers = {}
    for model in (export_dir, preset, str(workdir / "final.keras")):
        capsys.readouterr()
        assert main(["predict", "--model", model, "--top", "4", video]) == 0
        row = capsys.readouterr().out.strip().splitlines()[-1]
        assert os.path.basename(video) in row
        answers[model] = row
    # The SavedModel and the preset answer alike: same flow, same weights.
    assert len(set(answers.values())) == 1, answers
    # A bad file and a one-frame video (no flow) are named; the rest answered.
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"not a video")
    still = data.write_video(tmp_path / "still.mp4", np.zeros((1, 32, 32, 3), "uint8"))
    for model in (export_dir, preset):
        argv = ["predict", "--model", model, "--json", video, str(bad), str(still)]
        assert main(argv) == 1
        captured = capsys.readouterr()
        lines = [json.loads(line) for line in captured.out.splitlines()]
        assert [line["video"] for line in lines] == [video, str(bad), str(still)]
        assert len(lines[0]["predictions"]) == 3
        assert "error" in lines[1] and "optical flow" in lines[2]["error"]
        assert "bad.mp4" in captured.err and "still.mp4" in captured.err
    # In process, the served probabilities are the task's.
    task = keras_grurcn.models.Task.from_preset(preset)
    frames = data.read_video(video)
    flow = data.video_flow_images(frames, **task.preprocessor.flow.flow_image_options)
    outputs = served.signatures["serving_default"](
        rgb=tf.constant(frames[None]), flow=tf.constant(flow[None])
    )
    np.testing.assert_allclose(
        outputs["probabilities"].numpy(),
        task.predict({"rgb": frames[None], "flow": flow[None]}, verbose=0),
        atol=1e-5,
    )


def test_two_stream_training_needs_both_kinds_of_cache(tmp_path, capsys):
    for model, extra in (("two_stream", []), ("grurcn", ["--flow-data-dir", "x"])):
        argv = [
            "train",
            "--model",
            model,
            "--data-dir",
            str(tmp_path),
            "--workdir",
            "w",
        ]
        assert main([*argv, *extra]) == 2
        assert "--flow-data-dir" in capsys.readouterr().err


def test_the_two_stream_preset_is_an_experiment_reading_tvl1_flow(capsys):
    assert main(["train", "--preset", "ucf101_two_stream", "--dry-run"]) == 0
    resolved = capsys.readouterr().out
    assert "name: two_stream" in resolved and "encoder: bidirectional" in resolved
    assert "flow_method: tvl1" in resolved and "flow_bound: 20.0" in resolved
